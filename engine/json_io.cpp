// Strict JSON reading of Config and JSON writing of results (nlohmann::json).
//
// Strictness is deliberate: a typo such as "learning_rate" silently falling back to the default
// would run a different experiment than the one the user wrote down, so unknown keys and wrong
// types are errors that name the dotted path.
#include "json_io.hpp"

#include <cmath>
#include <limits>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "data/dataset.hpp"

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

// One reader per C++ type of the configuration table.
void read(const Json& value, const std::string& path, double& out) { out = read_double(value, path); }
void read(const Json& value, const std::string& path, int& out) { out = read_int(value, path); }
void read(const Json& value, const std::string& path, bool& out) { out = read_bool(value, path); }
void read(const Json& value, const std::string& path, std::string& out) { out = read_string(value, path); }
void read(const Json& value, const std::string& path, std::vector<int>& out) { out = read_int_array(value, path); }
void read(const Json& value, const std::string& path, std::vector<float>& out) { out = read_float_array(value, path); }
// model.layers: objects read by the layer table (layers/layer_spec.hpp): "type" first, then only
// that type's keys, each by its kind. Ranges are checked by validate() (check_layer_spec).
void read(const Json& value, const std::string& path, std::vector<LayerSpec>& out) {
  if (!value.is_array()) throw ConfigError(path, "expected an array of layer objects, got " + type_name(value));
  out.clear();
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string at = path + "[" + std::to_string(i) + "]";
    const Json& object = require_object(value[i], at);
    if (!object.contains("type")) throw ConfigError(at + ".type", "is required (conv, pool or dense)");
    LayerSpec spec;
    spec.type = read_string(object["type"], at + ".type");
    const LayerTypeInfo* type = find_layer_type(spec.type);
    if (type == nullptr) {
      std::vector<std::string> names;
      for (const LayerTypeInfo& info : layer_types()) names.push_back(info.name);
      throw ConfigError(at + ".type", "unknown layer type '" + spec.type + "'; allowed: " + join(names));
    }
    std::vector<std::string> allowed{"type"};
    for (const LayerKey& key : type->keys) allowed.push_back(key.name);
    reject_unknown_keys(object, at + ".", allowed);
    for (const LayerKey& key : type->keys) {
      if (!object.contains(key.name)) continue;
      const Json& field = object[key.name];
      const std::string key_path = at + "." + key.name;
      if (key.kind == std::string("pad") && field.is_string()) {
        if (field.get<std::string>() != "same") throw ConfigError(key_path, "expected a count or \"same\", got " + field.dump());
        spec.*key.integer = kPadSame;
      } else if (key.integer != nullptr) {
        spec.*key.integer = static_cast<int>(read_integer(field, key_path, static_cast<long long>(key.min),
                                                          static_cast<long long>(key.max)));
      } else if (key.text != nullptr) {
        spec.*key.text = read_string(field, key_path);
      } else {
        spec.*key.number = read_double(field, key_path);
        if (!(spec.*key.number >= key.min && spec.*key.number < key.max)) {
          throw ConfigError(key_path, "must be in [0, 1), got " + field.dump());
        }
      }
    }
    out.push_back(spec);
  }
}

void read(const Json& value, const std::string& path, std::uint32_t& out) {
  out = static_cast<std::uint32_t>(read_integer(value, path, 0, 4294967295LL));
}

