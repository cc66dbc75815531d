// One training run: data, network, optimizer, the step loop, divergence detection, diagnostics,
// the metrics history, and the sanity checks of CS231n lecture 6 ("babysitting the learning").
//
// Decisions worth knowing (also in docs/notes/trainer.md):
//   - Every forward pass (training batches, the diagnostics probe, evaluate, predict,
//     predict_grid) runs in chunks of exactly the training batch size B, the last chunk padded by
//     repeating earlier rows (whose results are ignored). The network therefore never sees a
//     second batch size and nothing reallocates after the first step.
//   - Divergence is checked before the update: a non-finite or exploded data loss (non-finite;
//     > 1e6; or > max(1000 × the first step's loss, 1)) or a non-finite gradient stops the run
//     with Status::diverged and leaves parameters and batch-norm statistics as they were before
//     the step. An update that itself overflows is rolled back from a per-step backup copy.
//   - dead_fraction is defined for ReLU only: a unit is dead when its pre-activation is ≤ 0 for
//     every probe example (its gradient is then 0 for all of them). Leaky ReLU, PReLU, ELU and
//     Maxout units with pre ≤ 0 everywhere still pass a gradient, so they are not dead (0).
//   - The batch snapshot behind layer_stats()' zero_fraction, grad_norm and update_ratio (see
//     take_batch_snapshot) is computed lazily: a step only marks it pending, and it is taken when
//     read or before anything overwrites what it reads (an eval-mode forward, set_tensor). A UI,
//     the CLI and the benchmarks call step(1), so an eager snapshot would run at every step.
//   - The probe forward is the expensive part of the diagnostics, so during training it runs on
//     the first diagnostics step and then every ceil(50 / cadence)-th one (at least every 50 steps);
//     the history carries the latest dead_fraction between probes. The other diagnostics are
//     computed from the current batch at every diagnostics step.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "data/batcher.hpp"
#include "data/dataset.hpp"
#include "layers/activation_registry.hpp"
#include "loss.hpp"
#include "network.hpp"
#include "optim/optimizer.hpp"
#include "reduce.hpp"
#include "trainer.hpp"

namespace trainscope {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kProbeEverySteps = 100;
constexpr double kExplodeFactor = 1000.0;
constexpr double kExplodeAbsolute = 1e6;

// Gradient check constants (see grad_check below for the reasoning).
constexpr int kGradCheckBatch = 16;
constexpr int kGradCheckEntries = 30;
constexpr double kGradCheckStep = 1e-5;
constexpr double kGradCheckFloor = 1e-5;
constexpr double kGradCheckThreshold = 1e-5;
constexpr double kGradCheckFlopBudget = 4e9;

std::string number_text(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4g", value);
  return buffer;
}

const ActivationTraits& traits_of(const BlockView<float>& view) { return view.info->traits; }

double frobenius(const float* values, std::size_t n) { return std::sqrt(sum_of_squares(values, n)); }

double frobenius_difference(const float* a, const float* b, std::size_t n) {
  return std::sqrt(squared_distance(a, b, n));
}

// Count of "saturated" activations: y outside the activation's band [low, high] (none when the
// band is NaN, e.g. tanh |y| > 0.99, sigmoid y < 0.01 or y > 0.99).
double saturated_count(const ActivationTraits& traits, const float* values, Index n) {
  if (std::isnan(traits.saturation_low) || std::isnan(traits.saturation_high)) return 0;
  const Eigen::Map<const Eigen::ArrayXf> y(values, n);
  const float low = static_cast<float>(traits.saturation_low), high = static_cast<float>(traits.saturation_high);
  return static_cast<double>(((y < low) || (y > high)).count());
}

// Running mean / variance accumulator in double, then a histogram pass over fixed edges.
struct Accumulator {
  double count = 0, sum = 0, sum_squares = 0;
  double min = std::numeric_limits<double>::infinity(), max = -std::numeric_limits<double>::infinity();
  std::vector<double> counts;
  double lo = 0, hi = 1;

  void add_moments(const float* values, Index n) {
    const Eigen::Map<const Eigen::ArrayXf> v(values, n);
    count += static_cast<double>(n);
    sum += sum_of(values, static_cast<std::size_t>(n));
    sum_squares += sum_of_squares(values, static_cast<std::size_t>(n));
    if (n > 0) {
      min = std::min(min, static_cast<double>(v.minCoeff()));
      max = std::max(max, static_cast<double>(v.maxCoeff()));
    }
  }
  // Edges span [lo, hi]: a fixed range when given (tanh, sigmoid outputs), else min..max.
  void prepare_bins(int bins, bool fixed, double fixed_lo, double fixed_hi) {
    counts.assign(static_cast<std::size_t>(bins), 0.0);
    if (fixed) {
      lo = fixed_lo, hi = fixed_hi;
    } else if (count > 0 && std::isfinite(min) && std::isfinite(max)) {
      lo = min, hi = max;
    } else {
      lo = 0, hi = 1;
    }
    if (!(hi > lo)) lo -= 0.5, hi += 0.5;  // a constant value gets a unit-wide range around it
  }
  void add_to_bins(const float* values, Index n) {
    const int bins = static_cast<int>(counts.size());
    const double scale = bins / (hi - lo);
    for (Index k = 0; k < n; ++k) {
      const double value = values[k];
      if (!std::isfinite(value)) continue;
      const int bin = std::clamp(static_cast<int>(std::floor((value - lo) * scale)), 0, bins - 1);
      counts[static_cast<std::size_t>(bin)] += 1;
    }
  }
  Moments moments() const {
    Moments result;
    if (count > 0) {
      result.mean = sum / count;
      result.std = std::sqrt(std::max(0.0, sum_squares / count - result.mean * result.mean));
    }
    result.hist.counts = counts;
    const int bins = static_cast<int>(counts.size());
    for (int k = 0; k <= bins; ++k) result.hist.edges.push_back(lo + (hi - lo) * k / bins);
    return result;
  }
};

// Keeps the entries of `column` whose paired `steps` value is a multiple of stride (in place;
// `steps` may be `column` itself: entry k is read before any write reaches index k).
void keep_multiples(std::vector<double>& column, const std::vector<double>& steps, double stride) {
  std::size_t kept = 0;
  for (std::size_t k = 0; k < column.size(); ++k) {
    if (std::fmod(steps[k], stride) == 0) column[kept++] = column[k];
  }
  column.resize(kept);
}

}  // namespace

