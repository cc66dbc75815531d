// Activations, PReLU and Maxout: values on a 2x3 example worked out by hand (the numbers in the
// comments come from the definitions, e.g. σ(−2) = 1/(1 + e²)), and a finite-difference check of
// every Jacobian with inputs kept away from kinks.
#include <doctest/doctest.h>

#include <cmath>

#include "gradcheck.hpp"
#include "layers/activation_registry.hpp"
#include "layers/activations.hpp"
#include "layers/maxout.hpp"
#include "layers/prelu.hpp"

using namespace trainscope;

namespace {

Matrix<double> example_input() {
  Matrix<double> x(2, 3);
  x << -2, -0.5, 0,  //
      0.5, 1, 3;
  return x;
}

void check_values(Layer<double>& layer, const std::vector<double>& expected) {
  const Matrix<double> x = example_input();
  const Matrix<double>& y = layer.forward(x, Mode::kTrain, nullptr);
  REQUIRE(y.size() == 6);
  for (Index k = 0; k < 6; ++k) {
    INFO(layer.kind(), " entry ", k);
    CHECK(y.data()[k] == doctest::Approx(expected[static_cast<std::size_t>(k)]).epsilon(1e-12));
  }
}

// Inputs in ±[0.2, 2]: no entry within 0.2 of the kink at 0.
Matrix<double> input_away_from_zero() {
  Matrix<double> x = test::pattern_matrix(4, 5, 9, 0.2, 2.0);
  for (Index k = 0; k < x.size(); k += 2) x.data()[k] = -x.data()[k];
  return x;
}

}  // namespace

TEST_CASE("activation values by hand on [[-2, -0.5, 0], [0.5, 1, 3]]") {
  SUBCASE("identity passes its input through without a copy") {
    IdentityLayer<double> layer;
    const Matrix<double> x = example_input();
    CHECK(&layer.forward(x, Mode::kTrain, nullptr) == &x);
  }
  SUBCASE("sigmoid 1/(1 + e^-x)") {
    ActivationLayer<double, SigmoidActivation> layer;
    check_values(layer, {0.11920292202211755, 0.3775406687981454, 0.5, 0.6224593312018546, 0.7310585786300049,
                         0.9525741268224334});
  }
  SUBCASE("tanh") {
    ActivationLayer<double, TanhActivation> layer;
    check_values(layer, {-0.9640275800758169, -0.46211715726000974, 0, 0.46211715726000974,
                         0.7615941559557649, 0.9950547536867305});
  }
  SUBCASE("relu") {
    ActivationLayer<double, ReluActivation> layer;
    check_values(layer, {0, 0, 0, 0.5, 1, 3});
  }
  SUBCASE("leaky relu, alpha 0.01") {
    ActivationLayer<double, LeakyReluActivation> layer(0.01);
    check_values(layer, {-0.02, -0.005, 0, 0.5, 1, 3});
  }
  SUBCASE("elu, alpha 1: e^-2 - 1, e^-0.5 - 1") {
    ActivationLayer<double, EluActivation> layer(1.0);
    check_values(layer, {-0.8646647167633873, -0.3934693402873666, 0, 0.5, 1, 3});
  }
  SUBCASE("elu, alpha 2 doubles the negative side") {
    ActivationLayer<double, EluActivation> layer(2.0);
    check_values(layer, {-1.7293294335267746, -0.7869386805747332, 0, 0.5, 1, 3});
  }
  SUBCASE("gelu, tanh form 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3)))") {
    ActivationLayer<double, GeluActivation> layer;
    check_values(layer, {-0.04540230591222494, -0.15428599017485606, 0, 0.34571400982514394,
                         0.8411919906082768, 2.996362607918227});
  }
  SUBCASE("silu x·σ(x): −2/(1 + e²), −0.5/(1 + e^0.5), 0, 0.5/(1 + e^−0.5), 1/(1 + e^−1), 3/(1 + e^−3)") {
    ActivationLayer<double, SiluActivation> layer;
    check_values(layer, {-0.2384058440442351, -0.1887703343990727, 0, 0.3112296656009273, 0.7310585786300049,
                         2.8577223804672998});
  }
  SUBCASE("prelu with per-unit slopes [0.25, 0.1, 0.5]") {
    PRelu<double> layer(3);
    test::LayerHarness<double> harness(layer);
    harness.value("alpha") = {0.25, 0.1, 0.5};
    // row 0: [0.25·(−2), 0.1·(−0.5), 0.5·0]; row 1 positive, unchanged
    check_values(layer, {-0.5, -0.05, 0, 0.5, 1, 3});
    Matrix<double> ones = Matrix<double>::Ones(2, 3);
    const Matrix<double> dx = layer.backward(example_input(), ones, true);
    // dα_j = Σ_b dy·min(x, 0) = [−2, −0.5, 0];  dx = slope where x ≤ 0, else 1
    CHECK(harness.grad("alpha") == std::vector<double>{-2, -0.5, 0});
    CHECK(dx(0, 0) == 0.25);
    CHECK(dx(0, 1) == 0.1);
    CHECK(dx(1, 2) == 1.0);
  }
}

