// Single-precision matrix products on row-major storage, in the three shapes the layers use:
//
//   C = A·B      (forward:           Y  = X·W)
//   C = Aᵀ·B     (weight gradient:   dW = Xᵀ·dY)
//   C = A·Bᵀ     (input gradient:    dX = dY·Wᵀ)
//
// `sgemm` is a packed, blocked product around a small register tile (MR x 8 floats of C held
// in 2·MR 128-bit vectors). It exists for the WebAssembly SIMD build, where Eigen's own kernel
// is compiled by V8 with dozens of register spills per iteration (docs/notes/bench.md); the
// native builds keep Eigen (see products.hpp for the choice). `sgemm_reference` is the same
// contract in plain loops, the oracle of the tests.
#pragma once

namespace trainscope::kernels {

// Which operand is read transposed. A is stored row-major as M x K (or K x M when transposed),
// B as K x N (or N x K when transposed); C is M x N. `lda`, `ldb`, `ldc` are the row strides of
// the stored matrices.
struct GemmShape {
  bool transpose_a = false;
  bool transpose_b = false;
  int m = 0, n = 0, k = 0;
  int lda = 0, ldb = 0, ldc = 0;
};

// C = op(A)·op(B) + 1·biasᵀ (bias: N values, or nullptr for none); with accumulate, C is added
// to instead of overwritten. k = 0 gives C = bias (or 0). Sizes may be anything ≥ 0.
void sgemm(const GemmShape& shape, const float* a, const float* b, float* c, const float* bias = nullptr,
           bool accumulate = false);

// The same contract as plain loops (double accumulation), for tests.
void sgemm_reference(const GemmShape& shape, const float* a, const float* b, float* c, const float* bias = nullptr,
                     bool accumulate = false);

// Rows of C per register tile (compile-time; the columns are always 8 = two 128-bit vectors).
int gemm_tile_rows();

}  // namespace trainscope::kernels
