// The optimizer view's engine side (engine/optim/surfaces.*, path.*): every surface's value by
// hand and its analytic gradient against central differences; paths that follow the update rules
// written out here; the three ways a path stops; validation that names the field.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "optim/path.hpp"
#include "optim/surfaces.hpp"

namespace {

using trainscope::OptimizerPath;
using trainscope::PathConfig;
using trainscope::SurfaceInfo;

const SurfaceInfo& surface(const std::string& name) {
  for (const SurfaceInfo& info : trainscope::surfaces())
    if (name == info.name) return info;
  FAIL("no surface " << name);
  return trainscope::surfaces().front();
}

std::string error_of(const PathConfig& config) {
  try {
    trainscope::optimizer_path(config);
  } catch (const trainscope::ConfigError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("surfaces: values by hand") {
  CHECK(surface("ill_conditioned").value(2, 1, 10) == 7.0);   // ½(4 + 10)
  CHECK(surface("ill_conditioned").value(2, 1, 50) == 27.0);  // ½(4 + 50)
  CHECK(surface("rosenbrock").value(1, 1, 0) == 0.0);
  CHECK(surface("rosenbrock").value(0, 1, 0) == 101.0);       // 1 + 100·1
  CHECK(surface("saddle").value(1, 2, 0) == -3.0);
  CHECK(surface("monkey_saddle").value(1, 1, 0) == -2.0);     // 1 − 3
  CHECK(surface("monkey_saddle").value(2, 0, 0) == 8.0);
  CHECK(surface("local_minima").value(1, 2, 0) == doctest::Approx(0.3 + 2.0).epsilon(1e-15).scale(0));
  CHECK(surface("beale").value(3, 0.5, 0) == 0.0);
  CHECK(surface("beale").value(0, 0, 0) == doctest::Approx(1.5 * 1.5 + 2.25 * 2.25 + 2.625 * 2.625).epsilon(1e-15).scale(0));
}

TEST_CASE("surfaces: analytic gradients match central differences; minima are stationary; starts lie in view") {
  const double points[][2] = {{0.3, -0.7}, {-1.2, 0.4}, {1.7, 1.1}, {-0.5, -1.5}, {2.2, 0.05}};
  for (const SurfaceInfo& info : trainscope::surfaces()) {
    INFO(info.name);
    for (const auto& p : points) {
      double dx = 0, dy = 0;
      info.gradient(p[0], p[1], 7.5, &dx, &dy);
      const double h = 1e-5;
      // Fourth-order central differences: truncation ~h⁴, rounding ~1e-16·|f|/h.
      const auto derivative = [&](double ex, double ey) {
        const auto f = [&](double k) { return info.value(p[0] + k * h * ex, p[1] + k * h * ey, 7.5); };
        return (8 * (f(1) - f(-1)) - (f(2) - f(-2))) / (12 * h);
      };
      const double nx = derivative(1, 0), ny = derivative(0, 1);
      INFO("at (" << p[0] << ", " << p[1] << "): analytic " << dx << ", " << dy << " numeric " << nx << ", " << ny);
      CHECK(std::fabs(dx - nx) <= 1e-7 * std::max(1.0, std::fabs(nx)));
      CHECK(std::fabs(dy - ny) <= 1e-7 * std::max(1.0, std::fabs(ny)));
    }
    if (info.has_minimum) {
      double dx = 1, dy = 1;
      info.gradient(info.minimum[0], info.minimum[1], trainscope::kDefaultKappa, &dx, &dy);
      CHECK(std::fabs(dx) < 1e-12);
      CHECK(std::fabs(dy) < 1e-12);
    }
    CHECK(info.start[0] > info.view[0]);
    CHECK(info.start[0] < info.view[1]);
    CHECK(info.start[1] > info.view[2]);
    CHECK(info.start[1] < info.view[3]);
  }
  // The tilted double well's global minimum is the left one, below the right (local) one.
  const SurfaceInfo& wells = surface("local_minima");
  CHECK(wells.minimum[0] < -1.0);
  CHECK(wells.value(wells.minimum[0], 0, 0) < wells.value(0.96, 0, 0) - 0.5);
}

TEST_CASE("paths follow the update rules: sgd, momentum, adam with and without bias correction") {
  PathConfig config;
  config.surface = "ill_conditioned";
  config.kappa = 10;
  config.start[0] = -4;
  config.start[1] = 1;
  config.steps = 3;
  config.train.lr = 0.05;
  config.train.optimizer = "sgd";
  const OptimizerPath sgd = trainscope::optimizer_path(config);
  REQUIRE(sgd.x.size() == 4);
  double x = -4, y = 1;
  for (int t = 1; t <= 3; ++t) {
    x -= 0.05 * x;       // ∂f/∂x = x
    y -= 0.05 * 10 * y;  // ∂f/∂y = κy
    CHECK(sgd.x[t] == doctest::Approx(x).epsilon(1e-6).scale(0));
    CHECK(sgd.y[t] == doctest::Approx(y).epsilon(1e-6).scale(0));
    CHECK(sgd.loss[t] == doctest::Approx(0.5 * (x * x + 10 * y * y)).epsilon(1e-5).scale(0));
  }
  CHECK(sgd.stopped == "steps");

  config.train.optimizer = "momentum";
  config.train.momentum = 0.9;
  const OptimizerPath momentum = trainscope::optimizer_path(config);
  x = -4, y = 1;
  double vx = 0, vy = 0;
  for (int t = 1; t <= 3; ++t) {
    vx = 0.9 * vx - 0.05 * x;
    vy = 0.9 * vy - 0.05 * 10 * y;
    x += vx;
    y += vy;
    CHECK(momentum.x[t] == doctest::Approx(x).epsilon(1e-6).scale(0));
    CHECK(momentum.y[t] == doctest::Approx(y).epsilon(1e-6).scale(0));
  }

  // Adam's first step moves each coordinate by ~lr·sign(g) with bias correction, and by
  // lr·(1 − β1)/√(1 − β2) ≈ 3.16·lr without it (m and v start at 0).
  config.train.optimizer = "adam";
  config.steps = 1;
  config.train.lr = 0.01;
  const OptimizerPath corrected = trainscope::optimizer_path(config);
  CHECK(corrected.x[1] - corrected.x[0] == doctest::Approx(0.01).epsilon(1e-4).scale(0));
  CHECK(corrected.y[1] - corrected.y[0] == doctest::Approx(-0.01).epsilon(1e-4).scale(0));
  config.train.bias_correction = false;
  const OptimizerPath raw = trainscope::optimizer_path(config);
  const double factor = (1 - 0.9) / std::sqrt(1 - 0.999);
  CHECK(raw.x[1] - raw.x[0] == doctest::Approx(0.01 * factor).epsilon(1e-4).scale(0));
}

TEST_CASE("a path stops when it diverges or stops moving; noise is reproducible from its seed") {
  PathConfig config;
  config.surface = "ill_conditioned";
  config.start[0] = 1;
  config.start[1] = 1;
  config.steps = 1000;
  config.train.optimizer = "sgd";
  config.train.lr = 1;  // y ← (1 − κ)·y = −9y: |y| passes 1e6 within 7 steps
  const OptimizerPath exploding = trainscope::optimizer_path(config);
  CHECK(exploding.stopped == "diverged");
  CHECK(exploding.steps <= 8);
  CHECK(exploding.x.size() == static_cast<std::size_t>(exploding.steps) + 1);
  CHECK(exploding.reason.find("diverged at step " + std::to_string(exploding.steps)) == 0);

  config.surface = "saddle";  // exactly on the saddle point: the gradient is 0, SGD cannot move
  config.start[0] = 0;
  config.start[1] = 0;
  config.train.lr = 0.1;
  const OptimizerPath stuck = trainscope::optimizer_path(config);
  CHECK(stuck.stopped == "converged");
  CHECK(stuck.steps == 1);

  config.noise = 0.5;  // gradient noise moves it off the saddle; it never "converges"
  config.steps = 50;
  config.seed = 7;
  const OptimizerPath a = trainscope::optimizer_path(config), b = trainscope::optimizer_path(config);
  CHECK(a.stopped == "steps");
  CHECK(a.x == b.x);
  CHECK(a.y == b.y);
  config.seed = 8;
  CHECK(trainscope::optimizer_path(config).x != a.x);
}

TEST_CASE("optimizer_path validation names the field") {
  PathConfig config;
  config.surface = "tacoshell";
  CHECK(error_of(config).rfind("surface: unknown surface 'tacoshell'; allowed: ill_conditioned, rosenbrock", 0) == 0);
  config = PathConfig{};
  config.start[1] = std::nan("");
  CHECK(error_of(config).rfind("start: ", 0) == 0);
  config = PathConfig{};
  config.steps = 0;
  CHECK(error_of(config).rfind("steps: must be an integer in [1, 100000]", 0) == 0);
  config = PathConfig{};
  config.noise = -1;
  CHECK(error_of(config).rfind("noise: ", 0) == 0);
  config = PathConfig{};
  config.kappa = 0.5;
  CHECK(error_of(config).rfind("kappa: ", 0) == 0);
  config = PathConfig{};
  config.train.optimizer = "adamx";
  CHECK(error_of(config).rfind("train.optimizer: ", 0) == 0);
  config = PathConfig{};
  config.train.lr = 0;
  CHECK(error_of(config).rfind("train.lr: ", 0) == 0);
}
