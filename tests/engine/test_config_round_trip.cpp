// config_to_json / config_from_json keep every field: each key the serializer writes for the default
// configuration is set to a value different from its default, the JSON is read and written back, and
// each key is compared with the value that was set (not with the serializer's own output). The keys
// come from the serializer, so a new field is covered without editing this file; a new string field
// needs a non-default value below (the test names it).
#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "config.hpp"
#include "json_io.hpp"

using nlohmann::json;

namespace {

// Valid non-default names: config_from_json may refuse unknown names one day.
const std::map<std::string, std::string> kOtherName = {
    {"data.dataset", "moons"},      {"data.preprocess", "whiten"},  {"model.activation", "elu"},
    {"model.init", "orthogonal"},   {"model.norm", "group"},        {"model.norm_position", "after"},
    {"train.optimizer", "adamw"},   {"train.schedule", "cosine"},   {"train.loss", "svm"},
    {"data.val_from", "test"},
};

// A value of the same JSON type as `value`, different from it.
json changed(const std::string& path, const json& value) {
  if (path == "seed") return 4000000000u;  // above INT32_MAX: must stay unsigned
  if (path == "data.x") return json::array({1.0, static_cast<double>(0.1f), -2.5, 3.0});  // 0.1f: not exact
  if (path == "data.y") return json::array({0.0, 1.0});
  if (value.is_boolean()) return !value.get<bool>();
  if (value.is_number_integer() || value.is_number_unsigned()) return value.get<long long>() + 3;
  // + 0.1: most sums are not exactly representable, so a float round trip would show.
  if (value.is_number_float()) return value.get<double>() + 0.1;
  if (value.is_array()) return json::array({7, 5});  // model.hidden
  if (value.is_string()) {
    const auto other = kOtherName.find(path);
    if (other != kOtherName.end()) return other->second;
  }
  FAIL("no non-default value for ", path, " (", value.dump(), "): add one to test_config_round_trip.cpp");
  return value;
}

}  // namespace

TEST_CASE("config JSON round trip keeps every field, each set to a non-default value") {
  // Plain iterators, not structured bindings: clang 14 (em++) rejects bindings captured by INFO.
  const json defaults = json::parse(trainscope::config_to_json(trainscope::Config{}));
  json input = defaults;
  int fields = 0;
  for (auto section = input.begin(); section != input.end(); ++section) {
    if (section->is_object()) {
      for (auto leaf = section->begin(); leaf != section->end(); ++leaf) {
        // model.layers excludes model.hidden (set here): its round trip is test_architecture.cpp's.
        if (section.key() + "." + leaf.key() == "model.layers") continue;
        *leaf = changed(section.key() + "." + leaf.key(), *leaf);
        ++fields;
      }
    } else {
      *section = changed(section.key(), *section);
      ++fields;
    }
  }
  const json output = json::parse(trainscope::config_to_json(trainscope::config_from_json(input.dump())));
  MESSAGE(fields, " fields round-tripped");
  CHECK(fields >= 40);
  CHECK(output.size() == defaults.size());
  for (auto section = defaults.begin(); section != defaults.end(); ++section) {
    const std::string key = section.key();
    REQUIRE(output.contains(key));
    if (!section->is_object()) {
      INFO(key, ": set ", input[key].dump(), ", read back ", output[key].dump());
      CHECK(input[key] != *section);
      CHECK(output[key] == input[key]);
      continue;
    }
    CHECK(output[key].size() == section->size());
    for (auto leaf = section->begin(); leaf != section->end(); ++leaf) {
      const std::string path = key + "." + leaf.key();
      if (path == "model.layers") continue;
      const json set = input[key][leaf.key()];
      const json back = output[key].value(leaf.key(), json());
      INFO(path, ": default ", leaf->dump(), ", set ", set.dump(), ", read back ", back.dump());
      CHECK(set != *leaf);
      CHECK(back == set);
    }
  }
}
