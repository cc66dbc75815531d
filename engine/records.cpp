#include "records.hpp"

namespace trainscope {

std::string records_json() {
  // Names are C identifiers: no JSON escaping needed.
  std::string step, history_step, layer_series;
#define TRAINSCOPE_NAME_OF_FIELD(type, name) step += std::string(step.empty() ? "" : ",") + "\"" #name "\"";
  TRAINSCOPE_STEP_FIELDS(TRAINSCOPE_NAME_OF_FIELD)
#undef TRAINSCOPE_NAME_OF_FIELD
#define TRAINSCOPE_NAME_OF_COLUMN(name) \
  history_step += std::string(history_step.empty() ? "" : ",") + "\"" #name "\"";
  TRAINSCOPE_HISTORY_STEP_FIELDS(TRAINSCOPE_NAME_OF_COLUMN)
#undef TRAINSCOPE_NAME_OF_COLUMN
#define TRAINSCOPE_NAME_OF_SERIES(name) \
  layer_series += std::string(layer_series.empty() ? "" : ",") + "\"" #name "\"";
  TRAINSCOPE_LAYER_SERIES(TRAINSCOPE_NAME_OF_SERIES)
#undef TRAINSCOPE_NAME_OF_SERIES
  return "{\"step\":[" + step + "],\"history_step\":[" + history_step + "],\"layer_series\":[" + layer_series + "]}";
}

}  // namespace trainscope
