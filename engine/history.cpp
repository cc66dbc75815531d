#include "history.hpp"

#include <algorithm>
#include <cmath>

#include "trainer.hpp"

namespace trainscope {
namespace {

// Keeps the entries of `column` whose paired `steps` value is a multiple of stride (in place;
// `steps` may be `column` itself: entry k is read before any write reaches index k).
void keep_multiples(std::vector<double>& column, const std::vector<double>& steps, double stride) {
  std::size_t kept = 0;
  for (std::size_t k = 0; k < column.size(); ++k) {
    if (std::fmod(steps[k], stride) == 0) column[kept++] = column[k];
  }
  column.resize(kept);
}

// The entries of `column` from index `first` on.
std::vector<double> tail(const std::vector<double>& column, std::size_t first) {
  return std::vector<double>(column.begin() + static_cast<std::ptrdiff_t>(std::min(first, column.size())),
                             column.end());
}

// Index of the first entry of an ascending step column that is > step.
std::size_t first_after(const std::vector<double>& steps, double step) {
  return static_cast<std::size_t>(std::upper_bound(steps.begin(), steps.end(), step) - steps.begin());
}

}  // namespace

void HistoryRecorder::reset(std::size_t capacity, int cadence, const std::vector<std::string>& layers, int bins) {
  capacity_ = capacity;
  cadence_ = std::max(cadence, 1);
  history_ = History{};
  const std::size_t layer_count = layers.size();
#define TRAINSCOPE_RESERVE_COLUMN(name) history_.name.reserve(capacity);
  TRAINSCOPE_HISTORY_STEP_FIELDS(TRAINSCOPE_RESERVE_COLUMN)
#undef TRAINSCOPE_RESERVE_COLUMN
  history_.diag_step.reserve(capacity);
#define TRAINSCOPE_RESERVE_SERIES(name)                    \
  history_.name.assign(layer_count, {});                   \
  for (auto& layer : history_.name) layer.reserve(capacity);
  TRAINSCOPE_LAYER_SERIES(TRAINSCOPE_RESERVE_SERIES)
#undef TRAINSCOPE_RESERVE_SERIES
  history_.layers = layers;
  bins_ = bins;
  step_stride_ = 1;
  diag_stride_ = 1;
}

// When a series is full, every other point goes (the ones not on the doubled stride) and the
// stride doubles: the history always holds the multiples of the stride, within its capacity.
// The step column is compacted last because it is the key the others are filtered by.
void HistoryRecorder::record_step(const StepMetrics& metrics) {
  if (metrics.step % step_stride_ != 0) return;
  if (history_.step.size() >= capacity_) {
    step_stride_ *= 2;
    ++history_.version;
    const double stride = static_cast<double>(step_stride_);
#define TRAINSCOPE_COMPACT_COLUMN(name) \
  if (&history_.name != &history_.step) keep_multiples(history_.name, history_.step, stride);
    TRAINSCOPE_HISTORY_STEP_FIELDS(TRAINSCOPE_COMPACT_COLUMN)
#undef TRAINSCOPE_COMPACT_COLUMN
    keep_multiples(history_.step, history_.step, stride);
    if (metrics.step % step_stride_ != 0) return;
  }
#define TRAINSCOPE_PUSH_COLUMN(name) history_.name.push_back(metrics.name);
  TRAINSCOPE_HISTORY_STEP_FIELDS(TRAINSCOPE_PUSH_COLUMN)
#undef TRAINSCOPE_PUSH_COLUMN
}

void HistoryRecorder::record_diagnostics(long long event, int step, const std::vector<LayerSample>& samples) {
  if (event % diag_stride_ != 0) return;
  if (history_.diag_step.size() >= capacity_) {
    diag_stride_ *= 2;
    ++history_.version;
    // Events are diag_step / cadence; keep those that are multiples of the new stride.
    const double period = static_cast<double>(diag_stride_) * cadence_;
#define TRAINSCOPE_COMPACT_SERIES(name) \
  for (auto& layer : history_.name) keep_multiples(layer, history_.diag_step, period);
    TRAINSCOPE_LAYER_SERIES(TRAINSCOPE_COMPACT_SERIES)
#undef TRAINSCOPE_COMPACT_SERIES
    keep_multiples(history_.diag_step, history_.diag_step, period);
    if (event % diag_stride_ != 0) return;
  }
  history_.diag_step.push_back(step);
  for (std::size_t l = 0; l < samples.size(); ++l) {
#define TRAINSCOPE_PUSH_SERIES(name) history_.name[l].push_back(samples[l].name);
    TRAINSCOPE_LAYER_SERIES(TRAINSCOPE_PUSH_SERIES)
#undef TRAINSCOPE_PUSH_SERIES
  }
}

std::vector<LayerHistogram>& HistoryRecorder::histograms_of_event(int step) {
  history_.histogram_step = step;
  if (history_.histograms.empty()) {  // the first event sizes them (outside the measured steady state)
    Histogram empty;
    empty.counts.assign(static_cast<std::size_t>(bins_), 0.0);
    empty.edges.assign(static_cast<std::size_t>(bins_) + 1, 0.0);
    history_.histograms.assign(history_.layers.size(), LayerHistogram{empty, empty});
  }
  return history_.histograms;
}

History HistoryRecorder::since(double step) const {
  History result;
  const std::size_t first_step = first_after(history_.step, step);
#define TRAINSCOPE_TAIL_COLUMN(name) result.name = tail(history_.name, first_step);
  TRAINSCOPE_HISTORY_STEP_FIELDS(TRAINSCOPE_TAIL_COLUMN)
#undef TRAINSCOPE_TAIL_COLUMN
  const std::size_t first_diag = first_after(history_.diag_step, step);
  result.diag_step = tail(history_.diag_step, first_diag);
#define TRAINSCOPE_TAIL_SERIES(name) \
  for (const auto& layer : history_.name) result.name.push_back(tail(layer, first_diag));
  TRAINSCOPE_LAYER_SERIES(TRAINSCOPE_TAIL_SERIES)
#undef TRAINSCOPE_TAIL_SERIES
  result.version = history_.version;
  result.layers = history_.layers;
  result.histograms = history_.histograms;
  result.histogram_step = history_.histogram_step;
  return result;
}

}  // namespace trainscope
