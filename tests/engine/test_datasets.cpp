// Dataset generators and the train/validation split.
// The BENCHMARKS.md data (W1 spiral, W3 unit-Gaussian cloud) are checked against an independent
// mulberry32 (reference_mulberry32.hpp, JavaScript-style int32 arithmetic), which is itself
// pinned to values printed by the BENCHMARKS.md JavaScript snippet under node.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <set>
#include <vector>

#include "data/dataset.hpp"
#include "reference_mulberry32.hpp"

using namespace trainscope;
using trainscope_test::kPi;
using trainscope_test::ReferenceMulberry32;

namespace {

DataConfig config_for(const std::string& dataset, int samples = 600, double noise = 0.2, int classes = 3) {
  DataConfig data;
  data.dataset = dataset;
  data.samples = samples;
  data.noise = noise;
  data.classes = classes;
  data.val_fraction = 0;
  return data;
}

std::vector<int> class_counts(const Dataset& dataset) {
  std::vector<int> counts(static_cast<std::size_t>(dataset.classes), 0);
  for (int k = 0; k < dataset.rows(); ++k) ++counts.at(static_cast<std::size_t>(dataset.y(k, 0)));
  return counts;
}

double max_abs(const Matrix<float>& x) { return static_cast<double>(x.cwiseAbs().maxCoeff()); }

}  // namespace

TEST_CASE("the reference mulberry32 reproduces the JavaScript run") {
  // Values printed by node for the BENCHMARKS.md snippet with mulberry32(42), rounded to float32.
  ReferenceMulberry32 rng(42);
  // W3's first values are randn() in order.
  const double first[] = {-1.28483820, -0.945352793, -0.611280262, -0.565832615, -1.97277594};
  // Relative 1e-8 (scale 0) tells neighbouring floats apart (their spacing is ~6e-8 relative).
  for (double expected : first) {
    CHECK(static_cast<float>(rng.randn()) == doctest::Approx(expected).epsilon(1e-8).scale(0));
  }
}

TEST_CASE("spiral reproduces BENCHMARKS.md W1 exactly") {
  DataConfig data = config_for("spiral", 512, 0.2, 3);
  Rng rng(42);
  const Dataset dataset = make_dataset(data, rng);
  REQUIRE(dataset.rows() == 512);
  REQUIRE(dataset.x.cols() == 2);
  CHECK(dataset.classes == 3);
  CHECK_FALSE(dataset.regression);

  // First rows as printed by node (x0, x1, label).
  CHECK(dataset.x(0, 0) == doctest::Approx(0.342501879).epsilon(1e-8).scale(0));
  CHECK(dataset.x(0, 1) == doctest::Approx(-0.493981957).epsilon(1e-8).scale(0));
  CHECK(dataset.x(1, 0) == doctest::Approx(0.180893824).epsilon(1e-8).scale(0));
  CHECK(dataset.x(1, 1) == doctest::Approx(0.644841909).epsilon(1e-8).scale(0));
  CHECK(dataset.x(2, 0) == doctest::Approx(0.0397656746).epsilon(1e-8).scale(0));
  CHECK(dataset.x(2, 1) == doctest::Approx(-0.270318747).epsilon(1e-8).scale(0));
  CHECK(dataset.x(511, 0) == doctest::Approx(0.247076944).epsilon(1e-8).scale(0));
  CHECK(dataset.x(511, 1) == doctest::Approx(0.632022977).epsilon(1e-8).scale(0));

  // Every row, bit for bit, against the formula evaluated with the reference generator:
  //   c = k mod 3; r = rand(); θ = 4c + 4r + 0.2·randn(); x = (r sin θ, r cos θ)
  ReferenceMulberry32 reference(42);
  int mismatches = 0;
  for (int k = 0; k < 512; ++k) {
    const int c = k % 3;
    const double r = reference.rand();
    const double theta = 4.0 * c + 4.0 * r + 0.2 * reference.randn();
    mismatches += dataset.x(k, 0) != static_cast<float>(r * std::sin(theta));
    mismatches += dataset.x(k, 1) != static_cast<float>(r * std::cos(theta));
    mismatches += dataset.y(k, 0) != static_cast<float>(c);
  }
  CHECK(mismatches == 0);
}

