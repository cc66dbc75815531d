// The double-precision linear algebra the engine does at setup time, in plain loops (no Eigen
// solver: Eigen's symmetric eigensolver, Householder QR and the double GEMM they pull in were
// ~100 kB of the WebAssembly engine, for code that runs once per configuration; this file is
// compiled for size, CMakeLists.txt).
//
//   covariance:       Σ = (X − μ)ᵀ(X − μ) / N of float rows X (PCA and whitening of the inputs);
//   symmetric_eigen:  A = V·diag(λ)·Vᵀ for a symmetric A (PCA and whitening of the inputs);
//                     Householder tridiagonalization, then the implicit QL algorithm with Wilkinson
//                     shifts (EISPACK's tred2 / tql2, as in JAMA), O(n³).
//   orthonormal_q:    A = Q·R for a tall A, Q with orthonormal columns, made unique by giving R a
//                     positive diagonal (the orthogonal initializer); Householder reflections.
//
// All three run in the native and the wasm builds alike, so the two agree on the numbers.
#pragma once

#include <vector>

namespace trainscope::kernels {

// Σ (dims x dims, row-major, both triangles) of `rows` rows of `dims` floats, row r starting at
// x + r·stride, about `mean` (dims values); N = max(rows, 1).
std::vector<double> covariance(const float* x, int rows, int dims, int stride, const double* mean);

// Eigenvalues in ascending order and one unit eigenvector per eigenvalue: vectors[i·n + k] is
// component k of the eigenvector of values[i] (rows are eigenvectors). `a` is the n x n symmetric
// matrix, row-major, with both triangles filled. The sign of each vector is whatever the
// algorithm gives; callers that need a fixed sign choose it.
struct SymmetricEigen {
  std::vector<double> values;
  std::vector<double> vectors;
};
SymmetricEigen symmetric_eigen(std::vector<double> a, int n);

// Q of the QR factorization of the m x n matrix `a` (row-major, m ≥ n): m x n, row-major, with
// orthonormal columns, each column's sign chosen so that R_jj ≥ 0 (then Q is unique for a full-rank
// `a`, and Haar-distributed for a Gaussian one: Mezzadri 2007).
std::vector<double> orthonormal_q(const std::vector<double>& a, int m, int n);

}  // namespace trainscope::kernels
