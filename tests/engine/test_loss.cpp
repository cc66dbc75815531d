// Softmax cross-entropy, multiclass hinge (SVM) and MSE: values worked out by hand, correct
// counts, numerical stability, and finite-difference checks of dL/dscores.
#include <doctest/doctest.h>

#include <cmath>

#include "gradcheck.hpp"
#include "loss.hpp"

using namespace trainscope;

namespace {

Matrix<double> row_matrix(std::initializer_list<std::initializer_list<double>> rows) {
  Matrix<double> m(static_cast<Index>(rows.size()), static_cast<Index>(rows.begin()->size()));
  Index r = 0;
  for (const auto& row : rows) {
    Index c = 0;
    for (double v : row) m(r, c++) = v;
    ++r;
  }
  return m;
}

}  // namespace

TEST_CASE("softmax cross-entropy by hand") {
  // scores [1, 2, 3], label 2: L = −log(e³ / (e + e² + e³)) = log(1 + e⁻¹ + e⁻²) = 0.4076059644…
  // p = [e, e², e³] / Σ = [0.0900306, 0.2447285, 0.6652410]; dL/ds = p − onehot(2)
  const Matrix<double> scores = row_matrix({{1, 2, 3}});
  const Matrix<double> labels = row_matrix({{2}});
  Matrix<double> dscores;
  const LossResult result = compute_loss("softmax", scores, labels, false, &dscores);
  CHECK(result.loss == doctest::Approx(0.4076059644443804).epsilon(1e-14));
  CHECK(result.correct == 1);
  // Relative bounds (scale 0): doctest's default scale 1 is an absolute ±1.2e-5 on these.
  CHECK(dscores(0, 0) == doctest::Approx(0.09003057317038046).epsilon(1e-12).scale(0));
  CHECK(dscores(0, 1) == doctest::Approx(0.24472847105479767).epsilon(1e-12).scale(0));
  CHECK(dscores(0, 2) == doctest::Approx(0.6652409557748219 - 1).epsilon(1e-12).scale(0));
  // Two examples average: the second (label 0) has loss log(1 + e + e²) = 2.4076059644…
  const LossResult both =
      compute_loss("softmax", row_matrix({{1, 2, 3}, {1, 2, 3}}), row_matrix({{2}, {0}}), false, &dscores);
  CHECK(both.loss == doctest::Approx((0.4076059644443804 + 2.4076059644443804) / 2));
  CHECK(both.correct == 1);
  CHECK(dscores(1, 0) == doctest::Approx((0.09003057317038046 - 1) / 2).epsilon(1e-12).scale(0));
}

TEST_CASE("softmax is stable for huge scores and equal scores give ln C") {
  const LossResult big = compute_loss<double>("softmax", row_matrix({{1000, 0, -1000}, {1000, 0, -1000}}),
                                              row_matrix({{0}, {1}}), false, nullptr);
  // label 0: log(1 + e⁻¹⁰⁰⁰ + e⁻²⁰⁰⁰) ≈ 0; label 1: 1000 + log(1 + …) ≈ 1000 → mean 500
  CHECK(std::isfinite(big.loss));
  CHECK(big.loss == doctest::Approx(500.0));
  Matrix<float> scores = Matrix<float>::Constant(4, 10, 88.0f);  // e^88 overflows float unless shifted
  Matrix<float> labels(4, 1);
  labels << 0, 3, 5, 9;
  Matrix<float> dscores;
  const LossResult uniform = compute_loss("softmax", scores, labels, false, &dscores);
  CHECK(uniform.loss == doctest::Approx(std::log(10.0)).epsilon(1e-6));
  CHECK(dscores.allFinite());
}