TEST_CASE("gaussian_cloud reproduces BENCHMARKS.md W3 exactly") {
  DataConfig data = config_for("gaussian_cloud", 800, 0.2, 10);
  data.dims = 500;
  Rng rng(42);
  const Dataset dataset = make_dataset(data, rng);
  REQUIRE(dataset.rows() == 800);
  REQUIRE(dataset.x.cols() == 500);
  CHECK(dataset.x(0, 0) == doctest::Approx(-1.28483820).epsilon(1e-8).scale(0));
  CHECK(dataset.x(0, 4) == doctest::Approx(-1.97277594).epsilon(1e-8).scale(0));
  CHECK(dataset.x(1, 0) == doctest::Approx(0.0241306741).epsilon(1e-8).scale(0));      // value 500: row-major
  CHECK(dataset.x(799, 499) == doctest::Approx(-0.135072604).epsilon(1e-8).scale(0));  // the last value
  ReferenceMulberry32 reference(42);
  int mismatches = 0;
  for (int k = 0; k < 800; ++k) {
    for (int j = 0; j < 500; ++j) mismatches += dataset.x(k, j) != static_cast<float>(reference.randn());
    mismatches += dataset.y(k, 0) != static_cast<float>(k % 10);
  }
  CHECK(mismatches == 0);
}

TEST_CASE("every generator: balance, range, determinism") {
  for (const char* name : {"spiral", "circles", "xor", "gaussians", "moons", "gaussian_cloud"}) {
    INFO(name);
    const DataConfig data = config_for(name, 601, 0.2, 3);
    Rng first_rng(7);
    Rng same_rng(7);
    Rng other_rng(8);
    const Dataset dataset = make_dataset(data, first_rng);
    const Dataset same = make_dataset(data, same_rng);
    const Dataset other = make_dataset(data, other_rng);
    CHECK(dataset.rows() == 601);
    CHECK(dataset.x == same.x);
    CHECK(dataset.y == same.y);
    CHECK(dataset.x != other.x);
    CHECK(dataset.classes == dataset_outputs(data));
    const std::vector<int> counts = class_counts(dataset);
    const auto [fewest, most] = std::minmax_element(counts.begin(), counts.end());
    CHECK(*most - *fewest <= 1);
    CHECK(dataset.x.allFinite());
    if (std::string(name) != "gaussian_cloud") {
      CHECK(dataset.x.cols() == 2);
      CHECK(max_abs(dataset.x) < 2.0);  // 1.0 + a few noise standard deviations at most
      // centred: the mean of the cloud is near the origin
      CHECK(std::abs(dataset.x.col(0).cast<double>().mean()) < 0.25);
      CHECK(std::abs(dataset.x.col(1).cast<double>().mean()) < 0.25);
    }
  }
  CHECK(dataset_outputs(config_for("circles", 10, 0.1, 7)) == 2);
  CHECK(dataset_outputs(config_for("xor", 10, 0.1, 7)) == 2);
  CHECK(dataset_outputs(config_for("moons", 10, 0.1, 7)) == 2);
  CHECK(dataset_outputs(config_for("gaussians", 10, 0.1, 7)) == 7);
  CHECK(dataset_outputs(config_for("regression", 10, 0.1, 7)) == 1);
}