struct Trainer::Impl {
  Config config;
  Split split;                  // raw features (before preprocessing), kept for train_data()
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

  Status status;
  int steps_done = 0;
  double first_loss = kNaN;

  History history;
  long long history_stride = 1;     // per-step series: record steps that are multiples of this
  long long diag_stride = 1;        // diagnostics series: record diagnostics events multiple of this
  long long probe_every = 1;        // diagnostics events between dead-unit probes

  // Latest per-layer diagnostics (hidden blocks, then the output layer).
  int layer_count = 0;
  std::vector<int> weight_tensor;
  std::vector<double> dead_fraction, zero_fraction, saturated_fraction, act_mean, act_std, grad_norm,
      update_ratio;
  bool have_snapshot = false;
  // The last step's snapshot is still to be taken: its activations, gradients, params_backup and
  // parameters are untouched since (see settle_snapshot for who must take it first).
  bool snapshot_pending = false;
  // ‖g‖/clip if the last step clipped its gradient, else 1: the snapshot multiplies the clipped
  // gradient's norms by it to report them as they were before clipping.
  double unclip = 1.0;
  std::vector<std::vector<char>> fired;  // per block and unit: pre > 0 on some probe example

  // ---- construction -------------------------------------------------------------------------

  void build(std::uint32_t seed) {
    config.seed = seed;
    Rng data_rng = Rng::stream(seed, static_cast<std::uint32_t>(RngStream::kData));
    const Dataset all = make_dataset(config.data, data_rng, config.train.loss);
    split = split_dataset(all, config.data, data_rng);
    regression = all.regression;
    outputs_count = all.classes;
    preprocessor = Preprocessor(config.data.preprocess, split.train.x);
    train_x = preprocessor.applied(split.train.x);
    val_x = preprocessor.applied(split.val.x);

    network = std::make_unique<Network<float>>(config.model, static_cast<int>(train_x.cols()), outputs_count);
    Rng init_rng = Rng::stream(seed, static_cast<std::uint32_t>(RngStream::kInit));
    network->initialize(init_rng);
    optimizer = make_optimizer(config.train, network->tensors(), network->param_count());
    batcher = Batcher(split.train.rows(), config.train.batch_size, config.train.shuffle,
                      Rng::stream(seed, static_cast<std::uint32_t>(RngStream::kBatches)));
    dropout_rng = Rng::stream(seed, static_cast<std::uint32_t>(RngStream::kDropout));

    // Probe: a fixed random subset of ≤ probe_size training examples (partial Fisher–Yates).
    const int train_rows = split.train.rows();
    const int probe_size = std::min(config.diagnostics.probe_size, train_rows);
    std::vector<int> order(static_cast<std::size_t>(train_rows));
    for (int k = 0; k < train_rows; ++k) order[static_cast<std::size_t>(k)] = k;
    Rng probe_rng = Rng::stream(seed, static_cast<std::uint32_t>(RngStream::kProbe));
    for (int k = 0; k < probe_size; ++k) {
      const int j = k + static_cast<int>(probe_rng.below(static_cast<std::uint32_t>(train_rows - k)));
      std::swap(order[static_cast<std::size_t>(k)], order[static_cast<std::size_t>(j)]);
    }
    probe.assign(order.begin(), order.begin() + probe_size);

    params_backup.assign(network->param_count(), 0.0f);
    state_backup.assign(network->state_count(), 0.0f);
    chunk_rows.assign(static_cast<std::size_t>(batcher.batch_size()), 0);

    layer_count = network->blocks() + 1;
    weight_tensor.assign(static_cast<std::size_t>(layer_count), -1);
    fired.assign(static_cast<std::size_t>(network->blocks()), {});
    for (int b = 0; b < network->blocks(); ++b) {
      weight_tensor[static_cast<std::size_t>(b)] = network->block(b).weight_tensor;
      fired[static_cast<std::size_t>(b)].assign(static_cast<std::size_t>(network->block(b).units), 0);
    }
    const std::vector<TensorInfo>& tensors = network->tensors();
    for (std::size_t t = 0; t < tensors.size(); ++t) {
      if (tensors[t].decay && tensors[t].layer == network->blocks()) weight_tensor.back() = static_cast<int>(t);
    }
    for (auto* series : {&dead_fraction, &zero_fraction, &saturated_fraction, &act_mean, &act_std, &grad_norm,
                         &update_ratio}) {
      series->assign(static_cast<std::size_t>(layer_count), 0.0);
    }
    have_snapshot = false;
    snapshot_pending = false;

    status = Status{};
    steps_done = 0;
    first_loss = kNaN;
    reset_history();
  }

  void reset_history() {
    const std::size_t capacity = static_cast<std::size_t>(config.diagnostics.history);
    history = History{};
    for (auto* column : step_columns()) column->reserve(capacity);
    history.diag_step.reserve(capacity);
    for (auto* series : diag_series()) {
      series->assign(static_cast<std::size_t>(layer_count), {});
      for (auto& layer : *series) layer.reserve(capacity);
    }
    history_stride = 1;
    diag_stride = 1;
    const int cadence = std::max(config.diagnostics.cadence, 1);
    probe_every = (kProbeEverySteps + cadence - 1) / cadence;
  }