// Reads the keys present in one group's object (missing keys keep the defaults); records which
// keys were given, for the data-dependent defaults.
#define TRAINSCOPE_KEY_NAME(group, key, type, value, rule, live, unit, doc) #key,
#define TRAINSCOPE_READ_KEY(group, key, type, default_value, rule, live, unit, doc) \
  if (name == #key) read(it.value(), prefix + name, section.key);
#define TRAINSCOPE_GROUP_READER(group, Struct)                                                          \
  void read_##group(const Json& object, Struct& section, std::vector<std::string>& given) {              \
    const std::string prefix = #group ".";                                                             \
    reject_unknown_keys(object, prefix, {TRAINSCOPE_##group##_KEYS(TRAINSCOPE_KEY_NAME)});               \
    for (auto it = object.begin(); it != object.end(); ++it) {                                          \
      const std::string& name = it.key();                                                               \
      TRAINSCOPE_##group##_KEYS(TRAINSCOPE_READ_KEY)                                                    \
      given.push_back(prefix + name);                                                                   \
    }                                                                                                   \
  }
#define TRAINSCOPE_data_KEYS TRAINSCOPE_DATA_FIELDS
#define TRAINSCOPE_model_KEYS TRAINSCOPE_MODEL_FIELDS
#define TRAINSCOPE_train_KEYS TRAINSCOPE_TRAIN_FIELDS
#define TRAINSCOPE_diagnostics_KEYS TRAINSCOPE_DIAGNOSTICS_FIELDS
TRAINSCOPE_CONFIG_GROUPS(TRAINSCOPE_GROUP_READER)

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
  } catch (const Json::exception& error) {  // parse errors, and numbers out of double's range
    throw ConfigError("config", std::string("invalid JSON: ") + error.what());
  }
  require_object(root, "config");
  Config config;
  std::vector<std::string> given;
#define TRAINSCOPE_GROUP_NAME(group, Struct) #group,
  reject_unknown_keys(root, "", {"seed", TRAINSCOPE_CONFIG_GROUPS(TRAINSCOPE_GROUP_NAME)});
#undef TRAINSCOPE_GROUP_NAME
  if (root.contains("seed")) read(root["seed"], "seed", config.seed);
#define TRAINSCOPE_READ_GROUP(group, Struct) \
  if (root.contains(#group)) read_##group(require_object(root[#group], #group), config.group, given);
  TRAINSCOPE_CONFIG_GROUPS(TRAINSCOPE_READ_GROUP)
#undef TRAINSCOPE_READ_GROUP

  // Data-dependent defaults (the dataset registry says which sets fix their class count).
  auto is_given = [&](const char* path) { return std::find(given.begin(), given.end(), path) != given.end(); };
  DataConfig& data = config.data;
  const DatasetInfo* dataset = find_named(datasets(), data.dataset);
  if (dataset != nullptr && dataset->fixed_classes > 0 && !is_given("data.classes")) {
    data.classes = dataset->fixed_classes;
  }
  if (dataset != nullptr && dataset->custom && !data.y.empty()) {
    if (!is_given("data.samples")) data.samples = static_cast<int>(data.y.size());
    if (!is_given("data.dims") && data.x.size() % data.y.size() == 0) {
      data.dims = static_cast<int>(data.x.size() / data.y.size());
    }
  }
  if (!is_given("data.dims") && find_named(datasets(), data.dataset) != nullptr) {  // unknown: validate() names it
    // An image's features: C·H·W of the image dataset, or of data.shape.
    const ImageShape shape = input_shape(data);
    if (shape.is_image()) data.dims = shape.size();
  }
  if (is_given("model.hidden") && is_given("model.layers") && !config.model.layers.empty()) {
    throw ConfigError("model.layers", "give either model.hidden (a stack of dense layers) or model.layers, not both");
  }
  return config;
}

// One writer per C++ type (non-finite doubles become null).
Json value_json(double value) { return number(value); }
Json value_json(int value) { return value; }
Json value_json(std::uint32_t value) { return value; }
Json value_json(bool value) { return value; }
Json value_json(const std::string& value) { return value; }
Json value_json(const std::vector<int>& value) { return value; }
Json value_json(const std::vector<float>& values) {
  Json array = Json::array();
  for (float value : values) array.push_back(number(value));
  return array;
}
// Each layer with its type and the keys it was given (the table's "not given" values omitted).
Json value_json(const std::vector<LayerSpec>& layers) {
  Json array = Json::array();
  for (const LayerSpec& spec : layers) {
    Json object = {{"type", spec.type}};
    const LayerTypeInfo* type = find_layer_type(spec.type);
    for (const LayerKey& key : type ? type->keys : std::vector<LayerKey>{}) {
      if (!layer_key_given(key, spec)) continue;
      if (key.integer != nullptr) {
        object[key.name] = key.kind == std::string("pad") && spec.*key.integer == kPadSame ? Json("same")
                                                                                            : Json(spec.*key.integer);
      } else if (key.text != nullptr) {
        object[key.name] = spec.*key.text;
      } else {
        object[key.name] = spec.*key.number;
      }
    }
    array.push_back(object);
  }
  return array;
}

std::string config_to_json(const Config& config) {
  Json root = Json::object();
  root["seed"] = value_json(config.seed);
#define TRAINSCOPE_WRITE(group, key, type, value, rule, live, unit, doc) root[#group][#key] = value_json(config.group.key);
  TRAINSCOPE_DATA_FIELDS(TRAINSCOPE_WRITE)
  TRAINSCOPE_MODEL_FIELDS(TRAINSCOPE_WRITE)
  TRAINSCOPE_TRAIN_FIELDS(TRAINSCOPE_WRITE)
  TRAINSCOPE_DIAGNOSTICS_FIELDS(TRAINSCOPE_WRITE)
#undef TRAINSCOPE_WRITE
  if (!config.model.layers.empty()) root["model"].erase("hidden");  // one of the two, never both
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
             {"skipped", tensor.skipped},
             {"ill_conditioned", tensor.ill_conditioned}});
  }
  return Json{{"tensors", std::move(tensors)},
              {"max_rel_error", number(result.max_rel_error)},
              {"checked", result.checked},
              {"skipped", result.skipped},
              {"ill_conditioned", result.ill_conditioned},
              {"passed", result.passed},
              {"reason", result.reason}}
      .dump();
}

