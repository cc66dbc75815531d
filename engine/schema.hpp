// The configuration table and the registries as one JSON document: the source the JS API's
// defaults and validation, the CLI's help, the TypeScript unions and the page's option lists are
// generated from (scripts/build.mjs writes it to bindings/js/schema.generated.js).
#pragma once

#include <string>

namespace trainscope {

std::string schema_json();

}  // namespace trainscope
