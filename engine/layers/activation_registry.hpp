// The one list of activations: each row pairs a name (spelled once, by the implementation in
// activations.hpp / prelu.hpp / maxout.hpp) with its label, description, traits and the
// factories that build it. Everything that needs to know what an activation is (diagnostics,
// the gradient check, the network's wiring) asks the traits here, never the name.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace trainscope {

template <class T>
class Layer;         // layers/layer.hpp
struct ModelConfig;  // config.hpp

struct ActivationTraits {
  bool kink_at_zero;     // derivative jumps at pre = 0 (relu, leaky_relu, prelu, elu)
  bool kink_at_tie;      // maxout: pieces j and j+units tie
  bool dies_below_zero;  // a unit with pre <= 0 on every probe example gets zero gradient (relu only)
  double saturation_low, saturation_high;  // output y counts as saturated when y < low or y > high; NaN = never
  double output_min, output_max;           // fixed histogram range of the output, NaN = data range
  int width_factor;                        // dense units feeding one unit (maxout 2, else 1)
  int params_per_unit;                     // learned parameters of the activation itself per unit (prelu 1)
  double default_alpha;                    // model.alpha default when alpha < 0, NaN = no alpha
};

struct ActivationInfo {
  const char* name;
  const char* label;
  const char* description;
  ActivationTraits traits;
};

const std::vector<ActivationInfo>& activations();  // registry order = UI order
const ActivationInfo* find_activation(const std::string& name);  // nullptr if unknown

// "relu, leaky_relu, ..." in registry order (for error messages).
std::string activation_names();

// The traits of the activation every layer's output passes through when it has none (the output
// layer's scores).
const ActivationInfo& identity_activation();

// Builds the activation layer of model.activation for a block of `units` units (the layer's input
// is units · width_factor wide). alpha: model.alpha, or the row's default_alpha when < 0. Throws
// ConfigError("model.activation", ...) for an unknown name.
template <class T>
std::unique_ptr<Layer<T>> make_activation_layer(const ModelConfig& model, int units);

extern template std::unique_ptr<Layer<float>> make_activation_layer<float>(const ModelConfig&, int);
extern template std::unique_ptr<Layer<double>> make_activation_layer<double>(const ModelConfig&, int);

}  // namespace trainscope
