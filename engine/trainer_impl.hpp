// Trainer::Impl, shared by the files that implement the Trainer (engine-internal, not a public
// header): trainer.cpp (build, the step loop, divergence, live settings, tensors), diagnostics.cpp
// (diagnostics events, layer_stats), evaluation.cpp (evaluate, predict), checks.cpp (gradient
// check, initial-loss check) and history.cpp (history_since).
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>
#include <limits>
#include <memory>
#include <vector>

#include "data/batcher.hpp"
#include "data/dataset.hpp"
#include "diagnostics.hpp"
#include "history.hpp"
#include "network.hpp"
#include "optim/optimizer.hpp"
#include "trainer.hpp"

namespace trainscope {

// "%.4g" of a value, for messages.
inline std::string number_text(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4g", value);
  return buffer;
}

struct Trainer::Impl {
  Config config;
  Split split;                   // raw features (before preprocessing), kept for train_data()
  Preprocessor preprocessor;
  Matrix<float> train_x, val_x;  // preprocessed
  bool regression = false;
  int outputs_count = 0;
  std::unique_ptr<Network<float>> network;
  std::unique_ptr<Optimizer> optimizer;
  Batcher batcher;
  Rng dropout_rng;
  std::vector<int> probe;  // indices into the training set

  // Step buffers (allocated at the first step, reused).
  Matrix<float> batch_x, batch_y, dscores, chunk_x;
  std::vector<int> chunk_rows;
  std::vector<float> params_backup, state_backup;
  const Matrix<float>* last_scores = nullptr;  // the last training forward's output (network-owned)

  Status status;
  int steps_done = 0;
  double first_loss = std::numeric_limits<double>::quiet_NaN();

  HistoryRecorder history;
  Diagnostics diagnostics;
  // The last step's snapshot is still to be taken: its activations, gradients, params_backup and
  // parameters are untouched since (see settle_snapshot for who must take it first).
  bool snapshot_pending = false;
  // ‖g‖/clip if the last step clipped its gradient, else 1: the snapshot multiplies the clipped
  // gradient's norms by it to report them as they were before clipping.
  double unclip = 1.0;

  // trainer.cpp
  void build(std::uint32_t seed);
  StepMetrics train_one_step(bool diagnostics_due);
  StepMetrics diverge(StepMetrics metrics, const std::string& reason);
  std::string non_finite_tensor(const float* values, std::string* kind) const;
  void take_batch_snapshot();
  // Takes a pending snapshot. Whatever overwrites the network's activations (any forward), its
  // parameters or params_backup calls this first; the next training step drops it instead.
  void settle_snapshot() {
    if (snapshot_pending) take_batch_snapshot();
  }

  // Bins the latest event's kept rows into the history's histograms if a read needs them.
  void settle_histograms() {
    if (diagnostics.histograms_pending()) {
      const int step = diagnostics.kept_step();
      diagnostics.bin_kept_rows(*network, history.histograms_of_event(step));
    }
  }

  // diagnostics.cpp: one diagnostics event after step `steps_done` (snapshot, rolling probe,
  // histograms, history row).
  void diagnostics_event(long long event);

  // evaluation.cpp
  // Mean loss and accuracy over a split in chunks of B rows; kEval, or kTrain for the initial-loss
  // check (see forward_chunk).
  SplitEvaluation evaluate_split(const Matrix<float>& x, const Matrix<float>& y, Mode mode = Mode::kEval);
  std::vector<float> outputs_of(const Matrix<float>& x);

  // Eval-mode forward of rows first .. first + B − 1 of a list of `count` rows (row k =
  // source.row(row_of(k))), B = the training batch size; rows past the end repeat earlier ones
  // (padding whose results are ignored), so the network never sees a second batch size. Returns
  // the scores; the number of real rows is min(B, count − first).
  // `mode` kTrain is for initial_loss_check only: the caller switches dropout off and restores the
  // batch-norm running statistics that a train-mode forward updates.
  template <class RowOf>
  const Matrix<float>& forward_chunk(const Matrix<float>& source, int first, int count, RowOf row_of,
                                     Mode mode = Mode::kEval) {
    settle_snapshot();  // the forward below overwrites the activations of the last training step
    const int chunk = batcher.batch_size();
    for (int r = 0; r < chunk; ++r) chunk_rows[static_cast<std::size_t>(r)] = row_of((first + r) % count);
    gather_rows(source, chunk_rows.data(), chunk, chunk_x);
    return network->forward(chunk_x, mode, nullptr);
  }

  // forward_chunk over all `count` rows; visit(scores, first, valid) sees each chunk's scores.
  template <class RowOf, class Visit>
  void for_each_chunk(const Matrix<float>& source, int count, RowOf row_of, Visit visit, Mode mode = Mode::kEval) {
    const int chunk = batcher.batch_size();
    for (int first = 0; first < count; first += chunk) {
      const Matrix<float>& scores = forward_chunk(source, first, count, row_of, mode);
      visit(scores, first, std::min(chunk, count - first));
    }
  }

  int probe_row(int k) const { return probe[static_cast<std::size_t>(k)]; }
};

}  // namespace trainscope
