// BENCHMARKS.md's three workloads through the public Trainer: data and initial weights are built
// here from an independent mulberry32 (reference_mulberry32.hpp, JavaScript integer semantics), handed
// to the engine as a custom dataset and through set_tensor, and the mean cross-entropy over the
// pool must match the published reference losses before and after the warm-up steps. The
// references were reproduced by TF.js, ConvNetJS and an independent Eigen program (BENCHMARKS.md),
// so a match means the engine's forward, loss, backward, SGD update and batch order are right.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "reference_mulberry32.hpp"
#include "trainer.hpp"

namespace {

using trainscope::Config;
using trainscope::Trainer;
using trainscope_test::ReferenceMulberry32;

struct Workload {
  std::string name;
  int inputs;
  std::vector<int> hidden;
  int classes;
  std::string activation;
  int batch;
  double gain;
  int warmup;
  double loss_before;
  double loss_after;
};

// Data from mulberry32(42), row-major N x inputs, labels as BENCHMARKS.md "Data" specifies.
void make_data(const Workload& w, std::vector<float>& x, std::vector<float>& y) {
  ReferenceMulberry32 rng(42);
  const int n = 8 * w.batch;
  x.clear();
  y.clear();
  for (int k = 0; k < n; ++k) {
    if (w.name == "W1") {
      const int c = k % 3;
      const double r = rng.rand();
      const double theta = 4.0 * c + 4.0 * r + 0.2 * rng.randn();
      x.push_back(static_cast<float>(r * std::sin(theta)));
      x.push_back(static_cast<float>(r * std::cos(theta)));
      y.push_back(static_cast<float>(c));
    } else if (w.name == "W2") {
      for (int j = 0; j < 784; ++j) x.push_back(static_cast<float>(rng.rand()));
      y.push_back(static_cast<float>(k % 10));
    } else {
      for (int j = 0; j < 500; ++j) x.push_back(static_cast<float>(rng.randn()));
      y.push_back(static_cast<float>(k % 10));
    }
  }
}

Config workload_config(const Workload& w, const std::vector<float>& x, const std::vector<float>& y) {
  Config config;
  config.data.dataset = "custom";
  config.data.x = x;
  config.data.y = y;
  config.data.samples = static_cast<int>(y.size());
  config.data.dims = w.inputs;
  config.data.classes = w.classes;
  config.data.val_fraction = 0;
  config.model.hidden = w.hidden;
  config.model.activation = w.activation;
  config.train.optimizer = "sgd";
  config.train.lr = 0.01;
  config.train.loss = "softmax";
  config.train.batch_size = w.batch;
  config.train.shuffle = false;
  config.diagnostics.cadence = 0;
  config.diagnostics.probe_size = 16;
  return config;
}

// Initial parameters from mulberry32(1337), layer by layer: W (fan_in x fan_out, row-major)
// = randn·sqrt(gain / fan_in), b = 0.
void set_reference_parameters(Trainer& trainer, const Workload& w) {
  ReferenceMulberry32 rng(1337);
  std::vector<int> widths = {w.inputs};
  widths.insert(widths.end(), w.hidden.begin(), w.hidden.end());
  widths.push_back(w.classes);
  const auto& tensors = trainer.tensors();
  for (std::size_t layer = 0; layer + 1 < widths.size(); ++layer) {
    const int fan_in = widths[layer], fan_out = widths[layer + 1];
    std::vector<float> weights(static_cast<std::size_t>(fan_in) * fan_out);
    for (float& value : weights) value = static_cast<float>(rng.randn() * std::sqrt(w.gain / fan_in));
    const std::string prefix = layer + 1 == widths.size() - 1 ? "output" : "hidden" + std::to_string(layer + 1);
    int w_index = -1, b_index = -1;
    for (std::size_t t = 0; t < tensors.size(); ++t) {
      if (tensors[t].name == prefix + ".W") w_index = static_cast<int>(t);
      if (tensors[t].name == prefix + ".b") b_index = static_cast<int>(t);
    }
    REQUIRE(w_index >= 0);
    REQUIRE(b_index >= 0);
    REQUIRE(tensors[static_cast<std::size_t>(w_index)].rows == fan_in);
    REQUIRE(tensors[static_cast<std::size_t>(w_index)].cols == fan_out);
    trainer.set_tensor(w_index, weights);
    trainer.set_tensor(b_index, std::vector<float>(static_cast<std::size_t>(fan_out), 0.0f));
  }
}

void run_workload(const Workload& w) {
  std::vector<float> x, y;
  make_data(w, x, y);
  Trainer trainer(workload_config(w, x, y));
  set_reference_parameters(trainer, w);
  const double before = trainer.evaluate().train.loss;
  INFO(w.name << " loss before " << before << ", reference " << w.loss_before);
  CHECK(std::abs(before - w.loss_before) / w.loss_before < 1e-5);
  trainer.step(w.warmup);
  CHECK(trainer.steps_done() == w.warmup);
  CHECK_FALSE(trainer.status().diverged);
  const double after = trainer.evaluate().train.loss;
  INFO(w.name << " loss after " << w.warmup << " steps " << after << ", reference " << w.loss_after);
  CHECK(std::abs(after - w.loss_after) / w.loss_after < 1e-5);
}

}  // namespace

TEST_CASE("W1 spiral reproduces the reference losses") {
  run_workload({"W1", 2, {100, 100}, 3, "relu", 64, 2.0, 200, 1.035703, 0.702420});
}

TEST_CASE("W2 mnist-mlp reproduces the reference losses") {
  run_workload({"W2", 784, {256, 256}, 10, "relu", 64, 2.0, 20, 2.528367, 2.294661});
}

TEST_CASE("W3 deep-tanh reproduces the reference losses") {
  run_workload({"W3", 500, std::vector<int>(10, 500), 10, "tanh", 100, 1.0, 3, 2.329859, 2.318366});
}
