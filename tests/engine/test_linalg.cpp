// The setup-time linear algebra (engine/kernels/linalg.cpp) against hand-worked cases, against
// Eigen (an independent implementation, linked only into the tests), and its invariants: the
// covariance for any row count (its blocks of 8) and row stride; A·v = λ·v with orthonormal vectors and ascending λ, repeated eigenvalues included;
// Q with orthonormal columns, Qᵀ·A upper triangular with a positive diagonal, square, tall, one
// column and rank-deficient inputs.
#include <doctest/doctest.h>

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "kernels/linalg.hpp"
#include "rng.hpp"

using namespace trainscope;

namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::vector<double> to_vector(const RowMajor& m) { return {m.data(), m.data() + m.size()}; }
RowMajor from_vector(const std::vector<double>& v, int rows, int cols) {
  return Eigen::Map<const RowMajor>(v.data(), rows, cols);
}

RowMajor gaussian(int rows, int cols, Rng& rng) {
  RowMajor m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = rng.normal();
  return m;
}

// A symmetric matrix with the given spectrum: Q·diag(λ)·Qᵀ for a random orthogonal Q.
RowMajor with_spectrum(const std::vector<double>& lambda, Rng& rng) {
  const int n = static_cast<int>(lambda.size());
  const Eigen::MatrixXd q = Eigen::HouseholderQR<Eigen::MatrixXd>(gaussian(n, n, rng)).householderQ();
  const Eigen::VectorXd l = Eigen::Map<const Eigen::VectorXd>(lambda.data(), n);
  return q * l.asDiagonal() * q.transpose();
}

// The invariants every eigendecomposition must satisfy, and the values against Eigen's.
void check_eigen(const RowMajor& a, double tolerance) {
  const int n = static_cast<int>(a.rows());
  const kernels::SymmetricEigen e = kernels::symmetric_eigen(to_vector(a), n);
  REQUIRE(e.values.size() == static_cast<std::size_t>(n));
  REQUIRE(e.vectors.size() == static_cast<std::size_t>(n) * n);
  const RowMajor v = from_vector(e.vectors, n, n).transpose();  // columns are eigenvectors
  const double scale = std::max(1.0, a.cwiseAbs().maxCoeff());
  const Eigen::VectorXd reference = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(a).eigenvalues();
  for (int i = 0; i < n; ++i) {
    INFO("eigenvalue " << i << " of " << n);
    CHECK(std::abs(e.values[i] - reference(i)) <= tolerance * scale);
    if (i > 0) CHECK(e.values[i] >= e.values[i - 1]);
  }
  const Eigen::VectorXd values = Eigen::Map<const Eigen::VectorXd>(e.values.data(), n);
  CHECK((a * v - v * values.asDiagonal()).cwiseAbs().maxCoeff() <= tolerance * scale);
  CHECK((v.transpose() * v - Eigen::MatrixXd::Identity(n, n)).cwiseAbs().maxCoeff() <= tolerance);
}

// Q's invariants for A (m x n, m ≥ n) and Q against Eigen's QR with the same sign rule.
void check_q(const RowMajor& a, double tolerance) {
  const int m = static_cast<int>(a.rows()), n = static_cast<int>(a.cols());
  const RowMajor q = from_vector(kernels::orthonormal_q(to_vector(a), m, n), m, n);
  CHECK((q.transpose() * q - Eigen::MatrixXd::Identity(n, n)).cwiseAbs().maxCoeff() <= tolerance);
  const Eigen::MatrixXd r = q.transpose() * a;  // = R when A = Q·R
  for (int j = 0; j < n; ++j) {
    INFO("column " << j);
    CHECK(r(j, j) >= -tolerance);
    for (int i = j + 1; i < n; ++i) CHECK(std::abs(r(i, j)) <= tolerance * std::max(1.0, a.cwiseAbs().maxCoeff()));
  }
  CHECK((q * r - a).cwiseAbs().maxCoeff() <= tolerance * std::max(1.0, a.cwiseAbs().maxCoeff()));
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
  Eigen::MatrixXd eigen_q = qr.householderQ() * Eigen::MatrixXd::Identity(m, n);
  for (int j = 0; j < n; ++j) {
    if (qr.matrixQR()(j, j) < 0) eigen_q.col(j) *= -1;
  }
  CHECK((q - eigen_q).cwiseAbs().maxCoeff() <= tolerance);
}

}  // namespace

