// Fuzz target: configuration JSON → config_from_json → validate → (when small) a trainer that
// trains. The input is the JSON text itself; the seed corpus is tests/fuzz/corpus/config_json/.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_common.hpp"
#include "json_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  trainscope::Config config;
  try {
    config = trainscope::config_from_json(text);
  } catch (const trainscope::ConfigError&) {
    return 0;  // a clean refusal naming the field
  } catch (const std::exception& error) {
    trainscope_fuzz::finding("config_json (parse)", error);
  }
  // validate_config_json is what the page calls: it must agree with config_from_json + validate.
  std::string refusal;
  try {
    trainscope::validate(config);
  } catch (const trainscope::ConfigError& error) {
    refusal = error.what();
  } catch (const std::exception&) {  // reported by validate_and_train below
  }
  const std::string page_refusal = trainscope::validate_config_json(text);
  if (page_refusal != refusal) {
    std::fprintf(stderr, "validate_config_json says \"%s\", validate says \"%s\"\n", page_refusal.c_str(),
                 refusal.c_str());
    std::abort();
  }
  trainscope_fuzz::validate_and_train("config_json", config);
  return 0;
}
