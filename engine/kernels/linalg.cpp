// See linalg.hpp. Matrices are stored so that every inner loop runs over contiguous
// memory: the eigensolver works on U = Vᵀ (row i of U is column i of the transformation V that
// EISPACK writes), the QR on the columns of A.
#include "linalg.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace trainscope::kernels {
namespace {

// The vectorizable inner loops, on rows that never overlap (__restrict lets the compiler vectorize
// them without run-time overlap checks, which it does not emit when optimizing for size).
// y ← y − a·x
void subtract_scaled(double* __restrict y, double a, const double* __restrict x, int count) {
  for (int k = 0; k < count; ++k) y[k] -= a * x[k];
}
// y ← y − (a·x + b·z)
void subtract_scaled2(double* __restrict y, double a, const double* __restrict x, double b,
                      const double* __restrict z, int count) {
  for (int k = 0; k < count; ++k) y[k] -= a * x[k] + b * z[k];
}
// x·y with four partial sums: a single running sum is one chain of dependent additions, bound
// by their latency.
double dot(const double* x, const double* y, int count) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  int i = 0;
  for (; i + 4 <= count; i += 4) {
    s0 += x[i] * y[i];
    s1 += x[i + 1] * y[i + 1];
    s2 += x[i + 2] * y[i + 2];
    s3 += x[i + 3] * y[i + 3];
  }
  for (; i < count; ++i) s0 += x[i] * y[i];
  return (s0 + s1) + (s2 + s3);
}
// out[j] += Σ_b a[b]·c[b·size + j] for j < count, b < 8: one row of the covariance's block update.
void add_block_products(double* __restrict out, const double* __restrict a, const double* __restrict c,
                        std::size_t size, int count) {
  for (int j = 0; j < count; ++j) {
    out[j] += a[0] * c[j] + a[1] * c[size + j] + a[2] * c[2 * size + j] + a[3] * c[3 * size + j] +
              a[4] * c[4 * size + j] + a[5] * c[5 * size + j] + a[6] * c[6 * size + j] + a[7] * c[7 * size + j];
  }
}
// The plane rotation (x, y) ← (c·x − s·y, s·x + c·y) of two rows.
void rotate(double* __restrict x, double* __restrict y, double c, double s, int count) {
  for (int k = 0; k < count; ++k) {
    const double xk = x[k], yk = y[k];
    x[k] = c * xk - s * yk;
    y[k] = s * xk + c * yk;
  }
}

// Householder reduction of the symmetric matrix held in u (n x n, row-major) to tridiagonal form
// T = Vᵀ·A·V (EISPACK tred2, from JAMA's public-domain transcription, with V[a][b] read as
// u[b·n + a]). On return d is T's diagonal, e[1..n) its subdiagonal (e[0] = 0) and u holds Vᵀ.
// Raw pointers, and an index that is inlined at every optimization level: this file is compiled
// for size, and Emscripten's -Os adds -fno-inline-functions, which left std::vector::operator[]
// out of line in these loops (3x slower).
struct Square {
  double* data;
  int n;
  __attribute__((always_inline)) double& operator()(int row, int col) const {
    return data[static_cast<std::size_t>(row) * n + col];
  }
};

