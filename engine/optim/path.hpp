// An optimizer's path on a 2-D loss surface (lecture 7's pictures), run by the same Optimizer and
// schedule code that trains the networks: the two coordinates are a 2-entry parameter buffer, the
// surface's analytic gradient (plus optional Gaussian noise standing in for mini-batches) is its
// gradient buffer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../config.hpp"

namespace trainscope {

struct PathConfig {
  std::string surface = "ill_conditioned";
  double kappa = 10;       // ill_conditioned's curvature ratio, ≥ 1
  TrainConfig train;       // optimizer, lr, momentum, beta1, beta2, eps, decay, schedule, ... (the train.* rules)
  double start[2] = {0, 0};
  int steps = 100;         // 1 .. 100000
  double noise = 0;        // standard deviation of the Gaussian noise added to each gradient coordinate, ≥ 0
  std::uint32_t seed = 1;  // noise stream
};

struct OptimizerPath {
  std::vector<double> x, y, loss;  // the start, then the point after each step
  int steps = 0;                   // steps taken
  // "steps" (the budget ran out), "converged" (an update no longer moved the point: a stationary
  // point, in float), or "diverged" (a coordinate or the loss became non-finite or left |·| ≤ 1e6).
  std::string stopped;
  std::string reason;              // one sentence saying why it stopped
};

// Throws ConfigError naming the field (surface, kappa, start, steps, noise, train.*).
void validate(const PathConfig& config);
OptimizerPath optimizer_path(const PathConfig& config);

}  // namespace trainscope
