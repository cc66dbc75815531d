// Mini-batch order: shuffled epochs (seeded Fisher–Yates, checked against an independent
// generator), the unshuffled wrapping order of BENCHMARKS.md, batch-size clamping, and gathering
// rows into a preallocated matrix.
#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "data/batcher.hpp"
#include "reference_mulberry32.hpp"

using namespace trainscope;

namespace {

// The whole index stream of `batches` consecutive batches.
std::vector<int> stream(Batcher& batcher, int batches) {
  std::vector<int> indices;
  for (int b = 0; b < batches; ++b) {
    const std::vector<int>& batch = batcher.next();
    indices.insert(indices.end(), batch.begin(), batch.end());
  }
  return indices;
}

}  // namespace

TEST_CASE("shuffled batches cover every example once per epoch") {
  // N = 10, B = 3: 10 batches = 30 indices = exactly 3 epochs; batches 4, 7 straddle epochs.
  Batcher batcher(10, 3, true, Rng(21));
  CHECK(batcher.batch_size() == 3);
  const std::vector<int> indices = stream(batcher, 10);
  CHECK(batcher.epochs_completed() == 3);
  std::vector<int> identity(10);
  std::iota(identity.begin(), identity.end(), 0);
  for (int epoch = 0; epoch < 3; ++epoch) {
    INFO("epoch " << epoch);
    std::vector<int> seen(indices.begin() + epoch * 10, indices.begin() + epoch * 10 + 10);
    std::sort(seen.begin(), seen.end());
    CHECK(seen == identity);
  }
  // Each epoch is a fresh Fisher–Yates of the identity: for i = N−1..1, j = ⌊rand·(i+1)⌋, swap.
  trainscope_test::ReferenceMulberry32 reference(21);
  std::vector<int> expected;
  for (int epoch = 0; epoch < 3; ++epoch) {
    std::vector<int> order = identity;
    for (int i = 9; i > 0; --i) std::swap(order[i], order[static_cast<int>(reference.rand() * (i + 1))]);
    expected.insert(expected.end(), order.begin(), order.end());
  }
  CHECK(indices == expected);
  // Successive epochs use different permutations.
  CHECK(std::vector<int>(indices.begin(), indices.begin() + 10) != std::vector<int>(indices.begin() + 10, indices.begin() + 20));
}

TEST_CASE("shuffled order depends on the seed only") {
  Batcher first(50, 7, true, Rng(5));
  Batcher same(50, 7, true, Rng(5));
  Batcher other(50, 7, true, Rng(6));
  const std::vector<int> a = stream(first, 20);
  CHECK(a == stream(same, 20));
  CHECK(a != stream(other, 20));
  SUBCASE("restart with the same rng replays the stream") {
    first.restart(Rng(5));
    CHECK(stream(first, 20) == a);
    CHECK(first.epochs_completed() == 2);  // 140 indices = 2 full epochs of 50
  }
}

TEST_CASE("unshuffled batches wrap: batch i = examples i*B ... i*B+B-1 mod N") {
  SUBCASE("N = 10, B = 4") {
    Batcher batcher(10, 4, false, Rng(1));
    CHECK(batcher.next() == std::vector<int>{0, 1, 2, 3});
    CHECK(batcher.next() == std::vector<int>{4, 5, 6, 7});
    CHECK(batcher.next() == std::vector<int>{8, 9, 0, 1});
    CHECK(batcher.next() == std::vector<int>{2, 3, 4, 5});
  }
  SUBCASE("N = 8B: step s uses batch s mod 8 (BENCHMARKS.md protocol)") {
    const int batch = 64;
    Batcher batcher(8 * batch, batch, false, Rng(1));
    for (int s = 0; s < 20; ++s) {
      const std::vector<int>& indices = batcher.next();
      INFO("step " << s);
      CHECK(indices.front() == (s % 8) * batch);
      CHECK(indices.back() == (s % 8) * batch + batch - 1);
    }
  }
}

TEST_CASE("batch size is clamped to the number of examples") {
  Batcher batcher(5, 32, true, Rng(3));
  CHECK(batcher.batch_size() == 5);
  std::vector<int> batch = batcher.next();
  std::sort(batch.begin(), batch.end());
  CHECK(batch == std::vector<int>{0, 1, 2, 3, 4});  // one batch = one whole epoch
  CHECK(batcher.epochs_completed() == 1);
}

TEST_CASE("invalid batcher arguments throw") {
  CHECK_THROWS_WITH_AS(Batcher(0, 4, true, Rng(1)), doctest::Contains("needs at least one example"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Batcher(4, 0, true, Rng(1)), doctest::Contains("batch size must be >= 1"),
                       std::invalid_argument);
}

TEST_CASE("gather_rows copies the batch rows into a preallocated matrix") {
  Matrix<float> source(4, 3);
  source << 0, 1, 2,  //
      10, 11, 12,     //
      20, 21, 22,     //
      30, 31, 32;
  Matrix<float> destination;
  const std::vector<int> first = {3, 1};
  gather_rows(source, first, destination);
  REQUIRE(destination.rows() == 2);
  REQUIRE(destination.cols() == 3);
  CHECK(destination(0, 0) == 30.0f);
  CHECK(destination(0, 2) == 32.0f);
  CHECK(destination(1, 1) == 11.0f);
  const float* storage = destination.data();
  const std::vector<int> second = {0, 2};
  gather_rows(source, second, destination);
  CHECK(destination.data() == storage);  // same shape: no reallocation
  CHECK(destination(0, 1) == 1.0f);
  CHECK(destination(1, 2) == 22.0f);
  SUBCASE("into another scalar type (double, for gradient checks)") {
    Matrix<double> as_double;
    gather_rows(source, second, as_double);
    CHECK(as_double(1, 0) == 20.0);
  }
}