TEST_CASE("sigmoid saturates without overflow and tanh gradient vanishes for large |x|") {
  Matrix<double> x(1, 2);
  x << -1000, 1000;
  ActivationLayer<double, SigmoidActivation> sigmoid;
  const Matrix<double> y = sigmoid.forward(x, Mode::kTrain, nullptr);
  CHECK(y(0, 0) == 0.0);
  CHECK(y(0, 1) == 1.0);
  ActivationLayer<double, TanhActivation> tanh_layer;
  tanh_layer.forward(x, Mode::kTrain, nullptr);
  const Matrix<double> dx = tanh_layer.backward(x, Matrix<double>::Ones(1, 2), true);
  CHECK(dx.cwiseAbs().maxCoeff() == 0.0);
  ActivationLayer<double, EluActivation> elu(1.0);
  CHECK(std::isfinite(elu.forward(x, Mode::kTrain, nullptr).sum()));
}

TEST_CASE("maxout pairs column j with column j + units; ties go to the first piece") {
  Maxout<double> maxout(3);
  Matrix<double> z(2, 6);
  z << 1, -2, 0.5, 0, 3, 0.5,  //
      -1, 4, 2, -3, 1, 2.5;
  // y_bj = max(z_bj, z_b,j+3): row 0 = [max(1, 0), max(−2, 3), max(0.5, 0.5)] = [1, 3, 0.5]
  //                           row 1 = [max(−1, −3), max(4, 1), max(2, 2.5)] = [−1, 4, 2.5]
  Matrix<double> expected(2, 3);
  expected << 1, 3, 0.5,  //
      -1, 4, 2.5;
  CHECK((maxout.forward(z, Mode::kTrain, nullptr) - expected).cwiseAbs().maxCoeff() == 0.0);
  Matrix<double> dy(2, 3);
  dy << 1, 2, 3,  //
      4, 5, 6;
  // The gradient goes to the winning piece; the tie (0.5, 0.5) sends it to piece a (column 2).
  Matrix<double> expected_dz(2, 6);
  expected_dz << 1, 0, 3, 0, 2, 0,  //
      4, 5, 0, 0, 0, 6;
  CHECK((maxout.backward(z, dy, true) - expected_dz).cwiseAbs().maxCoeff() == 0.0);
}

