// The one diagnostics stream: every diagnostics event appends a dead_fraction point that covers
// the whole probe set (rolling probe, diagnostics.hpp), history_since returns exactly the tail,
// and compaction bumps the history's version. References are computed here from the tensors and
// data the trainer exposes, in plain loops.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <nlohmann/json.hpp>

#include "diagnostics.hpp"
#include "json_io.hpp"
#include "network.hpp"
#include "records.hpp"
#include "trainer.hpp"

namespace {

using trainscope::Config;
using trainscope::Trainer;

int tensor_named(const Trainer& trainer, const std::string& name) {
  for (std::size_t t = 0; t < trainer.tensors().size(); ++t)
    if (trainer.tensors()[t].name == name) return static_cast<int>(t);
  FAIL("no tensor " << name);
  return -1;
}

// Dead fraction of every hidden block over ALL training rows (the probe is the whole training
// set when probe_size ≥ its size): a unit is dead when its pre-activation is ≤ 0 on every row.
// Pre-activations in double from the trainer's float tensors: relu(x·W + b) block by block.
std::vector<double> full_probe_dead_fractions(const Trainer& trainer) {
  const trainscope::DataSplit data = trainer.train_data();
  std::vector<double> input(data.x.begin(), data.x.end());
  int fan_in = data.dims;
  std::vector<double> dead_fractions;
  for (std::size_t block = 0; block < trainer.config().model.hidden.size(); ++block) {
    const std::string prefix = "hidden" + std::to_string(block + 1);
    const std::vector<float> w = trainer.get_tensor(tensor_named(trainer, prefix + ".W"));
    const std::vector<float> b = trainer.get_tensor(tensor_named(trainer, prefix + ".b"));
    const int units = static_cast<int>(b.size());
    std::vector<double> output(static_cast<std::size_t>(data.count) * units);
    std::vector<bool> fired(static_cast<std::size_t>(units), false);
    for (int r = 0; r < data.count; ++r) {
      for (int u = 0; u < units; ++u) {
        double pre = b[static_cast<std::size_t>(u)];
        for (int i = 0; i < fan_in; ++i)
          pre += input[static_cast<std::size_t>(r) * fan_in + i] * w[static_cast<std::size_t>(i) * units + u];
        if (pre > 0) fired[static_cast<std::size_t>(u)] = true;
        output[static_cast<std::size_t>(r) * units + u] = std::max(pre, 0.0);
      }
    }
    dead_fractions.push_back(static_cast<double>(std::count(fired.begin(), fired.end(), false)) / units);
    input = std::move(output);
    fan_in = units;
  }
  return dead_fractions;
}

Config frozen_relu_config() {
  Config config;
  config.seed = 11;
  config.data.dataset = "spiral";
  config.data.samples = 200;
  config.data.classes = 3;
  config.data.val_fraction = 0;
  config.data.preprocess = "none";  // the reference reads the raw training data
  config.model.hidden = {24, 16};
  config.model.bias_init = -0.4;    // a fair share of units start dead on part of the data
  config.train.optimizer = "sgd";
  config.train.lr = 1e-30;          // parameters do not change in float: the network is frozen
  config.train.batch_size = 32;     // 200 probe rows: 7 chunks
  config.diagnostics.cadence = 10;
  config.diagnostics.probe_size = 1000;
  return config;
}

}  // namespace

TEST_CASE("every diagnostics event yields a dead_fraction point equal to the full-probe reference") {
  Trainer trainer(frozen_relu_config());
  const std::vector<double> reference = full_probe_dead_fractions(trainer);
  REQUIRE(reference.size() == 2);
  CHECK(reference[0] > 0);  // the test needs dead units to mean anything
  CHECK(reference[0] < 1);
  for (int event = 1; event <= 20; ++event) {  // ~3 rounds of the 7 chunks
    trainer.step(10);
    const trainscope::History& history = trainer.history();
    REQUIRE(history.diag_step.size() == static_cast<std::size_t>(event));
    CHECK(history.diag_step.back() == 10.0 * event);
    for (std::size_t block = 0; block < reference.size(); ++block) {
      INFO("event ", event, " block ", block);
      CHECK(history.dead_fraction[block].back() == doctest::Approx(reference[block]));
    }
    CHECK(history.dead_fraction.back().back() == 0);  // the output layer cannot die
  }
  CHECK(full_probe_dead_fractions(trainer) == reference);  // the network really stayed frozen
  // layer_stats' full probe agrees.
  const std::vector<trainscope::LayerStats> stats = trainer.layer_stats();
  CHECK(stats[0].dead_fraction == doctest::Approx(reference[0]));
  CHECK(stats[1].dead_fraction == doctest::Approx(reference[1]));
}

