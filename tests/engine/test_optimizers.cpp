// Optimizers: the first updates of every rule on a 3-element parameter vector, against values
// worked out by hand from the lecture's formulas (arithmetic in the comments), plus live
// hyperparameter changes, reset, AdamW's weight-only decay and clipping.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "optim/optimizer.hpp"

using namespace trainscope;

namespace {

// Shared fixture: p0 = [1, −2, 0.5], g1 = [0.5, −1, 2], g2 = [0.25, 1, −1], lr = 0.1.
const std::vector<float> kStart = {1.0f, -2.0f, 0.5f};
const std::vector<float> kGrad1 = {0.5f, -1.0f, 2.0f};
const std::vector<float> kGrad2 = {0.25f, 1.0f, -1.0f};
constexpr double kLr = 0.1;
// Floats near 2 are spaced 2.4e-7; a few roundings per step stay well inside this.
constexpr double kTolerance = 2e-6;

std::vector<TensorInfo> one_tensor(int size) {
  TensorInfo all;
  all.name = "all";
  all.rows = 1;
  all.cols = size;
  return {all};
}

TrainConfig config_for(const std::string& optimizer) {
  TrainConfig train;
  train.optimizer = optimizer;
  train.lr = kLr;
  train.momentum = 0.9;
  train.beta1 = 0.9;
  train.beta2 = 0.999;
  train.eps = 1e-8;
  train.decay = 0.9;
  return train;
}

void check_values(const std::vector<float>& actual, const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    INFO("element " << i << ": " << actual[i] << " vs " << expected[i]);
    CHECK(std::abs(actual[i] - expected[i]) < kTolerance);
  }
}

}  // namespace

TEST_CASE("sgd: p -= lr*g") {
  std::vector<float> p = kStart;
  auto optimizer = make_optimizer(config_for("sgd"), one_tensor(3), 3);
  // [1 − 0.1·0.5, −2 + 0.1·1, 0.5 − 0.1·2] = [0.95, −1.9, 0.3]
  optimizer->update(p.data(), kGrad1.data(), kLr);
  check_values(p, {0.95, -1.9, 0.3});
  // [0.95 − 0.025, −1.9 − 0.1, 0.3 + 0.1] = [0.925, −2.0, 0.4]
  optimizer->update(p.data(), kGrad2.data(), kLr);
  check_values(p, {0.925, -2.0, 0.4});
}

TEST_CASE("momentum: v = rho*v + g; p -= lr*v") {
  std::vector<float> p = kStart;
  auto optimizer = make_optimizer(config_for("momentum"), one_tensor(3), 3);
  // v1 = g1 = [0.5, −1, 2]; p1 = p0 − 0.1·v1 = [0.95, −1.9, 0.3]
  optimizer->update(p.data(), kGrad1.data(), kLr);
  check_values(p, {0.95, -1.9, 0.3});
  // v2 = 0.9·[0.5, −1, 2] + [0.25, 1, −1] = [0.7, 0.1, 0.8]; p2 = p1 − 0.1·v2 = [0.88, −1.91, 0.22]
  optimizer->update(p.data(), kGrad2.data(), kLr);
  check_values(p, {0.88, -1.91, 0.22});

  SUBCASE("a zero gradient keeps coasting on the velocity") {
    // v3 = 0.9·[0.7, 0.1, 0.8] = [0.63, 0.09, 0.72]; p3 = [0.88 − 0.063, −1.91 − 0.009, 0.22 − 0.072]
    const std::vector<float> zero(3, 0.0f);
    optimizer->update(p.data(), zero.data(), kLr);
    check_values(p, {0.817, -1.919, 0.148});
  }
  SUBCASE("live change of momentum and lr keeps the velocity") {
    TrainConfig changed = config_for("momentum");
    changed.momentum = 0.5;
    optimizer->set_hyperparameters(changed);
    // g3 = [1, 1, 1]: v3 = 0.5·[0.7, 0.1, 0.8] + 1 = [1.35, 1.05, 1.4];
    // p3 = p2 − 0.2·v3 = [0.88 − 0.27, −1.91 − 0.21, 0.22 − 0.28] = [0.61, −2.12, −0.06]
    // (had the velocity been lost: v3 = [1, 1, 1], p3 = [0.68, −2.11, 0.02])
    const std::vector<float> ones(3, 1.0f);
    optimizer->update(p.data(), ones.data(), 0.2);
    check_values(p, {0.61, -2.12, -0.06});
  }
  SUBCASE("reset zeroes the velocity") {
    optimizer->reset();
    p = kStart;
    optimizer->update(p.data(), kGrad1.data(), kLr);
    check_values(p, {0.95, -1.9, 0.3});  // the very first update again
  }
}

