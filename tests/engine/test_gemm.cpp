// The hand-written SGEMM (engine/kernels/gemm.cpp) against its plain-loop reference and against
// Eigen, in all three product shapes, on sizes chosen to hit every edge of the blocking: 1x1, odd
// sizes, sizes one below / one above a multiple of the tile (MR x 8) and of the inner block (256),
// row strides wider than the rows, bias, accumulate, and an empty inner dimension. The kernel is
// compiled in every build (generic vectors natively, wasm SIMD128 in the wasm SIMD build, where
// the layers use it), so the packing and edge logic run under ASan/UBSan too.
#include <doctest/doctest.h>

#include <Eigen/Core>
#include <cmath>
#include <string>
#include <vector>

#include "kernels/gemm.hpp"
#include "kernels/products.hpp"
#include "rng.hpp"
#include "tensor.hpp"

using namespace trainscope;
using kernels::GemmShape;

namespace {

struct Operands {
  GemmShape shape;
  std::vector<float> a, b, c, bias;
};

// Stored sizes follow the transposes; every row stride gets `pad` spare columns (filled with
// NaN, so any read of them poisons the result).
Operands make_operands(bool ta, bool tb, int m, int n, int k, int pad, Rng& rng) {
  Operands o;
  const int a_rows = ta ? k : m, a_cols = ta ? m : k;
  const int b_rows = tb ? n : k, b_cols = tb ? k : n;
  o.shape = {ta, tb, m, n, k, a_cols + pad, b_cols + pad, n + pad};
  auto fill = [&](std::vector<float>& v, int rows, int cols, int stride) {
    v.assign(static_cast<std::size_t>(rows) * stride, std::nanf(""));
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) v[static_cast<std::size_t>(i) * stride + j] = static_cast<float>(rng.normal());
  };
  fill(o.a, a_rows, a_cols, o.shape.lda);
  fill(o.b, b_rows, b_cols, o.shape.ldb);
  fill(o.c, m, n, o.shape.ldc);
  o.bias.resize(n);
  for (float& v : o.bias) v = static_cast<float>(rng.normal());
  return o;
}

// Largest |got − want| over the valid part of C, relative to Σ_p |op(A)[i,p]|·|op(B)[p,j]| + |bias_j|
// + |C_ij| (the size of the terms summed, so cancellation cannot hide an error or fake one).
double worst_relative_error(const Operands& o, const std::vector<float>& got, const std::vector<float>& want,
                            bool with_bias, bool accumulate) {
  const GemmShape& s = o.shape;
  double worst = 0;
  for (int i = 0; i < s.m; ++i) {
    for (int j = 0; j < s.n; ++j) {
      double scale = (with_bias ? std::abs(o.bias[j]) : 0.0) + (accumulate ? std::abs(o.c[i * s.ldc + j]) : 0.0);
      for (int p = 0; p < s.k; ++p) {
        const double av = s.transpose_a ? o.a[p * s.lda + i] : o.a[i * s.lda + p];
        const double bv = s.transpose_b ? o.b[j * s.ldb + p] : o.b[p * s.ldb + j];
        scale += std::abs(av * bv);
      }
      const double diff = std::abs(static_cast<double>(got[i * s.ldc + j]) - want[i * s.ldc + j]);
      worst = std::max(worst, scale > 0 ? diff / scale : (diff == 0 ? 0.0 : INFINITY));
      if (std::isnan(diff)) worst = INFINITY;
    }
  }
  return worst;
}

// The padding columns of C must come back untouched (still NaN).
bool padding_untouched(const Operands& o, const std::vector<float>& c) {
  for (int i = 0; i < o.shape.m; ++i)
    for (int j = o.shape.n; j < o.shape.ldc; ++j)
      if (!std::isnan(c[i * o.shape.ldc + j])) return false;
  return true;
}

std::string describe(const GemmShape& s, bool bias, bool accumulate) {
  return std::string(s.transpose_a ? "Aᵀ" : "A") + (s.transpose_b ? "·Bᵀ" : "·B") + " m=" + std::to_string(s.m) +
         " n=" + std::to_string(s.n) + " k=" + std::to_string(s.k) + " ldc=" + std::to_string(s.ldc) +
         (bias ? " +bias" : "") + (accumulate ? " +=C" : "");
}

}  // namespace