std::string to_json(const InitialLossCheck& check) {
  return Json{{"expected", number(check.expected)},
              {"measured", number(check.measured)},
              {"label", check.label},
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

std::string to_json(const std::vector<LayerSummary>& rows) {
  Json array = Json::array();
  for (const LayerSummary& row : rows) {
    Json json = {{"type", row.type},         {"path", row.path},
                 {"name", row.name},         {"input", row.input},
                 {"output", row.output},     {"parameters", row.parameters},
                 {"multiply_adds", row.multiply_adds}};
    if (row.type == "conv") json["filters"] = row.filters, json["pad"] = row.pad;
    if (row.type == "conv" || row.type == "pool") json["size"] = row.size, json["stride"] = row.stride;
    if (row.type == "pool") json["mode"] = row.mode;
    if (!row.activation.empty()) json["activation"] = row.activation, json["norm"] = row.norm;
    array.push_back(json);
  }
  return array.dump();
}

std::string to_json(const std::vector<FeatureMap>& maps) {
  Json array = Json::array();
  for (const FeatureMap& map : maps) {
    array.push_back({{"name", map.name}, {"path", map.path}, {"shape", map.shape}, {"values", value_json(map.values)}});
  }
  return array.dump();
}

PathConfig path_config_from_json(const std::string& text) {
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::exception& error) {
    throw ConfigError("path", std::string("invalid JSON: ") + error.what());
  }
  require_object(root, "path");
  reject_unknown_keys(root, "", {"surface", "kappa", "start", "steps", "noise", "seed", "train"});
  PathConfig config;
  if (root.contains("surface")) read(root["surface"], "surface", config.surface);
  if (root.contains("kappa")) read(root["kappa"], "kappa", config.kappa);
  if (root.contains("start")) {
    const Json& start = root["start"];
    if (!start.is_array() || start.size() != 2) throw ConfigError("start", "expected [x, y], got " + type_name(start));
    config.start[0] = read_double(start[0], "start");
    config.start[1] = read_double(start[1], "start");
  }
  if (root.contains("steps")) read(root["steps"], "steps", config.steps);
  if (root.contains("noise")) read(root["noise"], "noise", config.noise);
  if (root.contains("seed")) read(root["seed"], "seed", config.seed);
  if (root.contains("train")) {
    std::vector<std::string> given;
    read_train(require_object(root["train"], "train"), config.train, given);
  }
  return config;
}

std::string to_json(const OptimizerPath& path) {
  return Json{{"x", numbers(path.x)},
              {"y", numbers(path.y)},
              {"loss", numbers(path.loss)},
              {"steps", path.steps},
              {"stopped", path.stopped},
              {"reason", path.reason}}
      .dump();
}

}  // namespace trainscope
