// Strict JSON reading of Config and JSON writing of results (nlohmann::json).
//
// Strictness is deliberate: a typo such as "learning_rate" silently falling back to the default
// would run a different experiment than the one the user wrote down, so unknown keys and wrong
// types are errors that name the dotted path.
#include "json_io.hpp"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace trainscope {
namespace {

using Json = nlohmann::json;

std::string type_name(const Json& value) {
  if (value.is_number_float()) return "a non-integer number";
  if (value.is_number()) return "an integer";
  return value.type_name();  // "string", "boolean", "array", "object", "null"
}

std::string join(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

// Throws for any key of `object` not in `allowed`; `prefix` is "" (top level) or "data." etc.
void reject_unknown_keys(const Json& object, const std::string& prefix, const std::vector<std::string>& allowed) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool known = false;
    for (const std::string& name : allowed) known = known || name == it.key();
    if (!known) throw ConfigError(prefix + it.key(), "unknown key; allowed: " + join(allowed));
  }
}

const Json& require_object(const Json& value, const std::string& path) {
  if (!value.is_object()) throw ConfigError(path, "expected an object, got " + type_name(value));
  return value;
}

double read_double(const Json& value, const std::string& path) {
  if (!value.is_number()) throw ConfigError(path, "expected a number, got " + type_name(value));
  return value.get<double>();
}

// Integers: JSON integers, or numbers with an integral value (3.0 is the number 3; JSON has a
// single number type). 3.5 or "3" are errors.
long long read_integer(const Json& value, const std::string& path, long long lo, long long hi) {
  long long result = 0;
  if (value.is_number_unsigned()) {
    const auto unsigned_value = value.get<unsigned long long>();
    if (unsigned_value > static_cast<unsigned long long>(hi)) {
      throw ConfigError(path, "must be at most " + std::to_string(hi));
    }
    result = static_cast<long long>(unsigned_value);
  } else if (value.is_number_integer()) {
    result = value.get<long long>();
  } else if (value.is_number_float()) {
    const double number = value.get<double>();
    if (!(number == std::floor(number)) || std::fabs(number) > 9.0e15) {
      throw ConfigError(path, "expected an integer, got " + value.dump());
    }
    result = static_cast<long long>(number);
  } else {
    throw ConfigError(path, "expected an integer, got " + type_name(value));
  }
  if (result < lo || result > hi) {
    throw ConfigError(path, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
                                std::to_string(result));
  }
  return result;
}