TEST_CASE("the rolling probe follows parameter changes within one round of chunks") {
  Config config = frozen_relu_config();
  Trainer trainer(config);
  trainer.step(10);
  // Kill every unit of hidden1: W = 0, b = −1 (pre = −1 everywhere). set_tensor makes the next
  // event refresh all chunks at once.
  const int w = tensor_named(trainer, "hidden1.W"), b = tensor_named(trainer, "hidden1.b");
  trainer.set_tensor(w, std::vector<float>(trainer.tensors()[static_cast<std::size_t>(w)].size(), 0.0f));
  trainer.set_tensor(b, std::vector<float>(trainer.tensors()[static_cast<std::size_t>(b)].size(), -1.0f));
  trainer.step(10);
  CHECK(trainer.history().dead_fraction[0].back() == 1.0);
}

TEST_CASE("histograms of the latest event: bins, fixed ranges from the traits, rows of one chunk") {
  Config config = frozen_relu_config();
  config.model.activation = "tanh";
  config.diagnostics.bins = 7;
  Trainer trainer(config);
  CHECK(trainer.history().histograms.empty());
  trainer.step(20);
  const trainscope::History& history = trainer.history();
  CHECK(history.histogram_step == 20);
  REQUIRE(history.histograms.size() == 3);
  REQUIRE(history.layers == std::vector<std::string>{"hidden1", "hidden2", "output"});
  const trainscope::LayerHistogram& hidden1 = history.histograms[0];
  CHECK(hidden1.act.counts.size() == 7);
  CHECK(hidden1.act.edges.front() == -1.0);  // tanh: the trait's output range
  CHECK(hidden1.act.edges.back() == 1.0);
  double total = 0;
  for (double count : hidden1.pre.counts) total += count;
  CHECK(total == 32 * 24);  // the second event looked at chunk 0: B = 32 rows x 24 units
}

TEST_CASE("histogram binning by hand: edges, end bins, non-finite values skipped") {
  namespace histogram = trainscope::histogram;
  // 4 bins over [0, 2]: [0, .5) [.5, 1) [1, 1.5) [1.5, 2]; a value on an inner edge opens the next
  // bin, hi itself and everything above go to the last bin, everything below lo to the first.
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> values{0.0f, 0.25f, 0.5f, 0.75f, 1.0f, 1.49f, 1.5f, 2.0f, 7.0f, -3.0f,
                                  std::nanf(""), inf, -inf, 3e38f, -3e38f};
  std::vector<double> counts(4, 0.0);
  histogram::add(values.data(), static_cast<trainscope::Index>(values.size()), 0.0, 2.0, counts);
  CHECK(counts == std::vector<double>{4, 2, 2, 4});  // 0 .25 -3 -3e38 | .5 .75 | 1 1.49 | 1.5 2 7 3e38
  double lo = 0, hi = 0;
  histogram::data_range(values.data(), static_cast<trainscope::Index>(values.size()), &lo, &hi);
  CHECK(lo == doctest::Approx(-3e38).epsilon(1e-7).scale(0));
  CHECK(hi == doctest::Approx(3e38).epsilon(1e-7).scale(0));
  histogram::data_range(values.data(), 10, &lo, &hi);  // the finite head: min -3, max 7
  CHECK(lo == -3.0);
  CHECK(hi == 7.0);
  const std::vector<float> constant{2.5f, 2.5f, std::nanf("")};
  histogram::data_range(constant.data(), 3, &lo, &hi);  // a constant gets a unit-wide range
  CHECK(lo == 2.0);
  CHECK(hi == 3.0);
  histogram::data_range(values.data() + 10, 3, &lo, &hi);  // no finite value: [0, 1]
  CHECK(lo == 0.0);
  CHECK(hi == 1.0);
  std::vector<double> edges;
  histogram::set_edges(0.0, 2.0, 4, edges);
  CHECK(edges == std::vector<double>{0.0, 0.5, 1.0, 1.5, 2.0});
}

