// The per-layer diagnostics history against values recomputed here from the weight tensors before
// and after one SGD step: update_ratio = ‖W_after − W_before‖ / ‖W_before‖, weight_norm = ‖W_after‖
// and, for plain SGD without regularization or clipping, grad_norm = ‖W_after − W_before‖ / lr.
// Bounds are relative (doctest's Approx with scale 0): the ratios are about 1e-2, where the
// default scale of 1 turns any epsilon into an absolute bound wider than the value itself.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "trainer.hpp"

namespace {

double norm_of(const std::vector<float>& values) {
  double squares = 0;
  for (float v : values) squares += static_cast<double>(v) * v;
  return std::sqrt(squares);
}

double norm_of_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double squares = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    const double d = static_cast<double>(a[k]) - static_cast<double>(b[k]);
    squares += d * d;
  }
  return std::sqrt(squares);
}

}  // namespace

TEST_CASE("diagnostics history: update ratio, weight norm and gradient norm match the tensors") {
  trainscope::Config config;
  config.seed = 3;
  config.model.hidden = {10, 10};
  config.data.samples = 200;
  config.train.batch_size = 10;
  config.train.lr = 0.1;
  config.diagnostics.cadence = 1;
  trainscope::Trainer trainer(config);
  trainer.step(9);

  const char* weight_names[] = {"hidden1.W", "hidden2.W", "output.W"};
  std::vector<int> indices;
  for (const char* name : weight_names) {
    for (std::size_t t = 0; t < trainer.tensors().size(); ++t) {
      if (trainer.tensors()[t].name == name) indices.push_back(static_cast<int>(t));
    }
  }
  REQUIRE(indices.size() == 3);
  std::vector<std::vector<float>> before;
  for (int index : indices) before.push_back(trainer.get_tensor(index));
  trainer.step(1);

  const trainscope::History& history = trainer.history();
  REQUIRE(!history.diag_step.empty());
  CHECK(history.diag_step.back() == 10);
  REQUIRE(history.update_ratio.size() == 3);
  for (std::size_t layer = 0; layer < 3; ++layer) {
    const std::vector<float> after = trainer.get_tensor(indices[layer]);
    const double change = norm_of_difference(after, before[layer]);
    const double ratio = change / norm_of(before[layer]);
    INFO(weight_names[layer], ": recorded update ratio ", history.update_ratio[layer].back(),
         ", from the tensors ", ratio);
    REQUIRE(ratio > 0);
    CHECK(history.update_ratio[layer].back() == doctest::Approx(ratio).epsilon(1e-4).scale(0));
    CHECK(history.weight_norm[layer].back() == doctest::Approx(norm_of(after)).epsilon(1e-5).scale(0));
    CHECK(history.grad_norm[layer].back() ==
          doctest::Approx(change / config.train.lr).epsilon(1e-4).scale(0));
  }
}