  // Fixed-size lists (no allocation inside a step).
  std::array<std::vector<double>*, 6> step_columns() {
    return {&history.step, &history.loss, &history.data_loss, &history.reg_loss, &history.batch_acc, &history.lr};
  }
  std::array<std::vector<std::vector<double>>*, 8> diag_series() {
    return {&history.dead_fraction, &history.zero_fraction, &history.saturated_fraction, &history.act_mean,
            &history.act_std,       &history.weight_norm,   &history.grad_norm,          &history.update_ratio};
  }

  // ---- chunked evaluation-mode forward --------------------------------------------------------

  // Runs the network in eval mode over `count` rows of `source` (row k = source.row(row_of(k))),
  // in chunks of exactly B rows; a short last chunk is padded by repeating rows. visit(scores,
  // first, valid) sees the chunk's scores; only the first `valid` rows belong to rows first...
  template <class RowOf, class Visit>
  void for_each_chunk(const Matrix<float>& source, int count, RowOf row_of, Visit visit) {
    settle_snapshot();  // the forwards below overwrite the activations of the last training step
    const int chunk = batcher.batch_size();
    for (int first = 0; first < count; first += chunk) {
      const int valid = std::min(chunk, count - first);
      for (int r = 0; r < chunk; ++r) chunk_rows[static_cast<std::size_t>(r)] = row_of((first + r) % count);
      gather_rows(source, chunk_rows.data(), chunk, chunk_x);
      const Matrix<float>& scores = network->forward(chunk_x, Mode::kEval, nullptr);
      visit(scores, first, valid);
    }
  }

  // ---- the step -------------------------------------------------------------------------------

  StepMetrics diverge(StepMetrics metrics, const std::string& reason) {
    // Undo the forward's batch-norm running-statistics update (parameters are untouched).
    std::copy(state_backup.begin(), state_backup.end(), network->state());
    status.diverged = true;
    status.step = steps_done + 1;
    status.reason = reason;
    metrics.step = steps_done;
    return metrics;
  }

  // The first trainable tensor whose slice of `values` holds a non-finite number, or "".
  std::string non_finite_tensor(const float* values, std::string* kind) const {
    for (const TensorInfo& tensor : network->tensors()) {
      if (!tensor.trainable) continue;
      const Eigen::Map<const Eigen::ArrayXf> slice(values + tensor.offset, static_cast<Index>(tensor.size()));
      if (slice.isNaN().any()) {
        *kind = "NaN";
        return tensor.name;
      }
      if (!slice.allFinite()) {
        *kind = "infinite";
        return tensor.name;
      }
    }
    return "";
  }

  StepMetrics train_one_step(bool diagnostics) {
    Network<float>& net = *network;
    // This step overwrites what a pending snapshot of the previous step reads. That snapshot is
    // dropped, not taken: if this step completes, the pending one is this step's; if it diverges,
    // layer_stats() keeps showing the last snapshot that was taken.
    snapshot_pending = false;
    const std::vector<int>& indices = batcher.next();
    gather_rows(train_x, indices, batch_x);
    gather_rows(split.train.y, indices, batch_y);
    std::copy(net.params(), net.params() + net.param_count(), params_backup.begin());
    std::copy(net.state(), net.state() + net.state_count(), state_backup.begin());

    StepMetrics metrics;
    metrics.lr = scheduled_lr(config.train, steps_done);
    const Matrix<float>& scores = net.forward(batch_x, Mode::kTrain, &dropout_rng);
    last_scores = &scores;
    const LossResult loss = compute_loss(config.train.loss, scores, batch_y, regression, &dscores);
    metrics.data_loss = loss.loss;
    metrics.batch_acc = regression ? 0.0 : static_cast<double>(loss.correct) / static_cast<double>(batch_x.rows());
    metrics.loss = loss.loss;
    if (std::isnan(loss.loss)) return diverge(metrics, "loss became NaN");
    if (!std::isfinite(loss.loss)) return diverge(metrics, "loss became infinite");
    if (steps_done == 0 || !std::isfinite(first_loss)) first_loss = loss.loss;
    if (loss.loss > kExplodeAbsolute) {
      return diverge(metrics, "loss exploded: " + number_text(loss.loss) + " is over 1e6");
    }
    if (loss.loss > std::max(kExplodeFactor * first_loss, 1.0)) {
      return diverge(metrics, "loss exploded: " + number_text(loss.loss) + " is over 1000 x the first step's loss (" +
                                  number_text(first_loss) + ")");
    }

    net.backward(dscores);
    metrics.reg_loss = net.regularization(config.train.l1, config.train.l2, true);
    metrics.loss = metrics.data_loss + metrics.reg_loss;
    metrics.grad_norm = clip_gradient(net.grads(), net.param_count(), config.train.clip);
    if (!std::isfinite(metrics.grad_norm)) {
      std::string kind;
      const std::string name = non_finite_tensor(net.grads(), &kind);
      return diverge(metrics, "gradient of " + (name.empty() ? std::string("the parameters") : name) + " is " +
                                  (kind.empty() ? "infinite" : kind));
    }

    // clip_gradient scaled the gradient by clip/‖g‖ exactly when this holds (‖g‖ is finite here).
    const double clip = config.train.clip;
    unclip = clip > 0 && metrics.grad_norm > clip ? metrics.grad_norm / clip : 1.0;

    optimizer->update(net.params(), net.grads(), metrics.lr);
    // One vectorised pass over the whole buffer; the tensor is looked up only when it fails.
    if (!all_finite(net.params(), net.param_count())) {
      std::string kind;
      const std::string overflowed = non_finite_tensor(net.params(), &kind);
      std::copy(params_backup.begin(), params_backup.end(), net.params());
      return diverge(metrics, "the update made " + overflowed + " " + kind + " (parameters rolled back)");
    }

    ++steps_done;
    metrics.step = steps_done;
    record_step(metrics);
    snapshot_pending = true;
    if (diagnostics) {
      take_batch_snapshot();
      const long long event = steps_done / config.diagnostics.cadence;
      if (event == 1 || event % probe_every == 0) probe_dead_units();
      record_diagnostics(event);
    }
    return metrics;
  }

