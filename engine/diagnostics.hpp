// Per-layer statistics of a network (its hidden blocks, then the output layer): the snapshot of
// the last training batch, the rolling dead-unit probe, histograms, and the values one
// diagnostics event appends to the history. What an activation means (dead-unit rule,
// saturation band, fixed output range) comes from its traits (layers/activation_registry.hpp).
//
// Rolling probe. The dead fraction of a block is the share of its units u with pre_bu ≤ 0 for
// every probe example b (ReLU: such a unit gets no gradient from any of them). A full probe costs
// C = ceil(P / B) eval-mode forwards of B rows, too much for every diagnostics event, and the
// old answer (a full probe every ~100 steps, the value carried in between) gave the Dead ReLU
// chart a fresh point only every 100 steps. Instead the probe set is cut into its C chunks of B
// rows, and each event forwards ONE chunk c and stores, per unit, fired[c][u] = ∃ b ∈ chunk c:
// pre_bu > 0. Then
//   dead(u) = ¬ ∨_c fired[c][u]
// covers the whole probe set at every event, and each chunk's flags are at most C·cadence steps
// old (round robin). The cost per event is one forward of B rows, about a third of a training
// step, so at the default cadence 10 about 3 % of a step. When the flags describe none of the
// current parameters (after a reset or set_tensor) the next event refreshes all C chunks once.
#pragma once

#include <vector>

#include "history.hpp"
#include "tensor.hpp"

namespace trainscope {

template <class T>
class Network;            // network.hpp
struct ActivationTraits;  // layers/activation_registry.hpp

// The traits of a layer's activation (hidden blocks, then the output layer's identity).
const ActivationTraits& layer_traits(const Network<float>& net, int layer);

class Diagnostics {
 public:
  // Sizes everything for `net` and a probe of `probe_rows` rows read in chunks of `chunk_rows`;
  // nothing allocates afterwards. The probe flags start stale.
  void reset(const Network<float>& net, int probe_rows, int chunk_rows);

  int layer_count() const { return static_cast<int>(samples_.size()); }
  int probe_chunks() const { return chunks_; }

  // Statistics of the last training step's batch, from its forward (before any other forward):
  // hidden blocks use their activation output (before dropout), the output layer its scores;
  // grad_norm is the block's W gradient, multiplied by `unclip` to undo clipping; update_ratio
  // compares the parameters with `params_before`.
  void take_batch_snapshot(const Network<float>& net, const Matrix<float>& scores, const float* params_before,
                           double unclip);
  bool has_snapshot() const { return have_snapshot_; }

  // Rolling probe: which chunks the next event refreshes: all of them when stale, else the next
  // one in round robin. first = the first chunk, count = how many.
  void next_probe_chunks(int* first, int* count);
  void invalidate_probe() { stale_ = true; }
  void probe_refreshed() { stale_ = false; }  // every chunk was just observed (layer_stats' full probe)
  // After an eval-mode forward of probe chunk `chunk` (its first `valid` rows are probe rows):
  // replaces that chunk's fired flags.
  void observe_probe_chunk(const Network<float>& net, int chunk, int valid);
  // Share of dead units of `layer` (0 for the output layer and for activations that cannot die).
  double dead_fraction(const Network<float>& net, int layer) const;

  // Histograms of the latest event. Binning ~26 k values at every event was the largest part of
  // an event's cost, and only the latest event's histograms are ever read, so an event only copies
  // the activation input and output of the first `valid` rows of its forward (`scores`: that
  // forward's output), and they are binned when the history is read (at most once per event).
  void keep_rows(const Network<float>& net, const Matrix<float>& scores, int valid, int step);
  bool histograms_pending() const { return kept_step_ >= 0; }
  int kept_step() const { return kept_step_; }
  // Bins the kept rows per layer into `out` (sized by the caller) and clears the pending flag.
  // pre: the data range; act: the activation's fixed output range when it has one.
  void bin_kept_rows(const Network<float>& net, std::vector<LayerHistogram>& out);

  // The values of one history row per layer: snapshot, dead fraction, current weight norm.
  const std::vector<LayerSample>& samples(const Network<float>& net);

  // The snapshot's values of layer l (0 before the first snapshot).
  const LayerSample& snapshot(int layer) const { return samples_[static_cast<std::size_t>(layer)]; }

 private:
  std::vector<LayerSample> samples_;   // per layer: the latest snapshot and dead fraction
  std::vector<int> weight_tensor_;     // per layer: index into net.tensors() of its dense W
  // fired_[block][chunk · units + u]: unit u had pre > 0 on some row of that chunk.
  std::vector<std::vector<unsigned char>> fired_;
  // kept_pre_/kept_act_[layer]: the values of the latest event's kept rows (row-major, valid ×
  // width); kept_step_ = that event's step, −1 once they have been binned.
  std::vector<std::vector<float>> kept_pre_, kept_act_;
  int kept_step_ = -1;
  int chunks_ = 0;
  int next_chunk_ = 0;
  bool stale_ = true;
  bool have_snapshot_ = false;
};

// Helpers shared with layer_stats' full probe.
namespace histogram {
// [lo, hi] of the finite values; a constant value gets a unit-wide range around it; no finite
// value gives [0, 1].
void data_range(const float* values, Index n, double* lo, double* hi);
// Adds every finite value to its bin of `bins` equal bins over [lo, hi] (out-of-range values go
// to the end bins).
void add(const float* values, Index n, double lo, double hi, std::vector<double>& counts);
// counts.size() + 1 edges over [lo, hi], written in place when `edges` has that size.
void set_edges(double lo, double hi, std::size_t bins, std::vector<double>& edges);
}  // namespace histogram

}  // namespace trainscope