TEST_CASE("noise 0 puts points exactly on the clean shapes") {
  SUBCASE("spiral: angle 4c + 4r at radius r") {
    Rng rng(3);
    const Dataset dataset = make_dataset(config_for("spiral", 90, 0.0, 3), rng);
    for (int k = 0; k < 90; ++k) {
      const double x0 = dataset.x(k, 0);
      const double x1 = dataset.x(k, 1);
      const double r = std::hypot(x0, x1);
      const double theta = 4.0 * (k % 3) + 4.0 * r;
      CHECK(x0 == doctest::Approx(r * std::sin(theta)).epsilon(1e-5).scale(1.0));
      CHECK(x1 == doctest::Approx(r * std::cos(theta)).epsilon(1e-5).scale(1.0));
    }
  }
  SUBCASE("circles: radius 0.4 (class 0) and 1.0 (class 1)") {
    Rng rng(3);
    const Dataset dataset = make_dataset(config_for("circles", 50, 0.0), rng);
    for (int k = 0; k < 50; ++k) {
      const double radius = std::hypot(dataset.x(k, 0), dataset.x(k, 1));
      CHECK(radius == doctest::Approx(dataset.y(k, 0) == 0 ? 0.4 : 1.0).epsilon(1e-6).scale(0));
    }
  }
  SUBCASE("xor: sign(x)·sign(y) > 0 is class 0") {
    Rng rng(3);
    const Dataset dataset = make_dataset(config_for("xor", 200, 0.0), rng);
    for (int k = 0; k < 200; ++k) {
      const bool same_sign = (dataset.x(k, 0) >= 0) == (dataset.x(k, 1) >= 0);
      CHECK(dataset.y(k, 0) == (same_sign ? 0.0f : 1.0f));
      CHECK(max_abs(dataset.x) <= 1.0);
    }
  }
  SUBCASE("gaussians: the blob centres on the unit circle") {
    Rng rng(3);
    const Dataset dataset = make_dataset(config_for("gaussians", 8, 0.0, 4), rng);
    // K = 4: centres (1, 0), (0, 1), (−1, 0), (0, −1)
    const double centres[4][2] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
    for (int k = 0; k < 8; ++k) {
      CHECK(dataset.x(k, 0) == doctest::Approx(centres[k % 4][0]).scale(1.0));
      CHECK(dataset.x(k, 1) == doctest::Approx(centres[k % 4][1]).scale(1.0));
    }
  }
  SUBCASE("moons: two unit half circles, shifted by (−0.5, −0.25)") {
    Rng rng(3);
    const Dataset dataset = make_dataset(config_for("moons", 100, 0.0), rng);
    for (int k = 0; k < 100; ++k) {
      const double x0 = dataset.x(k, 0) + 0.5;
      const double x1 = dataset.x(k, 1) + 0.25;
      if (k % 2 == 0) {  // upper moon: centre (0, 0), y ≥ 0
        CHECK(std::hypot(x0, x1) == doctest::Approx(1.0).epsilon(1e-6));
        CHECK(x1 >= -1e-6);
      } else {  // lower moon: centre (1, 0.5), y ≤ 0.5
        CHECK(std::hypot(x0 - 1.0, x1 - 0.5) == doctest::Approx(1.0).epsilon(1e-6));
        CHECK(x1 <= 0.5 + 1e-6);
      }
    }
  }
}

TEST_CASE("noise sets the spread") {
  SUBCASE("gaussians: the per-coordinate std of each blob is the noise") {
    for (double noise : {0.1, 0.3}) {
      Rng rng(11);
      const Dataset dataset = make_dataset(config_for("gaussians", 4000, noise, 2), rng);
      // K = 2: centres (1, 0) and (−1, 0). Pooled std of the offsets from the centres.
      double sum_squares = 0;
      for (int k = 0; k < 4000; ++k) {
        const double centre = k % 2 == 0 ? 1.0 : -1.0;
        sum_squares += std::pow(dataset.x(k, 0) - centre, 2) + std::pow(dataset.x(k, 1), 2);
      }
      const double measured = std::sqrt(sum_squares / 8000.0);
      INFO("noise " << noise << " measured " << measured);
      CHECK(std::abs(measured - noise) < 0.05 * noise);
    }
  }
  SUBCASE("circles: the radial std is the noise") {
    Rng rng(11);
    const Dataset dataset = make_dataset(config_for("circles", 4000, 0.1), rng);
    double sum_squares = 0;
    for (int k = 0; k < 4000; ++k) {
      const double radius = std::hypot(dataset.x(k, 0), dataset.x(k, 1));
      sum_squares += std::pow(radius - (k % 2 == 0 ? 0.4 : 1.0), 2);
    }
    // 5% relative (scale 0; the default scale 1 would accept 0.045–0.155): the std of a sample std
    // of 4000 is about 1.1%.
    CHECK(std::sqrt(sum_squares / 4000.0) == doctest::Approx(0.1).epsilon(0.05).scale(0));
  }
}

