// Shared by the libFuzzer targets: what counts as a clean refusal, and the work limit under which a
// valid configuration is also built and trained.
//
// Contract checked here: hostile input either produces a ConfigError (or std::invalid_argument /
// std::out_of_range from a tensor call, which name what is wrong) or a trainer that steps,
// evaluates and predicts without a crash, a sanitizer report, a hang or an allocation over the
// budget (libFuzzer's -malloc_limit_mb). Anything else thrown aborts the run as a finding.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>

#include "config.hpp"
#include "trainer.hpp"

namespace trainscope_fuzz {

// Valid configurations are built and trained only below these: the fuzzer looks for crashes, not
// for slow but legal workloads (which the memory budget and the JS layer bound).
constexpr std::size_t kTrainMemoryBytes = 8u << 20;
constexpr double kMultiplyAddsPerStep = 4e6;

// Multiply-adds of one training step's forward pass (batch x Σ fan_in·fan_out), a bound on work.
inline double step_work(const trainscope::Config& config) {
  double work = 0;
  double fan_in = config.data.dims;
  for (int width : config.model.hidden) {
    work += fan_in * width;
    fan_in = width;
  }
  work += fan_in * config.data.classes;
  const double batch = std::min<double>(config.train.batch_size, config.data.samples);
  return work * batch;
}

inline bool small_enough_to_train(const trainscope::Config& config) {
  return trainscope::estimate_memory_bytes(config) <= kTrainMemoryBytes &&
         step_work(config) <= kMultiplyAddsPerStep && config.data.samples <= 20000;
}

// Builds, trains two steps, and reads every result once. Divergence is a legal outcome.
inline void exercise(const trainscope::Config& config) {
  trainscope::Trainer trainer(config);
  trainer.initial_loss_check();
  try {
    trainer.step(2);
  } catch (const std::runtime_error& error) {
    if (!trainer.status().diverged) throw;
  }
  trainer.evaluate();
  trainer.layer_stats();
  trainer.history();
  if (config.data.dims <= 2) trainer.predict_grid(-1, 1, -1, 1, 4);
}

[[noreturn]] inline void finding(const char* target, const std::exception& error) {
  std::fprintf(stderr, "%s: unexpected exception: %s\n", target, error.what());
  std::abort();
}

// validate(); then, when valid and small, exercise(). A ConfigError at either step is a clean
// refusal; any other exception is a finding.
inline void validate_and_train(const char* target, const trainscope::Config& config) {
  try {
    trainscope::validate(config);
  } catch (const trainscope::ConfigError&) {
    return;
  } catch (const std::exception& error) {
    finding(target, error);
  }
  if (!small_enough_to_train(config)) return;
  try {
    exercise(config);
  } catch (const trainscope::ConfigError&) {
  } catch (const std::exception& error) {
    finding(target, error);
  }
}

}  // namespace trainscope_fuzz
