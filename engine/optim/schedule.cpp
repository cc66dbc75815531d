// Learning-rate schedules (CS231n lecture 7) with an optional linear warm-up, for the step with
// 0-based index t:
//   constant:     lr
//   step:         lr·gamma^⌊t / decay_steps⌋
//   exponential:  lr·gamma^(t / decay_steps)
//   cosine:       min_lr + (lr − min_lr)·½·(1 + cos(π·min(t', decay_steps) / decay_steps)),
//                 t' = max(t − warmup, 0): the cosine runs after the warm-up, so the last warm-up
//                 step trains at lr exactly; it reaches min_lr decay_steps after the warm-up
//   warm-up:      for t < warmup the scheduled value is multiplied by (t + 1) / warmup
#include <algorithm>
#include <cmath>

#include "optimizer.hpp"

namespace trainscope {

namespace {
constexpr double kPi = 3.14159265358979323846;
double period_of(const TrainConfig& train) {
  return train.decay_steps > 0 ? static_cast<double>(train.decay_steps) : 1.0;
}
double constant_lr(const TrainConfig& train, double) { return train.lr; }
double step_lr(const TrainConfig& train, double t) {
  return train.lr * std::pow(train.gamma, std::floor(t / period_of(train)));
}
double exponential_lr(const TrainConfig& train, double t) { return train.lr * std::pow(train.gamma, t / period_of(train)); }
// The cosine starts after the warm-up (t − warmup), so the warm-up ends at train.lr exactly.
double cosine_lr(const TrainConfig& train, double t) {
  const double period = period_of(train);
  const double progress = std::min(std::max(t - train.warmup, 0.0), period) / period;
  return train.min_lr + (train.lr - train.min_lr) * 0.5 * (1.0 + std::cos(kPi * progress));
}
}  // namespace

const std::vector<ScheduleInfo>& schedules() {
  static const std::vector<ScheduleInfo> registry = {
      {"constant", "lr throughout", "", constant_lr},
      {"step", "lr·gamma^floor(t / decay_steps)", "gamma decay_steps", step_lr},
      {"exponential", "lr·gamma^(t / decay_steps)", "gamma decay_steps", exponential_lr},
      {"cosine", "from lr down to min_lr along half a cosine over decay_steps", "decay_steps min_lr", cosine_lr},
  };
  return registry;
}

std::vector<Choice> schedule_choices() { return choices_of(schedules()); }

double scheduled_lr(const TrainConfig& train, int t) {
  const ScheduleInfo* schedule = find_named(schedules(), train.schedule);
  if (schedule == nullptr) throw ConfigError("train.schedule", "unknown schedule '" + train.schedule + "'");
  double lr = schedule->lr(train, t);
  if (train.warmup > 0 && t < train.warmup) lr *= static_cast<double>(t + 1) / train.warmup;
  return lr;
}

}  // namespace trainscope
