#include "norms.hpp"

namespace trainscope {
namespace {
int one_group(const ModelConfig&, int) { return 1; }
int configured_groups(const ModelConfig& model, int) { return model.groups; }
int group_per_channel(const ModelConfig&, int channels) { return channels; }
}  // namespace

const std::vector<NormInfo>& norms() {
  using N = NormInfo;
  static const std::vector<NormInfo> registry = {
      {"none", "no normalization", N::kNone, false, false, false, nullptr},
      {"batch", "batch norm: each feature (conv: channel) over the mini-batch; running averages at test time",
       N::kBatch, false, true, false, nullptr},
      {"layer", "layer norm: each example over all its features (conv: C, H, W)", N::kGroups, false, false, false,
       one_group},
      {"group", "group norm: each example over groups of model.groups features (conv: channels and positions)",
       N::kGroups, true, false, false, configured_groups},
      {"instance", "instance norm (conv layers): each example's channel over its positions", N::kGroups, false,
       false, true, group_per_channel},
  };
  return registry;
}

std::vector<Choice> norm_choices() { return choices_of(norms()); }

const NormInfo& norm_info(const std::string& name) {
  const NormInfo* info = find_named(norms(), name);
  if (info == nullptr) throw ConfigError("model.norm", "unknown normalization '" + name + "'");
  return *info;
}

const std::vector<NormPosition>& norm_positions() {
  static const std::vector<NormPosition> registry = {
      {"before", "dense → norm → activation (the usual place)", true},
      {"after", "dense → activation → norm", false},
  };
  return registry;
}

std::vector<Choice> norm_position_choices() { return choices_of(norm_positions()); }

const NormPosition& norm_position(const std::string& name) {
  const NormPosition* position = find_named(norm_positions(), name);
  if (position == nullptr) throw ConfigError("model.norm_position", "unknown position '" + name + "'");
  return *position;
}

}  // namespace trainscope