TEST_CASE("nesterov: v = rho*v - lr*g; p += -rho*v_prev + (1+rho)*v") {
  std::vector<float> p = kStart;
  auto optimizer = make_optimizer(config_for("nesterov"), one_tensor(3), 3);
  // v1 = 0.9·0 − 0.1·g1 = [−0.05, 0.1, −0.2]; p1 = p0 − 0.9·0 + 1.9·v1
  //    = [1 − 0.095, −2 + 0.19, 0.5 − 0.38] = [0.905, −1.81, 0.12]
  optimizer->update(p.data(), kGrad1.data(), kLr);
  check_values(p, {0.905, -1.81, 0.12});
  // v2 = 0.9·v1 − 0.1·g2 = [−0.045 − 0.025, 0.09 − 0.1, −0.18 + 0.1] = [−0.07, −0.01, −0.08]
  // p2 = p1 − 0.9·v1 + 1.9·v2 = [0.905 + 0.045 − 0.133, −1.81 − 0.09 − 0.019, 0.12 + 0.18 − 0.152]
  //    = [0.817, −1.919, 0.148]
  optimizer->update(p.data(), kGrad2.data(), kLr);
  check_values(p, {0.817, -1.919, 0.148});
}

TEST_CASE("adagrad: c += g^2; p -= lr*g/(sqrt(c)+eps)") {
  std::vector<float> p = kStart;
  auto optimizer = make_optimizer(config_for("adagrad"), one_tensor(3), 3);
  // c1 = [0.25, 1, 4], √c1 = [0.5, 1, 2]: the step is lr·sign(g) = ±0.1 → [0.9, −1.9, 0.4]
  optimizer->update(p.data(), kGrad1.data(), kLr);
  check_values(p, {0.9, -1.9, 0.4});
  // c2 = [0.25 + 0.0625, 1 + 1, 4 + 1] = [0.3125, 2, 5]
  // steps 0.1·[0.25/√0.3125, 1/√2, −1/√5] = [0.1/√5, 0.1/√2, −0.1/√5] = [0.0447214, 0.0707107, −0.0447214]
  optimizer->update(p.data(), kGrad2.data(), kLr);
  check_values(p, {0.9 - 0.1 / std::sqrt(5.0), -1.9 - 0.1 / std::sqrt(2.0), 0.4 + 0.1 / std::sqrt(5.0)});
}

TEST_CASE("rmsprop: c = decay*c + (1-decay)*g^2; p -= lr*g/(sqrt(c)+eps)") {
  std::vector<float> p = kStart;
  auto optimizer = make_optimizer(config_for("rmsprop"), one_tensor(3), 3);  // decay 0.9
  // c1 = 0.1·[0.25, 1, 4] = [0.025, 0.1, 0.4]; g/√c1 = sign(g)/√0.1, so the step is
  // 0.1/√0.1 = √0.1 = 0.3162278 in every coordinate: p1 = [0.6837722, −1.6837722, 0.1837722]
  optimizer->update(p.data(), kGrad1.data(), kLr);
  const double first = std::sqrt(0.1);
  check_values(p, {1 - first, -2 + first, 0.5 - first});
  // c2 = 0.9·c1 + 0.1·[0.0625, 1, 1] = [0.0225 + 0.00625, 0.09 + 0.1, 0.36 + 0.1] = [0.02875, 0.19, 0.46]
  // steps 0.1·g2/√c2 = [0.025/0.1695582, 0.1/0.4358899, −0.1/0.6782330] = [0.1474420, 0.2294157, −0.1474420]
  optimizer->update(p.data(), kGrad2.data(), kLr);
  check_values(p, {1 - first - 0.025 / std::sqrt(0.02875), -2 + first - 0.1 / std::sqrt(0.19),
                   0.5 - first + 0.1 / std::sqrt(0.46)});
  SUBCASE("live change of decay keeps the average") {
    TrainConfig changed = config_for("rmsprop");
    changed.decay = 0.5;
    optimizer->set_hyperparameters(changed);
    // g3 = [1, 1, 1]: c3 = 0.5·c2 + 0.5·1 = [0.014375 + 0.5, 0.095 + 0.5, 0.23 + 0.5] = [0.514375, 0.595, 0.73]
    const std::vector<float> ones(3, 1.0f);
    const std::vector<float> before = p;
    optimizer->update(p.data(), ones.data(), kLr);
    check_values(p, {before[0] - 0.1 / std::sqrt(0.514375), before[1] - 0.1 / std::sqrt(0.595),
                     before[2] - 0.1 / std::sqrt(0.73)});
  }
}

