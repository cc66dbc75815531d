// Dense layer: forward/backward against a 2x2 → 2x3 example worked out by hand, and a
// finite-difference check of dW, db and dX.
#include <doctest/doctest.h>

#include "gradcheck.hpp"
#include "layers/dense.hpp"

using namespace trainscope;

TEST_CASE("dense forward and backward by hand") {
  Dense<double> dense(2, 3);
  test::LayerHarness<double> harness(dense);
  // W = [[1, 0, -1], [2, 1, 0.5]], b = [0.5, -1, 2]
  harness.value("W") = {1, 0, -1, 2, 1, 0.5};
  harness.value("b") = {0.5, -1, 2};
  Matrix<double> x(2, 2);
  x << 1, 2,  //
      3, -1;
  // Y = X·W + b:
  //   row 0: [1·1 + 2·2, 1·0 + 2·1, 1·(−1) + 2·0.5] + b = [5, 2, 0] + b     = [5.5, 1, 2]
  //   row 1: [3·1 − 1·2, 3·0 − 1·1, 3·(−1) − 1·0.5] + b = [1, −1, −3.5] + b = [1.5, −2, −1.5]
  Matrix<double> expected(2, 3);
  expected << 5.5, 1, 2,  //
      1.5, -2, -1.5;
  CHECK((dense.forward(x, Mode::kTrain, nullptr) - expected).cwiseAbs().maxCoeff() == 0.0);

  Matrix<double> dy(2, 3);
  dy << 1, 0, 2,  //
      0, 1, -1;
  const Matrix<double> dx = dense.backward(x, dy, true);
  // dW = Xᵀ·dY: row 0 = 1·[1, 0, 2] + 3·[0, 1, −1] = [1, 3, −1]; row 1 = 2·[1, 0, 2] − 1·[0, 1, −1] = [2, −1,
  // 5]
  CHECK(harness.grad("W") == std::vector<double>{1, 3, -1, 2, -1, 5});
  // db = column sums of dY
  CHECK(harness.grad("b") == std::vector<double>{1, 1, 1});
  // dX = dY·Wᵀ: row 0 = 1·[1, 2] + 2·[−1, 0.5] = [−1, 3]; row 1 = 1·[0, 1] − 1·[−1, 0.5] = [1, 0.5]
  Matrix<double> expected_dx(2, 2);
  expected_dx << -1, 3,  //
      1, 0.5;
  CHECK((dx - expected_dx).cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("dense backward overwrites (does not accumulate) its gradients") {
  Dense<double> dense(2, 2);
  test::LayerHarness<double> harness(dense);
  harness.value("W") = {1, 2, 3, 4};
  const Matrix<double> x = test::pattern_matrix(3, 2, 1);
  const Matrix<double> dy = test::pattern_matrix(3, 2, 2);
  dense.forward(x, Mode::kTrain, nullptr);
  dense.backward(x, dy, false);
  const std::vector<double> once = harness.grad("W");
  dense.backward(x, dy, false);
  CHECK(harness.grad("W") == once);
}

TEST_CASE("dense gradient check (double, rel err < 1e-7: the layer is linear in each argument)") {
  Dense<double> dense(4, 3);
  test::LayerHarness<double> harness(dense);
  const Matrix<double> w = test::pattern_matrix(4, 3, 5);
  std::copy(w.data(), w.data() + w.size(), harness.value("W").begin());
  harness.value("b") = {0.1, -0.2, 0.3};
  std::vector<std::string> report;
  const double worst =
      test::check_layer(dense, harness, test::pattern_matrix(5, 4, 6), Mode::kTrain, 7, &report);
  for (const auto& line : report) MESSAGE(line);
  CHECK(worst < 1e-7);
}