  // Takes a pending snapshot. Whatever overwrites the network's activations (any forward), its
  // parameters or params_backup calls this first; the next training step drops it instead.
  void settle_snapshot() {
    if (snapshot_pending) take_batch_snapshot();
  }

  // Batch-based diagnostics of the last training step, from its forward (before any other
  // forward): hidden blocks use their activation output (before dropout), the output layer its
  // scores; grad_norm is the block's W gradient before clipping.
  void take_batch_snapshot() {
    Network<float>& net = *network;
    for (int layer = 0; layer < layer_count; ++layer) {
      const std::size_t l = static_cast<std::size_t>(layer);
      const bool output = layer == net.blocks();
      const Matrix<float>& values = output ? *last_scores : *net.block(layer).act;
      const ActivationTraits& traits = output ? identity_activation().traits : traits_of(net.block(layer));
      const Eigen::Map<const Eigen::ArrayXf> a(values.data(), values.size());
      const std::size_t n = static_cast<std::size_t>(values.size());
      const double count = static_cast<double>(std::max<Index>(values.size(), 1));
      zero_fraction[l] = static_cast<double>((a == 0.0f).count()) / count;
      saturated_fraction[l] = saturated_count(traits, values.data(), values.size()) / count;
      const double mean = sum_of(values.data(), n) / count;
      act_mean[l] = mean;
      act_std[l] = std::sqrt(std::max(0.0, sum_of_squares(values.data(), n) / count - mean * mean));
      // update_ratio = ‖W_after − W_before‖ / ‖W_before‖ (‖W_after‖ if W started at 0).
      const TensorInfo& w = net.tensors()[static_cast<std::size_t>(weight_tensor[l])];
      grad_norm[l] = frobenius(net.grads() + w.offset, w.size()) * unclip;
      const double before = frobenius(params_backup.data() + w.offset, w.size());
      const double after = frobenius(net.params() + w.offset, w.size());
      const double change = frobenius_difference(net.params() + w.offset, params_backup.data() + w.offset, w.size());
      const double scale = before > 0 ? before : after;
      update_ratio[l] = scale > 0 ? change / scale : 0.0;
    }
    have_snapshot = true;
    snapshot_pending = false;
  }

  const Matrix<float>* last_scores = nullptr;  // the last training forward's output (network-owned)

  // Dead-unit probe (ReLU only, see the top of the file): eval-mode forward of the probe set.
  void probe_dead_units() {
    Network<float>& net = *network;
    bool any_relu = false;
    for (int b = 0; b < net.blocks(); ++b) any_relu = any_relu || traits_of(net.block(b)).dies_below_zero;
    if (!any_relu || probe.empty()) {
      std::fill(dead_fraction.begin(), dead_fraction.end(), 0.0);
      return;
    }
    for (auto& flags : fired) std::fill(flags.begin(), flags.end(), 0);
    for_each_chunk(train_x, static_cast<int>(probe.size()),
                   [&](int k) { return probe[static_cast<std::size_t>(k)]; },
                   [&](const Matrix<float>&, int, int valid) { mark_fired(valid); });
    for (int b = 0; b < net.blocks(); ++b) dead_fraction[static_cast<std::size_t>(b)] = dead_share(b);
    dead_fraction.back() = 0.0;
  }

  void mark_fired(int valid) {
    Network<float>& net = *network;
    for (int b = 0; b < net.blocks(); ++b) {
      const BlockView<float> view = net.block(b);
      if (!traits_of(view).dies_below_zero) continue;
      std::vector<char>& flags = fired[static_cast<std::size_t>(b)];
      const Matrix<float>& pre = *view.pre;
      for (Index r = 0; r < valid; ++r) {
        for (Index u = 0; u < pre.cols(); ++u) flags[static_cast<std::size_t>(u)] |= pre(r, u) > 0.0f ? 1 : 0;
      }
    }
  }

  double dead_share(int block) const {
    if (!traits_of(network->block(block)).dies_below_zero) return 0.0;
    const std::vector<char>& flags = fired[static_cast<std::size_t>(block)];
    const double dead = static_cast<double>(std::count(flags.begin(), flags.end(), 0));
    return flags.empty() ? 0.0 : dead / static_cast<double>(flags.size());
  }

  // ---- history --------------------------------------------------------------------------------

  // When a series is full, every other point goes (the ones not on the doubled stride) and the
  // stride doubles: the history always holds the multiples of the stride, within its capacity.
  // The step column is compacted last because it is the key the others are filtered by.
  void record_step(const StepMetrics& metrics) {
    const std::size_t capacity = static_cast<std::size_t>(config.diagnostics.history);
    if (steps_done % history_stride != 0) return;
    if (history.step.size() >= capacity) {
      history_stride *= 2;
      const double stride = static_cast<double>(history_stride);
      for (auto* column : step_columns()) {
        if (column != &history.step) keep_multiples(*column, history.step, stride);
      }
      keep_multiples(history.step, history.step, stride);
      if (steps_done % history_stride != 0) return;
    }
    history.step.push_back(metrics.step);
    history.loss.push_back(metrics.loss);
    history.data_loss.push_back(metrics.data_loss);
    history.reg_loss.push_back(metrics.reg_loss);
    history.batch_acc.push_back(metrics.batch_acc);
    history.lr.push_back(metrics.lr);
  }

