// Packed, blocked SGEMM (the structure of Goto & van de Geijn, "Anatomy of high-performance
// matrix multiplication", 2008), written for 128-bit SIMD without FMA.
//
//   for each block of NC columns of C:
//     for each block of KC values of the inner dimension:
//       pack op(B)[KC x NC] into panels of 8 columns, k-major (a panel is KC·8 floats: 8 KB)
//       for each block of MC rows of C:
//         pack op(A)[MC x KC] into panels of MR rows, k-major (MR floats per k)
//         for each 8-column panel (stays in L1) and each MR-row panel (streams from L2):
//           micro_kernel: the MR x 8 tile of C += A panel · B panel
//
// Packing turns the three product shapes (A·B, Aᵀ·B, A·Bᵀ) into one kernel and zero-pads the
// edges, so the kernel always computes a full tile; a partial tile is written through a small
// buffer. The kernel per k: two vector loads of the B panel, then per row one splat load of A and
// two multiply-adds. Its accumulators (2·MR) and operands (2 + 1) stay within the 16 registers
// V8 has for wasm SIMD on x86-64, loads sit next to their use, and the function is kept out of
// line: V8 allocates registers per function, and the same loop inlined into a larger caller was
// measured 3× slower (../shared/TOOLCHAIN.md, "SIMD").
#include "gemm.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

#ifndef TRAINSCOPE_GEMM_MR
#define TRAINSCOPE_GEMM_MR 5
#endif