TEST_CASE("sgemm matches the plain-loop reference on every edge of the blocking") {
  const int mr = kernels::gemm_tile_rows();
  const std::vector<int> sizes = {1, 2, 3, 7, 8, 9, mr - 1, mr + 1, 2 * mr + 3, 17, 31, 33, 100};
  const std::vector<int> inner = {0, 1, 3, 8, 25, 255, 256, 257, 520};
  Rng rng(7);
  int cases = 0;
  for (int flags = 0; flags < 4; ++flags) {
    const bool ta = flags & 1, tb = flags & 2;
    for (std::size_t t = 0; t < sizes.size(); ++t) {
      const int m = sizes[t], n = sizes[(t * 5 + 3) % sizes.size()], k = inner[(t + flags) % inner.size()];
      const int pad = (t + flags) % 3;  // 0, 1 or 2 spare columns per row
      for (int variant = 0; variant < 3; ++variant) {
        const bool with_bias = variant == 1, accumulate = variant == 2;
        Operands o = make_operands(ta, tb, m, n, k, pad, rng);
        std::vector<float> got = o.c, want = o.c;
        const float* bias = with_bias ? o.bias.data() : nullptr;
        kernels::sgemm(o.shape, o.a.data(), o.b.data(), got.data(), bias, accumulate);
        kernels::sgemm_reference(o.shape, o.a.data(), o.b.data(), want.data(), bias, accumulate);
        CAPTURE(describe(o.shape, with_bias, accumulate));
        CHECK(worst_relative_error(o, got, want, with_bias, accumulate) < 1e-5);
        CHECK(padding_untouched(o, got));
        ++cases;
      }
    }
  }
  CHECK(cases == 4 * 13 * 3);
}

TEST_CASE("sgemm on the training shapes agrees with Eigen and the reference") {
  // (m, n, k) of W2's first layer, W3's hidden layers and W4's conv layers, each in its three forms.
  const int shapes[][3] = {{64, 256, 784}, {100, 500, 500}, {2880, 16, 200}, {25, 8, 1152}};
  Rng rng(11);
  for (const auto& mnk : shapes) {
    for (int form = 0; form < 3; ++form) {
      const bool ta = form == 1, tb = form == 2;
      Operands o = make_operands(ta, tb, mnk[0], mnk[1], mnk[2], 0, rng);
      std::vector<float> got = o.c, want = o.c;
      kernels::sgemm(o.shape, o.a.data(), o.b.data(), got.data());
      kernels::sgemm_reference(o.shape, o.a.data(), o.b.data(), want.data());
      const ConstMatrixMap<float> a(o.a.data(), ta ? mnk[2] : mnk[0], ta ? mnk[0] : mnk[2]);
      const ConstMatrixMap<float> b(o.b.data(), tb ? mnk[1] : mnk[2], tb ? mnk[2] : mnk[1]);
      Matrix<float> eigen(mnk[0], mnk[1]);
      if (ta) eigen.noalias() = a.transpose() * b;
      else if (tb) eigen.noalias() = a * b.transpose();
      else eigen.noalias() = a * b;
      const std::vector<float> eigen_values(eigen.data(), eigen.data() + eigen.size());
      CAPTURE(describe(o.shape, false, false));
      CHECK(worst_relative_error(o, got, want, false, false) < 1e-5);
      CHECK(worst_relative_error(o, got, eigen_values, false, false) < 1e-5);
    }
  }
}

TEST_CASE("the layers' product helpers give the same numbers in float and double") {
  // multiply / multiply_at_b / multiply_a_bt go to the kernel in the wasm SIMD build (float) and
  // to Eigen elsewhere; either way they must equal the double-precision product.
  Rng rng(3);
  Matrix<double> x(37, 29), w(29, 13), dy(37, 13);
  for (auto* m : {&x, &w, &dy})
    for (Index i = 0; i < m->size(); ++i) m->data()[i] = rng.normal();
  RowVector<double> bias(13);
  for (Index i = 0; i < bias.size(); ++i) bias[i] = rng.normal();
  const Matrix<float> xf = x.cast<float>(), wf = w.cast<float>(), dyf = dy.cast<float>();
  const RowVector<float> biasf = bias.cast<float>();

  Matrix<float> y(37, 13), dw(29, 13), dx(37, 29);
  multiply(y, xf, wf, biasf.data());
  multiply_at_b(dw, xf, dyf);
  multiply_a_bt(dx, dyf, wf);
  Matrix<double> y_want = x * w;
  y_want.rowwise() += bias;
  const Matrix<double> dw_want = x.transpose() * dy, dx_want = dy * w.transpose();
  // Each entry sums ≤ 37 products of N(0,1) values: 1e-5 absolute is ~100x float rounding.
  CHECK((y.cast<double>() - y_want).cwiseAbs().maxCoeff() < 1e-5);
  CHECK((dw.cast<double>() - dw_want).cwiseAbs().maxCoeff() < 1e-5);
  CHECK((dx.cast<double>() - dx_want).cwiseAbs().maxCoeff() < 1e-5);
}

TEST_CASE("the wasm SIMD build, and only it, sends float products to the kernel") {
#ifdef TRAINSCOPE_EXPECT_SIMD
  CHECK(TRAINSCOPE_GEMM_KERNEL == 1);
#else
  CHECK(TRAINSCOPE_GEMM_KERNEL == 0);
#endif
}
