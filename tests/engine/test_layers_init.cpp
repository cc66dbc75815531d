// Weight initializers: statistics of each distribution, orthogonality, and the BENCHMARKS.md
// initial weights reproduced bit for bit by an independent mulberry32 + Box–Muller.
#include <doctest/doctest.h>

#include <cmath>

#include "gradcheck.hpp"
#include "layers/init.hpp"
#include "network.hpp"
#include "reference_mulberry32.hpp"

using namespace trainscope;

namespace {

struct Stats {
  double mean = 0, std_dev = 0, max_abs = 0;
};

Stats draw(const std::string& init, int fan_in, int fan_out, double scale = 0.01, double gain = 1.0) {
  ModelConfig model;
  model.init = init;
  model.init_scale = scale;
  model.gain = gain;
  Matrix<double> w(fan_in, fan_out);
  Rng rng(7);
  initialize_weights(w.data(), fan_in, fan_out, model, rng);
  Stats stats;
  stats.mean = w.mean();
  stats.std_dev = std::sqrt((w.array() - stats.mean).square().mean());
  stats.max_abs = w.cwiseAbs().maxCoeff();
  return stats;
}

}  // namespace

TEST_CASE("initializer statistics on 500 x 500, 600 x 150 and 150 x 600 (std within 3% relative)") {
  // For 90 000+ draws the sample std is within ~0.3% of the true one; 3% is a wide margin that
  // still tells the formulas apart (he vs xavier differ by a factor 1.41). The bound is relative
  // (scale 0): doctest's default scale 1 would make it ±0.03 absolute, wider than these stds.
  // The non-square shapes tell fan_in from fan_out (a factor 2 in the std) and from their sum.
  struct Case {
    std::string init;
    double expected_std;
    double bound;  // > 0: |w| ≤ bound (uniform families)
  };
  for (const auto& shape : {std::pair{500, 500}, std::pair{600, 150}, std::pair{150, 600}}) {
    const int fan_in = shape.first, fan_out = shape.second;
    const double in = fan_in, out = fan_out;
    const std::vector<Case> cases = {
        {"normal", 0.01, 0},
        {"uniform", 0.01 / std::sqrt(3.0), 0.01},
        {"xavier", std::sqrt(1 / in), 0},
        {"glorot_uniform", std::sqrt(6 / (in + out)) / std::sqrt(3.0), std::sqrt(6 / (in + out))},
        {"glorot_normal", std::sqrt(2 / (in + out)), 0},
        {"he", std::sqrt(2 / in), 0},
        {"he_uniform", std::sqrt(6 / in) / std::sqrt(3.0), std::sqrt(6 / in)},
        {"lecun", std::sqrt(1 / in), 0},
        // min(in, out) orthonormal vectors of length max(in, out): Σw² = min, so var = 1/max.
        {"orthogonal", std::sqrt(1 / std::max(in, out)), 0},
    };
    for (const Case& c : cases) {
      const Stats stats = draw(c.init, fan_in, fan_out);
      INFO(c.init, " ", fan_in, " x ", fan_out, ": std ", stats.std_dev, " expected ", c.expected_std);
      CHECK(stats.std_dev == doctest::Approx(c.expected_std).epsilon(0.03).scale(0));
      CHECK(std::abs(stats.mean) < 0.05 * c.expected_std);
      if (c.bound > 0) CHECK(stats.max_abs <= c.bound);
    }
  }
  const Stats zeros = draw("zeros", 30, 20);
  CHECK(zeros.max_abs == 0.0);
}

TEST_CASE("glorot_uniform uses fan_in + fan_out") {
  // 300 x 100: bound sqrt(6/400) = 0.1225; the sample maximum of 30 000 draws comes within 0.1%.
  const Stats stats = draw("glorot_uniform", 300, 100);
  CHECK(stats.max_abs <= std::sqrt(6.0 / 400));
  CHECK(stats.max_abs > 0.999 * std::sqrt(6.0 / 400));
}

TEST_CASE("orthogonal: WᵀW = gain²·I (tall or square), W·Wᵀ = gain²·I (wide)") {
  ModelConfig model;
  model.init = "orthogonal";
  model.gain = 1.5;
  // Plain locals, not a structured binding: clang 14 (em++) rejects bindings captured by INFO's lambda.
  for (const auto& shape : {std::pair{20, 10}, std::pair{16, 16}, std::pair{10, 20}}) {
    const int rows = shape.first, cols = shape.second;
    Matrix<double> w(rows, cols);
    Rng rng(5);
    initialize_weights(w.data(), rows, cols, model, rng);
    const Matrix<double> gram =
        rows >= cols ? Matrix<double>(w.transpose() * w) : Matrix<double>(w * w.transpose());
    const Matrix<double> expected = 2.25 * Matrix<double>::Identity(gram.rows(), gram.cols());
    INFO(rows, " x ", cols);
    CHECK((gram - expected).cwiseAbs().maxCoeff() < 1e-12);
  }
  // Float storage: orthogonal to float precision.
  Matrix<float> wf(32, 8);
  Rng rng(6);
  initialize_weights(wf.data(), 32, 8, model, rng);
  CHECK(((wf.transpose() * wf).cast<double>() - 2.25 * Matrix<double>::Identity(8, 8)).cwiseAbs().maxCoeff() <
        1e-5);
}

TEST_CASE("unknown initializer names the field") {
  ModelConfig model;
  model.init = "kaiming";
  Matrix<double> w(2, 2);
  Rng rng(1);
  CHECK_THROWS_WITH_AS(initialize_weights(w.data(), 2, 2, model, rng), doctest::Contains("model.init"),
                       ConfigError);
}

TEST_CASE("BENCHMARKS W1 initial parameters: he from Rng(1337), reproduced by an independent mulberry32") {
  ModelConfig model;  // 2 → 100 → 100 → 3, relu, he, biases 0
  Network<float> net(model, 2, 3);
  Rng rng(1337);
  net.initialize(rng);
  trainscope_test::ReferenceMulberry32 reference(1337);
  // Layer by layer, W row-major (fan_in outer), randn()·sqrt(2/fan_in) in double, stored as float.
  const float first[3] = {static_cast<float>(reference.randn() * std::sqrt(2.0 / 2)),
                          static_cast<float>(reference.randn() * std::sqrt(2.0 / 2)),
                          static_cast<float>(reference.randn() * std::sqrt(2.0 / 2))};
  MESSAGE("W1 hidden1.W[0..2] = " << first[0] << ", " << first[1] << ", " << first[2]);
  CHECK(net.params()[0] == first[0]);
  CHECK(net.params()[1] == first[1]);
  CHECK(net.params()[2] == first[2]);
  // …and every other weight of the three matrices, biases exactly 0.
  trainscope_test::ReferenceMulberry32 all(1337);
  std::size_t mismatches = 0;
  for (const TensorInfo& info : net.tensors()) {
    for (std::size_t k = 0; k < info.size(); ++k) {
      const float expected = info.decay ? static_cast<float>(all.randn() * std::sqrt(2.0 / info.rows)) : 0.0f;
      if (net.params()[info.offset + k] != expected) ++mismatches;
    }
  }
  CHECK(mismatches == 0);
}
