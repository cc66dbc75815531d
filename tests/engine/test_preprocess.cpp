// Preprocessing: statistics from the training rows only, applied unchanged to other rows.
// A 4-point example is worked out by hand; a larger correlated cloud checks the covariance
// properties (centred, unit std, diagonal and sorted for PCA, identity for whitening).
#include <doctest/doctest.h>

#include <cmath>

#include "data/dataset.hpp"
#include "reference_mulberry32.hpp"

using namespace trainscope;

namespace {

// Train rows: (2,2), (−2,−2), (1,−1), (−1,1), all shifted by (1, −2). Centred, they give
//   Σ = XᵀX/4 = [[(4+4+1+1)/4, (4+4−1−1)/4], [·, 2.5]] = [[2.5, 1.5], [1.5, 2.5]]
// with eigenvalues 4 (axis (1,1)/√2) and 1 (axis (1,−1)/√2); column std √2.5 = 1.5811388.
Matrix<float> hand_train() {
  Matrix<float> x(4, 2);
  x << 3, 0,  //
      -1, -4,  //
      2, -3,   //
      0, -1;
  return x;
}

// A validation point (4, −1): centred with the TRAIN mean (1, −2) it is (3, 1).
Matrix<float> hand_validation() {
  Matrix<float> x(1, 2);
  x << 4, -1;
  return x;
}

Eigen::MatrixXd covariance(const Matrix<float>& x) {
  const Eigen::MatrixXd data = x.cast<double>();
  const Eigen::MatrixXd centred = data.rowwise() - data.colwise().mean();
  return centred.transpose() * centred / static_cast<double>(x.rows());
}

// 2000 rows of a correlated 3-D Gaussian with a non-zero mean: x = z·A + m.
Matrix<float> correlated_cloud() {
  trainscope_test::ReferenceMulberry32 rng(77);
  Eigen::Matrix3d mixing;
  mixing << 2.0, 0.5, 0.0,  //
      0.0, 1.0, 0.3,        //
      0.0, 0.0, 0.2;
  Matrix<float> x(2000, 3);
  for (int k = 0; k < 2000; ++k) {
    Eigen::RowVector3d z(rng.randn(), rng.randn(), rng.randn());
    const Eigen::RowVector3d row = z * mixing + Eigen::RowVector3d(5.0, -3.0, 1.0);
    x.row(k) = row.cast<float>();
  }
  return x;
}

}  // namespace

TEST_CASE("none leaves data unchanged") {
  const Preprocessor none("none", hand_train());
  CHECK(none.applied(hand_validation()) == hand_validation());
}

TEST_CASE("center subtracts the training mean") {
  const Preprocessor center("center", hand_train());
  const Matrix<float> train = center.applied(hand_train());
  CHECK(train.col(0).sum() == doctest::Approx(0.0).scale(1.0));
  CHECK(train.col(1).sum() == doctest::Approx(0.0).scale(1.0));
  const Matrix<float> validation = center.applied(hand_validation());
  CHECK(validation(0, 0) == doctest::Approx(3.0));  // 4 − 1
  CHECK(validation(0, 1) == doctest::Approx(1.0));  // −1 − (−2)
}

TEST_CASE("standardize divides by the training std") {
  const Preprocessor standardize("standardize", hand_train());
  const Matrix<float> validation = standardize.applied(hand_validation());
  CHECK(validation(0, 0) == doctest::Approx(3.0 / std::sqrt(2.5)));  // 1.8973666
  CHECK(validation(0, 1) == doctest::Approx(1.0 / std::sqrt(2.5)).epsilon(1e-6).scale(0));  // 0.6324555
  const Matrix<float> cloud = correlated_cloud();
  const Preprocessor fitted("standardize", cloud);
  const Eigen::MatrixXd standardized = covariance(fitted.applied(cloud));
  for (int j = 0; j < 3; ++j) CHECK(standardized(j, j) == doctest::Approx(1.0).epsilon(1e-4));
  SUBCASE("a constant column becomes 0, not NaN") {
    Matrix<float> constant(3, 2);
    constant << 1, 7,  //
        2, 7,          //
        3, 7;
    const Preprocessor guarded("standardize", constant);
    const Matrix<float> result = guarded.applied(constant);
    CHECK(result.allFinite());
    CHECK(result(1, 1) == 0.0f);
    CHECK(result(2, 0) == doctest::Approx(1.0 / std::sqrt(2.0 / 3.0)));  // (3 − 2)/√(2/3)
  }
}

