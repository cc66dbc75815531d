// Named options. Every kind of named thing (activations, initializers, optimizers, schedules,
// losses, normalizations, datasets, preprocessing) has ONE registry: a table of Info rows living
// next to the behaviour, each row starting with `name` and `description`. The configuration table
// (config_fields.hpp) takes a key's allowed values from the registry, the schema is generated from
// both, and lookups by name go through find_named() — so a name cannot exist without behaviour.
#pragma once

#include <string>
#include <vector>

namespace trainscope {

// What the user writes for a value of an enumerated key, and one line saying what it does.
struct Choice {
  std::string name;
  std::string description;
};

// The row named `name`, or nullptr.
template <class Info>
const Info* find_named(const std::vector<Info>& registry, const std::string& name) {
  for (const Info& info : registry) {
    if (name == info.name) return &info;
  }
  return nullptr;
}

template <class Info>
std::vector<Choice> choices_of(const std::vector<Info>& registry) {
  std::vector<Choice> choices;
  for (const Info& info : registry) choices.push_back({info.name, info.description});
  return choices;
}

}  // namespace trainscope
