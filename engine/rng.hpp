// The engine's only source of randomness.
//
// mulberry32 (a 32-bit state generator) with Box–Muller normals, exactly as ../shared/BENCHMARKS.md
// specifies, so that data and weights can be reproduced bit for bit by a few lines of JavaScript in
// any other engine. std:: distributions are avoided on purpose: libstdc++ and libc++ implement them
// differently, and the native and wasm builds must draw the same numbers.
#pragma once

#include <cmath>
#include <cstdint>

namespace trainscope {

class Rng {
 public:
  explicit Rng(std::uint32_t seed = 0) : state_(seed) {}

  // Uniform double in [0, 1):
  //   a += 0x6D2B79F5; t = imul(a ^ (a >>> 15), 1 | a);
  //   t = (t + imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 2^32
  double uniform() {
    state_ += 0x6D2B79F5u;
    std::uint32_t t = state_;
    t = (t ^ (t >> 15)) * (1u | t);
    t = (t + ((t ^ (t >> 7)) * (61u | t))) ^ t;
    return static_cast<double>(t ^ (t >> 14)) / 4294967296.0;
  }

  // Uniform double in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  // Standard normal from two uniforms, Box–Muller cosine branch only:
  //   sqrt(-2 ln(1 - u1)) · cos(2π u2)      (1 - u1 is in (0, 1], so the log is finite)
  double normal() {
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(6.283185307179586 * u2);
  }

  // Uniform integer in [0, n), n > 0.
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(uniform() * n); }

  std::uint32_t state() const { return state_; }

  // Derives an independent stream for one purpose (data, init, batches, dropout) from the run's
  // single seed, so that e.g. changing the dropout rate does not change the initial weights.
  static Rng stream(std::uint32_t seed, std::uint32_t purpose) {
    Rng mix(seed ^ (0x9E3779B9u * (purpose + 1u)));
    const double u = mix.uniform();
    return Rng(static_cast<std::uint32_t>(u * 4294967296.0) ^ seed);
  }

 private:
  std::uint32_t state_;
};

// Purposes for Rng::stream.
enum class RngStream : std::uint32_t { kData = 0, kInit = 1, kBatches = 2, kDropout = 3, kProbe = 4 };

}  // namespace trainscope