namespace trainscope::kernels {
namespace {

constexpr int MR = TRAINSCOPE_GEMM_MR;  // rows of the register tile
constexpr int NR = 8;                   // columns of the register tile: two vectors of 4
static_assert(MR >= 4, "pack_a transposes four rows at a time");
constexpr int KC = 256;                 // inner-dimension block: a B panel is KC·NR·4 B = 8 KB (L1)
constexpr int MC = MR * 24;             // row block: an A block is MC·KC·4 B ≈ 120 KB (L2)
constexpr int NC = 4096;                // column block of packed B

// A 4-float vector: wasm SIMD128 intrinsics in the wasm build, the compiler's generic vectors
// elsewhere (SSE on x86-64; the native builds use this kernel only in tests).
#if defined(__wasm_simd128__)
using f32x4 = v128_t;
inline f32x4 load4(const float* p) { return wasm_v128_load(p); }
inline f32x4 splat4(const float* p) { return wasm_v128_load32_splat(p); }
inline f32x4 zero4() { return wasm_f32x4_splat(0.0f); }
inline f32x4 add4(f32x4 x, f32x4 y) { return wasm_f32x4_add(x, y); }
inline f32x4 mul4(f32x4 x, f32x4 y) { return wasm_f32x4_mul(x, y); }
inline void store4(float* p, f32x4 v) { wasm_v128_store(p, v); }
// (x0, y0, x1, y1), (x2, y2, x3, y3), (x0, x1, y0, y1), (x2, x3, y2, y3)
inline f32x4 interleave_low(f32x4 x, f32x4 y) { return wasm_i32x4_shuffle(x, y, 0, 4, 1, 5); }
inline f32x4 interleave_high(f32x4 x, f32x4 y) { return wasm_i32x4_shuffle(x, y, 2, 6, 3, 7); }
inline f32x4 low_halves(f32x4 x, f32x4 y) { return wasm_i32x4_shuffle(x, y, 0, 1, 4, 5); }
inline f32x4 high_halves(f32x4 x, f32x4 y) { return wasm_i32x4_shuffle(x, y, 2, 3, 6, 7); }
#else
typedef float f32x4 __attribute__((vector_size(16)));
inline f32x4 load4(const float* p) {
  f32x4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline f32x4 splat4(const float* p) { return f32x4{*p, *p, *p, *p}; }
inline f32x4 zero4() { return f32x4{0, 0, 0, 0}; }
inline f32x4 add4(f32x4 x, f32x4 y) { return x + y; }
inline f32x4 mul4(f32x4 x, f32x4 y) { return x * y; }
inline void store4(float* p, f32x4 v) { std::memcpy(p, &v, sizeof v); }
inline f32x4 interleave_low(f32x4 x, f32x4 y) { return __builtin_shufflevector(x, y, 0, 4, 1, 5); }
inline f32x4 interleave_high(f32x4 x, f32x4 y) { return __builtin_shufflevector(x, y, 2, 6, 3, 7); }
inline f32x4 low_halves(f32x4 x, f32x4 y) { return __builtin_shufflevector(x, y, 0, 1, 4, 5); }
inline f32x4 high_halves(f32x4 x, f32x4 y) { return __builtin_shufflevector(x, y, 2, 3, 6, 7); }
#endif

// C[0..MR) x [0..8) (row stride ldc) = (accumulate ? C : 0) + (bias ? bias[0..8) : 0)
//                                      + Σ_p a[p·MR + r] · b[p·8 + c]
__attribute__((noinline)) void micro_kernel(int kc, const float* a, const float* b, float* c, int ldc,
                                            const float* bias, bool accumulate) {
  f32x4 acc[MR][2];
  const f32x4 init0 = bias ? load4(bias) : zero4();
  const f32x4 init1 = bias ? load4(bias + 4) : zero4();
  for (int r = 0; r < MR; ++r) {
    acc[r][0] = init0;
    acc[r][1] = init1;
  }
  for (int p = 0; p < kc; ++p) {
    const f32x4 b0 = load4(b);
    const f32x4 b1 = load4(b + 4);
    for (int r = 0; r < MR; ++r) {
      const f32x4 ar = splat4(a + r);
      acc[r][0] = add4(acc[r][0], mul4(ar, b0));
      acc[r][1] = add4(acc[r][1], mul4(ar, b1));
    }
    a += MR;
    b += NR;
  }
  for (int r = 0; r < MR; ++r) {
    float* row = c + r * ldc;
    if (accumulate) {
      store4(row, add4(load4(row), acc[r][0]));
      store4(row + 4, add4(load4(row + 4), acc[r][1]));
    } else {
      store4(row, acc[r][0]);
      store4(row + 4, acc[r][1]);
    }
  }
}

// op(A)[i, p] and op(B)[p, j] of the stored row-major matrices.
inline float a_at(const GemmShape& s, const float* a, int i, int p) {
  return s.transpose_a ? a[static_cast<long>(p) * s.lda + i] : a[static_cast<long>(i) * s.lda + p];
}

// op(A) rows [i0, i0 + mc), inner [p0, p0 + kc) into panels of MR rows: panel q holds
// to[q·kc·MR + p·MR + r] = op(A)[i0 + q·MR + r, p0 + p], rows past mc are 0.
void pack_a(const GemmShape& s, const float* a, int i0, int mc, int p0, int kc, float* to) {
  for (int q = 0; q < mc; q += MR) {
    const int rows = std::min(MR, mc - q);
    float* panel = to + static_cast<long>(q) * kc;
    if (s.transpose_a) {
      // op(A)[i, p] = A[p, i]: the MR values of one p are contiguous in A.
      for (int p = 0; p < kc; ++p) {
        const float* from = a + static_cast<long>(p0 + p) * s.lda + i0 + q;
        float* out = panel + p * MR;
        int r = 0;
        for (; r < rows; ++r) out[r] = from[r];
        for (; r < MR; ++r) out[r] = 0.0f;
      }
    } else {
      int p_done = 0;
      if (rows == MR) {
        // Four p at a time: a 4 x 4 transpose of rows 0–3 gives four (r0..r3)[p] vectors, each
        // stored at the start of its MR-float group; rows 4.. fill the rest one by one (against
        // the scalar scatter alone: W4 +6–8 % in wasm, docs/notes/bench.md).
        const float* from[MR];
        for (int r = 0; r < MR; ++r) from[r] = a + static_cast<long>(i0 + q + r) * s.lda + p0;
        for (; p_done + 4 <= kc; p_done += 4) {
          const int p = p_done;
          const f32x4 r0 = load4(from[0] + p), r1 = load4(from[1] + p);
          const f32x4 r2 = load4(from[2] + p), r3 = load4(from[3] + p);
          const f32x4 t0 = interleave_low(r0, r1), t1 = interleave_low(r2, r3);
          const f32x4 t2 = interleave_high(r0, r1), t3 = interleave_high(r2, r3);
          float* out = panel + p * MR;
          store4(out, low_halves(t0, t1));
          store4(out + MR, high_halves(t0, t1));
          store4(out + 2 * MR, low_halves(t2, t3));
          store4(out + 3 * MR, high_halves(t2, t3));
          for (int r = 4; r < MR; ++r) {
            for (int j = 0; j < 4; ++j) out[j * MR + r] = from[r][p + j];
          }
        }
      }
      for (int r = 0; r < rows; ++r) {
        const float* from = a + static_cast<long>(i0 + q + r) * s.lda + p0;
        for (int p = p_done; p < kc; ++p) panel[p * MR + r] = from[p];
      }
      for (int r = rows; r < MR; ++r) {
        for (int p = p_done; p < kc; ++p) panel[p * MR + r] = 0.0f;
      }
    }
  }
}

// op(B) inner [p0, p0 + kc), columns [j0, j0 + nc) into panels of 8 columns: panel q holds
// to[q·kc·8 + p·8 + c] = op(B)[p0 + p, j0 + q·8 + c], columns past nc are 0.
void pack_b(const GemmShape& s, const float* b, int p0, int kc, int j0, int nc, float* to) {
  for (int q = 0; q < nc; q += NR) {
    const int cols = std::min(NR, nc - q);
    float* panel = to + static_cast<long>(q) * kc;
    if (s.transpose_b) {
      // op(B)[p, j] = B[j, p]: read each stored row contiguously, write a column of the panel.
      for (int c = 0; c < cols; ++c) {
        const float* from = b + static_cast<long>(j0 + q + c) * s.ldb + p0;
        for (int p = 0; p < kc; ++p) panel[p * NR + c] = from[p];
      }
      for (int c = cols; c < NR; ++c) {
        for (int p = 0; p < kc; ++p) panel[p * NR + c] = 0.0f;
      }
    } else if (cols == NR) {
      for (int p = 0; p < kc; ++p) {
        const float* from = b + static_cast<long>(p0 + p) * s.ldb + j0 + q;
        store4(panel + p * NR, load4(from));
        store4(panel + p * NR + 4, load4(from + 4));
      }
    } else {
      for (int p = 0; p < kc; ++p) {
        const float* from = b + static_cast<long>(p0 + p) * s.ldb + j0 + q;
        int c = 0;
        for (; c < cols; ++c) panel[p * NR + c] = from[c];
        for (; c < NR; ++c) panel[p * NR + c] = 0.0f;
      }
    }
  }
}

// Grow-only workspaces: after the first step at a batch size no product allocates.
struct Workspace {
  std::vector<float> a, b;
  float* sized(std::vector<float>& v, std::size_t n) {
    if (v.size() < n) v.resize(n);
    return v.data();
  }
};
Workspace& workspace() {
  static thread_local Workspace w;
  return w;
}

// C = bias (or 0) when there is no inner dimension to multiply over.
void fill_without_product(const GemmShape& s, float* c, const float* bias, bool accumulate) {
  for (int i = 0; i < s.m; ++i) {
    float* row = c + static_cast<long>(i) * s.ldc;
    for (int j = 0; j < s.n; ++j) row[j] = (accumulate ? row[j] : 0.0f) + (bias ? bias[j] : 0.0f);
  }
}

}  // namespace

int gemm_tile_rows() { return MR; }

void sgemm(const GemmShape& s, const float* a, const float* b, float* c, const float* bias, bool accumulate) {
  if (s.m <= 0 || s.n <= 0) return;
  if (s.k <= 0) return fill_without_product(s, c, bias, accumulate);
  Workspace& w = workspace();
  const int nc_max = std::min(NC, (s.n + NR - 1) / NR * NR);
  const int kc_max = std::min(KC, s.k);
  const int mc_max = std::min(MC, (s.m + MR - 1) / MR * MR);
  float* packed_b = w.sized(w.b, static_cast<std::size_t>(kc_max) * nc_max);
  float* packed_a = w.sized(w.a, static_cast<std::size_t>(kc_max) * mc_max);
  float edge_tile[MR * NR];
  float edge_bias[NR];

  for (int j0 = 0; j0 < s.n; j0 += NC) {
    const int nc = std::min(NC, s.n - j0);
    for (int p0 = 0; p0 < s.k; p0 += KC) {
      const int kc = std::min(KC, s.k - p0);
      // The first inner block starts C (from the bias, or adds to C); later blocks add to it.
      const bool first = p0 == 0;
      const bool add = accumulate || !first;
      pack_b(s, b, p0, kc, j0, nc, packed_b);
      for (int i0 = 0; i0 < s.m; i0 += MC) {
        const int mc = std::min(MC, s.m - i0);
        pack_a(s, a, i0, mc, p0, kc, packed_a);
        for (int jq = 0; jq < nc; jq += NR) {
          const int cols = std::min(NR, nc - jq);
          const float* b_panel = packed_b + static_cast<long>(jq) * kc;
          const float* tile_bias = nullptr;
          if (first && bias) {
            if (cols == NR) {
              tile_bias = bias + j0 + jq;
            } else {
              std::fill(edge_bias, edge_bias + NR, 0.0f);
              std::copy(bias + j0 + jq, bias + j0 + jq + cols, edge_bias);
              tile_bias = edge_bias;
            }
          }
          for (int iq = 0; iq < mc; iq += MR) {
            const int rows = std::min(MR, mc - iq);
            const float* a_panel = packed_a + static_cast<long>(iq) * kc;
            float* c_tile = c + static_cast<long>(i0 + iq) * s.ldc + j0 + jq;
            if (rows == MR && cols == NR) {
              micro_kernel(kc, a_panel, b_panel, c_tile, s.ldc, tile_bias, add);
            } else {
              // Partial tile: compute the whole tile into a buffer, then write the valid part.
              micro_kernel(kc, a_panel, b_panel, edge_tile, NR, tile_bias, false);
              for (int r = 0; r < rows; ++r) {
                float* row = c_tile + static_cast<long>(r) * s.ldc;
                for (int col = 0; col < cols; ++col) row[col] = (add ? row[col] : 0.0f) + edge_tile[r * NR + col];
              }
            }
          }
        }
      }
    }
  }
}

void sgemm_reference(const GemmShape& s, const float* a, const float* b, float* c, const float* bias, bool accumulate) {
  for (int i = 0; i < s.m; ++i) {
    for (int j = 0; j < s.n; ++j) {
      double sum = bias ? bias[j] : 0.0;
      for (int p = 0; p < s.k; ++p) {
        const double bv = s.transpose_b ? b[static_cast<long>(j) * s.ldb + p] : b[static_cast<long>(p) * s.ldb + j];
        sum += static_cast<double>(a_at(s, a, i, p)) * bv;
      }
      float& out = c[static_cast<long>(i) * s.ldc + j];
      out = static_cast<float>(accumulate ? out + sum : sum);
    }
  }
}

}  // namespace trainscope::kernels
