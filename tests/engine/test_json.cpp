// The JSON shapes of docs/ARCHITECTURE.md, read back with nlohmann::json and compared value by
// value with the structs they came from.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "json_io.hpp"
#include "trainer.hpp"

using nlohmann::json;
using trainscope::Config;
using trainscope::Trainer;

namespace {

Config json_config() {
  Config config;
  config.data.samples = 50;
  config.model.hidden = {6, 4};
  config.diagnostics.cadence = 2;
  config.diagnostics.bins = 5;
  return config;
}

}  // namespace

TEST_CASE("step metrics and status") {
  Trainer trainer(json_config());
  const trainscope::StepMetrics metrics = trainer.step(3);
  const json m = json::parse(trainscope::to_json(metrics));
  CHECK(m.at("step") == 3);
  CHECK(m.at("loss").get<double>() == metrics.loss);
  CHECK(m.at("data_loss").get<double>() == metrics.data_loss);
  CHECK(m.at("reg_loss").get<double>() == metrics.reg_loss);
  CHECK(m.at("batch_acc").get<double>() == metrics.batch_acc);
  CHECK(m.at("lr").get<double>() == metrics.lr);
  CHECK(m.at("grad_norm").get<double>() == metrics.grad_norm);
  CHECK(m.size() == 7);

  trainscope::Status status;
  status.diverged = true;
  status.step = 12;
  status.reason = "loss became NaN";
  const json s = json::parse(trainscope::to_json(status));
  CHECK(s == json{{"diverged", true}, {"step", 12}, {"reason", "loss became NaN"}});
}

TEST_CASE("evaluation, data splits and tensors") {
  Trainer trainer(json_config());
  const trainscope::Evaluation evaluation = trainer.evaluate();
  const json e = json::parse(trainscope::to_json(evaluation));
  CHECK(e.at("train").at("loss").get<double>() == evaluation.train.loss);
  CHECK(e.at("train").at("acc").get<double>() == evaluation.train.acc);
  CHECK(e.at("train").at("count") == evaluation.train.count);
  CHECK(e.at("val").at("count") == evaluation.val.count);

  const trainscope::DataSplit train = trainer.train_data(), val = trainer.val_data();
  const json d = json::parse(trainscope::to_json(train, val));
  CHECK(d.at("train").at("count") == 40);
  CHECK(d.at("train").at("dims") == 2);
  CHECK(d.at("train").at("x").size() == 80);
  CHECK(d.at("train").at("y").size() == 40);
  CHECK(d.at("val").at("count") == 10);
  CHECK(d.at("train").at("x")[5].get<float>() == train.x[5]);  // floats survive the trip

  const json t = json::parse(trainscope::to_json(trainer.tensors()));
  REQUIRE(t.size() == trainer.tensors().size());
  CHECK(t[0] == json{{"name", "hidden1.W"}, {"layer", 0}, {"rows", 2}, {"cols", 6}, {"trainable", true}});
  CHECK(t.back().at("name") == "output.b");
}

TEST_CASE("layer stats, grad check, initial loss check") {
  Trainer trainer(json_config());
  trainer.step(4);
  const auto stats = trainer.layer_stats();
  const json l = json::parse(trainscope::to_json(stats));
  REQUIRE(l.size() == 3);
  CHECK(l[0].at("name") == "hidden1");
  CHECK(l[0].at("units") == 6);
  CHECK(l[0].at("activation") == "relu");
  CHECK(l[0].at("pre").at("hist").size() == 5);
  CHECK(l[0].at("pre").at("edges").size() == 6);
  CHECK(l[0].at("act").at("mean").get<double>() == stats[0].act.mean);
  CHECK(l[1].at("update_ratio").get<double>() == stats[1].update_ratio);
  for (const char* key : {"dead_fraction", "zero_fraction", "saturated_fraction", "weight_norm", "grad_norm"}) {
    CHECK(l[2].contains(key));
  }
  CHECK(l[2].at("name") == "output");

  const trainscope::GradCheckResult check = trainer.grad_check();
  const json g = json::parse(trainscope::to_json(check));
  CHECK(g.at("passed") == check.passed);
  CHECK(g.at("max_rel_error").get<double>() == check.max_rel_error);
  REQUIRE(g.at("tensors").size() == check.tensors.size());
  CHECK(g.at("tensors")[0].at("name") == check.tensors[0].name);
  CHECK(g.at("tensors")[0].at("checked") == check.tensors[0].checked);
  CHECK(g.at("tensors")[0].contains("skipped"));

  trainscope::InitialLossCheck initial;
  initial.expected = std::numeric_limits<double>::quiet_NaN();  // JSON has no NaN
  initial.measured = 0.5;
  initial.explanation = "why";
  const json i = json::parse(trainscope::to_json(initial));
  CHECK(i.at("expected").is_null());
  CHECK(i.at("measured") == 0.5);
  CHECK(i.at("explanation") == "why");
}

TEST_CASE("history is columnar") {
  Trainer trainer(json_config());
  trainer.step(10);
  const trainscope::History& history = trainer.history();
  const json h = json::parse(trainscope::to_json(history));
  CHECK(h.at("step").get<std::vector<double>>() == history.step);
  CHECK(h.at("loss").get<std::vector<double>>() == history.loss);
  for (const char* column : {"data_loss", "reg_loss", "batch_acc", "lr"}) CHECK(h.at(column).size() == 10);
  CHECK(h.at("diag_step").get<std::vector<double>>() == std::vector<double>{2, 4, 6, 8, 10});
  for (const char* series : {"dead_fraction", "zero_fraction", "saturated_fraction", "act_mean", "act_std",
                             "weight_norm", "grad_norm", "update_ratio"}) {
    INFO(series);
    REQUIRE(h.at(series).size() == 3);  // two hidden layers and the output
    CHECK(h.at(series)[0].size() == 5);
  }
  CHECK(h.at("act_std").get<std::vector<std::vector<double>>>() == history.act_std);
}

TEST_CASE("the config a trainer runs round-trips through JSON and rebuilds the same run") {
  const Config config = trainscope::config_from_json(
      R"({"seed":9,"data":{"dataset":"xor","samples":64},"model":{"hidden":[5]},"train":{"optimizer":"nesterov"}})");
  CHECK(config.data.classes == 2);
  Trainer a(config);
  Trainer b(trainscope::config_from_json(trainscope::config_to_json(a.config())));
  CHECK(a.step(5).loss == b.step(5).loss);
}
