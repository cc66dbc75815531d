// Configuration validation, live changes and the memory estimate.
//
// validate() first checks every key against its row of the configuration table
// (config_fields.hpp), then the rules that tie keys together, then the memory budget, and throws
// ConfigError naming the first offending field (dotted path), what is allowed and what was given.
// It touches only the config itself: nothing proportional to the number of samples or parameters
// is allocated, so an absurd config (hidden [100000, 100000]) is refused in microseconds.
//
// Cross-field rules (documented decisions):
//   - data.classes: a dataset with fixed classes (DatasetInfo::fixed_classes) needs exactly that
//     many (config_from_json fills it when the key is absent); real-valued targets ignore classes;
//     any other classifier needs at least 2.
//   - data.dims: DatasetInfo::dims says whether the set is 2-D, 1-D or 2-D, or any dimension.
//   - dataset "custom": the rows are data.y's entries. data.samples must equal y's length and
//     data.x must hold samples·dims values (config_from_json derives samples and dims when the keys
//     are absent). With a loss that takes real targets y holds regression targets; otherwise y holds
//     integral labels in [0, classes).
//   - model.groups must divide every hidden width when the norm uses groups.
//   - train.min_lr ≤ train.lr; a regression dataset needs a loss that takes real targets.
//   - data.train_limit may exceed the training set (then everything is kept); train.batch_size may
//     exceed the training set (it is clamped to it).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>

#include "architecture.hpp"
#include "config.hpp"
#include "data/dataset.hpp"
#include "layers/activation_registry.hpp"
#include "layers/norms.hpp"
#include "loss.hpp"