  void record_diagnostics(long long event) {
    const std::size_t capacity = static_cast<std::size_t>(config.diagnostics.history);
    if (event % diag_stride != 0) return;
    if (history.diag_step.size() >= capacity) {
      diag_stride *= 2;
      // Events are diag_step / cadence; keep those that are multiples of the new stride.
      const double period = static_cast<double>(diag_stride) * config.diagnostics.cadence;
      for (auto* series : diag_series()) {
        for (auto& layer : *series) keep_multiples(layer, history.diag_step, period);
      }
      keep_multiples(history.diag_step, history.diag_step, period);
      if (event % diag_stride != 0) return;
    }
    history.diag_step.push_back(steps_done);
    for (int layer = 0; layer < layer_count; ++layer) {
      const std::size_t l = static_cast<std::size_t>(layer);
      const TensorInfo& w = network->tensors()[static_cast<std::size_t>(weight_tensor[l])];
      history.dead_fraction[l].push_back(dead_fraction[l]);
      history.zero_fraction[l].push_back(zero_fraction[l]);
      history.saturated_fraction[l].push_back(saturated_fraction[l]);
      history.act_mean[l].push_back(act_mean[l]);
      history.act_std[l].push_back(act_std[l]);
      history.weight_norm[l].push_back(frobenius(network->params() + w.offset, w.size()));
      history.grad_norm[l].push_back(grad_norm[l]);
      history.update_ratio[l].push_back(update_ratio[l]);
    }
  }

  // ---- evaluation and prediction ----------------------------------------------------------------

  SplitEvaluation evaluate_split(const Matrix<float>& x, const Matrix<float>& y) {
    SplitEvaluation result;
    result.count = static_cast<int>(x.rows());
    if (result.count == 0) {
      result.loss = kNaN;  // an empty validation set has no loss (JSON null)
      result.acc = kNaN;
      return result;
    }
    double loss_sum = 0;
    long long correct = 0;
    Matrix<float> part_scores, part_targets;
    for_each_chunk(x, result.count, [](int k) { return k; }, [&](const Matrix<float>& scores, int, int valid) {
      part_scores = scores.topRows(valid);
      gather_rows(y, chunk_rows.data(), valid, part_targets);
      const LossResult loss = compute_loss(config.train.loss, part_scores, part_targets, regression, static_cast<Matrix<float>*>(nullptr));
      loss_sum += loss.loss * valid;
      correct += loss.correct;
    });
    result.loss = loss_sum / result.count;
    result.acc = regression ? 0.0 : static_cast<double>(correct) / result.count;
    return result;
  }

  // Eval-mode outputs for preprocessed rows: softmax probabilities, or raw scores (svm, mse).
  std::vector<float> outputs_of(const Matrix<float>& x) {
    const int count = static_cast<int>(x.rows());
    std::vector<float> result(static_cast<std::size_t>(count) * static_cast<std::size_t>(outputs_count));
    const bool probabilities = config.train.loss == "softmax";
    for_each_chunk(x, count, [](int k) { return k; }, [&](const Matrix<float>& scores, int first, int valid) {
      for (int r = 0; r < valid; ++r) {
        float* out = result.data() + static_cast<std::size_t>(first + r) * static_cast<std::size_t>(outputs_count);
        if (!probabilities) {
          for (int j = 0; j < outputs_count; ++j) out[j] = scores(r, j);
          continue;
        }
        // p_j = e^(s_j − m) / Σ_k e^(s_k − m), m = max_k s_k (no overflow)
        const double shift = scores.row(r).maxCoeff();
        double total = 0;
        for (int j = 0; j < outputs_count; ++j) total += std::exp(scores(r, j) - shift);
        for (int j = 0; j < outputs_count; ++j) out[j] = static_cast<float>(std::exp(scores(r, j) - shift) / total);
      }
    });
    return result;
  }
};

// ---- public API ---------------------------------------------------------------------------------

Trainer::Trainer(const Config& config) : impl_(std::make_unique<Impl>()) {
  validate(config);
  impl_->config = config;
  impl_->build(config.seed);
}

Trainer::~Trainer() = default;

const Config& Trainer::config() const { return impl_->config; }
const Status& Trainer::status() const { return impl_->status; }
int Trainer::steps_done() const { return impl_->steps_done; }
const History& Trainer::history() const { return impl_->history; }
int Trainer::outputs() const { return impl_->outputs_count; }
const std::vector<TensorInfo>& Trainer::tensors() const { return impl_->network->tensors(); }

StepMetrics Trainer::step(int n) {
  if (n < 1) throw std::invalid_argument("step: n must be >= 1, got " + std::to_string(n));
  Impl& s = *impl_;
  StepMetrics last;
  for (int i = 0; i < n; ++i) {
    if (s.status.diverged) {
      throw std::runtime_error("training diverged at step " + std::to_string(s.status.step) + ": " +
                               s.status.reason + "; call reset() or lower the learning rate");
    }
    const int cadence = s.config.diagnostics.cadence;
    const bool diagnostics = cadence > 0 && (s.steps_done + 1) % cadence == 0;
    last = s.train_one_step(diagnostics);
    if (s.status.diverged) break;
  }
  return last;
}

Evaluation Trainer::evaluate() {
  Impl& s = *impl_;
  Evaluation result;
  result.train = s.evaluate_split(s.train_x, s.split.train.y);
  result.val = s.evaluate_split(s.val_x, s.split.val.y);
  return result;
}