TEST_CASE("regression: sin(pi x1)·cos(pi x2) + noise") {
  DataConfig data = config_for("regression", 300, 0.0);
  SUBCASE("one dimension") {
    data.dims = 1;
    Rng rng(5);
    const Dataset dataset = make_dataset(data, rng);
    CHECK(dataset.regression);
    CHECK(dataset.classes == 1);
    REQUIRE(dataset.x.cols() == 1);
    for (int k = 0; k < 300; ++k) {
      CHECK(std::abs(dataset.x(k, 0)) <= 1.0f);
      CHECK(dataset.y(k, 0) == doctest::Approx(std::sin(kPi * dataset.x(k, 0))).scale(1.0).epsilon(1e-5));
    }
  }
  SUBCASE("two dimensions, with the draw order x1, x2, randn") {
    data.dims = 2;
    data.noise = 0.1;
    Rng rng(5);
    const Dataset dataset = make_dataset(data, rng);
    REQUIRE(dataset.x.cols() == 2);
    ReferenceMulberry32 reference(5);
    for (int k = 0; k < 300; ++k) {
      const double x1 = -1.0 + 2.0 * reference.rand();
      const double x2 = -1.0 + 2.0 * reference.rand();
      const double target = std::sin(kPi * x1) * std::cos(kPi * x2) + 0.1 * reference.randn();
      CHECK(dataset.x(k, 0) == static_cast<float>(x1));
      CHECK(dataset.x(k, 1) == static_cast<float>(x2));
      CHECK(dataset.y(k, 0) == doctest::Approx(target).epsilon(1e-6).scale(1.0));
    }
  }
  SUBCASE("three dimensions are refused") {
    data.dims = 3;
    Rng rng(5);
    CHECK_THROWS_AS(make_dataset(data, rng), ConfigError);
  }
}

TEST_CASE("custom data is wrapped as given") {
  DataConfig data = config_for("custom", 3, 0.0, 2);
  data.dims = 2;
  data.x = {1, 2, 3, 4, 5, 6};
  data.y = {0, 1, 1};
  Rng rng(1);
  SUBCASE("labels") {
    const Dataset dataset = make_dataset(data, rng);
    REQUIRE(dataset.rows() == 3);
    CHECK(dataset.x(1, 0) == 3.0f);
    CHECK(dataset.x(2, 1) == 6.0f);
    CHECK(dataset.y(2, 0) == 1.0f);
    CHECK(dataset.classes == 2);
    CHECK_FALSE(dataset.regression);
  }
  SUBCASE("regression targets with loss mse") {
    data.y = {0.5f, -1.5f, 2.0f};
    const Dataset dataset = make_dataset(data, rng, "mse");
    CHECK(dataset.regression);
    CHECK(dataset.classes == 1);
    CHECK(dataset.y(1, 0) == -1.5f);
    CHECK(dataset_outputs(data, "mse") == 1);
  }
  SUBCASE("sizes that do not fit are refused") {
    data.x.pop_back();
    CHECK_THROWS_AS(make_dataset(data, rng), ConfigError);
  }
}