TEST_CASE("adam: bias-corrected moments") {
  std::vector<float> p = kStart;
  auto optimizer = make_optimizer(config_for("adam"), one_tensor(3), 3);
  // t = 1: m = 0.1·g1, v = 0.001·g1²; m̂ = g1, v̂ = g1²: the step is lr·sign(g) → [0.9, −1.9, 0.4]
  optimizer->update(p.data(), kGrad1.data(), kLr);
  check_values(p, {0.9, -1.9, 0.4});
  // t = 2: m = 0.09·g1 + 0.1·g2 = [0.07, 0.01, 0.08]
  //        v = 0.000999·g1² + 0.001·g2² = [0.00031225, 0.001999, 0.004996]
  //        m̂ = m/0.19 = [0.3684211, 0.0526316, 0.4210526]; v̂ = v/0.001999 = [0.1562031, 1, 2.4992496]
  //        steps 0.1·m̂/√v̂ = [0.0932180, 0.0052632, 0.0266337]
  optimizer->update(p.data(), kGrad2.data(), kLr);
  check_values(p, {0.9 - 0.0932180, -1.9 - 0.0052632, 0.4 - 0.0266337});

  SUBCASE("reset restarts the bias correction at t = 1") {
    optimizer->reset();
    p = kStart;
    optimizer->update(p.data(), kGrad1.data(), kLr);
    check_values(p, {0.9, -1.9, 0.4});
  }
}

TEST_CASE("adamw: decoupled decay on weight matrices only") {
  // Tensor "W" = elements 0..1 (decay), "b" = element 2 (no decay), plus a non-trainable state
  // tensor flagged decay that must be ignored (its offset points into the state buffer).
  TensorInfo weight{"layer0.W", 0, 1, 2, 0, true, true};
  TensorInfo bias{"layer0.b", 0, 1, 1, 2, true, false};
  TensorInfo running{"layer0.running_mean", 0, 1, 1, 2, false, true};
  TrainConfig train = config_for("adamw");
  train.weight_decay = 0.5;
  auto optimizer = make_optimizer(train, {weight, bias, running}, 3);

  SUBCASE("zero gradient: only the decay acts") {
    // m = v = 0, so the Adam step is 0/(0 + eps) = 0; W ← W·(1 − 0.1·0.5) = 0.95·W; b unchanged
    std::vector<float> p = kStart;
    const std::vector<float> zero(3, 0.0f);
    optimizer->update(p.data(), zero.data(), kLr);
    check_values(p, {0.95, -1.9, 0.5});
  }
  SUBCASE("decay plus the adam step") {
    // first Adam step is 0.1·sign(g1) = [0.1, −0.1, 0.1]:
    // [0.95·1 − 0.1, 0.95·(−2) + 0.1, 0.5 − 0.1] = [0.85, −1.8, 0.4]
    std::vector<float> p = kStart;
    optimizer->update(p.data(), kGrad1.data(), kLr);
    check_values(p, {0.85, -1.8, 0.4});
  }
  SUBCASE("plain adam does not decay") {
    auto adam = make_optimizer(config_for("adam"), {weight, bias, running}, 3);
    std::vector<float> p = kStart;
    const std::vector<float> zero(3, 0.0f);
    adam->update(p.data(), zero.data(), kLr);
    check_values(p, {1.0, -2.0, 0.5});
  }
}

TEST_CASE("make_optimizer rejects unknown names") {
  TrainConfig train;
  train.optimizer = "lbfgs";
  CHECK_THROWS_AS(make_optimizer(train, one_tensor(3), 3), ConfigError);
}

