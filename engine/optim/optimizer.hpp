// Optimizers update the network's flat parameter buffer from its flat gradient buffer; they never
// see layers (MiniDNN style). State (velocity, squared-gradient averages) is one flat buffer each.
#pragma once

#include <memory>
#include <vector>

#include "../config.hpp"
#include "../registry.hpp"
#include "../tensor.hpp"

namespace trainscope {

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // One update: params ← params − f(grads) at learning rate lr. `tensors` tells which slices are
  // weight matrices (TensorInfo::decay) for AdamW's decoupled decay; only trainable tensors.
  virtual void update(float* params, const float* grads, double lr) = 0;
  virtual void set_hyperparameters(const TrainConfig& train) = 0;  // live change, state kept
  virtual void reset() = 0;                                        // zero state, t = 0
  // Remembers the state (buffers and step count) before an update; rollback() returns to it, so
  // an update that is rolled back (divergence) leaves no trace in velocity, moments or t.
  virtual void checkpoint() = 0;
  virtual void rollback() = 0;
};

// A row of the optimizer registry (train.optimizer).
struct OptimizerInfo {
  const char* name;
  const char* description;
  const char* uses;  // space-separated train.* hyperparameters the rule reads
  std::unique_ptr<Optimizer> (*make)(const TrainConfig& train, const std::vector<TensorInfo>& tensors,
                                     std::size_t param_count);
};
const std::vector<OptimizerInfo>& optimizers();

// A schedule: the factor of train.lr for the step with 0-based index t (before warm-up).
struct ScheduleInfo {
  const char* name;
  const char* description;
  const char* uses;  // space-separated train.* keys it reads
  double (*lr)(const TrainConfig& train, double t);
};
const std::vector<ScheduleInfo>& schedules();

std::unique_ptr<Optimizer> make_optimizer(const TrainConfig& train, const std::vector<TensorInfo>& tensors,
                                          std::size_t param_count);

// Learning rate for the step with 0-based index t (schedule and linear warm-up).
double scheduled_lr(const TrainConfig& train, int t);

// Global-norm clipping: if ‖g‖ > max_norm > 0, g ← g·max_norm/‖g‖. Returns ‖g‖ before clipping.
double clip_gradient(float* grads, std::size_t n, double max_norm);

}  // namespace trainscope