int read_int(const Json& value, const std::string& path) {
  return static_cast<int>(
      read_integer(value, path, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

bool read_bool(const Json& value, const std::string& path) {
  if (!value.is_boolean()) throw ConfigError(path, "expected true or false, got " + type_name(value));
  return value.get<bool>();
}

std::string read_string(const Json& value, const std::string& path) {
  if (!value.is_string()) throw ConfigError(path, "expected a string, got " + type_name(value));
  return value.get<std::string>();
}

std::vector<int> read_int_array(const Json& value, const std::string& path) {
  if (!value.is_array()) throw ConfigError(path, "expected an array of integers, got " + type_name(value));
  std::vector<int> result;
  result.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    result.push_back(read_int(value[i], path + "[" + std::to_string(i) + "]"));
  }
  return result;
}

std::vector<float> read_float_array(const Json& value, const std::string& path) {
  if (!value.is_array()) throw ConfigError(path, "expected an array of numbers, got " + type_name(value));
  std::vector<float> result;
  result.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    const Json& element = value[i];
    if (!element.is_number()) {
      throw ConfigError(path + "[" + std::to_string(i) + "]", "expected a number, got " + type_name(element));
    }
    result.push_back(static_cast<float>(element.get<double>()));
  }
  return result;
}

// Section readers: each key is read only when present (missing keys keep the defaults).
template <class Reader>
void for_each_key(const Json& object, const std::string& prefix, const std::vector<std::string>& allowed,
                  Reader read) {
  reject_unknown_keys(object, prefix, allowed);
  for (auto it = object.begin(); it != object.end(); ++it) read(it.key(), it.value(), prefix + it.key());
}

void read_data(const Json& object, DataConfig& data, bool& classes_given, bool& samples_given, bool& dims_given) {
  const std::vector<std::string> allowed = {"dataset", "classes",    "samples",     "noise", "dims",
                                            "val_fraction", "preprocess", "train_limit", "x",     "y"};
  for_each_key(object, "data.", allowed, [&](const std::string& key, const Json& value, const std::string& path) {
    if (key == "dataset") data.dataset = read_string(value, path);
    if (key == "classes") data.classes = read_int(value, path), classes_given = true;
    if (key == "samples") data.samples = read_int(value, path), samples_given = true;
    if (key == "noise") data.noise = read_double(value, path);
    if (key == "dims") data.dims = read_int(value, path), dims_given = true;
    if (key == "val_fraction") data.val_fraction = read_double(value, path);
    if (key == "preprocess") data.preprocess = read_string(value, path);
    if (key == "train_limit") data.train_limit = read_int(value, path);
    if (key == "x") data.x = read_float_array(value, path);
    if (key == "y") data.y = read_float_array(value, path);
  });
}

void read_model(const Json& object, ModelConfig& model) {
  const std::vector<std::string> allowed = {"hidden", "activation", "alpha",       "init",     "init_scale",
                                            "bias_init", "norm",     "groups",      "norm_position",
                                            "bn_momentum", "norm_eps", "dropout", "gain"};
  for_each_key(object, "model.", allowed, [&](const std::string& key, const Json& value, const std::string& path) {
    if (key == "hidden") model.hidden = read_int_array(value, path);
    if (key == "activation") model.activation = read_string(value, path);
    if (key == "alpha") model.alpha = read_double(value, path);
    if (key == "init") model.init = read_string(value, path);
    if (key == "init_scale") model.init_scale = read_double(value, path);
    if (key == "bias_init") model.bias_init = read_double(value, path);
    if (key == "norm") model.norm = read_string(value, path);
    if (key == "groups") model.groups = read_int(value, path);
    if (key == "norm_position") model.norm_position = read_string(value, path);
    if (key == "bn_momentum") model.bn_momentum = read_double(value, path);
    if (key == "norm_eps") model.norm_eps = read_double(value, path);
    if (key == "dropout") model.dropout = read_double(value, path);
    if (key == "gain") model.gain = read_double(value, path);
  });
}

void read_train(const Json& object, TrainConfig& train) {
  const std::vector<std::string> allowed = {"optimizer", "lr",     "momentum", "beta1",  "beta2",   "eps",
                                            "decay",     "weight_decay", "schedule", "decay_steps", "gamma",
                                            "min_lr",    "warmup", "batch_size", "l1",   "l2",      "loss",
                                            "clip",      "shuffle"};
  for_each_key(object, "train.", allowed, [&](const std::string& key, const Json& value, const std::string& path) {
    if (key == "optimizer") train.optimizer = read_string(value, path);
    if (key == "lr") train.lr = read_double(value, path);
    if (key == "momentum") train.momentum = read_double(value, path);
    if (key == "beta1") train.beta1 = read_double(value, path);
    if (key == "beta2") train.beta2 = read_double(value, path);
    if (key == "eps") train.eps = read_double(value, path);
    if (key == "decay") train.decay = read_double(value, path);
    if (key == "weight_decay") train.weight_decay = read_double(value, path);
    if (key == "schedule") train.schedule = read_string(value, path);
    if (key == "decay_steps") train.decay_steps = read_int(value, path);
    if (key == "gamma") train.gamma = read_double(value, path);
    if (key == "min_lr") train.min_lr = read_double(value, path);
    if (key == "warmup") train.warmup = read_int(value, path);
    if (key == "batch_size") train.batch_size = read_int(value, path);
    if (key == "l1") train.l1 = read_double(value, path);
    if (key == "l2") train.l2 = read_double(value, path);
    if (key == "loss") train.loss = read_string(value, path);
    if (key == "clip") train.clip = read_double(value, path);
    if (key == "shuffle") train.shuffle = read_bool(value, path);
  });
}

void read_diagnostics(const Json& object, DiagnosticsConfig& diagnostics) {
  const std::vector<std::string> allowed = {"cadence", "probe_size", "bins", "history"};
  for_each_key(object, "diagnostics.", allowed,
               [&](const std::string& key, const Json& value, const std::string& path) {
                 if (key == "cadence") diagnostics.cadence = read_int(value, path);
                 if (key == "probe_size") diagnostics.probe_size = read_int(value, path);
                 if (key == "bins") diagnostics.bins = read_int(value, path);
                 if (key == "history") diagnostics.history = read_int(value, path);
               });
}

// JSON has no NaN or infinity: write them as null.
Json number(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

Json numbers(const std::vector<double>& values) {
  Json array = Json::array();
  for (double value : values) array.push_back(number(value));
  return array;
}

Json series_per_layer(const std::vector<std::vector<double>>& series) {
  Json array = Json::array();
  for (const auto& layer : series) array.push_back(numbers(layer));
  return array;
}

Json histogram_json(const Histogram& histogram) {
  return Json{{"hist", numbers(histogram.counts)}, {"edges", numbers(histogram.edges)}};
}

// A record field: ints stay integers in the JSON, doubles may be null (non-finite).
Json field_json(int value) { return value; }
Json field_json(double value) { return number(value); }

Json moments_json(const Moments& moments) {
  return Json{{"mean", number(moments.mean)},
              {"std", number(moments.std)},
              {"hist", numbers(moments.hist.counts)},
              {"edges", numbers(moments.hist.edges)}};
}

Json split_json(const DataSplit& split) {
  Json x = Json::array();
  for (float value : split.x) x.push_back(number(value));
  Json y = Json::array();
  for (float value : split.y) y.push_back(number(value));
  return Json{{"x", std::move(x)}, {"y", std::move(y)}, {"count", split.count}, {"dims", split.dims}};
}

Json evaluation_json(const SplitEvaluation& split) {
  return Json{{"loss", number(split.loss)}, {"acc", number(split.acc)}, {"count", split.count}};
}

}  // namespace

Config config_from_json(const std::string& text) {
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::parse_error& error) {
    throw ConfigError("config", std::string("invalid JSON: ") + error.what());
  }
  require_object(root, "config");
  Config config;
  bool classes_given = false, samples_given = false, dims_given = false;
  reject_unknown_keys(root, "", {"seed", "data", "model", "train", "diagnostics"});
  if (root.contains("seed")) {
    config.seed = static_cast<std::uint32_t>(read_integer(root["seed"], "seed", 0, 4294967295LL));
  }
  if (root.contains("data")) {
    read_data(require_object(root["data"], "data"), config.data, classes_given, samples_given, dims_given);
  }
  if (root.contains("model")) read_model(require_object(root["model"], "model"), config.model);
  if (root.contains("train")) read_train(require_object(root["train"], "train"), config.train);
  if (root.contains("diagnostics")) {
    read_diagnostics(require_object(root["diagnostics"], "diagnostics"), config.diagnostics);
  }

  DataConfig& data = config.data;
  const bool two_class_set = data.dataset == "circles" || data.dataset == "xor" || data.dataset == "moons";
  if (two_class_set && !classes_given) data.classes = 2;
  if (data.dataset == "custom" && !data.y.empty()) {
    if (!samples_given) data.samples = static_cast<int>(data.y.size());
    if (!dims_given && data.x.size() % data.y.size() == 0) {
      data.dims = static_cast<int>(data.x.size() / data.y.size());
    }
  }
  return config;
}