// Tolerance: the numeric derivative carries a rounding error of about ε·|L|/h ≈ 1e-11 (h = 1e-5),
// so an entry just above the relative-error floor (|a| + |n| ≈ 1e-4) can show ≈ 1e-7 from rounding
// alone; how large depends on the libm's tanh/exp (musl in the scalar wasm build rounds
// differently from glibc). 1e-6 stays five orders of magnitude below what a wrong Jacobian term
// gives (≈ 1e-1).
TEST_CASE("activation gradient checks (double, rel err < 1e-6: smooth away from the kinks)") {
  const Matrix<double> x = input_away_from_zero();
  std::vector<std::string> report;
  auto check = [&](Layer<double>& layer) {
    test::LayerHarness<double> harness(layer);
    if (layer.kind() == "prelu") harness.value("alpha") = {0.25, 0.1, 0.5, 0.3, 0.05};
    const double worst = test::check_layer(layer, harness, x, Mode::kTrain, 3, &report);
    INFO(layer.kind());
    CHECK(worst < 1e-6);
  };
  ActivationLayer<double, SigmoidActivation> sigmoid;
  ActivationLayer<double, TanhActivation> tanh_layer;
  ActivationLayer<double, ReluActivation> relu;
  ActivationLayer<double, LeakyReluActivation> leaky(0.1);
  ActivationLayer<double, EluActivation> elu(1.5);
  ActivationLayer<double, GeluActivation> gelu;
  ActivationLayer<double, SiluActivation> silu;
  PRelu<double> prelu(5);
  check(sigmoid);
  check(tanh_layer);
  check(relu);
  check(leaky);
  check(elu);
  check(gelu);
  check(silu);
  check(prelu);
  // Maxout: 4 x 6 input, pieces at least 0.2 apart.
  Maxout<double> maxout(3);
  test::LayerHarness<double> harness(maxout);
  Matrix<double> z = test::pattern_matrix(4, 6, 12);
  for (Index b = 0; b < 4; ++b)
    for (Index j = 0; j < 3; ++j)
      if (std::abs(z(b, j) - z(b, j + 3)) < 0.2) z(b, j + 3) += 0.5;
  CHECK(test::check_layer(maxout, harness, z, Mode::kTrain, 4, &report) < 1e-6);
  for (const auto& line : report) MESSAGE(line);
}

TEST_CASE("activation registry: every row builds its own implementation; traits match the maths") {
  ModelConfig model;
  for (const ActivationInfo& info : activations()) {
    INFO(info.name);
    model.activation = info.name;
    CHECK(make_activation_layer<double>(model, 3)->kind() == info.name);
    CHECK(make_activation_layer<float>(model, 3)->kind() == info.name);
    CHECK(find_activation(info.name) == &info);
    CHECK(std::string(info.label).size() > 0);
    // A fixed histogram range must contain the saturation band.
    if (!std::isnan(info.traits.output_min)) {
      CHECK(info.traits.output_min <= info.traits.saturation_low);
      CHECK(info.traits.saturation_high <= info.traits.output_max);
    }
  }
  CHECK(find_activation("swish") == nullptr);
  model.activation = "swish";
  CHECK_THROWS_AS(make_activation_layer<float>(model, 3), ConfigError);
  const ActivationInfo* silu = find_activation("silu");
  REQUIRE(silu != nullptr);
  CHECK(std::string(silu->label) == "SiLU / Swish");
  CHECK(find_activation("relu")->traits.dies_below_zero);
  CHECK(find_activation("maxout")->traits.width_factor == 2);
  CHECK(find_activation("prelu")->traits.params_per_unit == 1);
}

TEST_CASE("default alpha comes from the registry row when model.alpha < 0") {
  ModelConfig model;
  model.alpha = -1;
  model.activation = "leaky_relu";
  Matrix<double> x(1, 1);
  x << -1;
  auto leaky = make_activation_layer<double>(model, 1);
  CHECK(leaky->forward(x, Mode::kTrain, nullptr)(0, 0) == doctest::Approx(-0.01));
  model.alpha = 0.2;
  auto steeper = make_activation_layer<double>(model, 1);
  CHECK(steeper->forward(x, Mode::kTrain, nullptr)(0, 0) == doctest::Approx(-0.2));
}
