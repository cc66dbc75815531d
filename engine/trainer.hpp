// The engine's public face: one training run. Everything the JS API offers maps onto a method
// here; bindings/ only forwards. All results are plain structs (no Eigen types escape).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config.hpp"
#include "history.hpp"
#include "records.hpp"
#include "tensor.hpp"

namespace trainscope {

enum class Mode { kTrain, kEval };

// The fields (records.hpp): step = steps completed so far (1 after the first step); loss =
// data_loss + reg_loss; data_loss = mean loss over the batch; reg_loss = L1 + L2 terms;
// batch_acc = accuracy on the batch (classification), 0 for mse; lr = learning rate used for this
// step (after schedule and warm-up); grad_norm = global L2 norm of the gradient (before clipping).
struct StepMetrics {
#define TRAINSCOPE_STEP_MEMBER(type, name) type name = 0;
  TRAINSCOPE_STEP_FIELDS(TRAINSCOPE_STEP_MEMBER)
#undef TRAINSCOPE_STEP_MEMBER
};

struct Status {
  bool diverged = false;
  int step = 0;          // the step at which divergence was detected
  std::string reason;    // e.g. "loss became NaN", "gradient of layer2.W is infinite", "loss exploded ..."
};

struct Moments {
  double mean = 0;
  double std = 0;
  Histogram hist;
};

// Diagnostics of one hidden block (dense → [norm] → activation → [dropout]), or of the output layer.
struct LayerStats {
  std::string name;        // "hidden1", ..., "output"
  int units = 0;
  std::string activation;  // the block's activation ("identity" for the output layer)
  Moments pre;             // input of the activation
  Moments act;             // output of the activation
  double dead_fraction = 0;       // units with pre ≤ 0 on every probe example, for activations that
                                  // die there (traits.dies_below_zero: ReLU); else 0
  double zero_fraction = 0;       // fraction of activations exactly 0 on the current batch
  double saturated_fraction = 0;  // y outside the activation's saturation band (traits); else 0
  double weight_norm = 0;         // ‖W‖ (Frobenius) of the block's weight matrix
  double grad_norm = 0;           // ‖dL/dW‖ of the last step
  double update_ratio = 0;        // ‖ΔW‖ / ‖W‖ of the last update
};

struct SplitEvaluation {
  double loss = 0;  // data loss (no regularization), evaluation mode
  double acc = 0;
  int count = 0;
};

struct Evaluation {
  SplitEvaluation train;
  SplitEvaluation val;
};

struct TensorGradCheck {
  std::string name;
  double max_rel_error = 0;  // max over checked entries of |a−n| / max(|a|, |n|, floor); see checks.cpp
  int checked = 0;           // entries checked
  int skipped = 0;           // entries skipped: a kink within θ ± 2h (ReLU, hinge, L1 at 0) or ill-conditioned
  int ill_conditioned = 0;   // of those, entries whose finite difference is unstable (estimates at h and 2h disagree)
};

struct GradCheckResult {
  std::vector<TensorGradCheck> tensors;
  double max_rel_error = 0;
  int checked = 0;          // entries compared over all tensors
  int skipped = 0;          // entries skipped over all tensors
  int ill_conditioned = 0;  // of those, ill-conditioned ones
  bool passed = false;      // at least one entry checked and max_rel_error < 1e-5 (double precision)
  std::string reason;       // why it did not pass ("inconclusive: no entry checked", "hidden1.W: ...")
};

// The totals, verdict and reason of a gradient check from its per-tensor results.
GradCheckResult summarize_grad_check(std::vector<TensorGradCheck> tensors);

// Test hook for the gradient check itself: add `delta` to analytic entry `entry` of tensor `tensor`
// before comparing, so a test can show that the checker catches a wrong backward.
struct GradCheckCorruption {
  std::string tensor;
  std::size_t entry = 0;
  double delta = 0;
};

struct InitialLossCheck {
  double expected = 0;  // with zero scores: ln(C) softmax, C − 1 svm, 0.5 mse one-hot, ½·mean(t²) regression
  double measured = 0;  // mean data loss over the training set at the current parameters, train mode, no dropout
  std::string label;    // what the expectation is: "ln(C)", "C - 1", "0.5", "½·mean(target²)"
  std::string explanation;
};

struct DataSplit {
  std::vector<float> x;  // row-major count x dims, raw (before preprocessing)
  std::vector<float> y;  // labels or targets
  int count = 0;
  int dims = 0;
};

// One row of the architecture summary: an entry of model.layers (or model.hidden), then the
// output layer.
struct LayerSummary {
  std::string type;  // conv | pool | dense | output
  std::string path;  // "model.layers[2]", "model.hidden[0]", "output"
  std::string name;  // the tensor / diagnostics name ("hidden1", "output"); "" for pooling
  std::vector<int> input, output;  // [C, H, W]
  std::size_t parameters = 0;      // trainable values: W, b, norm γ and β, activation parameters
  double multiply_adds = 0;        // per example, forward, of the layer's product
  int filters = 0, size = 0, stride = 0, pad = 0;  // conv (pad resolved), pool (size, stride)
  std::string mode;                                // pool: max | avg
  std::string activation, norm;                    // conv / dense: resolved per layer
};

// One conv or dense block's activation maps for one example (after the activation): C x H x W
// values, channel-major (dense: units x 1 x 1).
struct FeatureMap {
  std::string name;  // "hidden1", ...
  std::string path;  // "model.layers[0]"
  std::vector<int> shape;
  std::vector<float> values;
};

class Trainer {
 public:
  explicit Trainer(const Config& config);  // validates (throws ConfigError), builds, initializes
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  const Config& config() const;