TEST_CASE("pca rotates onto the principal axes, largest variance first") {
  SUBCASE("by hand: (3, 1) projects onto (1,1)/√2 and (1,−1)/√2") {
    const Preprocessor pca("pca", hand_train());
    const Matrix<float> validation = pca.applied(hand_validation());
    CHECK(validation(0, 0) == doctest::Approx(4.0 / std::sqrt(2.0)));        // (3 + 1)/√2 = 2.8284271
    CHECK(std::abs(validation(0, 1)) == doctest::Approx(2.0 / std::sqrt(2.0)));  // |3 − 1|/√2 = 1.4142136
    const Eigen::MatrixXd cov = covariance(pca.applied(hand_train()));
    CHECK(cov(0, 0) == doctest::Approx(4.0));
    CHECK(cov(1, 1) == doctest::Approx(1.0));
    CHECK(cov(0, 1) == doctest::Approx(0.0).scale(1.0));
  }
  SUBCASE("a correlated cloud: diagonal covariance, sorted descending") {
    const Matrix<float> cloud = correlated_cloud();
    const Preprocessor pca("pca", cloud);
    const Matrix<float> rotated = pca.applied(cloud);
    const Eigen::MatrixXd cov = covariance(rotated);
    const Eigen::MatrixXd original = covariance(cloud);
    INFO("rotated covariance\n" << cov);
    CHECK(std::abs(rotated.col(0).cast<double>().mean()) < 1e-4);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        if (i != j) CHECK(std::abs(cov(i, j)) < 1e-4 * cov(0, 0));
    CHECK(cov(0, 0) > cov(1, 1));
    CHECK(cov(1, 1) > cov(2, 2));
    CHECK(cov.trace() == doctest::Approx(original.trace()).epsilon(1e-5));  // a rotation keeps total variance
  }
}

TEST_CASE("whiten: covariance becomes the identity on the training set") {
  SUBCASE("by hand: (3, 1) → (4/√2/√(4+1e-5), (2/√2)/√(1+1e-5))") {
    const Preprocessor whiten("whiten", hand_train());
    const Matrix<float> validation = whiten.applied(hand_validation());
    // ε changes these by 1.25e-6 and 5e-6 relative: the bound (scale 0) is below both, above float
    // rounding (6e-8 per operation).
    CHECK(validation(0, 0) ==
          doctest::Approx(4.0 / std::sqrt(2.0) / std::sqrt(4.0 + 1e-5)).epsilon(5e-7).scale(0));
    CHECK(std::abs(validation(0, 1)) ==
          doctest::Approx(2.0 / std::sqrt(2.0) / std::sqrt(1.0 + 1e-5)).epsilon(5e-7).scale(0));
  }
  SUBCASE("ε dominates a direction whose variance is below it: the same points times 1e-3") {
    // Eigenvalues 4e-6 and 1e-6, both below ε = 1e-5: (3, 1)·1e-3 → (4/√2·1e-3/√(4e-6 + 1e-5),
    // 2/√2·1e-3/√(1e-6 + 1e-5)) = (0.7559289, 0.4264014); without ε both would be √2 = 1.4142136.
    const Matrix<float> train = hand_train() * 1e-3f;
    const Preprocessor whiten("whiten", train);
    const Matrix<float> validation = whiten.applied(hand_validation() * 1e-3f);
    CHECK(validation(0, 0) ==
          doctest::Approx(4.0 / std::sqrt(2.0) * 1e-3 / std::sqrt(4e-6 + 1e-5)).epsilon(1e-4).scale(0));
    CHECK(std::abs(validation(0, 1)) ==
          doctest::Approx(2.0 / std::sqrt(2.0) * 1e-3 / std::sqrt(1e-6 + 1e-5)).epsilon(1e-4).scale(0));
  }
  SUBCASE("a correlated cloud") {
    const Matrix<float> cloud = correlated_cloud();
    const Preprocessor whiten("whiten", cloud);
    const Eigen::MatrixXd cov = covariance(whiten.applied(cloud));
    INFO("whitened covariance\n" << cov);
    CHECK(cov.isApprox(Eigen::MatrixXd::Identity(3, 3), 1e-3));
  }
}

TEST_CASE("unknown preprocessing is refused") {
  CHECK_THROWS_AS(Preprocessor("zca", hand_train()), ConfigError);
}

TEST_CASE("applying to rows of another width is refused") {
  const Preprocessor center("center", hand_train());
  Matrix<float> three_columns(1, 3);
  three_columns.setZero();
  CHECK_THROWS_AS(center.apply(three_columns), std::invalid_argument);
}
