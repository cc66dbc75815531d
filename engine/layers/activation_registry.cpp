#include "activation_registry.hpp"

#include <cmath>
#include <limits>

#include "../config_fields.hpp"
#include "activations.hpp"
#include "maxout.hpp"
#include "prelu.hpp"

namespace trainscope {
namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

template <class T>
using LayerFactory = std::unique_ptr<Layer<T>> (*)(double alpha, int units);

// How each kind of implementation is built: element-wise functions through ActivationLayer, the
// identity without a copy, and the layers with per-unit state from their unit count.
template <class Fn>
struct Elementwise {
  static constexpr const char* name = Fn::name;
  template <class T>
  static std::unique_ptr<Layer<T>> make(double alpha, int) {
    return std::make_unique<ActivationLayer<T, Fn>>(static_cast<T>(alpha));
  }
};
struct Identity {
  static constexpr const char* name = IdentityActivation::name;
  template <class T>
  static std::unique_ptr<Layer<T>> make(double, int) {
    return std::make_unique<IdentityLayer<T>>();
  }
};
template <template <class> class L>
struct PerUnit {
  static constexpr const char* name = L<float>::name;
  template <class T>
  static std::unique_ptr<Layer<T>> make(double, int units) {
    return std::make_unique<L<T>>(units);
  }
};

// One registry row per activation, per precision: the double rows (the gradient check's network)
// are a table of their own, so that a binary without the gradient check links no double layer
// (the pages' lite engine; a single table holding both factories kept every one alive).
template <class T>
struct Row {
  ActivationInfo info;
  LayerFactory<T> make;
};

template <class T, class Kind>
Row<T> row(const char* label, const char* description, ActivationTraits traits) {
  return {{Kind::name, label, description, traits}, &Kind::template make<T>};
}

// Registry order is the order of the page's Activation menu.
template <class T>
const std::vector<Row<T>>& rows() {
  // traits: kink_at_zero, kink_at_tie, dies_below_zero, saturation_low, saturation_high,
  //         output_min, output_max, width_factor, params_per_unit, default_alpha
  static const std::vector<Row<T>> table = {
      row<T, Elementwise<ReluActivation>>(
          "ReLU", "max(0, x); a unit negative on every input gets no gradient (dead)",
          {true, false, true, kNone, kNone, kNone, kNone, 1, 0, kNone}),
      row<T, Elementwise<LeakyReluActivation>>(
          "Leaky ReLU", "x for x > 0, alpha·x otherwise (alpha 0.01 by default)",
          {true, false, false, kNone, kNone, kNone, kNone, 1, 0, 0.01}),
      row<T, PerUnit<PRelu>>(
          "PReLU", "leaky ReLU with one learned slope per unit (starts at alpha, 0.25 by default)",
          {true, false, false, kNone, kNone, kNone, kNone, 1, 1, PRelu<float>::kDefaultSlope}),
      row<T, Elementwise<EluActivation>>(
          "ELU", "x for x > 0, alpha·(e^x − 1) otherwise (alpha 1 by default)",
          {true, false, false, kNone, kNone, kNone, kNone, 1, 0, 1.0}),
      row<T, PerUnit<Maxout>>(
          "Maxout", "max of two linear pieces per unit (the dense layer is twice as wide)",
          {false, true, false, kNone, kNone, kNone, kNone, 2, 0, kNone}),
      row<T, Elementwise<GeluActivation>>(
          "GELU", "x·Φ(x), tanh approximation",
          {false, false, false, kNone, kNone, kNone, kNone, 1, 0, kNone}),
      row<T, Elementwise<SiluActivation>>(
          "SiLU / Swish", "x·σ(x): smooth, non-monotonic, unbounded above",
          {false, false, false, kNone, kNone, kNone, kNone, 1, 0, kNone}),
      row<T, Elementwise<TanhActivation>>(
          "tanh", "tanh(x); saturates at ±1 (|y| > 0.99 counts as saturated)",
          {false, false, false, -0.99, 0.99, -1.0, 1.0, 1, 0, kNone}),
      row<T, Elementwise<SigmoidActivation>>(
          "sigmoid", "1 / (1 + e^−x); saturates at 0 and 1 (y < 0.01 or > 0.99 counts as saturated)",
          {false, false, false, 0.01, 0.99, 0.0, 1.0, 1, 0, kNone}),
      row<T, Identity>("identity (linear)", "y = x: the network is linear",
                    {false, false, false, kNone, kNone, kNone, kNone, 1, 0, kNone}),
  };
  return table;
}

template <class T>
const Row<T>* find_row(const std::string& name) {
  for (const Row<T>& r : rows<T>()) {
    if (name == r.info.name) return &r;
  }
  return nullptr;
}

}  // namespace

const std::vector<ActivationInfo>& activations() {
  static const std::vector<ActivationInfo> list = [] {
    std::vector<ActivationInfo> infos;
    for (const Row<float>& r : rows<float>()) infos.push_back(r.info);
    return infos;
  }();
  return list;
}

const ActivationInfo* find_activation(const std::string& name) {
  for (const ActivationInfo& info : activations()) {
    if (name == info.name) return &info;
  }
  return nullptr;
}

std::string activation_names() {
  std::string text;
  for (const ActivationInfo& info : activations()) text += (text.empty() ? "" : ", ") + std::string(info.name);
  return text;
}

const ActivationInfo& identity_activation() {
  static const ActivationInfo& identity = *find_activation(IdentityActivation::name);
  return identity;
}

template <class T>
std::unique_ptr<Layer<T>> make_activation_layer(const ModelConfig& model, int units) {
  const Row<T>* r = find_row<T>(model.activation);
  if (!r) {
    throw ConfigError("model.activation",
                      "unknown activation '" + model.activation + "'; allowed: " + activation_names());
  }
  const double alpha = model.alpha >= 0 ? model.alpha : r->info.traits.default_alpha;
  return r->make(std::isnan(alpha) ? 0.0 : alpha, units);
}

template std::unique_ptr<Layer<float>> make_activation_layer<float>(const ModelConfig&, int);
template std::unique_ptr<Layer<double>> make_activation_layer<double>(const ModelConfig&, int);

// The allowed values of model.activation (config_fields.hpp), from this registry.
std::vector<Choice> activation_choices() { return choices_of(activations()); }

}  // namespace trainscope