TEST_CASE("optimizers run over large buffers (vectorised path, odd length)") {
  // 1001 elements (not a multiple of any packet size), g = 1 everywhere: SGD moves each by lr.
  const std::size_t n = 1001;
  std::vector<float> p(n, 0.0f);
  const std::vector<float> g(n, 1.0f);
  for (const char* name : {"sgd", "momentum", "adagrad", "adam"}) {
    INFO(std::string(name));
    std::fill(p.begin(), p.end(), 0.0f);
    auto optimizer = make_optimizer(config_for(name), one_tensor(static_cast<int>(n)), n);
    optimizer->update(p.data(), g.data(), kLr);
    // sgd, momentum (v = g), adagrad (g/√g² = 1), adam (m̂/√v̂ = 1): every element −0.1, to 2e-5
    // relative: in float, 1 − β2 = 1 − 0.999f is off by 1.3e-5 relative (6e-6 after the √ in Adam).
    CHECK(p.front() == doctest::Approx(-0.1).epsilon(2e-5).scale(0));
    CHECK(p.back() == doctest::Approx(-0.1).epsilon(2e-5).scale(0));
    CHECK(p[n / 2] == doctest::Approx(-0.1).epsilon(2e-5).scale(0));
  }
}

TEST_CASE("clip_gradient: global L2 norm") {
  SUBCASE("a 3-4-5 gradient clipped to norm 1") {
    std::vector<float> g = {3.0f, 4.0f};
    CHECK(clip_gradient(g.data(), g.size(), 1.0) == doctest::Approx(5.0));
    CHECK(g[0] == doctest::Approx(0.6).epsilon(1e-6).scale(0));
    CHECK(g[1] == doctest::Approx(0.8).epsilon(1e-6).scale(0));
  }
  SUBCASE("below the threshold nothing changes") {
    std::vector<float> g = {3.0f, 4.0f};
    CHECK(clip_gradient(g.data(), g.size(), 10.0) == doctest::Approx(5.0));
    CHECK(g[0] == 3.0f);
    CHECK(g[1] == 4.0f);
  }
  SUBCASE("max_norm 0 disables clipping but still reports the norm") {
    std::vector<float> g = {-6.0f, 8.0f};
    CHECK(clip_gradient(g.data(), g.size(), 0.0) == doctest::Approx(10.0));
    CHECK(g[0] == -6.0f);
  }
  SUBCASE("the norm is accumulated in double") {
    // 10⁶ entries of 0.001f: ‖g‖ = 1000·double(0.001f) = 1.0000000474974513. A float running sum
    // of 1e-6 squares drifts by far more than 1e-9.
    std::vector<float> g(1000000, 0.001f);
    const double expected = 1000.0 * static_cast<double>(0.001f);
    CHECK(std::abs(clip_gradient(g.data(), g.size(), 0.0) - expected) < 1e-9);
  }
  SUBCASE("a NaN norm is reported and the gradient left as it is") {
    std::vector<float> g = {1.0f, std::numeric_limits<float>::quiet_NaN()};
    CHECK(std::isnan(clip_gradient(g.data(), g.size(), 1.0)));
    CHECK(g[0] == 1.0f);
  }
}

TEST_CASE("a rolled-back update leaves no trace in the optimizer state (every rule)") {
  for (const OptimizerInfo& rule : optimizers()) {
    CAPTURE(rule.name);
    const TrainConfig train = config_for(rule.name);
    // Reference: g1 then g2.
    std::vector<float> expected = kStart;
    auto reference = make_optimizer(train, one_tensor(3), 3);
    reference->update(expected.data(), kGrad1.data(), kLr);
    reference->update(expected.data(), kGrad2.data(), kLr);
    // Same, with an exploding update between them that is rolled back (parameters by the caller,
    // the state by rollback()).
    std::vector<float> params = kStart;
    auto optimizer = make_optimizer(train, one_tensor(3), 3);
    optimizer->checkpoint();
    optimizer->update(params.data(), kGrad1.data(), kLr);
    const std::vector<float> before_bad = params;
    optimizer->checkpoint();
    const std::vector<float> huge = {1e30f, -1e30f, 1e30f};
    optimizer->update(params.data(), huge.data(), 1e10);
    params = before_bad;
    optimizer->rollback();
    optimizer->checkpoint();
    optimizer->update(params.data(), kGrad2.data(), kLr);
    for (int i = 0; i < 3; ++i) {
      CHECK(std::isfinite(params[i]));
      CHECK(params[i] == doctest::Approx(expected[i]).scale(0).epsilon(1e-6));
    }
  }
}
