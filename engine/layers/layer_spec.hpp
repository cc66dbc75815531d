// model.layers: an ordered list of layer objects, the general form of model.hidden. This header
// declares one entry (LayerSpec) and THE table of layer types and their keys; the JSON reader and
// writer (json_io.cpp), validation, the schema (and from it the JS validation and the page's layer
// editor) all iterate over that table, so a key is written once, here and in layer_spec.cpp.
#pragma once

#include <string>
#include <vector>

#include "../registry.hpp"

namespace trainscope {

constexpr int kPadSame = -1;  // pad: "same" (output size = input size; stride 1 only)

struct LayerSpec {
  std::string type;      // a row of layer_types(): conv | pool | dense
  int filters = 0;       // conv: output channels
  int size = 0;          // conv: filter size K (required); pool: window (0 = 2)
  int stride = 0;        // 0 = the type's default: conv 1, pool = size
  int pad = 0;           // conv: zero padding on every side, or kPadSame
  std::string mode;      // pool: max | avg ("" = max)
  int units = 0;         // dense: output features
  std::string activation, norm, init;  // conv / dense: "" = the model-level key
  double dropout = -1;   // conv / dense: < 0 = model.dropout
};
bool operator==(const LayerSpec& a, const LayerSpec& b);
inline bool operator!=(const LayerSpec& a, const LayerSpec& b) { return !(a == b); }

// One key a layer object may have. Exactly one of the member pointers is set, by kind:
//   integer → integer (with min/max), pad → integer (a count ≥ 0 or the string "same"),
//   enum → text (values from choices()), number → number (with min/max, max exclusive).
struct LayerKey {
  const char* name;
  const char* kind;  // "integer" | "pad" | "enum" | "number"
  bool required;
  double min, max;
  std::vector<Choice> (*choices)();
  int LayerSpec::*integer;
  std::string LayerSpec::*text;
  double LayerSpec::*number;
  const char* doc;
};

struct LayerTypeInfo {
  const char* name;
  const char* description;
  std::vector<LayerKey> keys;  // besides "type"
};
const std::vector<LayerTypeInfo>& layer_types();
const LayerTypeInfo* find_layer_type(const std::string& name);
std::vector<Choice> layer_type_choices();
std::vector<Choice> pool_mode_choices();

// Whether a key was given (differs from LayerSpec's "not given" value).
bool layer_key_given(const LayerKey& key, const LayerSpec& spec);

// Checks one entry against the table (type known, required keys given, ranges, enum values);
// throws ConfigError("model.layers[index].key", ...). Shape arithmetic is plan.cpp's.
void check_layer_spec(const LayerSpec& spec, int index);

}  // namespace trainscope