void tridiagonalize(double* u, int n, double* d, double* e) {
  const Square at{u, n};
  for (int j = 0; j < n; ++j) d[j] = at(j, n - 1);
  for (int i = n - 1; i > 0; --i) {
    // Scale the row to avoid under- and overflow.
    double scale = 0.0, h = 0.0;
    for (int k = 0; k < i; ++k) scale += std::abs(d[k]);
    if (scale == 0.0) {
      e[i] = d[i - 1];
      for (int j = 0; j < i; ++j) {
        d[j] = at(j, i - 1);
        at(j, i) = 0.0;
        at(i, j) = 0.0;
      }
    } else {
      // The Householder vector, in d[0..i).
      for (int k = 0; k < i; ++k) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      double f = d[i - 1];
      double g = f > 0 ? -std::sqrt(h) : std::sqrt(h);
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (int j = 0; j < i; ++j) e[j] = 0.0;
      // The similarity transformation of the remaining columns.
      for (int j = 0; j < i; ++j) {
        f = d[j];
        at(i, j) = f;
        g = e[j] + at(j, j) * f;
        for (int k = j + 1; k < i; ++k) {
          g += at(j, k) * d[k];
          e[k] += at(j, k) * f;
        }
        e[j] = g;
      }
      f = 0.0;
      for (int j = 0; j < i; ++j) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const double hh = f / (h + h);
      for (int j = 0; j < i; ++j) e[j] -= hh * d[j];
      for (int j = 0; j < i; ++j) {
        f = d[j];
        g = e[j];
        subtract_scaled2(&at(j, j), f, &e[j], g, &d[j], i - j);
        d[j] = at(j, i - 1);
        at(j, i) = 0.0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations into V.
  for (int i = 0; i < n - 1; ++i) {
    at(i, n - 1) = at(i, i);
    at(i, i) = 1.0;
    const double h = d[i + 1];
    if (h != 0.0) {
      for (int k = 0; k <= i; ++k) d[k] = at(i + 1, k) / h;
      for (int j = 0; j <= i; ++j) {
        const double g = dot(&at(i + 1, 0), &at(j, 0), i + 1);
        subtract_scaled(&at(j, 0), g, d, i + 1);
      }
    }
    for (int k = 0; k <= i; ++k) at(i + 1, k) = 0.0;
  }
  for (int j = 0; j < n; ++j) {
    d[j] = at(j, n - 1);
    at(j, n - 1) = 0.0;
  }
  at(n - 1, n - 1) = 1.0;
  e[0] = 0.0;
}

// The eigenvalues of the tridiagonal T (d, e as tridiagonalize leaves them) by the implicit QL
// algorithm with Wilkinson shifts (EISPACK tql2); each plane rotation is applied to the rows of u,
// which end as the eigenvectors. Sorted ascending at the end.
void diagonalize(double* rows, int n, double* d, double* e) {
  for (int i = 1; i < n; ++i) e[i - 1] = e[i];
  e[n - 1] = 0.0;
  const double eps = std::ldexp(1.0, -52);
  const int max_iterations = 30 * n + 30;  // ~2 per eigenvalue in practice
  int iterations = 0;
  double f = 0.0, tst1 = 0.0;
  for (int l = 0; l < n; ++l) {
    tst1 = std::max(tst1, std::abs(d[l]) + std::abs(e[l]));
    int m = l;
    while (m < n - 1 && !(std::abs(e[m]) <= eps * tst1)) ++m;  // e[n−1] = 0 ends the search
    if (m > l) {
      do {
        if (++iterations > max_iterations) throw std::runtime_error("symmetric eigensolver: no convergence");
        // The implicit shift.
        double g = d[l];
        double p = (d[l + 1] - g) / (2.0 * e[l]);
        double r = std::hypot(p, 1.0);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const double dl1 = d[l + 1];
        double h = g - d[l];
        for (int i = l + 2; i < n; ++i) d[i] -= h;
        f += h;
        // The implicit QL transformation.
        p = d[m];
        double c = 1.0, c2 = 1.0, c3 = 1.0, s = 0.0, s2 = 0.0;
        const double el1 = e[l + 1];
        for (int i = m - 1; i >= l; --i) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = std::hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          double* vi = rows + static_cast<std::size_t>(i) * n;
          rotate(vi, vi + n, c, s, n);
        }
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (std::abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0.0;
  }
  // Sort the eigenvalues ascending, their vectors with them (selection sort: n swaps at most).
  for (int i = 0; i + 1 < n; ++i) {
    int k = i;
    for (int j = i + 1; j < n; ++j) {
      if (d[j] < d[k]) k = j;
    }
    if (k != i) {
      std::swap(d[i], d[k]);
      std::swap_ranges(rows + static_cast<std::size_t>(i) * n, rows + static_cast<std::size_t>(i + 1) * n,
                       rows + static_cast<std::size_t>(k) * n);
    }
  }
}

// y ← y − (β·vᵀy)·v: the reflection H = I − β·v·vᵀ applied to y (count entries).
void reflect(const double* v, double beta, double* y, int count) {
  subtract_scaled(y, beta * dot(v, y, count), v, count);
}

}  // namespace

// Rows are taken eight at a time (a block past the last row is zero), so each Σ entry is read and
// written once per eight rows; only the lower triangle is summed, then mirrored.
std::vector<double> covariance(const float* x, int rows, int dims, int stride, const double* mean) {
  constexpr int kBlock = 8;
  const std::size_t size = static_cast<std::size_t>(dims);
  std::vector<double> sigma(size * size, 0.0), block(kBlock * size);
  double* c = block.data();
  for (int r0 = 0; r0 < rows; r0 += kBlock) {
    for (int b = 0; b < kBlock; ++b) {
      double* centered = c + b * size;
      if (r0 + b < rows) {
        const float* row = x + static_cast<std::size_t>(r0 + b) * stride;
        for (int j = 0; j < dims; ++j) centered[j] = row[j] - mean[j];
      } else {
        std::fill(centered, centered + size, 0.0);
      }
    }
    for (int i = 0; i < dims; ++i) {
      double a[kBlock];
      for (int b = 0; b < kBlock; ++b) a[b] = c[b * size + i];
      add_block_products(sigma.data() + i * size, a, c, size, i + 1);
    }
  }
  const double count = rows > 0 ? rows : 1;
  for (std::size_t i = 0; i < size; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      sigma[i * size + j] /= count;
      sigma[j * size + i] = sigma[i * size + j];
    }
  }
  return sigma;
}

SymmetricEigen symmetric_eigen(std::vector<double> a, int n) {
  SymmetricEigen result;
  if (n <= 0) return result;
  result.values.assign(static_cast<std::size_t>(n), 0.0);
  std::vector<double> e(static_cast<std::size_t>(n), 0.0);
  tridiagonalize(a.data(), n, result.values.data(), e.data());
  diagonalize(a.data(), n, result.values.data(), e.data());
  result.vectors = std::move(a);
  return result;
}

std::vector<double> orthonormal_q(const std::vector<double>& a, int m, int n) {
  if (m < n) throw std::invalid_argument("orthonormal_q needs rows >= columns");
  const auto column = [m](std::vector<double>& v, int j) { return v.data() + static_cast<std::size_t>(j) * m; };
  std::vector<double> reflectors(static_cast<std::size_t>(m) * n);  // column j of A, then its v_j
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) column(reflectors, j)[i] = a[static_cast<std::size_t>(i) * n + j];
  std::vector<double> beta(static_cast<std::size_t>(n), 0.0), r_diagonal(static_cast<std::size_t>(n), 0.0);
  // H_j = I − β_j·v_j·v_jᵀ maps column j's rows j.. onto α·e_j, α = −sign(x_j)·‖x‖ (no cancellation).
  for (int j = 0; j < n; ++j) {
    double* x = column(reflectors, j) + j;
    const int length = m - j;
    const double norm = std::sqrt(dot(x, x, length));
    if (norm == 0.0) continue;  // a zero column: H_j = I, R_jj = 0
    const double alpha = x[0] >= 0 ? -norm : norm;
    x[0] -= alpha;
    beta[j] = 1.0 / (norm * std::abs(x[0]));  // 2/‖v‖² = 2/(2‖x‖² − 2αx_0) = 1/(‖x‖·|v_0|)
    r_diagonal[j] = alpha;
    for (int l = j + 1; l < n; ++l) reflect(x, beta[j], column(reflectors, l) + j, length);
  }
  // Q = H_0·H_1·…·H_{n−1} applied to the first n columns of I, from the last reflection back
  // (H_j leaves rows < j alone, so columns < j, still e_l there, need not be touched).
  std::vector<double> q(static_cast<std::size_t>(m) * n, 0.0);
  for (int l = 0; l < n; ++l) column(q, l)[l] = 1.0;
  for (int j = n - 1; j >= 0; --j) {
    if (beta[j] == 0.0) continue;
    for (int l = j; l < n; ++l) reflect(column(reflectors, j) + j, beta[j], column(q, l) + j, m - j);
  }
  std::vector<double> result(static_cast<std::size_t>(m) * n);
  for (int j = 0; j < n; ++j) {
    const double sign = r_diagonal[j] < 0 ? -1.0 : 1.0;
    for (int i = 0; i < m; ++i) result[static_cast<std::size_t>(i) * n + j] = sign * column(q, j)[i];
  }
  return result;
}

}  // namespace trainscope::kernels