TEST_CASE("covariance: worked by hand, and against Eigen for row counts around its blocks of 8") {
  // Rows (3, 0), (−1, −4), (2, −3), (0, −1) about their mean (1, −2): centred (2, 2), (−2, −2),
  // (1, −1), (−1, 1), so Σ = [[10, 6], [6, 10]] / 4 (the same example as test_preprocess.cpp).
  const std::vector<float> x = {3, 0, -1, -4, 2, -3, 0, -1};
  const std::vector<double> mean = {1, -2};
  CHECK(kernels::covariance(x.data(), 4, 2, 2, mean.data()) == std::vector<double>{2.5, 1.5, 1.5, 2.5});
  Rng rng(21);
  for (const int rows : {0, 1, 7, 8, 9, 17, 40}) {
    for (const int dims : {1, 3, 10}) {
      INFO(rows << " rows of " << dims << ", stride " << dims + 2);
      const int stride = dims + 2;  // the two spare values per row must not be read
      std::vector<float> data(static_cast<std::size_t>(rows) * stride, std::nanf(""));
      RowMajor reference_x(rows, dims);
      for (int r = 0; r < rows; ++r)
        for (int j = 0; j < dims; ++j) reference_x(r, j) = data[r * stride + j] = static_cast<float>(rng.normal());
      std::vector<double> mu(static_cast<std::size_t>(dims));
      for (int j = 0; j < dims; ++j) mu[j] = 0.1 * j - 0.3;
      const Eigen::RowVectorXd m = Eigen::Map<const Eigen::RowVectorXd>(mu.data(), dims);
      const Eigen::MatrixXd centred = reference_x.rowwise() - m;
      const Eigen::MatrixXd expected = centred.transpose() * centred / std::max(1, rows);
      const RowMajor sigma = from_vector(kernels::covariance(data.data(), rows, dims, stride, mu.data()), dims, dims);
      CHECK((sigma - expected).cwiseAbs().maxCoeff() <= 1e-12);
      CHECK(sigma == sigma.transpose());
    }
  }
}

TEST_CASE("symmetric_eigen: a 2x2 worked by hand") {
  // [[2.5, 1.5], [1.5, 2.5]]: λ = 1 with (1, −1)/√2 and λ = 4 with (1, 1)/√2.
  const kernels::SymmetricEigen e = kernels::symmetric_eigen({2.5, 1.5, 1.5, 2.5}, 2);
  CHECK(e.values[0] == doctest::Approx(1.0).scale(0).epsilon(1e-14));
  CHECK(e.values[1] == doctest::Approx(4.0).scale(0).epsilon(1e-14));
  const double h = std::sqrt(0.5);
  CHECK(std::abs(e.vectors[0] * e.vectors[1]) == doctest::Approx(0.5).scale(0).epsilon(1e-14));
  CHECK(e.vectors[0] * e.vectors[1] < 0);  // (1, −1) up to sign
  CHECK(std::abs(e.vectors[2]) == doctest::Approx(h).scale(0).epsilon(1e-14));
  CHECK(e.vectors[2] * e.vectors[3] > 0);  // (1, 1) up to sign
}

TEST_CASE("symmetric_eigen: 1x1, diagonal, and empty") {
  const kernels::SymmetricEigen one = kernels::symmetric_eigen({-3.0}, 1);
  CHECK(one.values[0] == -3.0);
  CHECK(std::abs(one.vectors[0]) == 1.0);
  const kernels::SymmetricEigen diagonal = kernels::symmetric_eigen({5, 0, 0, 0, -1, 0, 0, 0, 2}, 3);
  CHECK(diagonal.values == std::vector<double>{-1, 2, 5});
  // The vector of −1 is ±e_1, of 2 is ±e_2, of 5 is ±e_0.
  CHECK(std::abs(diagonal.vectors[0 * 3 + 1]) == doctest::Approx(1.0).scale(0).epsilon(1e-15));
  CHECK(std::abs(diagonal.vectors[1 * 3 + 2]) == doctest::Approx(1.0).scale(0).epsilon(1e-15));
  CHECK(std::abs(diagonal.vectors[2 * 3 + 0]) == doctest::Approx(1.0).scale(0).epsilon(1e-15));
  CHECK(kernels::symmetric_eigen({}, 0).values.empty());
}

