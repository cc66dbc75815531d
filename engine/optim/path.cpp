#include "path.hpp"

#include <cmath>
#include <memory>

#include "../rng.hpp"
#include "optimizer.hpp"
#include "surfaces.hpp"

namespace trainscope {
namespace {

constexpr int kMaxPathSteps = 100000;
constexpr double kEscape = 1e6;  // |coordinate| or |loss| beyond this: diverged

const SurfaceInfo& surface_named(const std::string& name) {
  const SurfaceInfo* info = find_named(surfaces(), name);
  if (info == nullptr) {
    std::string allowed;
    for (const SurfaceInfo& s : surfaces()) allowed += (allowed.empty() ? "" : ", ") + std::string(s.name);
    throw ConfigError("surface", "unknown surface '" + name + "'; allowed: " + allowed);
  }
  return *info;
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

}  // namespace

void validate(const PathConfig& config) {
  surface_named(config.surface);
  if (!(config.kappa >= 1 && config.kappa <= 1e4)) {
    throw ConfigError("kappa", "must be in [1, 10000]; got " + number(config.kappa));
  }
  for (int k = 0; k < 2; ++k) {
    if (!std::isfinite(config.start[k]) || std::fabs(config.start[k]) > 1e3) {
      throw ConfigError("start", "both coordinates must be finite numbers in [-1000, 1000]; got " +
                                     number(config.start[k]));
    }
  }
  if (config.steps < 1 || config.steps > kMaxPathSteps) {
    throw ConfigError("steps", "must be an integer in [1, " + std::to_string(kMaxPathSteps) + "]; got " +
                                   std::to_string(config.steps));
  }
  if (!(config.noise >= 0 && std::isfinite(config.noise))) {
    throw ConfigError("noise", "must be a finite number >= 0; got " + number(config.noise));
  }
  // The train.* keys under the same rules as for a network (config.cpp).
  Config whole;
  whole.train = config.train;
  validate(whole);
}

OptimizerPath optimizer_path(const PathConfig& config) {
  validate(config);
  const SurfaceInfo& surface = surface_named(config.surface);
  TensorInfo point;  // one 1 x 2 "weight matrix" (so AdamW's decoupled decay applies to it)
  point.name = "point";
  point.rows = 1;
  point.cols = 2;
  point.decay = true;
  std::unique_ptr<Optimizer> optimizer = make_optimizer(config.train, {point}, 2);
  Rng noise(config.seed);

  float params[2] = {static_cast<float>(config.start[0]), static_cast<float>(config.start[1])};
  float grads[2] = {0, 0};
  OptimizerPath path;
  const auto record = [&] {
    path.x.push_back(params[0]);
    path.y.push_back(params[1]);
    path.loss.push_back(surface.value(params[0], params[1], config.kappa));
  };
  record();
  path.stopped = "steps";
  path.reason = "ran all " + std::to_string(config.steps) + " steps";
  for (int t = 0; t < config.steps; ++t) {
    double dx = 0, dy = 0;
    surface.gradient(params[0], params[1], config.kappa, &dx, &dy);
    if (config.noise > 0) {
      dx += config.noise * noise.normal();
      dy += config.noise * noise.normal();
    }
    grads[0] = static_cast<float>(dx);
    grads[1] = static_cast<float>(dy);
    const float before[2] = {params[0], params[1]};
    optimizer->update(params, grads, scheduled_lr(config.train, t));
    path.steps = t + 1;
    record();
    const double loss = path.loss.back();
    if (!std::isfinite(params[0]) || !std::isfinite(params[1]) || !std::isfinite(loss) ||
        std::fabs(params[0]) > kEscape || std::fabs(params[1]) > kEscape || std::fabs(loss) > kEscape) {
      path.stopped = "diverged";
      path.reason = "diverged at step " + std::to_string(t + 1) + ": the point or its loss left [-1e6, 1e6]";
      break;
    }
    if (params[0] == before[0] && params[1] == before[1] && config.noise == 0) {
      path.stopped = "converged";
      path.reason = "converged at step " + std::to_string(t + 1) + ": the update no longer moves the point";
      break;
    }
  }
  return path;
}

}  // namespace trainscope
