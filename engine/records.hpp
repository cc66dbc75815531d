// The record types that flow engine → bindings → JS → page / CLI, each field list written once.
// Every place that declares, serializes or forwards one of these records expands the list
// (X-macro: TRAINSCOPE_STEP_FIELDS(F) calls F(type, name) per field), and records_json() hands
// the names to the JS side, so a new metric is one line here plus the code that computes it.
#pragma once

#include <string>

// StepMetrics, the result of Trainer::step: F(type, name).
#define TRAINSCOPE_STEP_FIELDS(F) \
  F(int, step)                    \
  F(double, loss)                 \
  F(double, data_loss)            \
  F(double, reg_loss)             \
  F(double, batch_acc)            \
  F(double, lr)                   \
  F(double, grad_norm)

// The per-step columns of History (a subset of the step fields): F(name).
#define TRAINSCOPE_HISTORY_STEP_FIELDS(F) \
  F(step)                                 \
  F(loss)                                 \
  F(data_loss)                            \
  F(reg_loss)                             \
  F(batch_acc)                            \
  F(lr)

// Per-layer diagnostics series of History, one value per layer and diagnostics event: F(name).
#define TRAINSCOPE_LAYER_SERIES(F) \
  F(dead_fraction)                 \
  F(zero_fraction)                 \
  F(saturated_fraction)            \
  F(act_mean)                      \
  F(act_std)                       \
  F(weight_norm)                   \
  F(grad_norm)                     \
  F(update_ratio)

namespace trainscope {

// {"step":[names of StepMetrics],"history_step":[per-step History columns],
//  "layer_series":[per-layer History series]}
std::string records_json();

}  // namespace trainscope
