// Reproducibility: one seed determines everything (data, split, initial weights, batch order,
// dropout masks, the probe set), bit for bit; another seed gives another run; and the random
// streams are independent (changing dropout does not change the initial weights or the data).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "trainer.hpp"

namespace {

using trainscope::Config;
using trainscope::Trainer;

Config busy_config(std::uint32_t seed) {
  Config config;
  config.seed = seed;
  config.data.dataset = "moons";
  config.data.classes = 2;
  config.data.samples = 120;
  config.data.preprocess = "whiten";
  config.model.hidden = {16, 12};
  config.model.norm = "batch";
  config.model.dropout = 0.2;
  config.train.optimizer = "adam";
  config.train.lr = 0.01;
  config.train.batch_size = 16;
  config.train.l2 = 1e-4;
  config.diagnostics.cadence = 4;
  config.diagnostics.probe_size = 50;
  config.diagnostics.history = 32;
  return config;
}

std::vector<std::vector<float>> all_tensors(const Trainer& trainer) {
  std::vector<std::vector<float>> values;
  for (std::size_t t = 0; t < trainer.tensors().size(); ++t) values.push_back(trainer.get_tensor(static_cast<int>(t)));
  return values;
}

}  // namespace

TEST_CASE("the same seed gives bit-identical runs") {
  Trainer a(busy_config(21)), b(busy_config(21));
  for (int s = 0; s < 120; ++s) {
    const trainscope::StepMetrics ma = a.step(1), mb = b.step(1);
    REQUIRE(ma.loss == mb.loss);
    REQUIRE(ma.grad_norm == mb.grad_norm);
    REQUIRE(ma.batch_acc == mb.batch_acc);
  }
  const trainscope::History &ha = a.history(), &hb = b.history();
  CHECK(ha.step == hb.step);
  CHECK(ha.loss == hb.loss);
  CHECK(ha.batch_acc == hb.batch_acc);
  CHECK(ha.diag_step == hb.diag_step);
  CHECK(ha.dead_fraction == hb.dead_fraction);
  CHECK(ha.act_std == hb.act_std);
  CHECK(ha.update_ratio == hb.update_ratio);
  CHECK(all_tensors(a) == all_tensors(b));
  const trainscope::Evaluation ea = a.evaluate(), eb = b.evaluate();
  CHECK(ea.train.loss == eb.train.loss);
  CHECK(ea.val.loss == eb.val.loss);
  const auto sa = a.layer_stats(), sb = b.layer_stats();
  REQUIRE(sa.size() == sb.size());
  for (std::size_t l = 0; l < sa.size(); ++l) {
    CHECK(sa[l].act.hist.counts == sb[l].act.hist.counts);
    CHECK(sa[l].dead_fraction == sb[l].dead_fraction);
  }
  CHECK(a.predict_grid(-2, 2, -2, 2, 9) == b.predict_grid(-2, 2, -2, 2, 9));
}

TEST_CASE("a different seed gives a different run") {
  Trainer a(busy_config(21)), b(busy_config(22));
  CHECK(a.train_data().x != b.train_data().x);
  CHECK(all_tensors(a) != all_tensors(b));
  a.step(20);
  b.step(20);
  CHECK(a.history().loss != b.history().loss);
}

TEST_CASE("random streams are independent of each other") {
  Config base = busy_config(8);
  Config more_dropout = base;
  more_dropout.model.dropout = 0.6;
  Config other_batches = base;
  other_batches.train.batch_size = 24;
  Trainer a(base), b(more_dropout), c(other_batches);
  CHECK(all_tensors(a) == all_tensors(b));  // initial weights do not depend on the dropout rate
  CHECK(all_tensors(a) == all_tensors(c));
  CHECK(a.train_data().x == b.train_data().x);  // nor the data on the batch size
  CHECK(a.train_data().x == c.train_data().x);
  CHECK(a.val_data().y == c.val_data().y);
}
