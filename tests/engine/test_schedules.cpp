// Learning-rate schedules and warm-up at specific steps, values worked out by hand.
#include <doctest/doctest.h>

#include <cmath>

#include "optim/optimizer.hpp"

using namespace trainscope;

namespace {

TrainConfig schedule(const std::string& name) {
  TrainConfig train;
  train.lr = 0.1;
  train.schedule = name;
  train.decay_steps = 10;
  train.gamma = 0.5;
  train.min_lr = 0.01;
  train.warmup = 0;
  return train;
}

// Every rate here is below 1, where doctest's default Approx (scale 1) is an absolute ±1.2e-5, wide
// enough to pass a wrong formula at 0.01: compare relative to the rate instead.
doctest::Approx rate(double expected) { return doctest::Approx(expected).epsilon(1e-12).scale(0); }

}  // namespace

TEST_CASE("constant schedule") {
  const TrainConfig train = schedule("constant");
  CHECK(scheduled_lr(train, 0) == rate(0.1));
  CHECK(scheduled_lr(train, 12345) == rate(0.1));
}

TEST_CASE("step schedule: lr*gamma^floor(t/decay_steps)") {
  const TrainConfig train = schedule("step");
  CHECK(scheduled_lr(train, 0) == rate(0.1));
  CHECK(scheduled_lr(train, 9) == rate(0.1));     // ⌊9/10⌋ = 0
  CHECK(scheduled_lr(train, 10) == rate(0.05));   // 0.1·0.5
  CHECK(scheduled_lr(train, 25) == rate(0.025));  // ⌊25/10⌋ = 2: 0.1·0.25
}

TEST_CASE("exponential schedule: lr*gamma^(t/decay_steps)") {
  const TrainConfig train = schedule("exponential");
  CHECK(scheduled_lr(train, 0) == rate(0.1));
  CHECK(scheduled_lr(train, 5) == rate(0.1 / std::sqrt(2.0)));  // 0.5^0.5 = 0.7071068
  CHECK(scheduled_lr(train, 20) == rate(0.025));                // 0.5² = 0.25
}

TEST_CASE("cosine schedule: min_lr + (lr-min_lr)*(1+cos(pi*min(t,T)/T))/2") {
  const TrainConfig train = schedule("cosine");
  CHECK(scheduled_lr(train, 0) == rate(0.1));    // cos 0 = 1: lr
  CHECK(scheduled_lr(train, 5) == rate(0.055));  // cos(π/2) = 0: 0.01 + 0.09·½
  // t = 2: cos(π/5) = 0.809017: 0.01 + 0.09·0.9045085 = 0.0914058
  CHECK(scheduled_lr(train, 2) == doctest::Approx(0.0914058).epsilon(1e-6).scale(0));
  CHECK(scheduled_lr(train, 10) == rate(0.01));  // cos π = −1: min_lr
  CHECK(scheduled_lr(train, 30) == rate(0.01));  // held at the floor after T
}

TEST_CASE("linear warm-up multiplies by (t+1)/warmup for t < warmup") {
  TrainConfig train = schedule("constant");
  train.warmup = 4;
  CHECK(scheduled_lr(train, 0) == rate(0.025));  // 0.1·1/4
  CHECK(scheduled_lr(train, 1) == rate(0.05));   // 0.1·2/4
  CHECK(scheduled_lr(train, 3) == rate(0.1));    // 0.1·4/4
  CHECK(scheduled_lr(train, 4) == rate(0.1));    // warm-up over
  SUBCASE("warm-up composes with a schedule") {
    train.schedule = "step";
    train.decay_steps = 2;
    train.warmup = 4;
    // t = 2: step gives 0.1·0.5 = 0.05, warm-up factor 3/4: 0.0375
    CHECK(scheduled_lr(train, 2) == rate(0.0375));
    // t = 4: 0.1·0.5² = 0.025, no warm-up
    CHECK(scheduled_lr(train, 4) == rate(0.025));
  }
}

TEST_CASE("cosine with warm-up: the cosine runs over t - warmup, so the warm-up ends at lr") {
  TrainConfig train = schedule("cosine");  // lr 0.1, min_lr 0.01, decay_steps 10
  train.warmup = 6;
  // t = 5, the last warm-up step: cosine at t' = 0 is lr; warm-up factor 6/6.
  CHECK(scheduled_lr(train, 5) == doctest::Approx(0.1).scale(0).epsilon(1e-12));
  // t = 2: cosine at t' = 0 (lr) times 3/6.
  CHECK(scheduled_lr(train, 2) == doctest::Approx(0.05).scale(0).epsilon(1e-12));
  // t = 11: t' = 5, cos(π/2) = 0: 0.01 + 0.09·½ = 0.055; t = 16: t' = 10: min_lr.
  CHECK(scheduled_lr(train, 11) == doctest::Approx(0.055).scale(0).epsilon(1e-12));
  CHECK(scheduled_lr(train, 16) == doctest::Approx(0.01).scale(0).epsilon(1e-12));
}

TEST_CASE("unknown schedule throws") {
  CHECK_THROWS_AS(scheduled_lr(schedule("triangle"), 0), ConfigError);
}
