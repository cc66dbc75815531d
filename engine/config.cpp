// Configuration validation and the memory estimate.
//
// validate() checks every field against what the engine can run and throws ConfigError naming the
// first offending field (dotted path) and what is allowed. It touches only the config itself:
// nothing proportional to the number of samples or parameters is allocated, so an absurd config
// (hidden [100000, 100000]) is refused in microseconds by the memory estimate.
//
// Documented decisions:
//   - data.classes: circles, xor and moons are two-class sets, so classes must be 2 there
//     (config_from_json fills 2 when the key is absent). The regression set ignores classes (one
//     output). Elsewhere 2 ≤ classes ≤ kMaxClasses.
//   - dataset "custom": the rows are data.y's entries. data.samples must equal y's length and
//     data.x must hold samples·dims values (config_from_json derives samples and dims when the keys
//     are absent). With loss "mse" y holds regression targets (one output); otherwise y holds
//     integral labels in [0, classes).
//   - data.train_limit may exceed the training set (then everything is kept); train.batch_size may
//     exceed the training set (it is clamped to it).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "config.hpp"

namespace trainscope {
namespace {

constexpr int kMaxWidth = 65536;
constexpr int kMaxHiddenLayers = 64;
constexpr int kMaxSamples = 1000000;
constexpr int kMaxDims = 65536;
constexpr int kMaxClasses = 1000;
constexpr int kMaxProbe = 1000000;
constexpr int kMaxHistory = 1000000;

const std::vector<std::string> kDatasets = {"spiral", "circles",        "xor",        "gaussians",
                                            "moons",  "gaussian_cloud", "regression", "custom"};
const std::vector<std::string> kPreprocess = {"none", "center", "standardize", "pca", "whiten"};
const std::vector<std::string> kActivations = {"identity",   "sigmoid", "tanh", "relu",  "leaky_relu",
                                               "prelu",      "elu",     "maxout", "gelu", "silu"};
const std::vector<std::string> kInits = {"zeros", "normal", "uniform", "xavier",   "glorot_uniform",
                                         "glorot_normal", "he", "he_uniform", "lecun", "orthogonal"};
const std::vector<std::string> kNorms = {"none", "batch", "layer", "group"};
const std::vector<std::string> kNormPositions = {"before", "after"};
const std::vector<std::string> kOptimizers = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"};
const std::vector<std::string> kSchedules = {"constant", "step", "exponential", "cosine"};
const std::vector<std::string> kLosses = {"softmax", "svm", "mse"};

std::string number_text(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

void check_name(const std::string& field, const std::string& value, const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
  std::string list;
  for (const std::string& name : allowed) list += (list.empty() ? "" : " | ") + name;
  throw ConfigError(field, "unknown value '" + value + "'; allowed: " + list);
}

void check_finite(const std::string& field, double value) {
  if (!std::isfinite(value)) throw ConfigError(field, "must be a finite number, got " + number_text(value));
}

// lo ≤ value < hi (hi_open) or lo ≤ value ≤ hi; finite in any case.
void check_range(const std::string& field, double value, double lo, double hi, bool hi_open) {
  check_finite(field, value);
  const bool inside = value >= lo && (hi_open ? value < hi : value <= hi);
  if (!inside) {
    throw ConfigError(field, "must be in [" + number_text(lo) + ", " + number_text(hi) + (hi_open ? ")" : "]") +
                                 ", got " + number_text(value));
  }
}

void check_positive(const std::string& field, double value) {
  check_finite(field, value);
  if (!(value > 0)) throw ConfigError(field, "must be > 0, got " + number_text(value));
}

void check_non_negative(const std::string& field, double value) {
  check_finite(field, value);
  if (!(value >= 0)) throw ConfigError(field, "must be >= 0, got " + number_text(value));
}

void check_int(const std::string& field, long long value, long long lo, long long hi) {
  if (value < lo || value > hi) {
    throw ConfigError(field, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
                                 std::to_string(value));
  }
}

bool is_two_class_set(const std::string& dataset) {
  return dataset == "circles" || dataset == "xor" || dataset == "moons";
}

bool is_regression(const Config& config) {
  return config.data.dataset == "regression" || (config.data.dataset == "custom" && config.train.loss == "mse");
}

int output_count(const Config& config) { return is_regression(config) ? 1 : config.data.classes; }

void validate_data(const Config& config) {
  const DataConfig& data = config.data;
  check_name("data.dataset", data.dataset, kDatasets);
  check_name("data.preprocess", data.preprocess, kPreprocess);
  check_non_negative("data.noise", data.noise);
  check_range("data.val_fraction", data.val_fraction, 0.0, 1.0, true);
  check_int("data.train_limit", data.train_limit, 0, std::numeric_limits<int>::max());

  if (is_two_class_set(data.dataset)) {
    if (data.classes != 2) {
      throw ConfigError("data.classes", "the " + data.dataset + " dataset has exactly 2 classes, got " +
                                            std::to_string(data.classes));
    }
  } else if (data.dataset != "regression" && !(data.dataset == "custom" && config.train.loss == "mse")) {
    check_int("data.classes", data.classes, 2, kMaxClasses);
  }

  if (data.dataset == "regression") {
    if (data.dims != 1 && data.dims != 2) {
      throw ConfigError("data.dims", "the regression dataset has 1 or 2 dims, got " + std::to_string(data.dims));
    }
  } else if (data.dataset == "gaussian_cloud" || data.dataset == "custom") {
    check_int("data.dims", data.dims, 1, kMaxDims);
  } else if (data.dims != 2) {
    throw ConfigError("data.dims", "the " + data.dataset + " dataset is 2-D: dims must be 2, got " +
                                       std::to_string(data.dims));
  }

  check_int("data.samples", data.samples, 2, kMaxSamples);
  if (data.dataset == "custom") {
    if (data.y.size() != static_cast<std::size_t>(data.samples)) {
      throw ConfigError("data.samples", "must equal the number of custom examples (data.y has " +
                                            std::to_string(data.y.size()) + " values), got " +
                                            std::to_string(data.samples));
    }
    const std::size_t expected = data.y.size() * static_cast<std::size_t>(data.dims);
    if (data.x.size() != expected) {
      throw ConfigError("data.x", "must hold samples x dims = " + std::to_string(data.samples) + " x " +
                                      std::to_string(data.dims) + " = " + std::to_string(expected) +
                                      " values, got " + std::to_string(data.x.size()));
    }
    for (std::size_t i = 0; i < data.x.size(); ++i) {
      if (!std::isfinite(data.x[i])) {
        throw ConfigError("data.x", "value " + std::to_string(i) + " is not finite (NaN or infinity)");
      }
    }
    const bool labels = config.train.loss != "mse";
    for (std::size_t i = 0; i < data.y.size(); ++i) {
      const float value = data.y[i];
      if (!std::isfinite(value)) {
        throw ConfigError("data.y", "value " + std::to_string(i) + " is not finite (NaN or infinity)");
      }
      if (labels && (value != std::floor(value) || value < 0 || value >= static_cast<float>(data.classes))) {
        throw ConfigError("data.y", "value " + std::to_string(i) + " (" + number_text(value) +
                                        ") is not a class label: labels are integers in [0, " +
                                        std::to_string(data.classes) + ") (use loss mse for regression targets)");
      }
    }
  } else if (!data.x.empty() || !data.y.empty()) {
    throw ConfigError(data.x.empty() ? "data.y" : "data.x",
                      "only the custom dataset takes data arrays (dataset is '" + data.dataset + "')");
  }

  // split_dataset holds out round(val_fraction·N) examples; at least one must stay for training.
  const double held_out = std::round(data.val_fraction * data.samples);
  if (held_out > data.samples - 1) {
    throw ConfigError("data.val_fraction", "holds out all " + std::to_string(data.samples) +
                                               " examples; at least one must remain for training");
  }
}

void validate_model(const Config& config) {
  const ModelConfig& model = config.model;
  if (model.hidden.size() > static_cast<std::size_t>(kMaxHiddenLayers)) {
    throw ConfigError("model.hidden", "at most " + std::to_string(kMaxHiddenLayers) + " hidden layers, got " +
                                          std::to_string(model.hidden.size()));
  }
  for (std::size_t i = 0; i < model.hidden.size(); ++i) {
    check_int("model.hidden[" + std::to_string(i) + "]", model.hidden[i], 1, kMaxWidth);
  }
  check_name("model.activation", model.activation, kActivations);
  check_finite("model.alpha", model.alpha);  // < 0 selects the activation's default
  check_name("model.init", model.init, kInits);
  check_non_negative("model.init_scale", model.init_scale);
  check_finite("model.bias_init", model.bias_init);
  check_name("model.norm", model.norm, kNorms);
  check_int("model.groups", model.groups, 1, kMaxWidth);
  if (model.norm == "group") {
    for (std::size_t i = 0; i < model.hidden.size(); ++i) {
      if (model.hidden[i] % model.groups != 0) {
        throw ConfigError("model.groups", "group norm needs groups dividing every hidden width; " +
                                              std::to_string(model.groups) + " does not divide model.hidden[" +
                                              std::to_string(i) + "] = " + std::to_string(model.hidden[i]));
      }
    }
  }
  check_name("model.norm_position", model.norm_position, kNormPositions);
  check_range("model.bn_momentum", model.bn_momentum, 0.0, 1.0, true);
  check_positive("model.norm_eps", model.norm_eps);
  check_range("model.dropout", model.dropout, 0.0, 1.0, true);
  check_positive("model.gain", model.gain);
}

void validate_train(const Config& config) {
  const TrainConfig& train = config.train;
  check_name("train.optimizer", train.optimizer, kOptimizers);
  check_positive("train.lr", train.lr);
  check_range("train.momentum", train.momentum, 0.0, 1.0, true);
  check_range("train.beta1", train.beta1, 0.0, 1.0, true);
  check_range("train.beta2", train.beta2, 0.0, 1.0, true);
  check_positive("train.eps", train.eps);
  check_range("train.decay", train.decay, 0.0, 1.0, true);
  check_non_negative("train.weight_decay", train.weight_decay);
  check_name("train.schedule", train.schedule, kSchedules);
  check_int("train.decay_steps", train.decay_steps, 1, std::numeric_limits<int>::max());
  check_finite("train.gamma", train.gamma);
  if (!(train.gamma > 0 && train.gamma <= 1)) {
    throw ConfigError("train.gamma", "must be in (0, 1], got " + number_text(train.gamma));
  }
  check_range("train.min_lr", train.min_lr, 0.0, train.lr, false);
  check_int("train.warmup", train.warmup, 0, std::numeric_limits<int>::max());
  check_int("train.batch_size", train.batch_size, 1, std::numeric_limits<int>::max());
  check_non_negative("train.l1", train.l1);
  check_non_negative("train.l2", train.l2);
  check_name("train.loss", train.loss, kLosses);
  if (config.data.dataset == "regression" && train.loss != "mse") {
    throw ConfigError("train.loss", "the regression dataset has real-valued targets: loss must be mse, got '" +
                                        train.loss + "'");
  }
  check_non_negative("train.clip", train.clip);
}

void validate_diagnostics(const Config& config) {
  const DiagnosticsConfig& diagnostics = config.diagnostics;
  check_int("diagnostics.cadence", diagnostics.cadence, 0, std::numeric_limits<int>::max());
  check_int("diagnostics.probe_size", diagnostics.probe_size, 1, kMaxProbe);
  check_int("diagnostics.bins", diagnostics.bins, 2, 200);
  check_int("diagnostics.history", diagnostics.history, 16, kMaxHistory);
}

// The memory estimate split by what drives it, so the refusal can name the field to change.
struct MemoryEstimate {
  double data = 0;         // data.samples, data.dims
  double parameters = 0;   // model.hidden
  double activations = 0;  // train.batch_size × widths
  double diagnostics = 0;  // diagnostics.history, probe_size
  double total() const { return data + parameters + activations + diagnostics; }
};

MemoryEstimate estimate(const Config& config) {
  const DataConfig& data = config.data;
  const ModelConfig& model = config.model;
  const double samples = data.dataset == "custom" ? static_cast<double>(data.y.size()) : std::max(data.samples, 0);
  const double dims = std::max(data.dims, 1);
  const double outputs = std::max(output_count(config), 1);
  const double train_rows =
      std::max(1.0, samples - std::round(std::max(0.0, std::min(data.val_fraction, 1.0)) * samples));
  const double batch = std::min(static_cast<double>(std::max(config.train.batch_size, 1)), train_rows);

  MemoryEstimate bytes;
  // The generated set, the split (raw, kept for train_data()), the preprocessed copy and the
  // config's own copy of custom arrays: four float copies of x and y. PCA / whitening adds a few
  // dims x dims double matrices (covariance, eigenvectors, projection).
  bytes.data = 4.0 * samples * (dims + outputs) * sizeof(float);
  if (data.preprocess == "pca" || data.preprocess == "whiten") bytes.data += 4.0 * dims * dims * sizeof(double);

  // Parameters per layer: dense W and b (maxout: two of them), norm γ, β (+ running statistics),
  // PReLU α. Held as float params, grads, a divergence backup and up to two optimizer state
  // buffers; the gradient check builds a double copy (params + grads).
  const bool maxout = model.activation == "maxout";
  double parameters = 0;
  double widths = 0;
  double fan_in = dims;
  for (int width : model.hidden) {
    const double units = std::max(width, 1);
    parameters += (maxout ? 2.0 : 1.0) * (fan_in * units + units);
    if (model.norm != "none") parameters += 4.0 * units;
    if (model.activation == "prelu") parameters += units;
    widths += units;
    fan_in = units;
  }
  parameters += fan_in * outputs + outputs;
  bytes.parameters = parameters * (5.0 * sizeof(float) + 2.0 * sizeof(double));

  // Per example in a batch and hidden unit: dense output (two for maxout), normalized values and
  // norm output, activation, dropout mask and output, and the backward's gradients: about ten
  // floats. The probe, evaluation and prediction run in chunks of the same batch size.
  bytes.activations = batch * ((maxout ? 12.0 : 10.0) * widths + 4.0 * (dims + outputs)) * sizeof(float);

  // History: 6 per-step series plus 8 diagnostic series per layer (and their step column),
  // doubles at full capacity; the probe's gathered features and per-unit flags.
  const double layers = static_cast<double>(model.hidden.size()) + 1;
  const double probe = std::min(static_cast<double>(std::max(config.diagnostics.probe_size, 0)), train_rows);
  bytes.diagnostics = std::max(config.diagnostics.history, 0) * (7.0 + 8.0 * layers) * sizeof(double) +
                      probe * dims * sizeof(float) + widths * sizeof(double) * 2;
  return bytes;
}

}  // namespace

std::size_t estimate_memory_bytes(const Config& config) {
  const double total = estimate(config).total();
  const double cap = static_cast<double>(std::numeric_limits<std::size_t>::max() / 2);
  return static_cast<std::size_t>(std::min(total, cap));
}

void validate(const Config& config) {
  validate_data(config);
  validate_model(config);
  validate_train(config);
  validate_diagnostics(config);

  const MemoryEstimate bytes = estimate(config);
  const double total = bytes.total();
  if (total > static_cast<double>(kMemoryBudgetBytes)) {
    std::string field = "model.hidden";
    double largest = bytes.parameters;
    if (bytes.activations > largest) field = "train.batch_size", largest = bytes.activations;
    if (bytes.data > largest) field = config.data.dims > 64 ? "data.dims" : "data.samples", largest = bytes.data;
    if (bytes.diagnostics > largest) field = "diagnostics.history";
    const double megabytes = std::ceil(total / (1024.0 * 1024.0));
    throw ConfigError(field, "needs ~" + number_text(megabytes) + " MB, over the " +
                                 std::to_string(kMemoryBudgetBytes / (1024 * 1024)) + " MB budget");
  }
}

}  // namespace trainscope
