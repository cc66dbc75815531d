// Strict JSON reading of Config and JSON writing of results (the small JSON layer of json.hpp).
//
// Strictness is deliberate: a typo such as "learning_rate" silently falling back to the default
// would run a different experiment than the one the user wrote down, so unknown keys and wrong
// types are errors that name the dotted path.
#include "json_io.hpp"

#include <cmath>
#include <limits>
#include <algorithm>

#include "data/dataset.hpp"
#include "json.hpp"

namespace trainscope {
namespace {

using Json = json::Value;

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
  for (std::size_t i = 0; i < object.size(); ++i) {
    bool known = false;
    for (const std::string& name : allowed) known = known || name == object.key(i);
    if (!known) throw ConfigError(prefix + object.key(i), "unknown key; allowed: " + join(allowed));
  }
}

const Json& require_object(const Json& value, const std::string& path) {
  if (!value.is_object()) throw ConfigError(path, "expected an object, got " + type_name(value));
  return value;
}

double read_double(const Json& value, const std::string& path) {
  if (!value.is_number()) throw ConfigError(path, "expected a number, got " + type_name(value));
  return value.as_double();
}

// Integers: JSON integers, or numbers with an integral value (3.0 is the number 3; JSON has a
// single number type). 3.5 or "3" are errors.
long long read_integer(const Json& value, const std::string& path, long long lo, long long hi) {
  long long result = 0;
  if (value.is_number_unsigned()) {
    const auto unsigned_value = value.as_unsigned();
    if (unsigned_value > static_cast<unsigned long long>(hi)) {
      throw ConfigError(path, "must be at most " + std::to_string(hi));
    }
    result = static_cast<long long>(unsigned_value);
  } else if (value.is_number_integer()) {
    result = value.as_integer();
  } else if (value.is_number_float()) {
    const double number = value.as_double();
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
  return value.as_bool();
}

std::string read_string(const Json& value, const std::string& path) {
  if (!value.is_string()) throw ConfigError(path, "expected a string, got " + type_name(value));
  return value.as_string();
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
    result.push_back(static_cast<float>(element.as_double()));
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
    const Json* type_value = object.find("type");
    if (type_value == nullptr) throw ConfigError(at + ".type", "is required (conv, pool or dense)");
    LayerSpec spec;
    spec.type = read_string(*type_value, at + ".type");
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
      const Json* found = object.find(key.name);
      if (found == nullptr) continue;
      const Json& field = *found;
      const std::string key_path = at + "." + key.name;
      if (key.kind == std::string("pad") && field.is_string()) {
        if (field.as_string() != "same") throw ConfigError(key_path, "expected a count or \"same\", got " + field.dump());
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
  if (name == #key) read(object[i], prefix + name, section.key);
#define TRAINSCOPE_GROUP_READER(group, Struct)                                                          \
  void read_##group(const Json& object, Struct& section, std::vector<std::string>& given) {              \
    const std::string prefix = #group ".";                                                             \
    reject_unknown_keys(object, prefix, {TRAINSCOPE_##group##_KEYS(TRAINSCOPE_KEY_NAME)});               \
    for (std::size_t i = 0; i < object.size(); ++i) {                                                   \
      const std::string& name = object.key(i);                                                          \
      TRAINSCOPE_##group##_KEYS(TRAINSCOPE_READ_KEY)                                                    \
      given.push_back(prefix + name);                                                                   \
    }                                                                                                   \
  }
#define TRAINSCOPE_data_KEYS TRAINSCOPE_DATA_FIELDS
#define TRAINSCOPE_model_KEYS TRAINSCOPE_MODEL_FIELDS
#define TRAINSCOPE_train_KEYS TRAINSCOPE_TRAIN_FIELDS
#define TRAINSCOPE_diagnostics_KEYS TRAINSCOPE_DIAGNOSTICS_FIELDS
TRAINSCOPE_CONFIG_GROUPS(TRAINSCOPE_GROUP_READER)

// Writing: results are streamed as text (json::Object sorts each object's keys, as nlohmann's
// std::map did), so large arrays (History, feature maps, data) never become value trees.
// Non-finite doubles become null (json::write_double).
using json::Array;
using json::Object;

std::string doubles(const std::vector<double>& values) {
  std::string out;
  json::write_doubles(out, values);
  return out;
}

std::string floats(const std::vector<float>& values) {
  std::string out;
  json::write_floats(out, values);
  return out;
}

std::string ints(const std::vector<int>& values) {
  std::string out;
  json::write_ints(out, values);
  return out;
}

// A JSON array of the texts `write_one` gives for each item.
template <class T, class Write>
std::string array_json(const std::vector<T>& items, Write write_one) {
  Array array;
  for (const T& item : items) array.raw(write_one(item));
  return array.text();
}

std::string series_per_layer(const std::vector<std::vector<double>>& series) {
  return array_json(series, doubles);
}

std::string histogram_json(const Histogram& histogram) {
  return Object().raw("hist", doubles(histogram.counts)).raw("edges", doubles(histogram.edges)).text();
}

// A record field: ints stay integers in the JSON, doubles may be null (non-finite).
void field_json(Object& object, const char* key, int value) { object.integer(key, value); }
void field_json(Object& object, const char* key, double value) { object.number(key, value); }

std::string moments_json(const Moments& moments) {
  return Object()
      .number("mean", moments.mean)
      .number("std", moments.std)
      .raw("hist", doubles(moments.hist.counts))
      .raw("edges", doubles(moments.hist.edges))
      .text();
}

std::string split_json(const DataSplit& split) {
  return Object()
      .raw("x", floats(split.x))
      .raw("y", floats(split.y))
      .integer("count", split.count)
      .integer("dims", split.dims)
      .text();
}

std::string evaluation_json(const SplitEvaluation& split) {
  return Object().number("loss", split.loss).number("acc", split.acc).integer("count", split.count).text();
}

// Parses `text`, turning malformed JSON into a ConfigError of `field`; the root must be an object.
Json parse_root(const std::string& text, const char* field) {
  Json root;
  try {
    root = json::parse(text);
  } catch (const json::ParseError& error) {  // syntax, and numbers out of double's range
    throw ConfigError(field, std::string("invalid JSON: ") + error.what());
  }
  require_object(root, field);
  return root;
}

}  // namespace

Config config_from_json(const std::string& text) {
  const Json root = parse_root(text, "config");
  Config config;
  std::vector<std::string> given;
#define TRAINSCOPE_GROUP_NAME(group, Struct) #group,
  reject_unknown_keys(root, "", {"seed", TRAINSCOPE_CONFIG_GROUPS(TRAINSCOPE_GROUP_NAME)});
#undef TRAINSCOPE_GROUP_NAME
  if (const Json* seed = root.find("seed")) read(*seed, "seed", config.seed);
#define TRAINSCOPE_READ_GROUP(group, Struct)  \
  if (const Json* object = root.find(#group)) \
    read_##group(require_object(*object, #group), config.group, given);
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

namespace {

// One writer per C++ type of the configuration table (non-finite doubles become null).
std::string value_json(double value) {
  std::string out;
  json::write_double(out, value);
  return out;
}
std::string value_json(int value) {
  std::string out;
  json::write_integer(out, value);
  return out;
}
std::string value_json(std::uint32_t value) {
  std::string out;
  json::write_unsigned(out, value);
  return out;
}
std::string value_json(bool value) { return value ? "true" : "false"; }
std::string value_json(const std::string& value) {
  std::string out;
  json::write_string(out, value);
  return out;
}
std::string value_json(const std::vector<int>& values) { return ints(values); }
std::string value_json(const std::vector<float>& values) { return floats(values); }
// Each layer with its type and the keys it was given (the table's "not given" values omitted).
std::string value_json(const std::vector<LayerSpec>& layers) {
  return array_json(layers, [](const LayerSpec& spec) {
    Object object;
    object.string("type", spec.type);
    const LayerTypeInfo* type = find_layer_type(spec.type);
    for (const LayerKey& key : type ? type->keys : std::vector<LayerKey>{}) {
      if (!layer_key_given(key, spec)) continue;
      if (key.integer != nullptr) {
        if (key.kind == std::string("pad") && spec.*key.integer == kPadSame) {
          object.string(key.name, "same");
        } else {
          object.integer(key.name, spec.*key.integer);
        }
      } else if (key.text != nullptr) {
        object.string(key.name, spec.*key.text);
      } else {
        object.number(key.name, spec.*key.number);
      }
    }
    return object.text();
  });
}

}  // namespace

std::string config_to_json(const Config& config) {
  Object root;
  root.raw("seed", value_json(config.seed));
  Object data, model, train, diagnostics;  // one per TRAINSCOPE_CONFIG_GROUPS entry
#define TRAINSCOPE_WRITE(group, key, type, value, rule, live, unit, doc) \
  group.raw(#key, value_json(config.group.key));
  TRAINSCOPE_DATA_FIELDS(TRAINSCOPE_WRITE)
  TRAINSCOPE_MODEL_FIELDS(TRAINSCOPE_WRITE)
  TRAINSCOPE_TRAIN_FIELDS(TRAINSCOPE_WRITE)
  TRAINSCOPE_DIAGNOSTICS_FIELDS(TRAINSCOPE_WRITE)
#undef TRAINSCOPE_WRITE
  if (!config.model.layers.empty()) model.erase("hidden");  // one of the two, never both
#define TRAINSCOPE_WRITE_GROUP(group, Struct) root.raw(#group, group.text());
  TRAINSCOPE_CONFIG_GROUPS(TRAINSCOPE_WRITE_GROUP)
#undef TRAINSCOPE_WRITE_GROUP
  return root.text();
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
  Object object;
#define TRAINSCOPE_STEP_JSON(type, name) field_json(object, #name, metrics.name);
  TRAINSCOPE_STEP_FIELDS(TRAINSCOPE_STEP_JSON)
#undef TRAINSCOPE_STEP_JSON
  return object.text();
}

std::string to_json(const Status& status) {
  return Object()
      .boolean("diverged", status.diverged)
      .integer("step", status.step)
      .string("reason", status.reason)
      .text();
}

std::string to_json(const Evaluation& evaluation) {
  return Object()
      .raw("train", evaluation_json(evaluation.train))
      .raw("val", evaluation_json(evaluation.val))
      .text();
}

std::string to_json(const std::vector<LayerStats>& stats) {
  return array_json(stats, [](const LayerStats& layer) {
    return Object()
        .string("name", layer.name)
        .integer("units", layer.units)
        .string("activation", layer.activation)
        .raw("pre", moments_json(layer.pre))
        .raw("act", moments_json(layer.act))
        .number("dead_fraction", layer.dead_fraction)
        .number("zero_fraction", layer.zero_fraction)
        .number("saturated_fraction", layer.saturated_fraction)
        .number("weight_norm", layer.weight_norm)
        .number("grad_norm", layer.grad_norm)
        .number("update_ratio", layer.update_ratio)
        .text();
  });
}

namespace {

// The fields a tensor's check and the whole check share.
Object grad_check_json(double max_rel_error, int checked, int skipped, int ill_conditioned) {
  Object object;
  object.number("max_rel_error", max_rel_error)
      .integer("checked", checked)
      .integer("skipped", skipped)
      .integer("ill_conditioned", ill_conditioned);
  return object;
}

}  // namespace

std::string to_json(const GradCheckResult& result) {
  const std::string tensors = array_json(result.tensors, [](const TensorGradCheck& tensor) {
    return grad_check_json(tensor.max_rel_error, tensor.checked, tensor.skipped, tensor.ill_conditioned)
        .string("name", tensor.name)
        .text();
  });
  return grad_check_json(result.max_rel_error, result.checked, result.skipped, result.ill_conditioned)
      .raw("tensors", tensors)
      .boolean("passed", result.passed)
      .string("reason", result.reason)
      .text();
}

std::string to_json(const InitialLossCheck& check) {
  return Object()
      .number("expected", check.expected)
      .number("measured", check.measured)
      .string("label", check.label)
      .string("explanation", check.explanation)
      .text();
}

std::string to_json(const History& history) {
  Object object;
#define TRAINSCOPE_COLUMN_JSON(name) object.raw(#name, doubles(history.name));
  TRAINSCOPE_HISTORY_STEP_FIELDS(TRAINSCOPE_COLUMN_JSON)
#undef TRAINSCOPE_COLUMN_JSON
  object.raw("diag_step", doubles(history.diag_step));
#define TRAINSCOPE_SERIES_JSON(name) object.raw(#name, series_per_layer(history.name));
  TRAINSCOPE_LAYER_SERIES(TRAINSCOPE_SERIES_JSON)
#undef TRAINSCOPE_SERIES_JSON
  object.integer("version", history.version);
  std::string layer_names;
  json::write_strings(layer_names, history.layers);
  object.raw("layers", std::move(layer_names));
  Array layers;
  for (std::size_t l = 0; l < history.histograms.size(); ++l) {
    const LayerHistogram& layer = history.histograms[l];
    layers.raw(Object()
                   .string("name", l < history.layers.size() ? history.layers[l] : std::string())
                   .raw("pre", histogram_json(layer.pre))
                   .raw("act", histogram_json(layer.act))
                   .text());
  }
  object.raw("histograms",
             Object().number("step", history.histogram_step).raw("layers", layers.text()).text());
  return object.text();
}

std::string to_json(const DataSplit& train, const DataSplit& val) {
  return Object().raw("train", split_json(train)).raw("val", split_json(val)).text();
}

std::string to_json(const std::vector<TensorInfo>& tensors) {
  return array_json(tensors, [](const TensorInfo& tensor) {
    return Object()
        .string("name", tensor.name)
        .integer("layer", tensor.layer)
        .integer("rows", tensor.rows)
        .integer("cols", tensor.cols)
        .boolean("trainable", tensor.trainable)
        .text();
  });
}

std::string to_json(const std::vector<LayerSummary>& rows) {
  return array_json(rows, [](const LayerSummary& row) {
    Object object;
    object.string("type", row.type)
        .string("path", row.path)
        .string("name", row.name)
        .raw("input", ints(row.input))
        .raw("output", ints(row.output))
        .integer("parameters", static_cast<long long>(row.parameters))
        .number("multiply_adds", row.multiply_adds);
    if (row.type == "conv") object.integer("filters", row.filters).integer("pad", row.pad);
    if (row.type == "conv" || row.type == "pool")
      object.integer("size", row.size).integer("stride", row.stride);
    if (row.type == "pool") object.string("mode", row.mode);
    if (!row.activation.empty()) object.string("activation", row.activation).string("norm", row.norm);
    return object.text();
  });
}

std::string to_json(const std::vector<FeatureMap>& maps) {
  return array_json(maps, [](const FeatureMap& map) {
    return Object()
        .string("name", map.name)
        .string("path", map.path)
        .raw("shape", ints(map.shape))
        .raw("values", floats(map.values))
        .text();
  });
}

PathConfig path_config_from_json(const std::string& text) {
  const Json root = parse_root(text, "path");
  reject_unknown_keys(root, "", {"surface", "kappa", "start", "steps", "noise", "seed", "train"});
  PathConfig config;
  if (const Json* surface = root.find("surface")) read(*surface, "surface", config.surface);
  if (const Json* kappa = root.find("kappa")) read(*kappa, "kappa", config.kappa);
  if (const Json* start = root.find("start")) {
    if (!start->is_array() || start->size() != 2)
      throw ConfigError("start", "expected [x, y], got " + type_name(*start));
    config.start[0] = read_double((*start)[0], "start");
    config.start[1] = read_double((*start)[1], "start");
  }
  if (const Json* steps = root.find("steps")) read(*steps, "steps", config.steps);
  if (const Json* noise = root.find("noise")) read(*noise, "noise", config.noise);
  if (const Json* seed = root.find("seed")) read(*seed, "seed", config.seed);
  if (const Json* train = root.find("train")) {
    std::vector<std::string> given;
    read_train(require_object(*train, "train"), config.train, given);
  }
  return config;
}

std::string to_json(const OptimizerPath& path) {
  return Object()
      .raw("x", doubles(path.x))
      .raw("y", doubles(path.y))
      .raw("loss", doubles(path.loss))
      .integer("steps", path.steps)
      .string("stopped", path.stopped)
      .string("reason", path.reason)
      .text();
}

}  // namespace trainscope