// Everything on the probe set in eval mode (two passes: moments and ranges, then histograms),
// except zero_fraction, grad_norm and update_ratio, which describe the last training step's batch
// (before the first step zero_fraction is measured on the probe too, the others are 0).
std::vector<LayerStats> Trainer::layer_stats() {
  Impl& s = *impl_;
  s.settle_snapshot();
  Network<float>& net = *s.network;
  const int layers = s.layer_count;
  const int probe_count = static_cast<int>(s.probe.size());
  std::vector<Accumulator> pre(static_cast<std::size_t>(layers)), act(static_cast<std::size_t>(layers));
  std::vector<double> saturated(static_cast<std::size_t>(layers), 0.0), zeros(static_cast<std::size_t>(layers), 0.0);
  for (auto& flags : s.fired) std::fill(flags.begin(), flags.end(), 0);

  auto probe_row = [&](int k) { return s.probe[static_cast<std::size_t>(k)]; };
  // The first `valid` rows of a row-major B x F matrix are its first valid·F values.
  auto pass = [&](bool histogram) {
    s.for_each_chunk(s.train_x, probe_count, probe_row, [&](const Matrix<float>& scores, int, int valid) {
      for (int layer = 0; layer < layers; ++layer) {
        const std::size_t l = static_cast<std::size_t>(layer);
        const bool output = layer == net.blocks();
        const Matrix<float>& pre_values = output ? scores : *net.block(layer).pre;
        const Matrix<float>& act_values = output ? scores : *net.block(layer).act;
        const Index pre_n = valid * pre_values.cols(), act_n = valid * act_values.cols();
        if (histogram) {
          pre[l].add_to_bins(pre_values.data(), pre_n);
          act[l].add_to_bins(act_values.data(), act_n);
          continue;
        }
        pre[l].add_moments(pre_values.data(), pre_n);
        act[l].add_moments(act_values.data(), act_n);
        const ActivationTraits& traits = output ? identity_activation().traits : traits_of(net.block(layer));
        saturated[l] += saturated_count(traits, act_values.data(), act_n);
        zeros[l] += static_cast<double>((Eigen::Map<const Eigen::ArrayXf>(act_values.data(), act_n) == 0.0f).count());
      }
      if (!histogram) s.mark_fired(valid);
    });
  };
  pass(false);
  for (int layer = 0; layer < layers; ++layer) {
    const std::size_t l = static_cast<std::size_t>(layer);
    const ActivationTraits& traits =
        layer == net.blocks() ? identity_activation().traits : traits_of(net.block(layer));
    pre[l].prepare_bins(s.config.diagnostics.bins, false, 0, 0);
    const bool fixed = !std::isnan(traits.output_min) && !std::isnan(traits.output_max);
    act[l].prepare_bins(s.config.diagnostics.bins, fixed, traits.output_min, traits.output_max);
  }
  pass(true);

  std::vector<LayerStats> result;
  for (int layer = 0; layer < layers; ++layer) {
    const std::size_t l = static_cast<std::size_t>(layer);
    const bool output = layer == net.blocks();
    LayerStats stats;
    stats.name = output ? "output" : "hidden" + std::to_string(layer + 1);
    stats.units = output ? s.outputs_count : net.block(layer).units;
    stats.activation = output ? identity_activation().name : net.block(layer).activation;
    stats.pre = pre[l].moments();
    stats.act = act[l].moments();
    stats.dead_fraction = output ? 0.0 : s.dead_share(layer);
    stats.saturated_fraction = act[l].count > 0 ? saturated[l] / act[l].count : 0.0;
    stats.zero_fraction = s.have_snapshot ? s.zero_fraction[l] : (act[l].count > 0 ? zeros[l] / act[l].count : 0.0);
    const TensorInfo& w = net.tensors()[static_cast<std::size_t>(s.weight_tensor[l])];
    stats.weight_norm = frobenius(net.params() + w.offset, w.size());
    stats.grad_norm = s.have_snapshot ? s.grad_norm[l] : 0.0;
    stats.update_ratio = s.have_snapshot ? s.update_ratio[l] : 0.0;
    result.push_back(stats);
  }
  return result;
}

