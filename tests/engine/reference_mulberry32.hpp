// An independent mulberry32 + Box–Muller for tests, written the way JavaScript computes it
// (signed 32-bit state, Math.imul, unsigned shifts), so that engine code drawing from Rng can be
// checked against the BENCHMARKS.md definition rather than against itself.
#pragma once

#include <cmath>
#include <cstdint>

namespace trainscope_test {

constexpr double kPi = 3.14159265358979323846;

// mulberry32 as JavaScript computes it: int32 state, Math.imul, unsigned shifts.
class ReferenceMulberry32 {
 public:
  explicit ReferenceMulberry32(std::int32_t seed) : a_(seed) {}
  double rand() {
    a_ = wrap(static_cast<std::int64_t>(a_) + 0x6D2B79F5);
    std::int32_t t = imul(a_ ^ static_cast<std::int32_t>(unsigned_shift(a_, 15)), 1 | a_);
    t = wrap(static_cast<std::int64_t>(t) + imul(t ^ static_cast<std::int32_t>(unsigned_shift(t, 7)), 61 | t)) ^ t;
    return static_cast<double>(unsigned_shift(t, 0) ^ unsigned_shift(t, 14)) / 4294967296.0;
  }
  double randn() {
    const double u1 = rand();
    const double u2 = rand();
    return std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(2.0 * kPi * u2);
  }

 private:
  static std::int32_t wrap(std::int64_t value) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(static_cast<std::uint64_t>(value) & 0xFFFFFFFFu));
  }
  static std::int32_t imul(std::int32_t a, std::int32_t b) {
    return wrap(static_cast<std::int64_t>(a) * static_cast<std::int64_t>(b));
  }
  static std::uint32_t unsigned_shift(std::int32_t value, int bits) { return static_cast<std::uint32_t>(value) >> bits; }
  std::int32_t a_;
};

}  // namespace trainscope_test