TEST_CASE("unknown dataset is refused") {
  Rng rng(1);
  CHECK_THROWS_AS(make_dataset(config_for("mnist"), rng), ConfigError);
}

namespace {

// A dataset whose single feature is the example's index, so a split can be traced.
Dataset indexed_dataset(int count) {
  Dataset dataset;
  dataset.x.resize(count, 1);
  dataset.y.resize(count, 1);
  dataset.classes = 2;
  for (int k = 0; k < count; ++k) {
    dataset.x(k, 0) = static_cast<float>(k);
    dataset.y(k, 0) = static_cast<float>(k % 2);
  }
  return dataset;
}

std::vector<int> indices_of(const Dataset& dataset) {
  std::vector<int> indices;
  for (int k = 0; k < dataset.rows(); ++k) indices.push_back(static_cast<int>(dataset.x(k, 0)));
  return indices;
}

}  // namespace

TEST_CASE("split_dataset") {
  const Dataset all = indexed_dataset(100);
  DataConfig data;
  SUBCASE("val_fraction 0 keeps the order and an empty validation set") {
    data.val_fraction = 0;
    Rng rng(9);
    const Split split = split_dataset(all, data, rng);
    std::vector<int> expected(100);
    std::iota(expected.begin(), expected.end(), 0);
    CHECK(indices_of(split.train) == expected);
    CHECK(split.val.rows() == 0);
    CHECK(split.val.x.cols() == 1);
  }
  SUBCASE("sizes, disjointness, and the seeded Fisher-Yates order") {
    data.val_fraction = 0.2;
    Rng rng(9);
    const Split split = split_dataset(all, data, rng);
    CHECK(split.train.rows() == 80);
    CHECK(split.val.rows() == 20);
    CHECK(split.train.classes == 2);
    std::set<int> seen;
    for (int index : indices_of(split.train)) seen.insert(index);
    for (int index : indices_of(split.val)) CHECK(seen.insert(index).second);  // never in both
    CHECK(seen.size() == 100);                                                 // nothing lost
    // Labels travel with their rows.
    for (int k = 0; k < split.val.rows(); ++k) CHECK(split.val.y(k, 0) == static_cast<float>(static_cast<int>(split.val.x(k, 0)) % 2));
    // Independent Fisher–Yates: for i = N−1..1, j = ⌊rand·(i+1)⌋, swap.
    std::vector<int> order(100);
    std::iota(order.begin(), order.end(), 0);
    ReferenceMulberry32 reference(9);
    for (int i = 99; i > 0; --i) std::swap(order[i], order[static_cast<int>(reference.rand() * (i + 1))]);
    CHECK(indices_of(split.train) == std::vector<int>(order.begin(), order.begin() + 80));
    CHECK(indices_of(split.val) == std::vector<int>(order.begin() + 80, order.end()));
  }
  SUBCASE("round(val_fraction·N): 0.25·10 = 2.5 rounds to 3") {
    data.val_fraction = 0.25;
    Rng rng(9);
    const Split split = split_dataset(indexed_dataset(10), data, rng);
    CHECK(split.val.rows() == 3);
    CHECK(split.train.rows() == 7);
  }
  SUBCASE("train_limit keeps the first training examples, validation untouched") {
    data.val_fraction = 0.2;
    Rng full_rng(9);
    const Split full = split_dataset(all, data, full_rng);
    data.train_limit = 20;
    Rng rng(9);
    const Split limited = split_dataset(all, data, rng);
    REQUIRE(limited.train.rows() == 20);
    const std::vector<int> full_train = indices_of(full.train);
    CHECK(indices_of(limited.train) == std::vector<int>(full_train.begin(), full_train.begin() + 20));
    CHECK(indices_of(limited.val) == indices_of(full.val));
    data.train_limit = 1000;  // larger than the training set: everything kept
    Rng again(9);
    CHECK(split_dataset(all, data, again).train.rows() == 80);
  }
}