// Gradient check in double precision on a copy of the network.
//   batch: the first min(16, N) training examples (preprocessed); dropout is switched off (its
//   random mask would make the loss a different function at every evaluation); batch norm runs in
//   train mode (batch statistics), which is the Jacobian that training uses.
//   loss(θ) = data loss + λ1·Σ|W| + ½λ2·ΣW²
//   numeric_i = (loss(θ + h e_i) − loss(θ − h e_i)) / 2h,  h = 1e-5
//   rel_i = |a_i − n_i| / max(|a_i| + |n_i|, 1e-5)
// The floor: the numeric derivative carries a rounding error of about ε·|loss|/h ≈ 1e-10, so
// below |a| + |n| ≈ 1e-5 a relative error says nothing; there the check is an absolute one
// (|a − n| < 1e-10). passed: max rel < 1e-5 (with h = 1e-5 the truncation error of a smooth
// loss is ~h² ≈ 1e-10 relative, so a correct backward lands far below, a wrong one far above).
// Kinks (ReLU family and maxout pre-activations changing side, a hinge margin crossing 0, an L1
// weight crossing 0) make the loss non-differentiable at the probed points: such entries are
// detected by comparing the piecewise pattern at θ ± h with the one at θ, skipped and counted.
// Up to 30 random entries per tensor, fewer for very large networks (at most ~4 GFLOP in total).
GradCheckResult Trainer::grad_check() {
  Impl& s = *impl_;
  const Config& config = s.config;
  Network<double> net(config.model, static_cast<int>(s.train_x.cols()), s.outputs_count);
  net.copy_from(*s.network);
  net.set_dropout(0.0);
  const int rows = std::min(kGradCheckBatch, static_cast<int>(s.train_x.rows()));
  const Matrix<double> x = s.train_x.topRows(rows).cast<double>();
  const Matrix<double> y = s.split.train.y.topRows(rows).cast<double>();
  const double l1 = config.train.l1, l2 = config.train.l2;

  // Piecewise pattern of the last forward: which side of each kink every value is on.
  std::vector<char> pattern, reference;
  auto capture = [&](const Matrix<double>& scores, std::vector<char>& out) {
    out.clear();
    for (int b = 0; b < net.blocks(); ++b) {
      const BlockView<double> view = net.block(b);
      const ActivationTraits& traits = view.info->traits;
      if (!traits.kink_at_zero && !traits.kink_at_tie) continue;
      const Matrix<double>& z = *view.pre;
      if (traits.kink_at_tie) {
        const Index units = z.cols() / 2;
        for (Index r = 0; r < z.rows(); ++r)
          for (Index u = 0; u < units; ++u) out.push_back(z(r, u) >= z(r, u + units) ? 1 : 0);
      } else {
        for (Index k = 0; k < z.size(); ++k) out.push_back(z.data()[k] > 0 ? 1 : 0);
      }
    }
    if (config.train.loss == "svm") {
      for (Index r = 0; r < scores.rows(); ++r) {
        const int label = static_cast<int>(std::lround(y(r, 0)));
        for (Index j = 0; j < scores.cols(); ++j) out.push_back(scores(r, j) - scores(r, label) + 1.0 > 0 ? 1 : 0);
      }
    }
  };
  auto loss_at = [&](std::vector<char>* out) {
    const Matrix<double>& scores = net.forward(x, Mode::kTrain, nullptr);
    const double data_loss = compute_loss(config.train.loss, scores, y, s.regression, static_cast<Matrix<double>*>(nullptr)).loss;
    if (out) capture(scores, *out);
    return data_loss + net.regularization(l1, l2, false);
  };

  // Analytic gradient.
  Matrix<double> dscores;
  const Matrix<double>& scores = net.forward(x, Mode::kTrain, nullptr);
  compute_loss(config.train.loss, scores, y, s.regression, &dscores);
  capture(scores, reference);
  net.backward(dscores);
  net.regularization(l1, l2, true);
  const std::vector<double> analytic(net.grads(), net.grads() + net.param_count());

  const std::vector<TensorInfo>& tensors = net.tensors();
  int trainable = 0;
  for (const TensorInfo& tensor : tensors) trainable += tensor.trainable ? 1 : 0;
  const double forward_flops = 4.0 * rows * static_cast<double>(net.param_count()) + 1.0;
  const int entries = std::clamp(static_cast<int>(kGradCheckFlopBudget / (forward_flops * std::max(trainable, 1))),
                                 3, kGradCheckEntries);

  GradCheckResult result;
  Rng pick(config.seed ^ 0x47524144u);  // fixed entries for a given seed
  double* params = net.params();
  for (const TensorInfo& tensor : tensors) {
    if (!tensor.trainable) continue;
    TensorGradCheck check;
    check.name = tensor.name;
    const std::size_t size = tensor.size();
    std::vector<std::size_t> chosen;
    if (size <= static_cast<std::size_t>(entries)) {
      for (std::size_t k = 0; k < size; ++k) chosen.push_back(k);
    } else {
      while (chosen.size() < static_cast<std::size_t>(entries)) {
        const std::size_t k = static_cast<std::size_t>(pick.uniform() * static_cast<double>(size));
        if (std::find(chosen.begin(), chosen.end(), k) == chosen.end()) chosen.push_back(k);
      }
    }
    for (std::size_t k : chosen) {
      double& theta = params[tensor.offset + k];
      const double saved = theta;
      theta = saved + kGradCheckStep;
      const double plus = loss_at(&pattern);
      bool kink = pattern != reference;
      theta = saved - kGradCheckStep;
      const double minus = loss_at(&pattern);
      kink = kink || pattern != reference;
      theta = saved;
      if (tensor.decay && l1 > 0 && std::fabs(saved) < kGradCheckStep) kink = true;
      if (kink) {
        ++check.skipped;
        continue;
      }
      const double numeric = (plus - minus) / (2.0 * kGradCheckStep);
      const double a = analytic[tensor.offset + k];
      const double relative = std::fabs(a - numeric) / std::max(std::fabs(a) + std::fabs(numeric), kGradCheckFloor);
      check.max_rel_error = std::max(check.max_rel_error, std::isnan(relative) ? 1.0 : relative);
      ++check.checked;
    }
    result.max_rel_error = std::max(result.max_rel_error, check.max_rel_error);
    result.tensors.push_back(check);
  }
  result.passed = result.max_rel_error < kGradCheckThreshold;
  return result;
}

InitialLossCheck Trainer::initial_loss_check() {
  Impl& s = *impl_;
  InitialLossCheck check;
  check.measured = s.evaluate_split(s.train_x, s.split.train.y).loss;
  const double classes = s.outputs_count;
  const std::string& loss = s.config.train.loss;
  if (loss == "softmax") {
    check.expected = std::log(classes);
    check.explanation =
        "softmax: with small weights all scores are ~0, every class gets probability 1/C, so the loss is "
        "-ln(1/C) = ln(C) = " + number_text(check.expected) + " for C = " + number_text(classes) + ".";
  } else if (loss == "svm") {
    check.expected = classes - 1;
    check.explanation =
        "svm: with scores ~0 each of the C-1 wrong classes has margin max(0, 0 - 0 + 1) = 1, so the loss is "
        "C - 1 = " + number_text(check.expected) + ".";
  } else if (s.regression) {
    // ½·mean over examples of Σ_j t_j² (the loss of predicting 0 everywhere).
    const Matrix<float>& targets = s.split.train.y;
    check.expected = targets.rows() > 0 ? 0.5 * sum_of_squares(targets.data(), static_cast<std::size_t>(targets.size())) /
                                              static_cast<double>(targets.rows())
                                        : kNaN;
    check.explanation =
        "mse (regression): with small weights (and zero biases) the prediction is ~0, so the loss is "
        "1/2 · mean(target²) over the training set = " + number_text(check.expected) + ".";
  } else {
    check.expected = 0.5;
    check.explanation =
        "mse on one-hot labels: with scores ~0 the error is 1 for the true class and 0 elsewhere, so the loss "
        "is 1/2 · 1 = 0.5.";
  }
  check.explanation += " Measured: the mean data loss over the training set (evaluation mode) at the current "
                       "parameters; far above the expectation suggests too large initial weights.";
  return check;
}