TEST_CASE("histograms describe the latest event's rows, however many steps later they are read") {
  // Histograms are binned when read, from the rows the event kept: reading 5 steps after the event
  // must give what reading right at the event gives, not the activations of the later steps.
  Config config = frozen_relu_config();
  config.train.lr = 0.5;  // parameters move a lot between the event and the late read
  Trainer at_event(config), later(config);
  at_event.step(20);
  const std::vector<trainscope::LayerHistogram> expected = at_event.history().histograms;
  later.step(25);
  const trainscope::History& history = later.history();
  CHECK(history.histogram_step == 20);
  REQUIRE(history.histograms.size() == expected.size());
  for (std::size_t l = 0; l < expected.size(); ++l) {
    CHECK(history.histograms[l].pre.counts == expected[l].pre.counts);
    CHECK(history.histograms[l].pre.edges == expected[l].pre.edges);
    CHECK(history.histograms[l].act.counts == expected[l].act.counts);
  }
  CHECK(later.history_since(24).histograms[0].pre.counts == expected[0].pre.counts);
  later.step(5);  // the next event (step 30) replaces them
  CHECK(later.history_since(29).histogram_step == 30);
  CHECK(later.history().histograms[0].pre.edges != expected[0].pre.edges);
}

TEST_CASE("history_since returns exactly the tail; version increments at every compaction") {
  Config config = frozen_relu_config();
  config.train.lr = 0.05;
  config.diagnostics.cadence = 3;
  config.diagnostics.history = 16;
  Trainer trainer(config);
  trainer.step(14);
  const trainscope::History whole = trainer.history();
  CHECK(whole.version == 0);
  for (double since : {0.0, 5.0, 6.0, 13.5, 14.0, -3.0}) {
    INFO("since ", since);
    const trainscope::History tail = trainer.history_since(since);
    std::vector<double> expected_steps, expected_loss, expected_diag, expected_dead;
    for (std::size_t k = 0; k < whole.step.size(); ++k) {
      if (whole.step[k] > since) expected_steps.push_back(whole.step[k]), expected_loss.push_back(whole.loss[k]);
    }
    for (std::size_t k = 0; k < whole.diag_step.size(); ++k) {
      if (whole.diag_step[k] > since) expected_diag.push_back(whole.diag_step[k]), expected_dead.push_back(whole.dead_fraction[1][k]);
    }
    CHECK(tail.step == expected_steps);
    CHECK(tail.loss == expected_loss);
    CHECK(tail.diag_step == expected_diag);
    CHECK(tail.dead_fraction[1] == expected_dead);
    CHECK(tail.layers == whole.layers);
    CHECK(tail.version == whole.version);
  }
  // 16 per-step points fit: step 17 compacts the step columns (stride 2, version 1); the next
  // recorded step after 16 more points, 34, compacts them again (stride 4, version 2); the 17th
  // diagnostics event (step 51) compacts the diagnostics series (version 3).
  trainer.step(3);
  CHECK(trainer.history().version == 1);
  trainer.step(17);  // step 34
  CHECK(trainer.history().version == 2);
  trainer.step(17);  // step 51: 17th diagnostics event
  CHECK(trainer.history().version == 3);
  CHECK(trainer.history_since(0).version == 3);
}