namespace trainscope {

namespace {

std::string number_text(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::string path_of(const char* group, const char* key) {
  const std::string prefix = group;
  return prefix == "root" ? std::string(key) : prefix + "." + key;
}

// "[0, 1)", "> 0", ">= 0" or "" (any finite number): the allowed range of a rule.
std::string range_text(const Rule& rule) {
  const bool has_min = std::isfinite(rule.min), has_max = std::isfinite(rule.max);
  if (!has_min && !has_max) return "";
  if (!has_max || rule.max == kMaxInt) return std::string(rule.min_open ? "> " : ">= ") + number_text(rule.min);
  return (rule.min_open ? "(" : "[") + number_text(rule.min) + ", " + number_text(rule.max) +
         (rule.max_open ? ")" : "]");
}

bool inside(const Rule& rule, double value) {
  if (rule.min_open ? !(value > rule.min) : !(value >= rule.min)) return false;
  if (rule.max_open ? !(value < rule.max) : !(value <= rule.max)) return false;
  return true;
}

std::string must_be(const Rule& rule) {
  const std::string range = range_text(rule);
  return range[0] == '[' || range[0] == '(' ? "must be in " + range : "must be " + range;
}

// Edit distance, for "did you mean" suggestions.
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The per-key checks, one overload per C++ type of the table.
void check(const std::string& path, double value, const Rule& rule) {
  if (!std::isfinite(value)) throw ConfigError(path, "must be a finite number, got " + number_text(value));
  if (!inside(rule, value)) throw ConfigError(path, must_be(rule) + ", got " + number_text(value));
}

void check(const std::string& path, int value, const Rule& rule) {
  if (!inside(rule, value)) throw ConfigError(path, must_be(rule) + ", got " + std::to_string(value));
}

void check(const std::string& path, std::uint32_t value, const Rule& rule) {
  if (!inside(rule, value)) throw ConfigError(path, must_be(rule) + ", got " + std::to_string(value));
}

void check(const std::string&, bool, const Rule&) {}

void check(const std::string& path, const std::string& value, const Rule& rule) {
  const std::vector<Choice> choices = rule.choices();
  std::string list, nearest;
  std::size_t best = 3;
  for (const Choice& choice : choices) {
    if (choice.name == value) return;
    list += (list.empty() ? "" : " | ") + choice.name;
    const std::size_t d = distance(value, choice.name);
    if (d < best) best = d, nearest = choice.name;
  }
  throw ConfigError(path, "unknown value '" + value + "'" + (nearest.empty() ? "" : "; did you mean '" + nearest + "'?") +
                              "; allowed: " + list);
}

void check(const std::string& path, const std::vector<int>& widths, const Rule& rule) {
  if (widths.size() > static_cast<std::size_t>(rule.max_length)) {
    throw ConfigError(path, "at most " + std::to_string(rule.max_length) + " entries, got " +
                                std::to_string(widths.size()));
  }
  for (std::size_t i = 0; i < widths.size(); ++i) check(path + "[" + std::to_string(i) + "]", widths[i], rule);
}

void check(const std::string&, const std::vector<float>&, const Rule&) {}  // custom data: cross-field rules

void check(const std::string& path, const std::vector<LayerSpec>& layers, const Rule& rule) {
  if (layers.size() > static_cast<std::size_t>(rule.max_length)) {
    throw ConfigError(path, "at most " + std::to_string(rule.max_length) + " layers, got " +
                                std::to_string(layers.size()));
  }
  for (std::size_t i = 0; i < layers.size(); ++i) check_layer_spec(layers[i], static_cast<int>(i));
}

void check_fields(const Config& config) {
#define TRAINSCOPE_CHECK_ROOT(group, key, type, value, rule, live, unit, doc) check(path_of(#group, #key), config.key, rule);
#define TRAINSCOPE_CHECK(group, key, type, value, rule, live, unit, doc) \
  check(path_of(#group, #key), config.group.key, rule);
  TRAINSCOPE_SEED_FIELD(TRAINSCOPE_CHECK_ROOT)
  TRAINSCOPE_DATA_FIELDS(TRAINSCOPE_CHECK)
  TRAINSCOPE_MODEL_FIELDS(TRAINSCOPE_CHECK)
  TRAINSCOPE_TRAIN_FIELDS(TRAINSCOPE_CHECK)
  TRAINSCOPE_DIAGNOSTICS_FIELDS(TRAINSCOPE_CHECK)
#undef TRAINSCOPE_CHECK
#undef TRAINSCOPE_CHECK_ROOT
}

int output_count(const Config& config) { return dataset_outputs(config.data, config.train.loss); }

void check_custom_data(const Config& config) {
  const DataConfig& data = config.data;
  if (data.y.size() != static_cast<std::size_t>(data.samples)) {
    throw ConfigError("data.samples", "must equal the number of custom examples (data.y has " +
                                          std::to_string(data.y.size()) + " values), got " +
                                          std::to_string(data.samples));
  }
  const std::size_t expected = data.y.size() * static_cast<std::size_t>(data.dims);
  if (data.x.size() != expected) {
    throw ConfigError("data.x", "must hold samples x dims = " + std::to_string(data.samples) + " x " +
                                    std::to_string(data.dims) + " = " + std::to_string(expected) + " values, got " +
                                    std::to_string(data.x.size()));
  }
  for (std::size_t i = 0; i < data.x.size(); ++i) {
    if (!std::isfinite(data.x[i])) {
      throw ConfigError("data.x", "value " + std::to_string(i) + " is not finite (NaN or infinity)");
    }
  }
  const bool labels = !has_real_targets(data, config.train.loss);
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
}

void check_data(const Config& config) {
  const DataConfig& data = config.data;
  const DatasetInfo& dataset = dataset_info(data.dataset);
  const bool real_targets = has_real_targets(data, config.train.loss);
  if (dataset.fixed_classes > 0) {
    if (data.classes != dataset.fixed_classes) {
      throw ConfigError("data.classes", "the " + data.dataset + " dataset has exactly " +
                                            std::to_string(dataset.fixed_classes) + " classes, got " +
                                            std::to_string(data.classes));
    }
  } else if (!real_targets && data.classes < 2) {
    throw ConfigError("data.classes", "a classifier needs at least 2 classes, got " + std::to_string(data.classes));
  }
  if (data.val_from == "test" && !dataset.external) {
    throw ConfigError("data.val_from", "\"test\" needs a dataset with an official test file (fashion_mnist); the " +
                                           data.dataset + " dataset splits its own examples");
  }
  if (dataset.max_classes > 0 && data.classes > dataset.max_classes) {
    throw ConfigError("data.classes", "the " + data.dataset + " dataset has " + std::to_string(dataset.max_classes) +
                                          " kinds: at most " + std::to_string(dataset.max_classes) + " classes, got " +
                                          std::to_string(data.classes));
  }
  if (dataset.dims == DatasetInfo::kOneOrTwoDims && data.dims != 1 && data.dims != 2) {
    throw ConfigError("data.dims", "the " + data.dataset + " dataset has 1 or 2 dims, got " + std::to_string(data.dims));
  }
  if (dataset.dims == DatasetInfo::kTwoDims && data.dims != 2) {
    throw ConfigError("data.dims", "the " + data.dataset + " dataset is 2-D: dims must be 2, got " +
                                       std::to_string(data.dims));
  }
  if (!data.shape.empty()) {
    if (!dataset.custom) {
      throw ConfigError("data.shape", "only custom data takes a shape (the " + data.dataset + " dataset has its own)");
    }
    if (data.shape.size() != 3) {
      throw ConfigError("data.shape", "must be [channels, height, width], got " + std::to_string(data.shape.size()) +
                                          " entries");
    }
    const long long size = 1LL * data.shape[0] * data.shape[1] * data.shape[2];
    if (size != data.dims) {
      throw ConfigError("data.shape", "[" + std::to_string(data.shape[0]) + ", " + std::to_string(data.shape[1]) +
                                          ", " + std::to_string(data.shape[2]) + "] holds " + std::to_string(size) +
                                          " values per example, but each x row has data.dims = " +
                                          std::to_string(data.dims));
    }
  }
  if (dataset.image.is_image() && data.dims != dataset.image.size()) {
    throw ConfigError("data.dims", "the " + data.dataset + " dataset has " + std::to_string(dataset.image.size()) +
                                       " features per example (its images), got " + std::to_string(data.dims));
  }
  if (dataset.custom) {
    check_custom_data(config);
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

// model.hidden with group norm: the divisors that would fit, for the message.
void check_hidden_groups(const ModelConfig& model) {
  if (!model.layers.empty() || !norm_info(model.norm).uses_groups || model.hidden.empty()) return;
  int common = 0;  // gcd of the widths: the group counts that fit are its divisors
  for (int width : model.hidden) common = std::gcd(common, width);
  for (std::size_t i = 0; i < model.hidden.size(); ++i) {
    if (model.hidden[i] % model.groups == 0) continue;
    std::string divisors;
    for (int d = 1; d <= common; ++d) {
      if (common % d == 0) divisors += (divisors.empty() ? "" : ", ") + std::to_string(d);
    }
    throw ConfigError("model.groups", "group norm needs groups dividing every hidden width; got " +
                                          std::to_string(model.groups) + " for width " +
                                          std::to_string(model.hidden[i]) + " (model.hidden[" + std::to_string(i) +
                                          "]); allowed: divisors of " + std::to_string(common) + ": " + divisors);
  }
}

void check_model(const Config& config) {
  const ModelConfig& model = config.model;
  check_hidden_groups(model);
  // Shapes, per-layer norms and activations: the architecture plan (architecture.cpp) names the layer.
  plan_architecture(model, input_shape(config.data), output_count(config));
}

void check_train(const Config& config) {
  const TrainConfig& train = config.train;
  if (train.min_lr > train.lr) {
    throw ConfigError("train.min_lr", "must be at most train.lr (" + number_text(train.lr) + "), got " +
                                          number_text(train.min_lr));
  }
  // Batch statistics of one example: x̂ = 0, no gradient, and the running variance decays towards
  // 0 so that evaluation divides by sqrt(eps). The training set may be smaller than the batch.
  bool batch_statistics = norm_info(config.model.norm).batch_statistics;
  for (const LayerSpec& spec : config.model.layers) {
    batch_statistics = batch_statistics || (!spec.norm.empty() && norm_info(spec.norm).batch_statistics);
  }
  if (batch_statistics) {
    const DataConfig& data = config.data;
    const double samples = dataset_info(data.dataset).custom ? static_cast<double>(data.y.size()) : data.samples;
    double rows = samples - std::round(data.val_fraction * samples);
    if (data.train_limit > 0) rows = std::min(rows, static_cast<double>(data.train_limit));
    if (std::min(rows, static_cast<double>(train.batch_size)) < 2) {
      throw ConfigError("train.batch_size", "batch norm needs at least 2 examples per batch; use layer or group "
                                            "norm for batch size 1 (batch " + std::to_string(train.batch_size) +
                                            ", training examples " + number_text(rows) + ")");
    }
  }
  if (dataset_info(config.data.dataset).regression && !loss_info(train.loss).real_targets) {
    throw ConfigError("train.loss", "the " + config.data.dataset +
                                        " dataset has real-valued targets: loss must take them (mse), got '" +
                                        train.loss + "'");
  }
}

// The memory estimate split by what drives it, so the refusal can name the field to change.
// Coefficients: kMemoryModel (config.hpp), exported with the schema for the JS mirror.
struct MemoryEstimate {
  double data = 0;         // data.samples, data.dims
  double parameters = 0;   // model.hidden
  double activations = 0;  // train.batch_size × widths
  double diagnostics = 0;  // diagnostics.history, probe_size
  double total() const { return data + parameters + activations + diagnostics; }
};

MemoryEstimate estimate(const Config& config) {
  const MemoryModel& m = kMemoryModel;
  const DataConfig& data = config.data;
  const ModelConfig& model = config.model;
  const bool custom = dataset_info(data.dataset).custom;
  const double samples = custom ? static_cast<double>(data.y.size()) : std::max(data.samples, 0);
  const double dims = std::max(data.dims, 1);
  const double outputs = std::max(output_count(config), 1);
  const double train_rows =
      std::max(1.0, samples - std::round(std::max(0.0, std::min(data.val_fraction, 1.0)) * samples));
  const double batch = std::min(static_cast<double>(std::max(config.train.batch_size, 1)), train_rows);
  constexpr double kFloat = sizeof(float), kDouble = sizeof(double);

  MemoryEstimate bytes;
  bytes.data = m.data_copies * samples * (dims + outputs) * kFloat;
  for (const PreprocessInfo& method : preprocessors()) {
    if (data.preprocess == method.name && method.rotates()) bytes.data += m.pca_matrices * dims * dims * kDouble;
  }

  // Parameters per layer: dense W and b (width_factor of them), norm parameters, the activation's
  // own parameters per unit.
  const ActivationTraits& activation = find_activation(model.activation)->traits;
  const double norm_parameters = norm_info(model.norm).parameters_per_unit();
  double parameters = 0, widths = 0, fan_in = dims, image_floats = 0;
  if (model.layers.empty()) {
    for (int width : model.hidden) {
      const double units = std::max(width, 1);
      parameters += activation.width_factor * (fan_in * units + units);
      parameters += norm_parameters * units + activation.params_per_unit * units;
      widths += units;
      fan_in = units;
    }
  } else {
    // model.layers (validated by check_model before this runs): every activation of every layer,
    // and for a conv its im2col columns (one C·K·K x OH·OW matrix per example; the gradient of
    // the columns is one example's, counted per example here to stay an upper bound).
    const std::vector<LayerPlan> plan = plan_architecture(model, input_shape(data), static_cast<int>(outputs));
    for (const LayerPlan& layer : plan) {
      if (layer.type == "output") break;
      const double out = layer.out.size(), channels = layer.out.channels;
      const double layer_norm = norm_info(layer.settings.norm).parameters_per_unit();
      if (layer.type == "conv") {
        const double taps = static_cast<double>(layer.in.channels) * layer.size * layer.size;
        parameters += (taps + 1) * channels + layer_norm * channels;
        image_floats += 2.0 * taps * layer.out.spatial() + out;
      } else if (layer.type == "dense") {
        const ActivationTraits& own = find_activation(layer.settings.activation)->traits;
        parameters += own.width_factor * (layer.in.size() * out + out) + layer_norm * out + own.params_per_unit * out;
      } else {
        image_floats += out;  // pooling: the arg-max indices
      }
      widths += out;
    }
    fan_in = plan.back().in.size();
  }
  parameters += fan_in * outputs + outputs;
  bytes.parameters = parameters * m.bytes_per_parameter;

  // Per example in a batch and hidden unit: activations and their gradients (two more per extra
  // dense piece); the probe, evaluation and prediction run in chunks of the same batch size.
  const double per_unit = m.floats_per_batch_unit + 2.0 * (activation.width_factor - 1);
  bytes.activations =
      batch * (per_unit * widths + image_floats + m.floats_per_batch_io * (dims + outputs)) * kFloat;

  // History: per-step series and per-layer diagnostic series at full capacity, the probe's
  // gathered features and per-unit flags.
  double layers = static_cast<double>(model.hidden.size()) + 1;
  if (!model.layers.empty()) {
    layers = 1;
    for (const LayerSpec& spec : model.layers) layers += spec.type == "pool" ? 0 : 1;
  }
  const double probe = std::min(static_cast<double>(std::max(config.diagnostics.probe_size, 0)), train_rows);
  bytes.diagnostics = std::max(config.diagnostics.history, 0) *
                          (m.history_step_series + m.history_layer_series * layers) * kDouble +
                      probe * dims * kFloat + widths * kDouble * 2;
  return bytes;
}

void check_memory(const Config& config) {
  const MemoryEstimate bytes = estimate(config);
  const double total = bytes.total();
  if (total <= static_cast<double>(kMemoryBudgetBytes)) return;
  std::string field = "model.hidden";
  double largest = bytes.parameters;
  if (bytes.activations > largest) field = "train.batch_size", largest = bytes.activations;
  if (bytes.data > largest) field = config.data.dims > 64 ? "data.dims" : "data.samples", largest = bytes.data;
  if (bytes.diagnostics > largest) field = "diagnostics.history";
  const double megabytes = std::ceil(total / (1024.0 * 1024.0));
  throw ConfigError(field, "needs ~" + number_text(megabytes) + " MB, over the " +
                               std::to_string(kMemoryBudgetBytes / (1024 * 1024)) + " MB budget");
}

}  // namespace

std::size_t estimate_memory_bytes(const Config& config) {
  const double total = estimate(config).total();
  const double cap = static_cast<double>(std::numeric_limits<std::size_t>::max() / 2);
  return static_cast<std::size_t>(std::min(total, cap));
}

void validate(const Config& config) {
  check_fields(config);
  check_data(config);
  check_model(config);
  check_train(config);
  check_memory(config);
}

void apply_live(Config& current, const Config& changed) {
  // First every structural difference (nothing is applied when one is found), then the live keys.
#define TRAINSCOPE_REQUIRE_SAME_ROOT(group, key, type, value, rule, live, unit, doc) \
  if (!(live) && !(changed.key == current.key)) throw ConfigError(path_of(#group, #key), "changing it needs a reset");
#define TRAINSCOPE_REQUIRE_SAME(group, key, type, value, rule, live, unit, doc) \
  if (!(live) && !(changed.group.key == current.group.key))                    \
    throw ConfigError(path_of(#group, #key), "changing it needs a reset");
#define TRAINSCOPE_APPLY(group, key, type, value, rule, live, unit, doc) \
  if (live) current.group.key = changed.group.key;
  TRAINSCOPE_SEED_FIELD(TRAINSCOPE_REQUIRE_SAME_ROOT)
  TRAINSCOPE_DATA_FIELDS(TRAINSCOPE_REQUIRE_SAME)
  TRAINSCOPE_MODEL_FIELDS(TRAINSCOPE_REQUIRE_SAME)
  TRAINSCOPE_TRAIN_FIELDS(TRAINSCOPE_REQUIRE_SAME)
  TRAINSCOPE_DIAGNOSTICS_FIELDS(TRAINSCOPE_REQUIRE_SAME)
  TRAINSCOPE_DATA_FIELDS(TRAINSCOPE_APPLY)
  TRAINSCOPE_MODEL_FIELDS(TRAINSCOPE_APPLY)
  TRAINSCOPE_TRAIN_FIELDS(TRAINSCOPE_APPLY)
  TRAINSCOPE_DIAGNOSTICS_FIELDS(TRAINSCOPE_APPLY)
#undef TRAINSCOPE_REQUIRE_SAME_ROOT
#undef TRAINSCOPE_REQUIRE_SAME
#undef TRAINSCOPE_APPLY
}

}  // namespace trainscope
