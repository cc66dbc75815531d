#include "architecture.hpp"

#include <cmath>
#include <cstdio>

#include "layers/activation_registry.hpp"
#include "layers/norms.hpp"

namespace trainscope {
namespace {

// (N − F + 2·P)/S + 1, exact; throws with the arithmetic when it is not a whole number ≥ 1.
int output_size(const std::string& path, const char* what, int n, int f, int pad, int stride) {
  const int numerator = n - f + 2 * pad;
  const double size = static_cast<double>(numerator) / stride + 1;
  char formula[160];
  std::snprintf(formula, sizeof formula, "%s (%d − %d + 2·%d)/%d + 1 = %g", what, n, f, pad, stride, size);
  if (numerator % stride != 0) {
    throw ConfigError(path, std::string(formula) + " is not an integer; change stride or pad");
  }
  if (size < 1) {
    throw ConfigError(path, std::string(formula) + " is below 1: the " + (f > n ? "filter" : "window") +
                                " is larger than the (padded) input; use a smaller size or more padding");
  }
  return static_cast<int>(size);
}

// Square images have one output size; others name the side.
const char* height_name(ImageShape shape) { return shape.height == shape.width ? "output size" : "output height"; }
const char* width_name(ImageShape shape) { return shape.height == shape.width ? "output size" : "output width"; }

// Resolves a conv or dense entry's overrides on top of the model-level keys and checks that the
// activation and the norm fit the layer (channels for conv, units for dense).
void resolve_block(LayerPlan& layer, const ModelConfig& model, const LayerSpec* spec, int channels) {
  layer.settings = model;
  if (spec != nullptr) {
    if (!spec->activation.empty()) layer.settings.activation = spec->activation;
    if (!spec->norm.empty()) layer.settings.norm = spec->norm;
    if (!spec->init.empty()) layer.settings.init = spec->init;
    if (spec->dropout >= 0) layer.settings.dropout = spec->dropout, layer.dropout_fixed = true;
  }
  const ActivationInfo* activation = find_activation(layer.settings.activation);
  if (activation == nullptr) {
    throw ConfigError(layer.path, "unknown activation '" + layer.settings.activation + "'; allowed: " + activation_names());
  }
  const bool conv = layer.type == "conv";
  if (conv && (activation->traits.width_factor != 1 || activation->traits.params_per_unit != 0)) {
    throw ConfigError(layer.path, std::string(activation->name) + " is for dense layers only (it has " +
                                      (activation->traits.width_factor != 1 ? "pieces" : "parameters") +
                                      " per unit); pick another activation for this conv layer");
  }
  const NormInfo& norm = norm_info(layer.settings.norm);
  if (norm.needs_channels && !conv) {
    throw ConfigError(spec == nullptr ? "model.norm" : layer.path, std::string(norm.name) + " norm normalizes each channel over its positions: it "
                                  "needs a conv layer; a dense layer has no channels");
  }
  if (norm.kind == NormInfo::kGroups) {
    const int groups = norm.group_count(layer.settings, channels);
    if (groups < 1 || channels % groups != 0) {
      // model.hidden's widths all share model.groups: the key to change is model.groups itself.
      throw ConfigError(spec == nullptr ? "model.groups" : layer.path, std::string(norm.name) + " norm with model.groups = " + std::to_string(groups) +
                                        " does not divide the layer's " + std::to_string(channels) +
                                        (conv ? " filters" : " units"));
    }
  }
}

}  // namespace

std::vector<LayerPlan> plan_architecture(const ModelConfig& model, ImageShape input, int outputs) {
  std::vector<LayerPlan> plan;
  ImageShape shape = input;
  bool feature_map = input.is_image();  // C x H x W (even 1 x 1 after a conv or pool), not flat features
  const int width_factor = [&] {
    const ActivationInfo* info = find_activation(model.activation);
    return info ? info->traits.width_factor : 1;
  }();
  if (model.layers.empty()) {
    for (std::size_t i = 0; i < model.hidden.size(); ++i) {
      LayerPlan layer;
      layer.type = "dense";
      layer.path = "model.hidden[" + std::to_string(i) + "]";
      layer.in = shape;
      layer.out = {model.hidden[i], 1, 1};
      resolve_block(layer, model, nullptr, model.hidden[i]);
      layer.multiply_adds = static_cast<double>(shape.size()) * model.hidden[i] * width_factor;
      plan.push_back(layer);
      shape = layer.out;
    }
  }
  for (std::size_t i = 0; i < model.layers.size(); ++i) {
    const LayerSpec& spec = model.layers[i];
    check_layer_spec(spec, static_cast<int>(i));
    LayerPlan layer;
    layer.type = spec.type;
    layer.path = "model.layers[" + std::to_string(i) + "]";
    layer.in = shape;
    if (spec.type == "conv" || spec.type == "pool") {
      if (!feature_map) {
        throw ConfigError(layer.path, "a " + spec.type + " layer needs image input (C×H×W from an image dataset or "
                                      "data.shape); its input is " + std::to_string(shape.size()) +
                                      (plan.empty() ? " features" : " features (a dense layer before it flattened the image)"));
      }
    }
    if (spec.type == "conv") {
      layer.filters = spec.filters;
      layer.size = spec.size;
      layer.stride = spec.stride > 0 ? spec.stride : 1;
      layer.pad = spec.pad;
      if (spec.pad == kPadSame) {
        if (layer.stride != 1 || spec.size % 2 == 0) {
          throw ConfigError(layer.path + ".pad", "\"same\" needs stride 1 and an odd size (got stride " +
                                                     std::to_string(layer.stride) + ", size " + std::to_string(spec.size) +
                                                     "); give pad as a number");
        }
        layer.pad = (spec.size - 1) / 2;
      }
      layer.out.channels = spec.filters;
      layer.out.height = output_size(layer.path, height_name(shape), shape.height, spec.size, layer.pad, layer.stride);
      layer.out.width = output_size(layer.path, width_name(shape), shape.width, spec.size, layer.pad, layer.stride);
      resolve_block(layer, model, &spec, spec.filters);
      layer.multiply_adds = static_cast<double>(layer.out.size()) * shape.channels * spec.size * spec.size;
    } else if (spec.type == "pool") {
      layer.size = spec.size > 0 ? spec.size : 2;
      layer.stride = spec.stride > 0 ? spec.stride : layer.size;
      layer.max_pool = spec.mode != "avg";
      layer.out.channels = shape.channels;
      layer.out.height = output_size(layer.path, height_name(shape), shape.height, layer.size, 0, layer.stride);
      layer.out.width = output_size(layer.path, width_name(shape), shape.width, layer.size, 0, layer.stride);
      layer.settings = model;
    } else {  // dense
      layer.out = {spec.units, 1, 1};
      resolve_block(layer, model, &spec, spec.units);
      const ActivationInfo* info = find_activation(layer.settings.activation);
      layer.multiply_adds = static_cast<double>(shape.size()) * spec.units * info->traits.width_factor;
    }
    plan.push_back(layer);
    shape = layer.out;
    feature_map = spec.type != "dense";
  }
  LayerPlan output;
  output.type = "output";
  output.path = "output";
  output.in = shape;
  output.out = {outputs, 1, 1};
  output.settings = model;
  output.multiply_adds = static_cast<double>(shape.size()) * outputs;
  plan.push_back(output);
  return plan;
}

}  // namespace trainscope
