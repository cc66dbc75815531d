// One training run's configuration, declared from the configuration table (config_fields.hpp),
// which is the only place that lists keys, defaults, ranges and live flags.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "config_fields.hpp"

namespace trainscope {

// Thrown for any invalid configuration or argument. `field` is the dotted config path
// ("train.lr", "model.groups"); the message says what is allowed.
class ConfigError : public std::invalid_argument {
 public:
  ConfigError(std::string field, const std::string& message)
      : std::invalid_argument(field + ": " + message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// The structs are declared from the configuration table (config_fields.hpp): one member per row,
// initialized with the row's default.
#define TRAINSCOPE_DECLARE_FIELD(group, key, type, default_value, rule, live, unit, doc) type key = default_value;

struct DataConfig {
  TRAINSCOPE_DATA_FIELDS(TRAINSCOPE_DECLARE_FIELD)
};

struct ModelConfig {
  TRAINSCOPE_MODEL_FIELDS(TRAINSCOPE_DECLARE_FIELD)
};

struct TrainConfig {
  TRAINSCOPE_TRAIN_FIELDS(TRAINSCOPE_DECLARE_FIELD)
};

struct DiagnosticsConfig {
  TRAINSCOPE_DIAGNOSTICS_FIELDS(TRAINSCOPE_DECLARE_FIELD)
};

struct Config {
  TRAINSCOPE_SEED_FIELD(TRAINSCOPE_DECLARE_FIELD)
  DataConfig data;
  ModelConfig model;
  TrainConfig train;
  DiagnosticsConfig diagnostics;
};

#undef TRAINSCOPE_DECLARE_FIELD

// Memory the engine refuses to exceed, checked before anything is allocated.
constexpr std::size_t kMemoryBudgetBytes = 512u * 1024u * 1024u;

// Throws ConfigError naming the first invalid field. Does not allocate per-sample storage.
void validate(const Config& config);

// Estimated bytes a trainer built from `config` would hold (data, parameters, optimizer state,
// activations for the largest batch, diagnostics).
std::size_t estimate_memory_bytes(const Config& config);

// The coefficients of the memory estimate, exported with the schema so that JS validation computes
// the same sum without the engine (config.cpp shows the formula).
struct MemoryModel {
  double data_copies = 4;            // float copies of x and y: generated, split, preprocessed, config
  double pca_matrices = 4;           // dims x dims double matrices for pca / whiten
  // params, grads, backup, 2 optimizer states and their checkpoints; the grad check's doubles
  double bytes_per_parameter = 7 * 4 + 2 * 8;
  double floats_per_batch_unit = 10;           // activations and their gradients per example and unit
  double floats_per_batch_io = 4;              // per example: input and output copies
  double history_step_series = 7;              // per-step series plus their step column
  double history_layer_series = 8;             // per-layer diagnostic series
};
constexpr MemoryModel kMemoryModel{};

// Applies the live fields of `changed` to `current` (kLive rows of the table). Throws ConfigError
// naming the first field that differs but is not live ("changing it needs a reset").
void apply_live(Config& current, const Config& changed);

}  // namespace trainscope