std::string config_to_json(const Config& config) {
  const DataConfig& data = config.data;
  const ModelConfig& model = config.model;
  const TrainConfig& train = config.train;
  const DiagnosticsConfig& diagnostics = config.diagnostics;
  Json x = Json::array();
  for (float value : data.x) x.push_back(number(value));
  Json y = Json::array();
  for (float value : data.y) y.push_back(number(value));
  Json root = {
      {"seed", config.seed},
      {"data",
       {{"dataset", data.dataset},
        {"classes", data.classes},
        {"samples", data.samples},
        {"noise", number(data.noise)},
        {"dims", data.dims},
        {"val_fraction", number(data.val_fraction)},
        {"preprocess", data.preprocess},
        {"train_limit", data.train_limit},
        {"x", std::move(x)},
        {"y", std::move(y)}}},
      {"model",
       {{"hidden", model.hidden},
        {"activation", model.activation},
        {"alpha", number(model.alpha)},
        {"init", model.init},
        {"init_scale", number(model.init_scale)},
        {"bias_init", number(model.bias_init)},
        {"norm", model.norm},
        {"groups", model.groups},
        {"norm_position", model.norm_position},
        {"bn_momentum", number(model.bn_momentum)},
        {"norm_eps", number(model.norm_eps)},
        {"dropout", number(model.dropout)},
        {"gain", number(model.gain)}}},
      {"train",
       {{"optimizer", train.optimizer},
        {"lr", number(train.lr)},
        {"momentum", number(train.momentum)},
        {"beta1", number(train.beta1)},
        {"beta2", number(train.beta2)},
        {"eps", number(train.eps)},
        {"decay", number(train.decay)},
        {"weight_decay", number(train.weight_decay)},
        {"schedule", train.schedule},
        {"decay_steps", train.decay_steps},
        {"gamma", number(train.gamma)},
        {"min_lr", number(train.min_lr)},
        {"warmup", train.warmup},
        {"batch_size", train.batch_size},
        {"l1", number(train.l1)},
        {"l2", number(train.l2)},
        {"loss", train.loss},
        {"clip", number(train.clip)},
        {"shuffle", train.shuffle}}},
      {"diagnostics",
       {{"cadence", diagnostics.cadence},
        {"probe_size", diagnostics.probe_size},
        {"bins", diagnostics.bins},
        {"history", diagnostics.history}}}};
  return root.dump();
}

