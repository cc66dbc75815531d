// Batch, layer and group normalization: hand-computed forward values, running statistics, the
// train/eval contract, per-feature / per-row / per-group invariants, and finite-difference checks
// of dX, dγ, dβ (batch norm in train and eval mode).
#include <doctest/doctest.h>

#include <cmath>

#include "gradcheck.hpp"
#include "layers/batch_norm.hpp"
#include "layers/group_norm.hpp"

using namespace trainscope;

namespace {
constexpr double kEps = 1e-5;

void check_close(const Matrix<double>& actual, const Matrix<double>& expected, double tolerance = 1e-12) {
  REQUIRE(actual.rows() == expected.rows());
  REQUIRE(actual.cols() == expected.cols());
  CHECK((actual - expected).cwiseAbs().maxCoeff() <= tolerance);
}
}  // namespace

TEST_CASE("batch norm, train mode, by hand") {
  BatchNorm<double> bn(2, 0.9, kEps);
  test::LayerHarness<double> harness(bn);
  Rng unused(0);
  bn.initialize(ModelConfig{}, unused);
  harness.value("gamma") = {2, 1};
  harness.value("beta") = {0, 1};
  Matrix<double> x(3, 2);
  x << 1, 2,  //
      2, 4,   //
      3, 9;
  // column 0: μ = 2, deviations [−1, 0, 1], σ² = 2/3  →  x̂ = dev / sqrt(2/3 + 1e-5) = [−1.2247356859,
  // 0, 1.2247356859] column 1: μ = 5, deviations [−3, −1, 4], σ² = 26/3 →  x̂ = [−1.0190487428,
  // −0.3396829143, 1.3587316571] y = γ·x̂ + β with γ = [2, 1], β = [0, 1]
  Matrix<double> expected(3, 2);
  expected << 2 * -1.2247356859083902, 1 - 1.0190487428175694,  //
      0, 1 - 0.3396829142725232,                                //
      2 * 1.2247356859083902, 1 + 1.3587316570900927;
  check_close(bn.forward(x, Mode::kTrain, nullptr), expected);
  // running = 0.9·running + 0.1·batch: mean 0.9·0 + 0.1·[2, 5]; var 0.9·1 + 0.1·[2/3, 26/3]·3/2
  // (the unbiased batch variance: B/(B − 1) with B = 3). Relative bounds (scale 0): doctest's
  // default scale 1 is an absolute ±1.2e-5 on these.
  CHECK(harness.value("running_mean")[0] == doctest::Approx(0.2).epsilon(1e-12).scale(0));
  CHECK(harness.value("running_mean")[1] == doctest::Approx(0.5).epsilon(1e-12).scale(0));
  CHECK(harness.value("running_var")[0] == doctest::Approx(0.9 + 0.1 * (2.0 / 3) * 1.5).epsilon(1e-12).scale(0));
  CHECK(harness.value("running_var")[1] == doctest::Approx(0.9 + 0.1 * (26.0 / 3) * 1.5).epsilon(1e-12).scale(0));
}

TEST_CASE("batch norm, eval mode uses the running statistics, by hand") {
  BatchNorm<double> bn(2, 0.9, kEps);
  test::LayerHarness<double> harness(bn);
  harness.value("gamma") = {2, 1};
  harness.value("beta") = {0, 1};
  harness.value("running_mean") = {1, 2};
  harness.value("running_var") = {4, 0.25};
  Matrix<double> x(2, 2);
  x << 3, 2.5,  //
      0, 0.5;
  // y = γ·(x − running_mean)/sqrt(running_var + ε) + β:
  //   row 0: 2·2/sqrt(4.00001) = 1.9999975000, 0.5/sqrt(0.25001) + 1 = 1.9999800006
  //   row 1: 2·(−1)/sqrt(4.00001) = −0.9999987500, −1.5/sqrt(0.25001) + 1 = −1.9999400018
  Matrix<double> expected(2, 2);
  expected << 1.9999975000046875, 1.99998000059998,  //
      -0.9999987500023437, -1.9999400017999398;
  check_close(bn.forward(x, Mode::kEval, nullptr), expected);
  // Eval mode never touches the running statistics, and the result does not depend on the batch.
  CHECK(harness.value("running_mean") == std::vector<double>{1, 2});
  check_close(bn.forward(x.topRows(1), Mode::kEval, nullptr), expected.topRows(1));
}

TEST_CASE("batch norm train mode: every feature has mean 0 and std 1 (gamma 1, beta 0)") {
  BatchNorm<double> bn(7, 0.9, kEps);
  test::LayerHarness<double> harness(bn);
  Rng unused(0);
  bn.initialize(ModelConfig{}, unused);
  Matrix<double> x = test::pattern_matrix(64, 7, 3, -5, 20);
  for (Index j = 0; j < 7; ++j) x.col(j) *= double(j + 1);  // very different scales per feature
  const Matrix<double> y = bn.forward(x, Mode::kTrain, nullptr);
  for (Index j = 0; j < 7; ++j) {
    const double mean = y.col(j).mean();
    const double std_dev = std::sqrt((y.col(j).array() - mean).square().mean());
    CHECK(std::abs(mean) < 1e-12);
    CHECK(std_dev == doctest::Approx(1.0).epsilon(1e-5));  // ε makes it slightly below 1
  }
}

