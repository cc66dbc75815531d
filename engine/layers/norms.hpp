// The normalization registry (model.norm) and where a norm sits in a hidden block
// (model.norm_position). Batch norm normalizes each feature over the batch; layer and group norm
// normalize each example over (groups of) its features, the same in training and evaluation.
// On a conv layer each means its image form: batch norm one statistic per channel over the batch
// and positions; layer norm each example over C, H, W; group norm over groups of channels and
// their positions; instance norm (conv only) each example's channel over its positions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "../config.hpp"
#include "../registry.hpp"
#include "batch_norm.hpp"
#include "group_norm.hpp"
#include "layer.hpp"

namespace trainscope {

struct NormInfo {
  enum Kind { kNone, kBatch, kGroups };
  const char* name;
  const char* description;
  Kind kind;
  bool uses_groups;       // model.groups applies (and must divide every hidden width)
  bool batch_statistics;  // normalizes over the batch: needs at least 2 examples per batch
  bool needs_channels;    // image layers only (instance norm)
  int (*group_count)(const ModelConfig& model, int channels);  // kGroups: how many groups of channels
  int parameters_per_unit() const { return kind == kNone ? 0 : 4; }  // γ, β (+ running mean, variance)
};
const std::vector<NormInfo>& norms();
const NormInfo& norm_info(const std::string& name);  // throws ConfigError("model.norm") if unknown

struct NormPosition {
  const char* name;
  const char* description;
  bool before_activation;
};
const std::vector<NormPosition>& norm_positions();
const NormPosition& norm_position(const std::string& name);  // throws ConfigError("model.norm_position")

// The normalization layer of model.norm over `channels` units (dense: features, spatial 1) or
// channels of `spatial` positions each (conv), or nullptr for none.
template <class T>
std::unique_ptr<Layer<T>> make_norm(const ModelConfig& model, int channels, int spatial = 1) {
  const NormInfo& norm = norm_info(model.norm);
  switch (norm.kind) {
    case NormInfo::kNone:
      return nullptr;
    case NormInfo::kBatch:
      return std::make_unique<BatchNorm<T>>(channels, model.bn_momentum, model.norm_eps, spatial);
    case NormInfo::kGroups:
      return std::make_unique<GroupNorm<T>>(channels, norm.group_count(model, channels), model.norm_eps, spatial);
  }
  return nullptr;
}

}  // namespace trainscope
