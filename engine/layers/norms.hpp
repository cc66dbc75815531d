// The normalization registry (model.norm) and where a norm sits in a hidden block
// (model.norm_position). Batch norm normalizes each feature over the batch; layer and group norm
// normalize each example over (groups of) its features, the same in training and evaluation.
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
  int (*group_count)(const ModelConfig& model);  // kGroups: how many groups of features
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

// The normalization layer of model.norm over `features` units, or nullptr for none.
template <class T>
std::unique_ptr<Layer<T>> make_norm(const ModelConfig& model, int features) {
  const NormInfo& norm = norm_info(model.norm);
  switch (norm.kind) {
    case NormInfo::kNone:
      return nullptr;
    case NormInfo::kBatch:
      return std::make_unique<BatchNorm<T>>(features, model.bn_momentum, model.norm_eps);
    case NormInfo::kGroups:
      return std::make_unique<GroupNorm<T>>(features, norm.group_count(model), model.norm_eps);
  }
  return nullptr;
}

}  // namespace trainscope