TEST_CASE("layer norm by hand; identical in train and eval mode; each row normalized") {
  GroupNorm<double> ln(4, 1, kEps);
  test::LayerHarness<double> harness(ln);
  Rng unused(0);
  ln.initialize(ModelConfig{}, unused);
  Matrix<double> x(2, 4);
  x << 1, 2, 3, 6,  //
      10, 20, 30, 60;
  // row 0: μ = 3, deviations [−2, −1, 0, 3], σ² = 14/4 = 3.5 → x̂ = dev / sqrt(3.5 + 1e-5)
  // row 1 is row 0 times 10: the same x̂ up to ε (σ² = 350)
  const Matrix<double> train = ln.forward(x, Mode::kTrain, nullptr);
  const double expected[4] = {-1.0690434404458735, -0.5345217202229368, 0.0, 1.6035651606688102};
  for (int j = 0; j < 4; ++j) {
    CHECK(train(0, j) == doctest::Approx(expected[j]).epsilon(1e-12));
    CHECK(train(1, j) == doctest::Approx(expected[j]).epsilon(1e-5));
  }
  check_close(ln.forward(x, Mode::kEval, nullptr), train, 0.0);
  CHECK(ln.kind() == "layer_norm");
}

TEST_CASE("group norm by hand and per-group invariants") {
  GroupNorm<double> gn(4, 2, kEps);
  test::LayerHarness<double> harness(gn);
  Rng unused(0);
  gn.initialize(ModelConfig{}, unused);
  harness.value("gamma") = {1, 1, 3, 1};
  harness.value("beta") = {0, 0, 0, 0.5};
  Matrix<double> x(1, 4);
  x << 1, 3, 10, 14;
  // group [1, 3]: μ = 2, σ² = 1 → x̂ = [−1, 1]/sqrt(1 + ε) = ±0.9999950000
  // group [10, 14]: μ = 12, σ² = 4 → x̂ = [−2, 2]/sqrt(4 + ε) = ±0.9999987500; then γ = 3 and β = 0.5
  const Matrix<double> y = gn.forward(x, Mode::kTrain, nullptr);
  CHECK(y(0, 0) == doctest::Approx(-0.9999950000374997).epsilon(1e-12));
  CHECK(y(0, 1) == doctest::Approx(0.9999950000374997).epsilon(1e-12));
  CHECK(y(0, 2) == doctest::Approx(-3 * 0.9999987500023437).epsilon(1e-12));
  CHECK(y(0, 3) == doctest::Approx(0.5 + 0.9999987500023437).epsilon(1e-12));

  GroupNorm<double> wide(12, 3, kEps);
  test::LayerHarness<double> wide_harness(wide);
  wide.initialize(ModelConfig{}, unused);
  const Matrix<double> z = wide.forward(test::pattern_matrix(5, 12, 8, -3, 7), Mode::kTrain, nullptr);
  for (Index b = 0; b < 5; ++b) {
    for (Index g = 0; g < 3; ++g) {
      const auto group = z.row(b).segment(4 * g, 4).array();
      CHECK(std::abs(group.mean()) < 1e-12);
      CHECK(std::sqrt((group - group.mean()).square().mean()) == doctest::Approx(1.0).epsilon(1e-4));
    }
  }
  GroupNorm<double> layer(12, 1, kEps);
  test::LayerHarness<double> layer_harness(layer);
  layer.initialize(ModelConfig{}, unused);
  const Matrix<double> rows = layer.forward(test::pattern_matrix(5, 12, 8, -3, 7), Mode::kTrain, nullptr);
  for (Index b = 0; b < 5; ++b) {
    CHECK(std::abs(rows.row(b).mean()) < 1e-12);
    CHECK(std::sqrt((rows.row(b).array() - rows.row(b).mean()).square().mean()) ==
          doctest::Approx(1.0).epsilon(1e-4));
  }
}

TEST_CASE("normalization gradient checks (double, rel err < 1e-6)") {
  // γ ≠ 1 and β ≠ 0 so that no term of the Jacobian hides behind a special value.
  std::vector<std::string> report;
  const Matrix<double> x = test::pattern_matrix(6, 8, 14, -2, 3);
  auto prepare = [](test::LayerHarness<double>& harness) {
    const Matrix<double> gamma = test::pattern_matrix(1, 8, 15, 0.5, 2.0);
    const Matrix<double> beta = test::pattern_matrix(1, 8, 16);
    std::copy(gamma.data(), gamma.data() + 8, harness.value("gamma").begin());
    std::copy(beta.data(), beta.data() + 8, harness.value("beta").begin());
  };
  SUBCASE("batch norm, train mode (batch statistics)") {
    BatchNorm<double> bn(8, 0.9, kEps);
    test::LayerHarness<double> harness(bn);
    prepare(harness);
    harness.value("running_var").assign(8, 1.0);
    CHECK(test::check_layer(bn, harness, x, Mode::kTrain, 17, &report) < 1e-6);
  }
  SUBCASE("batch norm, eval mode (running statistics)") {
    BatchNorm<double> bn(8, 0.9, kEps);
    test::LayerHarness<double> harness(bn);
    prepare(harness);
    harness.value("running_mean").assign(8, 0.3);
    harness.value("running_var").assign(8, 2.0);
    CHECK(test::check_layer(bn, harness, x, Mode::kEval, 18, &report) < 1e-6);
  }
  SUBCASE("layer norm") {
    GroupNorm<double> ln(8, 1, kEps);
    test::LayerHarness<double> harness(ln);
    prepare(harness);
    CHECK(test::check_layer(ln, harness, x, Mode::kTrain, 19, &report) < 1e-6);
  }
  SUBCASE("group norm, 2 groups of 4 (groups of 2 are degenerate: x̂ = ±1)") {
    GroupNorm<double> gn(8, 2, kEps);
    test::LayerHarness<double> harness(gn);
    prepare(harness);
    CHECK(test::check_layer(gn, harness, x, Mode::kTrain, 20, &report) < 1e-6);
  }
  for (const auto& line : report) MESSAGE(line);
}
