// Inverted dropout: kept units scaled by 1/q, zeros ≈ p, expected value preserved, identity in
// eval mode and at p = 0, backward uses the forward's mask (finite differences with a fixed mask).
#include <doctest/doctest.h>

#include "gradcheck.hpp"
#include "layers/dropout.hpp"

using namespace trainscope;

TEST_CASE("dropout: inverted scaling, zero fraction and expected value") {
  const double p = 0.3, keep = 0.7;
  Dropout<double> dropout(p);
  const Matrix<double> x = test::pattern_matrix(200, 500, 3, 0.5, 1.5);  // 100 000 entries, none 0
  Rng rng(11);
  const Matrix<double> y = dropout.forward(x, Mode::kTrain, &rng);
  Index zeros = 0;
  bool scaled = true;
  for (Index k = 0; k < x.size(); ++k) {
    if (y.data()[k] == 0.0) {
      ++zeros;
    } else {
      scaled = scaled && y.data()[k] == x.data()[k] * (1.0 / keep);  // exactly x / q
    }
  }
  CHECK(scaled);
  // Binomial(100 000, 0.3): std of the fraction = sqrt(0.3·0.7/1e5) ≈ 0.00145; allow 5 std, i.e.
  // ±0.0073 absolute = 0.0073/p relative (scale 0: doctest's default scale 1 would allow ±0.03).
  const double zero_fraction = double(zeros) / double(x.size());
  CHECK(zero_fraction == doctest::Approx(p).epsilon(0.0073 / p).scale(0));
  // E[y] = x: the means (about 1) agree to 1% relative, about 5 standard errors (0.2% each).
  CHECK(y.mean() == doctest::Approx(x.mean()).epsilon(0.01).scale(0));
}

TEST_CASE("dropout: eval mode and p = 0 are the identity and draw nothing") {
  Dropout<double> dropout(0.5);
  const Matrix<double> x = test::pattern_matrix(4, 5, 1);
  Rng rng(3);
  const std::uint32_t before = rng.state();
  CHECK(&dropout.forward(x, Mode::kEval, &rng) == &x);
  CHECK(rng.state() == before);
  dropout.set_drop_probability(0.0);
  CHECK(&dropout.forward(x, Mode::kTrain, &rng) == &x);
  CHECK(rng.state() == before);
  CHECK_THROWS_WITH_AS(dropout.set_drop_probability(-0.1),
                       doctest::Contains("model.dropout: must be in [0, 1)"), ConfigError);
  dropout.set_drop_probability(0.5);
  CHECK_THROWS_WITH_AS(dropout.forward(x, Mode::kTrain, nullptr),
                       doctest::Contains("dropout in train mode needs a random number generator"),
                       std::invalid_argument);
}

TEST_CASE("dropout: backward applies the forward mask; gradient check with a fixed mask") {
  Dropout<double> dropout(0.5);
  Matrix<double> x = test::pattern_matrix(6, 5, 2);
  const Matrix<double> upstream = test::pattern_matrix(6, 5, 4);
  const Rng seed(21);
  auto loss = [&]() {
    Rng rng = seed;  // same rng state → same mask for every evaluation
    return (dropout.forward(x, Mode::kTrain, &rng).array() * upstream.array()).sum();
  };
  Rng rng = seed;
  const Matrix<double> y = dropout.forward(x, Mode::kTrain, &rng);
  const Matrix<double> dx = dropout.backward(x, upstream, true);
  for (Index k = 0; k < x.size(); ++k) {
    CHECK(dx.data()[k] == (y.data()[k] == 0.0 ? 0.0 : 2.0 * upstream.data()[k]));
  }
  const auto check = test::check_gradient(x.data(), dx.data(), static_cast<std::size_t>(x.size()), loss);
  MESSAGE(test::describe("dropout dx", check));
  CHECK(check.max_rel_error < 1e-7);
}