std::string validate_config_json(const std::string& json) {
  try {
    validate(config_from_json(json));
  } catch (const std::exception& error) {
    return error.what();
  }
  return "";
}

std::string to_json(const StepMetrics& metrics) {
  Json json = Json::object();
#define TRAINSCOPE_STEP_JSON(type, name) json[#name] = field_json(metrics.name);
  TRAINSCOPE_STEP_FIELDS(TRAINSCOPE_STEP_JSON)
#undef TRAINSCOPE_STEP_JSON
  return json.dump();
}

std::string to_json(const Status& status) {
  return Json{{"diverged", status.diverged}, {"step", status.step}, {"reason", status.reason}}.dump();
}

std::string to_json(const Evaluation& evaluation) {
  return Json{{"train", evaluation_json(evaluation.train)}, {"val", evaluation_json(evaluation.val)}}.dump();
}

std::string to_json(const std::vector<LayerStats>& stats) {
  Json array = Json::array();
  for (const LayerStats& layer : stats) {
    array.push_back(Json{{"name", layer.name},
                         {"units", layer.units},
                         {"activation", layer.activation},
                         {"pre", moments_json(layer.pre)},
                         {"act", moments_json(layer.act)},
                         {"dead_fraction", number(layer.dead_fraction)},
                         {"zero_fraction", number(layer.zero_fraction)},
                         {"saturated_fraction", number(layer.saturated_fraction)},
                         {"weight_norm", number(layer.weight_norm)},
                         {"grad_norm", number(layer.grad_norm)},
                         {"update_ratio", number(layer.update_ratio)}});
  }
  return array.dump();
}

std::string to_json(const GradCheckResult& result) {
  Json tensors = Json::array();
  for (const TensorGradCheck& tensor : result.tensors) {
    tensors.push_back(
        Json{{"name", tensor.name},
             {"max_rel_error", number(tensor.max_rel_error)},
             {"checked", tensor.checked},
             {"skipped", tensor.skipped}});
  }
  return Json{{"tensors", std::move(tensors)},
              {"max_rel_error", number(result.max_rel_error)},
              {"passed", result.passed}}
      .dump();
}

std::string to_json(const InitialLossCheck& check) {
  return Json{{"expected", number(check.expected)},
              {"measured", number(check.measured)},
              {"explanation", check.explanation}}
      .dump();
}

std::string to_json(const History& history) {
  Json json = Json::object();
#define TRAINSCOPE_COLUMN_JSON(name) json[#name] = numbers(history.name);
  TRAINSCOPE_HISTORY_STEP_FIELDS(TRAINSCOPE_COLUMN_JSON)
#undef TRAINSCOPE_COLUMN_JSON
  json["diag_step"] = numbers(history.diag_step);
#define TRAINSCOPE_SERIES_JSON(name) json[#name] = series_per_layer(history.name);
  TRAINSCOPE_LAYER_SERIES(TRAINSCOPE_SERIES_JSON)
#undef TRAINSCOPE_SERIES_JSON
  json["version"] = history.version;
  json["layers"] = history.layers;
  Json layers = Json::array();
  for (std::size_t l = 0; l < history.histograms.size(); ++l) {
    const LayerHistogram& layer = history.histograms[l];
    layers.push_back(Json{{"name", l < history.layers.size() ? history.layers[l] : std::string()},
                          {"pre", histogram_json(layer.pre)},
                          {"act", histogram_json(layer.act)}});
  }
  json["histograms"] = Json{{"step", number(history.histogram_step)}, {"layers", std::move(layers)}};
  return json.dump();
}

std::string to_json(const DataSplit& train, const DataSplit& val) {
  return Json{{"train", split_json(train)}, {"val", split_json(val)}}.dump();
}

std::string to_json(const std::vector<TensorInfo>& tensors) {
  Json array = Json::array();
  for (const TensorInfo& tensor : tensors) {
    array.push_back(Json{{"name", tensor.name},
                         {"layer", tensor.layer},
                         {"rows", tensor.rows},
                         {"cols", tensor.cols},
                         {"trainable", tensor.trainable}});
  }
  return array.dump();
}

}  // namespace trainscope
