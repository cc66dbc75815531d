// The build itself: the wasm SIMD build really vectorizes Eigen (and the no-SIMD build really
// does not), vectorized GEMM agrees with a scalar loop, and Rng draws exactly the mulberry32
// numbers of BENCHMARKS.md on every target.
#include <doctest/doctest.h>

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <vector>

#include "rng.hpp"
#include "tensor.hpp"

namespace {

// What the compiler actually did, as values a test can look at.
#ifdef EIGEN_VECTORIZE
constexpr bool kEigenVectorizes = true;
#else
constexpr bool kEigenVectorizes = false;
#endif
#ifdef __wasm_simd128__
constexpr bool kWasmSimd128 = true;
#else
constexpr bool kWasmSimd128 = false;
#endif

// Independent mulberry32: 64-bit signed integers holding 32-bit values, masked after every step,
// and a 32-bit multiply assembled from 16-bit halves (the way Math.imul is polyfilled), so it
// shares no arithmetic trick with Rng's uint32 wrap-around.
class ReferenceMulberry32 {
 public:
  explicit ReferenceMulberry32(std::int64_t seed) : a_(seed & kMask) {}

  double next() {
    a_ = (a_ + 0x6D2B79F5) & kMask;
    std::int64_t t = multiply_low32(a_ ^ (a_ >> 15), 1 | a_);
    t = ((t + multiply_low32(t ^ (t >> 7), 61 | t)) & kMask) ^ t;
    return static_cast<double>((t ^ (t >> 14)) & kMask) / 4294967296.0;
  }

 private:
  static constexpr std::int64_t kMask = 0xFFFFFFFF;

  // (x·y) mod 2³² for 0 ≤ x, y < 2³²: x·y = x·y_low + 2¹⁶·x·y_high; only the low 16 bits of
  // x·y_high survive the shift, and every partial product stays below 2⁴⁸.
  static std::int64_t multiply_low32(std::int64_t x, std::int64_t y) {
    const std::int64_t low = x * (y & 0xFFFF);
    const std::int64_t high = ((x * (y >> 16)) & 0xFFFF) << 16;
    return (low + high) & kMask;
  }

  std::int64_t a_;
};

}  // namespace

TEST_CASE("the wasm builds vectorize Eigen exactly when they are meant to") {
  INFO("Eigen instruction sets in use: " << Eigen::SimdInstructionSetsInUse());
#if defined(__EMSCRIPTEN__) && defined(TRAINSCOPE_EXPECT_SIMD)
  // wasm-release: the SSE recipe of TOOLCHAIN.md must switch Eigen's packet math on, with
  // 4-float packets carried by wasm SIMD128.
  CHECK(kEigenVectorizes);
  CHECK(kWasmSimd128);
  CHECK(Eigen::internal::packet_traits<float>::size == 4);
#elif defined(__EMSCRIPTEN__)
  // wasm-nosimd: the fallback for browsers without wasm SIMD must contain no SIMD opcode.
  CHECK_FALSE(kEigenVectorizes);
  CHECK_FALSE(kWasmSimd128);
#else
  // Native x86-64: SSE2 is part of the baseline, so Eigen always vectorizes.
  CHECK(kEigenVectorizes);
  CHECK_FALSE(kWasmSimd128);
#endif
}

TEST_CASE("Eigen's (possibly vectorized) GEMM agrees with a scalar triple loop") {
  // Odd sizes so that the packet kernels' remainder paths run too.
  const int rows = 37, inner = 29, cols = 41;
  trainscope::Rng rng(7);
  trainscope::Matrix<float> a(rows, inner), b(inner, cols);
  for (int i = 0; i < rows; ++i)
    for (int k = 0; k < inner; ++k) a(i, k) = static_cast<float>(rng.uniform(-1.0, 1.0));
  for (int k = 0; k < inner; ++k)
    for (int j = 0; j < cols; ++j) b(k, j) = static_cast<float>(rng.uniform(-1.0, 1.0));

  trainscope::Matrix<float> product(rows, cols);
  product.noalias() = a * b;

  double worst_difference = 0;
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      double expected = 0;
      for (int k = 0; k < inner; ++k) expected += static_cast<double>(a(i, k)) * static_cast<double>(b(k, j));
      worst_difference = std::fmax(worst_difference, std::fabs(expected - static_cast<double>(product(i, j))));
    }
  }
  INFO("worst |Eigen − scalar| = " << worst_difference);
  // 29 float products of magnitude ≤ 1: float rounding stays far below 1e-4.
  CHECK(worst_difference < 1e-4);
}

TEST_CASE("Rng reproduces mulberry32 from BENCHMARKS.md") {
  SUBCASE("matches an independent 64-bit reimplementation over many draws and seeds") {
    for (std::uint32_t seed : {0u, 1u, 42u, 1337u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu}) {
      trainscope::Rng rng(seed);
      ReferenceMulberry32 reference(static_cast<std::int64_t>(seed));
      for (int draw = 0; draw < 1000; ++draw) {
        const double expected = reference.next();
        const double actual = rng.uniform();
        if (actual != expected) {
          INFO("seed " << seed << ", draw " << draw);
          REQUIRE(actual == expected);
        }
      }
    }
  }

  SUBCASE("matches literal values printed by the JavaScript formula") {
    // Obtained by running the JS mulberry32 of BENCHMARKS.md in node 20:
    //   mulberry32(42) → 2581720956, 1925393290, 3661312704, 2876485805 (each · 2⁻³²)
    //   mulberry32(4294967295) → 3850105811 · 2⁻³²
    //   first normal of mulberry32(42), sqrt(-2 ln(1 − u1))·cos(2π u2) → -1.2848381576290195
    trainscope::Rng rng(42);
    CHECK(rng.uniform() == 2581720956.0 / 4294967296.0);
    CHECK(rng.uniform() == 1925393290.0 / 4294967296.0);
    CHECK(rng.uniform() == 3661312704.0 / 4294967296.0);
    CHECK(rng.uniform() == 2876485805.0 / 4294967296.0);

    trainscope::Rng max_seed(4294967295u);
    CHECK(max_seed.uniform() == 3850105811.0 / 4294967296.0);

    // log and cos may differ in the last bit between libm implementations.
    trainscope::Rng normal_rng(42);
    CHECK(normal_rng.normal() == doctest::Approx(-1.2848381576290195).epsilon(1e-14));
  }
}
