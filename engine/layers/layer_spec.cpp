#include "layer_spec.hpp"

#include <cmath>
#include <cstdio>

#include "../config.hpp"

namespace trainscope {

bool operator==(const LayerSpec& a, const LayerSpec& b) {
  return a.type == b.type && a.filters == b.filters && a.size == b.size && a.stride == b.stride && a.pad == b.pad &&
         a.mode == b.mode && a.units == b.units && a.activation == b.activation && a.norm == b.norm &&
         a.init == b.init && a.dropout == b.dropout;
}

namespace {

constexpr double kMaxFilters = 4096;
constexpr double kMaxFilterSize = 64;

LayerKey integer(const char* name, bool required, double min, double max, int LayerSpec::*member, const char* doc) {
  return {name, "integer", required, min, max, nullptr, member, nullptr, nullptr, doc};
}
LayerKey choice(const char* name, std::vector<Choice> (*choices)(), std::string LayerSpec::*member, const char* doc) {
  return {name, "enum", false, 0, 0, choices, nullptr, member, nullptr, doc};
}

// The per-layer overrides of the model-level keys, shared by conv and dense layers.
std::vector<LayerKey> with_overrides(std::vector<LayerKey> keys) {
  keys.push_back(choice("activation", activation_choices, &LayerSpec::activation, "this layer's activation (default model.activation)"));
  keys.push_back(choice("norm", norm_choices, &LayerSpec::norm, "this layer's normalization (default model.norm)"));
  keys.push_back(choice("init", init_choices, &LayerSpec::init, "this layer's weight initializer (default model.init)"));
  keys.push_back({"dropout", "number", false, 0, 1, nullptr, nullptr, nullptr, &LayerSpec::dropout,
                  "this layer's drop probability in [0, 1) (default model.dropout)"});
  return keys;
}

}  // namespace

std::vector<Choice> pool_mode_choices() {
  return {{"max", "the largest value of each window (the gradient goes to it alone)"},
          {"avg", "the mean of each window (the gradient is shared equally)"}};
}

const std::vector<LayerTypeInfo>& layer_types() {
  static const std::vector<LayerTypeInfo> registry = {
      {"conv", "convolution: filters x size x size, stride, zero padding; output (N − F + 2P)/S + 1",
       with_overrides({
           integer("filters", true, 1, kMaxFilters, &LayerSpec::filters, "output channels (one per filter)"),
           integer("size", true, 1, kMaxFilterSize, &LayerSpec::size, "filter width and height F"),
           integer("stride", false, 1, kMaxFilterSize, &LayerSpec::stride, "step S between filter positions (default 1)"),
           {"pad", "pad", false, 0, kMaxFilterSize, nullptr, &LayerSpec::pad, nullptr, nullptr,
            "zero padding P on every side, or \"same\" (stride 1): output size = input size (default 0)"},
       })},
      {"pool", "pooling: each channel's size x size windows, stride apart, reduced to their max or mean",
       {
           integer("size", false, 1, kMaxFilterSize, &LayerSpec::size, "window width and height (default 2)"),
           integer("stride", false, 1, kMaxFilterSize, &LayerSpec::stride, "step between windows (default size)"),
           choice("mode", pool_mode_choices, &LayerSpec::mode, "max or avg (default max)"),
       }},
      {"dense", "fully connected: flattens a C x H x W input into C·H·W features",
       with_overrides({
           integer("units", true, 1, kMaxWidth, &LayerSpec::units, "output features"),
       })},
  };
  return registry;
}

const LayerTypeInfo* find_layer_type(const std::string& name) { return find_named(layer_types(), name); }

std::vector<Choice> layer_type_choices() { return choices_of(layer_types()); }

bool layer_key_given(const LayerKey& key, const LayerSpec& spec) {
  if (key.integer != nullptr) return spec.*key.integer != 0;  // pad "same" is kPadSame, also != 0
  if (key.text != nullptr) return !(spec.*key.text).empty();
  return spec.*key.number >= 0;
}

void check_layer_spec(const LayerSpec& spec, int index) {
  const std::string path = "model.layers[" + std::to_string(index) + "]";
  const LayerTypeInfo* type = find_layer_type(spec.type);
  if (type == nullptr) {
    std::string allowed;
    for (const LayerTypeInfo& info : layer_types()) allowed += (allowed.empty() ? "" : " | ") + std::string(info.name);
    throw ConfigError(path + ".type", "unknown layer type '" + spec.type + "'; allowed: " + allowed);
  }
  // Keys of other types must keep their "not given" values (the JSON reader refuses them by name;
  // this catches a C++ caller).
  for (const LayerTypeInfo& other : layer_types()) {
    for (const LayerKey& key : other.keys) {
      bool mine = false;
      for (const LayerKey& own : type->keys) mine = mine || std::string(own.name) == key.name;
      if (!mine && layer_key_given(key, spec)) {
        throw ConfigError(path + "." + key.name, std::string("is not a key of a ") + type->name + " layer");
      }
    }
  }
  for (const LayerKey& key : type->keys) {
    const std::string key_path = path + "." + key.name;
    if (!layer_key_given(key, spec)) {
      if (key.required) throw ConfigError(key_path, std::string("is required for a ") + type->name + " layer");
      continue;
    }
    if (key.integer != nullptr) {
      const int value = spec.*key.integer;
      const bool same = key.kind == std::string("pad") && value == kPadSame;
      if (!same && (value < key.min || value > key.max)) {
        char range[96];
        std::snprintf(range, sizeof range, "must be an integer in [%g, %g]%s, got %d", key.min, key.max,
                      key.kind == std::string("pad") ? " or \"same\"" : "", value);
        throw ConfigError(key_path, range);
      }
    } else if (key.text != nullptr) {
      const std::string& value = spec.*key.text;
      std::string allowed;
      bool known = false;
      for (const Choice& c : key.choices()) {
        known = known || c.name == value;
        allowed += (allowed.empty() ? "" : " | ") + c.name;
      }
      if (!known) throw ConfigError(key_path, "unknown value '" + value + "'; allowed: " + allowed);
    } else {
      const double value = spec.*key.number;
      if (!(value >= key.min && value < key.max)) {
        throw ConfigError(key_path, "must be in [0, 1), got " + std::to_string(value));
      }
    }
  }
}

}  // namespace trainscope
