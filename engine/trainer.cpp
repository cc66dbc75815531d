// One training run: data, network, optimizer, the step loop, divergence detection, live
// settings and tensor access. Diagnostics (diagnostics.cpp), the history (history.cpp),
// evaluation and prediction (evaluation.cpp) and the sanity checks of CS231n lecture 6
// (checks.cpp) implement the rest of the Trainer on the same Trainer::Impl (trainer_impl.hpp).
//
// Decisions worth knowing (also in docs/notes/trainer.md):
//   - Every forward pass (training batches, the diagnostics probe, evaluate, predict,
//     predict_grid) runs in chunks of exactly the training batch size B, the last chunk padded by
//     repeating earlier rows (whose results are ignored). The network therefore never sees a
//     second batch size and nothing reallocates after the first step.
//   - Divergence is checked before the update: a non-finite or exploded data loss (non-finite;
//     > 1e6; or > max(1000 × the first step's loss, 1)) or a non-finite gradient stops the run
//     with Status::diverged and leaves parameters and batch-norm statistics as they were before
//     the step. An update that itself overflows is rolled back from a per-step backup copy, and
//     the optimizer's state (velocity, moments, t) with it.
//   - The batch snapshot behind layer_stats()' zero_fraction, grad_norm and update_ratio is
//     computed lazily: a step only marks it pending, and it is taken when read or before anything
//     overwrites what it reads (an eval-mode forward, set_tensor). A UI, the CLI and the
//     benchmarks call step(1), so an eager snapshot would run at every step.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "loss.hpp"
#include "reduce.hpp"
#include "trainer_impl.hpp"

namespace trainscope {
namespace {

constexpr double kExplodeFactor = 1000.0;
constexpr double kExplodeAbsolute = 1e6;

std::string layer_name(int layer, int blocks) {
  return layer == blocks ? "output" : "hidden" + std::to_string(layer + 1);
}

}  // namespace

void Trainer::Impl::build(std::uint32_t seed) {
  config.seed = seed;
  Rng data_rng = Rng::stream(seed, static_cast<std::uint32_t>(RngStream::kData));
  const Dataset all = make_dataset(config.data, data_rng, config.train.loss);
  split = split_dataset(all, config.data, data_rng);
  regression = all.regression;
  outputs_count = all.classes;
  preprocessor = Preprocessor(config.data.preprocess, split.train.x, input_shape(config.data));
  train_x = preprocessor.applied(split.train.x);
  val_x = preprocessor.applied(split.val.x);

  network = std::make_unique<Network<float>>(config.model, input_shape(config.data), outputs_count);
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

  diagnostics.reset(*network, probe_size, batcher.batch_size());
  snapshot_pending = false;
  status = Status{};
  steps_done = 0;
  first_loss = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::string> layers;
  for (int layer = 0; layer <= network->blocks(); ++layer) layers.push_back(layer_name(layer, network->blocks()));
  history.reset(static_cast<std::size_t>(config.diagnostics.history), config.diagnostics.cadence, layers,
                config.diagnostics.bins);
}

StepMetrics Trainer::Impl::diverge(StepMetrics metrics, const std::string& reason) {
  // Undo the forward's batch-norm running-statistics update (parameters are untouched).
  std::copy(state_backup.begin(), state_backup.end(), network->state());
  status.diverged = true;
  status.step = steps_done + 1;
  status.reason = reason;
  metrics.step = steps_done;
  return metrics;
}

// The first trainable tensor whose slice of `values` holds a non-finite number, or "".
std::string Trainer::Impl::non_finite_tensor(const float* values, std::string* kind) const {
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

StepMetrics Trainer::Impl::train_one_step(bool diagnostics_due) {
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

  optimizer->checkpoint();  // velocity, moments and t as they were, in case the update overflows
  optimizer->update(net.params(), net.grads(), metrics.lr);
  // One vectorised pass over the whole buffer; the tensor is looked up only when it fails.
  if (!all_finite(net.params(), net.param_count())) {
    std::string kind;
    const std::string overflowed = non_finite_tensor(net.params(), &kind);
    std::copy(params_backup.begin(), params_backup.end(), net.params());
    optimizer->rollback();  // else Nesterov's velocity would keep the overflow and fail the next step
    return diverge(metrics, "the update made " + overflowed + " " + kind + " (parameters and optimizer state rolled back)");
  }

  ++steps_done;
  metrics.step = steps_done;
  history.record_step(metrics);
  snapshot_pending = true;
  if (diagnostics_due) diagnostics_event(steps_done / config.diagnostics.cadence);
  return metrics;
}

void Trainer::Impl::take_batch_snapshot() {
  diagnostics.take_batch_snapshot(*network, *last_scores, params_backup.data(), unclip);
  snapshot_pending = false;
}

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
const History& Trainer::history() const {
  impl_->settle_histograms();
  return impl_->history.history();
}
History Trainer::history_since(double step) const {
  impl_->settle_histograms();
  return impl_->history.since(step);
}
int Trainer::outputs() const { return impl_->outputs_count; }

std::vector<LayerSummary> Trainer::summary() const {
  const Network<float>& net = *impl_->network;
  const std::vector<std::size_t> parameters = net.parameters_per_plan_entry();
  std::vector<LayerSummary> rows;
  int block = 0;
  for (std::size_t p = 0; p < net.plan().size(); ++p) {
    const LayerPlan& layer = net.plan()[p];
    LayerSummary row;
    row.type = layer.type;
    row.path = layer.path;
    row.name = layer.type == "pool" ? "" : layer_name(layer.type == "output" ? net.blocks() : block++, net.blocks());
    row.input = {layer.in.channels, layer.in.height, layer.in.width};
    row.output = {layer.out.channels, layer.out.height, layer.out.width};
    row.parameters = parameters[p];
    row.multiply_adds = layer.multiply_adds;
    row.filters = layer.filters;
    row.size = layer.size;
    row.stride = layer.stride;
    row.pad = layer.pad;
    if (layer.type == "pool") row.mode = layer.max_pool ? "max" : "avg";
    if (layer.block()) row.activation = layer.settings.activation, row.norm = layer.settings.norm;
    rows.push_back(row);
  }
  return rows;
}
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
    const bool diagnostics_due = cadence > 0 && (s.steps_done + 1) % cadence == 0;
    last = s.train_one_step(diagnostics_due);
    if (s.status.diverged) break;
  }
  return last;
}

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
  s.diagnostics.invalidate_probe();  // the probe flags describe the old parameters
  float* base = (tensor.trainable ? s.network->params() : s.network->state()) + tensor.offset;
  std::copy(values.begin(), values.end(), base);
}

}  // namespace trainscope
