// Learning-rate schedules (CS231n lecture 7) with an optional linear warm-up, for the step with
// 0-based index t:
//   constant:     lr
//   step:         lr·gamma^⌊t / decay_steps⌋
//   exponential:  lr·gamma^(t / decay_steps)
//   cosine:       min_lr + (lr − min_lr)·½·(1 + cos(π·min(t, decay_steps) / decay_steps))
//                 (reaches min_lr at t = decay_steps and stays there)
//   warm-up:      for t < warmup the scheduled value is multiplied by (t + 1) / warmup
#include <algorithm>
#include <cmath>

#include "optimizer.hpp"

namespace trainscope {

double scheduled_lr(const TrainConfig& train, int t) {
  const double base = train.lr;
  const double period = train.decay_steps > 0 ? static_cast<double>(train.decay_steps) : 1.0;
  double lr = base;
  if (train.schedule == "constant") {
    lr = base;
  } else if (train.schedule == "step") {
    lr = base * std::pow(train.gamma, std::floor(t / period));
  } else if (train.schedule == "exponential") {
    lr = base * std::pow(train.gamma, t / period);
  } else if (train.schedule == "cosine") {
    const double progress = std::min(static_cast<double>(t), period) / period;
    lr = train.min_lr + (base - train.min_lr) * 0.5 * (1.0 + std::cos(3.14159265358979323846 * progress));
  } else {
    throw ConfigError("train.schedule",
                      "unknown schedule '" + train.schedule + "' (constant | step | exponential | cosine)");
  }
  if (train.warmup > 0 && t < train.warmup) lr *= static_cast<double>(t + 1) / train.warmup;
  return lr;
}

}  // namespace trainscope
