// The architecture of a network before it is built: model.hidden or model.layers walked from the
// input shape, each layer's output shape worked out and checked, the model-level keys resolved
// against the layer's own overrides, and the work per example counted. The Network is built from
// this plan, validate() runs it without allocating anything, and summary() reports it.
//
//   conv:  OH = (H − F + 2P)/S + 1 (and OW alike); "same" padding P = (F − 1)/2 needs stride 1
//          and an odd F; an output size that is not a whole number, or is below 1, is refused
//          with the arithmetic shown, naming the layer
//   pool:  OH = (H − F)/S + 1, likewise exact
//   dense: flattens C x H x W into C·H·W features
#pragma once

#include <string>
#include <vector>

#include "config.hpp"
#include "tensor.hpp"

namespace trainscope {

struct LayerPlan {
  std::string type;   // conv | pool | dense | output
  std::string path;   // where it is configured: "model.layers[2]", "model.hidden[0]", "output"
  ImageShape in, out;
  int filters = 0, size = 0, stride = 0, pad = 0;  // conv / pool (pad resolved from "same")
  bool max_pool = true;
  ModelConfig settings;  // the model-level keys with this layer's overrides (activation, norm, init, dropout)
  bool dropout_fixed = false;  // the layer sets its own dropout: model.dropout changes do not reach it
  double multiply_adds = 0;    // per example, forward, the layer's product (not norms or activations)
  bool block() const { return type == "conv" || type == "dense"; }  // dense/conv → [norm] → activation → [dropout]
};

// Throws ConfigError naming the layer (model.layers[i], model.hidden[i]) when a shape does not
// work out, a norm or activation does not fit the layer, or groups do not divide its channels.
std::vector<LayerPlan> plan_architecture(const ModelConfig& model, ImageShape input, int outputs);

}  // namespace trainscope