TEST_CASE("symmetric_eigen: random symmetric matrices against Eigen, and A·v = λ·v") {
  Rng rng(11);
  for (const int n : {2, 3, 5, 8, 17, 40, 64}) {
    INFO("n = " << n);
    const RowMajor g = gaussian(n, n, rng);
    check_eigen((g + g.transpose()) / 2, 1e-11);
    check_eigen(g.transpose() * g, 1e-11);  // a covariance: positive semidefinite
  }
}

TEST_CASE("symmetric_eigen: repeated, zero and widely spread eigenvalues") {
  Rng rng(5);
  check_eigen(with_spectrum({3, 3, 3, 1, 1, 0.5}, rng), 1e-11);
  check_eigen(with_spectrum({0, 0, 2, 7}, rng), 1e-11);                    // rank 2
  check_eigen(with_spectrum({1e-9, 1e-3, 1, 1e3, 1e6}, rng), 1e-11);       // condition 1e15
  check_eigen(RowMajor::Zero(4, 4), 1e-15);                                // all zero
  check_eigen(RowMajor::Constant(6, 6, 2.0), 1e-12);                       // rank 1: λ = 12, 0 ×5
}

TEST_CASE("symmetric_eigen: non-finite input ends, with non-finite values (no hang, no crash)") {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::nan("");
  for (const std::vector<double>& a : {std::vector<double>{1, nan, nan, 2}, std::vector<double>{inf, 1, 1, 3},
                                       std::vector<double>{nan, nan, nan, nan}}) {
    const kernels::SymmetricEigen e = kernels::symmetric_eigen(a, 2);
    REQUIRE(e.values.size() == 2);
    CHECK_FALSE(std::isfinite(e.values[0] + e.values[1] + e.vectors[0] + e.vectors[1] + e.vectors[2] + e.vectors[3]));
  }
}

TEST_CASE("orthonormal_q: Q has orthonormal columns, QᵀA is R with R_jj > 0, equal to Eigen's sign-fixed Q") {
  Rng rng(3);
  for (const auto& size : std::vector<std::pair<int, int>>{{1, 1}, {2, 1}, {5, 1}, {2, 2}, {3, 3}, {7, 4}, {16, 16},
                                                           {33, 8}, {64, 63}, {100, 40}}) {
    INFO(size.first << " x " << size.second);
    check_q(gaussian(size.first, size.second, rng), 1e-12);
  }
}

TEST_CASE("orthonormal_q: a zero column and a column with nothing below the diagonal") {
  Rng rng(9);
  RowMajor a = gaussian(6, 3, rng);
  a.col(1).setZero();
  const RowMajor q = from_vector(kernels::orthonormal_q(to_vector(a), 6, 3), 6, 3);
  CHECK(q.allFinite());
  // Columns 0 and 2 still span A's columns 0 and 2; Q·(QᵀA) = A.
  CHECK((q * (q.transpose() * a) - a).cwiseAbs().maxCoeff() <= 1e-12);
  // Column 0 is −4·e_0 with nothing below it: Q's column is −e_0, so that R_00 = 4 > 0.
  RowMajor b = RowMajor::Zero(3, 2);
  b(0, 0) = -4;
  b(1, 1) = 2;
  b(2, 1) = 1;
  check_q(b, 1e-14);
  const RowMajor qb = from_vector(kernels::orthonormal_q(to_vector(b), 3, 2), 3, 2);
  CHECK(qb(0, 0) == doctest::Approx(-1.0).scale(0).epsilon(1e-15));
  CHECK_THROWS(kernels::orthonormal_q(std::vector<double>(6, 1.0), 2, 3));
}