  // Trains n ≥ 1 steps; returns the last step's metrics. Throws std::runtime_error when the run
  // has diverged (until reset() or a change of learning rate through set_live()).
  StepMetrics step(int n = 1);
  const Status& status() const;
  int steps_done() const;

  Evaluation evaluate();                     // whole train and validation sets, evaluation mode
  std::vector<LayerStats> layer_stats();     // current diagnostics (computes them now)
  GradCheckResult grad_check();              // double-precision central differences, small batch
  GradCheckResult grad_check(const GradCheckCorruption& corruption);  // test hook (see above)
  InitialLossCheck initial_loss_check();
  // Scores (softmax probabilities, or raw scores for svm, or the prediction for mse) of a
  // resolution x resolution grid, row-major with y from ymin (row 0) to ymax, x from xmin to
  // xmax; resolution² · outputs values. Raw input coordinates: preprocessing is applied here.
  std::vector<float> predict_grid(double xmin, double xmax, double ymin, double ymax, int resolution);
  // Forward pass in evaluation mode on raw inputs (row-major count x dims).
  std::vector<float> predict(const std::vector<float>& x, int count);
  DataSplit train_data() const;
  DataSplit val_data() const;
  int outputs() const;  // classes, or 1 for regression
  std::vector<LayerSummary> summary() const;  // the architecture, layer by layer
  // Every block's activation maps for validation example `index` (evaluation mode); throws
  // std::out_of_range for an index outside the validation split.
  std::vector<FeatureMap> feature_maps(int index);

  // Live hyperparameters: lr, momentum, beta1, beta2, eps, bias_correction, decay, weight_decay, l1, l2, clip,
  // schedule settings, and model.dropout. Anything structural throws ConfigError saying a reset is
  // needed. Changing lr clears a divergence.
  void set_live(const Config& changed);
  void reset(std::uint32_t seed);  // re-initialize parameters, optimizer state, history, data

  // Parameters and non-trainable state (BN running statistics), one TensorInfo each.
  const std::vector<TensorInfo>& tensors() const;
  std::vector<float> get_tensor(int index) const;
  void set_tensor(int index, const std::vector<float>& values);  // size must match exactly

  const History& history() const;
  // The rows of history() with step > `step` (per-step and diagnostics columns alike), with its
  // version, layers and latest histograms. A reader that holds rows up to `step` appends these
  // while version is unchanged, and refetches history() whole when it differs.
  History history_since(double step) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trainscope