std::vector<float> Trainer::predict(const std::vector<float>& x, int count) {
  Impl& s = *impl_;
  const int dims = static_cast<int>(s.train_x.cols());
  if (count < 0 || x.size() != static_cast<std::size_t>(count) * static_cast<std::size_t>(dims)) {
    throw std::invalid_argument("predict: expected count x dims = " + std::to_string(count) + " x " +
                                std::to_string(dims) + " values, got " + std::to_string(x.size()));
  }
  if (count == 0) return {};
  Matrix<float> inputs = ConstMatrixMap<float>(x.data(), count, dims);
  s.preprocessor.apply(inputs);
  return s.outputs_of(inputs);
}

std::vector<float> Trainer::predict_grid(double xmin, double xmax, double ymin, double ymax, int resolution) {
  Impl& s = *impl_;
  const int dims = static_cast<int>(s.train_x.cols());
  if (dims > 2) {
    throw std::invalid_argument("predict_grid: needs 1-D or 2-D inputs, the data has " + std::to_string(dims) +
                                " dims");
  }
  if (resolution < 2 || resolution > 2048) {
    throw std::invalid_argument("predict_grid: resolution must be in [2, 2048], got " + std::to_string(resolution));
  }
  if (!std::isfinite(xmin) || !std::isfinite(xmax) || !std::isfinite(ymin) || !std::isfinite(ymax)) {
    throw std::invalid_argument("predict_grid: the bounds must be finite");
  }
  // Row i has y = ymin + (ymax − ymin)·i/(res − 1); column j has x = xmin + (xmax − xmin)·j/(res − 1).
  // 1-D inputs use the x coordinate only (every row is the same curve).
  const int count = resolution * resolution;
  std::vector<float> raw(static_cast<std::size_t>(count) * static_cast<std::size_t>(dims));
  for (int i = 0; i < resolution; ++i) {
    for (int j = 0; j < resolution; ++j) {
      const std::size_t row = static_cast<std::size_t>(i * resolution + j) * static_cast<std::size_t>(dims);
      raw[row] = static_cast<float>(xmin + (xmax - xmin) * j / (resolution - 1));
      if (dims == 2) raw[row + 1] = static_cast<float>(ymin + (ymax - ymin) * i / (resolution - 1));
    }
  }
  return predict(raw, count);
}

namespace {
DataSplit to_split(const Dataset& dataset) {
  DataSplit split;
  split.count = dataset.rows();
  split.dims = static_cast<int>(dataset.x.cols());
  split.x.assign(dataset.x.data(), dataset.x.data() + dataset.x.size());
  split.y.assign(dataset.y.data(), dataset.y.data() + dataset.y.size());
  return split;
}
}  // namespace

DataSplit Trainer::train_data() const { return to_split(impl_->split.train); }
DataSplit Trainer::val_data() const { return to_split(impl_->split.val); }

// The configuration table says which keys are live (config_fields.hpp); apply_live refuses any
// other difference before changing anything.
void Trainer::set_live(const Config& changed) {
  Impl& s = *impl_;
  validate(changed);
  const bool lr_changed = changed.train.lr != s.config.train.lr;
  apply_live(s.config, changed);
  s.network->set_dropout(s.config.model.dropout);
  s.optimizer->set_hyperparameters(s.config.train);
  if (lr_changed && s.status.diverged) s.status = Status{};
}

void Trainer::reset(std::uint32_t seed) { impl_->build(seed); }

std::vector<float> Trainer::get_tensor(int index) const {
  const Impl& s = *impl_;
  const std::vector<TensorInfo>& tensors = s.network->tensors();
  if (index < 0 || index >= static_cast<int>(tensors.size())) {
    throw std::out_of_range("tensor index " + std::to_string(index) + " out of range [0, " +
                            std::to_string(tensors.size()) + ")");
  }
  const TensorInfo& tensor = tensors[static_cast<std::size_t>(index)];
  const float* base = (tensor.trainable ? s.network->params() : s.network->state()) + tensor.offset;
  return std::vector<float>(base, base + tensor.size());
}

void Trainer::set_tensor(int index, const std::vector<float>& values) {
  Impl& s = *impl_;
  const std::vector<TensorInfo>& tensors = s.network->tensors();
  if (index < 0 || index >= static_cast<int>(tensors.size())) {
    throw std::out_of_range("tensor index " + std::to_string(index) + " out of range [0, " +
                            std::to_string(tensors.size()) + ")");
  }
  const TensorInfo& tensor = tensors[static_cast<std::size_t>(index)];
  if (values.size() != tensor.size()) {
    throw std::invalid_argument(tensor.name + ": expected " + std::to_string(tensor.rows) + " x " +
                                std::to_string(tensor.cols) + " = " + std::to_string(tensor.size()) +
                                " values, got " + std::to_string(values.size()));
  }
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (!std::isfinite(values[k])) {
      throw std::invalid_argument(tensor.name + ": value " + std::to_string(k) + " is not finite");
    }
  }
  s.settle_snapshot();  // its update_ratio compares the parameters with params_backup
  float* base = (tensor.trainable ? s.network->params() : s.network->state()) + tensor.offset;
  std::copy(values.begin(), values.end(), base);
}

}  // namespace trainscope