TEST_CASE("records_json names the record fields; History JSON carries version, layers, histograms") {
  const nlohmann::json records = nlohmann::json::parse(trainscope::records_json());
  CHECK(records.at("step").get<std::vector<std::string>>() ==
        std::vector<std::string>{"step", "loss", "data_loss", "reg_loss", "batch_acc", "lr", "grad_norm"});
  CHECK(records.at("history_step").get<std::vector<std::string>>() ==
        std::vector<std::string>{"step", "loss", "data_loss", "reg_loss", "batch_acc", "lr"});
  CHECK(records.at("layer_series").size() == 8);
  Config config = frozen_relu_config();
  config.diagnostics.bins = 5;
  Trainer trainer(config);
  trainer.step(25);
  const nlohmann::json h = nlohmann::json::parse(trainscope::to_json(trainer.history()));
  for (const auto& name : records.at("history_step")) CHECK(h.at(name.get<std::string>()).size() == 25);
  for (const auto& name : records.at("layer_series")) CHECK(h.at(name.get<std::string>()).size() == 3);
  CHECK(h.at("version") == 0);
  CHECK(h.at("layers") == nlohmann::json::array({"hidden1", "hidden2", "output"}));
  CHECK(h.at("histograms").at("step") == 20);
  REQUIRE(h.at("histograms").at("layers").size() == 3);
  CHECK(h.at("histograms").at("layers")[2].at("name") == "output");
  CHECK(h.at("histograms").at("layers")[0].at("act").at("hist").size() == 5);
  CHECK(h.at("histograms").at("layers")[0].at("act").at("edges").size() == 6);
  const nlohmann::json step = nlohmann::json::parse(trainscope::to_json(trainer.step(1)));
  CHECK(step.at("step") == 26);
  CHECK(step.at("step").is_number_integer());
}

TEST_CASE("rolling probe: all chunks when stale, then one per event in round robin; dead = fired in no chunk") {
  trainscope::ModelConfig model;
  model.hidden = {4};
  trainscope::Network<float> net(model, 2, 3);
  trainscope::Diagnostics diagnostics;
  diagnostics.reset(net, 10, 4);  // 10 probe rows in chunks of B = 4: 3 chunks
  REQUIRE(diagnostics.probe_chunks() == 3);
  int first = -1, count = -1;
  diagnostics.next_probe_chunks(&first, &count);
  CHECK(first == 0);
  CHECK(count == 3);
  std::vector<int> order;
  for (int k = 0; k < 4; ++k) {
    diagnostics.next_probe_chunks(&first, &count);
    CHECK(count == 1);
    order.push_back(first);
  }
  CHECK(order == std::vector<int>{0, 1, 2, 0});
  diagnostics.invalidate_probe();
  diagnostics.next_probe_chunks(&first, &count);
  CHECK(count == 3);

  // hidden1: pre_0 = 1 (always fires), pre_1 = x_0 (fires on rows with x_0 > 0), pre_2 = pre_3 = −1.
  std::fill(net.params(), net.params() + net.param_count(), 0.0f);
  for (const trainscope::TensorInfo& tensor : net.tensors()) {
    if (tensor.name == "hidden1.W") net.params()[tensor.offset + 1] = 1.0f;  // W(0, 1): x_0 → unit 1
    if (tensor.name == "hidden1.b") {
      const float bias[4] = {1, 0, -1, -1};
      std::copy(bias, bias + 4, net.params() + tensor.offset);
    }
  }
  trainscope::Matrix<float> negative(4, 2), positive(4, 2);
  negative << -1, 0, -2, 0, -3, 0, -4, 0;
  positive << -1, 0, 2, 0, -3, 0, -4, 0;
  diagnostics.reset(net, 8, 4);  // 2 chunks
  net.forward(negative, trainscope::Mode::kEval, nullptr);
  diagnostics.observe_probe_chunk(net, 0, 4);
  CHECK(diagnostics.dead_fraction(net, 0) == 0.75);  // chunk 1 not seen yet: only unit 0 fired
  net.forward(positive, trainscope::Mode::kEval, nullptr);
  diagnostics.observe_probe_chunk(net, 1, 4);
  CHECK(diagnostics.dead_fraction(net, 0) == 0.5);  // unit 1 fired in chunk 1
  net.forward(negative, trainscope::Mode::kEval, nullptr);
  diagnostics.observe_probe_chunk(net, 1, 4);  // chunk 1's latest flags replace its old ones
  CHECK(diagnostics.dead_fraction(net, 0) == 0.75);
  net.forward(positive, trainscope::Mode::kEval, nullptr);
  diagnostics.observe_probe_chunk(net, 0, 1);  // only the first row is a probe row: x_0 = −1
  CHECK(diagnostics.dead_fraction(net, 0) == 0.75);
  CHECK(diagnostics.dead_fraction(net, 1) == 0);  // the output layer
}
