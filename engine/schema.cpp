#include "schema.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "config.hpp"
#include "data/dataset.hpp"
#include "layers/activation_registry.hpp"
#include "optim/surfaces.hpp"
#include "layers/init.hpp"
#include "layers/layer_spec.hpp"
#include "layers/norms.hpp"
#include "loss.hpp"
#include "optim/optimizer.hpp"

namespace trainscope {
namespace {

using Json = nlohmann::json;

Json finite_or_null(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

// The kind of a key, as JS validation names it, from the C++ type of its table row.
const char* kind_of(double) { return "number"; }
const char* kind_of(int) { return "integer"; }
const char* kind_of(std::uint32_t) { return "integer"; }
const char* kind_of(bool) { return "boolean"; }
const char* kind_of(const std::string&) { return "enum"; }
const char* kind_of(const std::vector<int>&) { return "widths"; }
const char* kind_of(const std::vector<float>&) { return "data"; }
const char* kind_of(const std::vector<LayerSpec>&) { return "layers"; }

template <class T>
Json field_json(const char* group, const char* key, const T& default_value, const Rule& rule, bool live,
                const char* unit, const char* doc) {
  const std::string prefix = group;
  Json field = {{"path", prefix == "root" ? std::string(key) : prefix + "." + key},
                {"group", prefix == "root" ? Json(nullptr) : Json(prefix)},
                {"key", key},
                {"kind", kind_of(default_value)},
                {"default", nullptr},
                {"live", live},
                {"unit", unit},
                {"doc", doc}};
  if constexpr (std::is_same_v<T, std::vector<LayerSpec>>) {
    field["default"] = Json::array();  // the only default a layer list has
  } else if constexpr (std::is_same_v<T, double>) {
    if (std::isfinite(default_value)) field["default"] = default_value;
  } else {
    field["default"] = default_value;
  }
  if (std::isfinite(rule.min)) field["min"] = rule.min, field["minExclusive"] = rule.min_open;
  if (std::isfinite(rule.max)) field["max"] = rule.max, field["maxExclusive"] = rule.max_open;
  if (rule.max_length > 0) field["maxLength"] = rule.max_length;
  if (rule.choices != nullptr) {
    Json values = Json::array();
    for (const Choice& choice : rule.choices()) {
      values.push_back({{"name", choice.name}, {"description", choice.description}});
    }
    field["values"] = values;
  }
  return field;
}

Json words(const char* text) {
  Json list = Json::array();
  std::string word;
  for (const char* c = text;; ++c) {
    if (*c == ' ' || *c == '\0') {
      if (!word.empty()) list.push_back(word);
      word.clear();
      if (*c == '\0') break;
    } else {
      word += *c;
    }
  }
  return list;
}

// A dataset's class names, by label (the page labels predictions with them); [] when unnamed.
Json class_names_of(const DatasetInfo& info) {
  Json names = Json::array();
  const int count = info.fixed_classes > 0 ? info.fixed_classes : info.max_classes;
  for (int k = 0; info.class_names != nullptr && k < count; ++k) names.push_back(info.class_names[k]);
  return names;
}

Json registries_json() {
  Json activations_list = Json::array();
  for (const ActivationInfo& info : activations()) {
    const ActivationTraits& t = info.traits;
    activations_list.push_back({{"name", info.name},
                                {"label", info.label},
                                {"description", info.description},
                                {"kink_at_zero", t.kink_at_zero},
                                {"kink_at_tie", t.kink_at_tie},
                                {"dies_below_zero", t.dies_below_zero},
                                {"saturation_low", finite_or_null(t.saturation_low)},
                                {"saturation_high", finite_or_null(t.saturation_high)},
                                {"output_min", finite_or_null(t.output_min)},
                                {"output_max", finite_or_null(t.output_max)},
                                {"width_factor", t.width_factor},
                                {"params_per_unit", t.params_per_unit},
                                {"default_alpha", finite_or_null(t.default_alpha)}});
  }
  Json datasets_list = Json::array();
  for (const DatasetInfo& info : datasets()) {
    const char* dims = info.dims == DatasetInfo::kTwoDims ? "2" : info.dims == DatasetInfo::kOneOrTwoDims ? "1|2" : "any";
    datasets_list.push_back({{"name", info.name},
                             {"description", info.description},
                             {"fixed_classes", info.fixed_classes},
                             {"dims", dims},
                             {"regression", info.regression},
                             {"custom", info.custom},
                             {"max_classes", info.max_classes},
                             {"external", info.external},
                             {"class_names", class_names_of(info)},
                             {"image", info.image.is_image() ? Json{info.image.channels, info.image.height, info.image.width}
                                                             : Json(nullptr)}});
  }
  Json losses_list = Json::array();
  for (const LossInfo& info : losses()) {
    losses_list.push_back({{"name", info.name},
                           {"description", info.description},
                           {"real_targets", info.real_targets},
                           {"probabilities", info.probabilities},
                           {"expected_initial_label", info.expected_initial_label}});
  }
  Json norms_list = Json::array();
  for (const NormInfo& info : norms()) {
    norms_list.push_back({{"name", info.name},
                          {"description", info.description},
                          {"normalizes", info.kind != NormInfo::kNone},
                          {"uses_groups", info.uses_groups},
                          {"needs_channels", info.needs_channels},
                          {"batch_statistics", info.batch_statistics},
                          {"parameters_per_unit", info.parameters_per_unit()}});
  }
  Json optimizers_list = Json::array();
  for (const OptimizerInfo& info : optimizers()) {
    optimizers_list.push_back({{"name", info.name}, {"description", info.description}, {"uses", words(info.uses)}});
  }
  Json schedules_list = Json::array();
  for (const ScheduleInfo& info : schedules()) {
    schedules_list.push_back({{"name", info.name}, {"description", info.description}, {"uses", words(info.uses)}});
  }
  Json surfaces_list = Json::array();
  for (const SurfaceInfo& info : surfaces()) {
    surfaces_list.push_back({{"name", info.name},
                             {"description", info.description},
                             {"formula", info.formula},
                             {"view", {info.view[0], info.view[1], info.view[2], info.view[3]}},
                             {"start", {info.start[0], info.start[1]}},
                             {"minimum", info.has_minimum ? Json{info.minimum[0], info.minimum[1]} : Json(nullptr)}});
  }
  Json preprocess_list = Json::array();
  for (const PreprocessInfo& info : preprocessors()) {
    preprocess_list.push_back({{"name", info.name}, {"description", info.description}, {"rotates", info.rotates()}});
  }
  Json layer_types_list = Json::array();
  for (const LayerTypeInfo& type : layer_types()) {
    Json keys = Json::array();
    for (const LayerKey& key : type.keys) {
      Json entry = {{"name", key.name}, {"kind", key.kind}, {"required", key.required}, {"doc", key.doc}};
      if (key.choices != nullptr) {
        Json values = Json::array();
        for (const Choice& choice : key.choices()) values.push_back(choice.name);
        entry["values"] = values;
      } else {
        entry["min"] = key.min;
        entry["max"] = key.max;
        entry["maxExclusive"] = key.number != nullptr;
      }
      keys.push_back(entry);
    }
    layer_types_list.push_back({{"name", type.name}, {"description", type.description}, {"keys", keys}});
  }
  return {{"activations", activations_list}, {"datasets", datasets_list}, {"losses", losses_list},
          {"layer_types", layer_types_list},
          {"norms", norms_list},             {"optimizers", optimizers_list}, {"schedules", schedules_list},
          {"preprocess", preprocess_list},   {"surfaces", surfaces_list}};
}

}  // namespace

std::string schema_json() {
  const Config defaults;
  Json fields = Json::array();
#define TRAINSCOPE_FIELD_ROOT(group, key, type, value, rule, live, unit, doc) \
  fields.push_back(field_json(#group, #key, defaults.key, rule, live, unit, doc));
#define TRAINSCOPE_FIELD(group, key, type, value, rule, live, unit, doc) \
  fields.push_back(field_json(#group, #key, defaults.group.key, rule, live, unit, doc));
  TRAINSCOPE_SEED_FIELD(TRAINSCOPE_FIELD_ROOT)
  TRAINSCOPE_DATA_FIELDS(TRAINSCOPE_FIELD)
  TRAINSCOPE_MODEL_FIELDS(TRAINSCOPE_FIELD)
  TRAINSCOPE_TRAIN_FIELDS(TRAINSCOPE_FIELD)
  TRAINSCOPE_DIAGNOSTICS_FIELDS(TRAINSCOPE_FIELD)
#undef TRAINSCOPE_FIELD
#undef TRAINSCOPE_FIELD_ROOT
#define TRAINSCOPE_GROUP_NAME(group, Struct) #group,
  const Json groups = Json::array({TRAINSCOPE_CONFIG_GROUPS(TRAINSCOPE_GROUP_NAME)});
#undef TRAINSCOPE_GROUP_NAME
  const MemoryModel& m = kMemoryModel;
  const Json memory = {{"budget_bytes", kMemoryBudgetBytes},
                       {"data_copies", m.data_copies},
                       {"pca_matrices", m.pca_matrices},
                       {"bytes_per_parameter", m.bytes_per_parameter},
                       {"floats_per_batch_unit", m.floats_per_batch_unit},
                       {"floats_per_batch_io", m.floats_per_batch_io},
                       {"history_step_series", m.history_step_series},
                       {"history_layer_series", m.history_layer_series}};
  return Json{{"groups", groups}, {"fields", fields}, {"registries", registries_json()}, {"memory", memory}}.dump(2);
}

}  // namespace trainscope