TEST_CASE("multiclass SVM (hinge, margin 1) by hand") {
  Matrix<double> dscores;
  // scores [1, 2, 3], label 0: margins 2 − 1 + 1 = 2 and 3 − 1 + 1 = 3 → L = 5
  //   dL/ds = [−2, 1, 1]
  LossResult result = compute_loss("svm", row_matrix({{1, 2, 3}}), row_matrix({{0}}), false, &dscores);
  CHECK(result.loss == 5.0);
  CHECK(result.correct == 0);
  CHECK(dscores == row_matrix({{-2, 1, 1}}));
  // label 2: margins 1 − 3 + 1 = −1 and 2 − 3 + 1 = 0 → both clamp to 0; zero gradient
  result = compute_loss("svm", row_matrix({{1, 2, 3}}), row_matrix({{2}}), false, &dscores);
  CHECK(result.loss == 0.0);
  CHECK(result.correct == 1);
  CHECK(dscores.cwiseAbs().maxCoeff() == 0.0);
  // Averaged over the batch: (5 + 0)/2; zero scores give C − 1 per example.
  result = compute_loss("svm", row_matrix({{1, 2, 3}, {1, 2, 3}}), row_matrix({{0}, {2}}), false, &dscores);
  CHECK(result.loss == 2.5);
  CHECK(dscores(0, 0) == -1.0);
  CHECK(compute_loss<double>("svm", Matrix<double>::Zero(3, 4), row_matrix({{0}, {1}, {3}}), false, nullptr)
            .loss == 3.0);
}

TEST_CASE("mse by hand: one-hot targets for labels, raw targets for regression") {
  Matrix<double> dscores;
  // scores [1, 2, 3], label 2 → target [0, 0, 1]: ½·(1 + 4 + 4) = 4.5; dL/ds = s − t = [1, 2, 2]
  LossResult result = compute_loss("mse", row_matrix({{1, 2, 3}}), row_matrix({{2}}), false, &dscores);
  CHECK(result.loss == 4.5);
  CHECK(result.correct == 1);
  CHECK(dscores == row_matrix({{1, 2, 2}}));
  // regression, B = 2: ½·((0.5 − 1)² + (2 − 0)²)/2 = ½·4.25/2 = 1.0625; dL/ds = (s − t)/2
  result = compute_loss("mse", row_matrix({{0.5}, {2}}), row_matrix({{1}, {0}}), true, &dscores);
  CHECK(result.loss == 1.0625);
  CHECK(result.correct == 0);
  CHECK(dscores == row_matrix({{-0.25}, {1}}));
}

TEST_CASE("loss argument errors") {
  const Matrix<double> scores = row_matrix({{1, 2, 3}});
  CHECK_THROWS_WITH_AS(compute_loss<double>("softmax", scores, row_matrix({{3}}), false, nullptr),
                       doctest::Contains("label 3.000000 of example 0 is not a class index in [0, 3)"),
                       std::invalid_argument);  // label out of range
  CHECK_THROWS_WITH_AS(compute_loss<double>("softmax", scores, row_matrix({{0.5}}), false, nullptr),
                       doctest::Contains("label 0.500000 of example 0 is not a class index"),
                       std::invalid_argument);  // not an index
  CHECK_THROWS_WITH_AS(compute_loss<double>("hinge", scores, row_matrix({{0}}), false, nullptr),
                       doctest::Contains("train.loss: unknown loss 'hinge'"), ConfigError);
  CHECK_THROWS_WITH_AS(
      compute_loss<double>("softmax", scores, scores, true, nullptr),
      doctest::Contains("train.loss: 'softmax' needs class labels; regression data needs 'mse'"),
      ConfigError);
}

TEST_CASE("loss gradient checks w.r.t. the scores (double, rel err < 1e-7)") {
  Matrix<double> scores = test::pattern_matrix(6, 4, 5, -2, 2);
  const Matrix<double> labels = row_matrix({{0}, {1}, {2}, {3}, {1}, {2}});
  for (const std::string loss : {"softmax", "svm", "mse"}) {
    Matrix<double> dscores;
    compute_loss(loss, scores, labels, false, &dscores);
    const auto check = test::check_gradient(
        scores.data(), dscores.data(), static_cast<std::size_t>(scores.size()),
        [&]() { return compute_loss<double>(loss, scores, labels, false, nullptr).loss; });
    MESSAGE(test::describe(loss, check));
    CHECK(check.max_rel_error < 1e-7);
  }
  // Hinge kinks: the random scores above keep every margin ≥ 1e-3 away from 0.
  for (Index b = 0; b < 6; ++b) {
    const int y = static_cast<int>(labels(b, 0));
    for (Index j = 0; j < 4; ++j)
      if (j != y) CHECK(std::abs(scores(b, j) - scores(b, y) + 1) > 1e-3);
  }
}
