// The columnar metrics history of a run: per-step columns, per-layer diagnostics series, and the
// histograms of the latest diagnostics event. Fixed capacity: when a series is full, every other
// point is dropped and its recording stride doubles, so memory never grows during a run; each
// such compaction increments `version`, which tells an incremental reader (history_since) that
// the rows it holds are no longer a prefix of the history.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "records.hpp"

namespace trainscope {

struct StepMetrics;  // trainer.hpp

struct Histogram {
  std::vector<double> counts;  // bins values
  std::vector<double> edges;   // bins + 1 values
};

// Histograms of one layer: the activation's input and output.
struct LayerHistogram {
  Histogram pre;
  Histogram act;
};

// One layer's values of the per-layer series at one diagnostics event.
struct LayerSample {
#define TRAINSCOPE_SAMPLE_FIELD(name) double name = 0;
  TRAINSCOPE_LAYER_SERIES(TRAINSCOPE_SAMPLE_FIELD)
#undef TRAINSCOPE_SAMPLE_FIELD
};

struct History {
  // Per-step columns (step, loss, data_loss, reg_loss, batch_acc, lr), recorded every step while
  // the stride is 1.
#define TRAINSCOPE_HISTORY_COLUMN(name) std::vector<double> name;
  TRAINSCOPE_HISTORY_STEP_FIELDS(TRAINSCOPE_HISTORY_COLUMN)
#undef TRAINSCOPE_HISTORY_COLUMN
  // Diagnostics, recorded every `cadence` steps (its own step column); indexed [layer][point].
  std::vector<double> diag_step;
#define TRAINSCOPE_HISTORY_SERIES(name) std::vector<std::vector<double>> name;
  TRAINSCOPE_LAYER_SERIES(TRAINSCOPE_HISTORY_SERIES)
#undef TRAINSCOPE_HISTORY_SERIES
  long long version = 0;            // incremented at every compaction
  std::vector<std::string> layers;  // "hidden1", ..., "output": the first index of every series
  // pre / act histograms per layer of the latest diagnostics event (not a series), computed on
  // the probe rows that event looked at; empty before the first event.
  std::vector<LayerHistogram> histograms;
  double histogram_step = 0;  // the step of that event (0: none yet)
};

class HistoryRecorder {
 public:
  // Empties the history and reserves `capacity` points per series for `layers`, and `bins` bins
  // per histogram: recording allocates nothing afterwards.
  void reset(std::size_t capacity, int cadence, const std::vector<std::string>& layers, int bins);

  void record_step(const StepMetrics& metrics);
  // `event` = step / cadence; one sample per layer.
  void record_diagnostics(long long event, int step, const std::vector<LayerSample>& samples);
  // The histograms of this step's event (one per layer, `bins` bins), to be filled in place.
  std::vector<LayerHistogram>& histograms_of_event(int step);

  const History& history() const { return history_; }
  // Rows with step > `step` of both step columns; version, layers and histograms as they are.
  History since(double step) const;

 private:
  History history_;
  std::size_t capacity_ = 0;
  int cadence_ = 1;
  int bins_ = 0;
  long long step_stride_ = 1;  // per-step columns: record steps that are multiples of this
  long long diag_stride_ = 1;  // diagnostics series: record events that are multiples of this
};

}  // namespace trainscope
