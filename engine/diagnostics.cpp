#include "diagnostics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "layers/activation_registry.hpp"
#include "network.hpp"
#include "reduce.hpp"
#include "trainer_impl.hpp"

namespace trainscope {

namespace histogram {

// The two branch-free passes (min and max over the finite values, non-finite ones replaced by the
// identity) vectorise; a scalar loop with an isfinite branch per value did not, and was the
// largest part of a diagnostics event (docs/notes/trainer.md, "Diagnostics cost").
void data_range(const float* values, Index n, double* lo, double* hi) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  const Eigen::Map<const Eigen::ArrayXf> v(values, n);
  const auto finite = v.abs() <= std::numeric_limits<float>::max();
  double low = n > 0 ? finite.select(v, kInf).minCoeff() : kInf;
  double high = n > 0 ? finite.select(v, -kInf).maxCoeff() : -kInf;
  if (!(low <= high)) low = 0, high = 1;
  if (!(high > low)) low -= 0.5, high += 0.5;
  *lo = low;
  *hi = high;
}

// bin(v) = ⌊(v − lo)·bins/(hi − lo)⌋ clamped to [0, bins − 1]. The position is clamped before the
// cast (a value far outside [lo, hi] would overflow int: UB), and a clamped non-negative position
// truncates to its floor, so no floor() call is needed (x86-64 baseline has no roundsd and calls
// libm). NaN positions fail `position > 0`; the non-finite values themselves are skipped.
void add(const float* values, Index n, double lo, double hi, std::vector<double>& counts) {
  const int bins = static_cast<int>(counts.size());
  const double scale = bins / (hi - lo);
  const double last = bins - 1;
  for (Index k = 0; k < n; ++k) {
    const float value = values[k];
    if (!(std::fabs(value) <= std::numeric_limits<float>::max())) continue;
    const double position = (static_cast<double>(value) - lo) * scale;
    const int bin = position > 0 ? (position < last ? static_cast<int>(position) : bins - 1) : 0;
    counts[static_cast<std::size_t>(bin)] += 1;
  }
}

void set_edges(double lo, double hi, std::size_t bins, std::vector<double>& edges) {
  edges.resize(bins + 1);
  for (std::size_t k = 0; k <= bins; ++k) edges[k] = lo + (hi - lo) * static_cast<double>(k) / static_cast<double>(bins);
}

}  // namespace histogram

namespace {

double frobenius(const float* values, std::size_t n) { return std::sqrt(sum_of_squares(values, n)); }

// Count of saturated outputs: y outside the activation's band [low, high] (none when NaN).
double saturated_count(const ActivationTraits& traits, const float* values, Index n) {
  if (std::isnan(traits.saturation_low) || std::isnan(traits.saturation_high)) return 0;
  const Eigen::Map<const Eigen::ArrayXf> y(values, n);
  const float low = static_cast<float>(traits.saturation_low), high = static_cast<float>(traits.saturation_high);
  return static_cast<double>(((y < low) || (y > high)).count());
}

// Moments in double over a pass, then a histogram pass over fixed edges (layer_stats' full probe).
struct Accumulator {
  double count = 0, sum = 0, sum_squares = 0;
  double min = std::numeric_limits<double>::infinity(), max = -std::numeric_limits<double>::infinity();
  std::vector<double> counts;
  double lo = 0, hi = 1;

  void add_moments(const float* values, Index n) {
    count += static_cast<double>(n);
    sum += sum_of(values, static_cast<std::size_t>(n));
    sum_squares += sum_of_squares(values, static_cast<std::size_t>(n));
    double low = 0, high = 0;
    if (n == 0) return;
    histogram::data_range(values, n, &low, &high);
    min = std::min(min, low);
    max = std::max(max, high);
  }
  // Edges span [lo, hi]: the activation's fixed output range when it has one, else min..max.
  void prepare_bins(int bins, double fixed_lo, double fixed_hi) {
    counts.assign(static_cast<std::size_t>(bins), 0.0);
    if (!std::isnan(fixed_lo) && !std::isnan(fixed_hi)) {
      lo = fixed_lo, hi = fixed_hi;
    } else if (count > 0 && std::isfinite(min) && std::isfinite(max)) {
      lo = min, hi = max;
    } else {
      lo = 0, hi = 1;
    }
    if (!(hi > lo)) lo -= 0.5, hi += 0.5;  // a constant value gets a unit-wide range around it
  }
  Moments moments() const {
    Moments result;
    if (count > 0) {
      result.mean = sum / count;
      result.std = std::sqrt(std::max(0.0, sum_squares / count - result.mean * result.mean));
    }
    result.hist.counts = counts;
    histogram::set_edges(lo, hi, counts.size(), result.hist.edges);
    return result;
  }
};

}  // namespace

const ActivationTraits& layer_traits(const Network<float>& net, int layer) {
  return layer == net.blocks() ? identity_activation().traits : net.block(layer).info->traits;
}

void Diagnostics::reset(const Network<float>& net, int probe_rows, int chunk_rows) {
  const int layers = net.blocks() + 1;
  samples_.assign(static_cast<std::size_t>(layers), LayerSample{});
  weight_tensor_.assign(static_cast<std::size_t>(layers), -1);
  for (int b = 0; b < net.blocks(); ++b) weight_tensor_[static_cast<std::size_t>(b)] = net.block(b).weight_tensor;
  const std::vector<TensorInfo>& tensors = net.tensors();
  for (std::size_t t = 0; t < tensors.size(); ++t) {
    if (tensors[t].decay && tensors[t].layer == net.blocks()) weight_tensor_.back() = static_cast<int>(t);
  }
  chunks_ = chunk_rows > 0 ? (probe_rows + chunk_rows - 1) / chunk_rows : 0;
  fired_.assign(static_cast<std::size_t>(net.blocks()), {});
  for (int b = 0; b < net.blocks(); ++b) {
    fired_[static_cast<std::size_t>(b)].assign(static_cast<std::size_t>(chunks_) * net.block(b).units, 0);
  }
  next_chunk_ = 0;
  stale_ = true;
  have_snapshot_ = false;
  kept_pre_.assign(static_cast<std::size_t>(layers), {});
  kept_act_.assign(static_cast<std::size_t>(layers), {});
  kept_step_ = -1;
}

void Diagnostics::take_batch_snapshot(const Network<float>& net, const Matrix<float>& scores,
                                      const float* params_before, double unclip) {
  for (int layer = 0; layer < layer_count(); ++layer) {
    LayerSample& sample = samples_[static_cast<std::size_t>(layer)];
    const Matrix<float>& values = layer == net.blocks() ? scores : *net.block(layer).act;
    const Eigen::Map<const Eigen::ArrayXf> a(values.data(), values.size());
    const std::size_t n = static_cast<std::size_t>(values.size());
    const double count = static_cast<double>(std::max<Index>(values.size(), 1));
    sample.zero_fraction = static_cast<double>((a == 0.0f).count()) / count;
    sample.saturated_fraction = saturated_count(layer_traits(net, layer), values.data(), values.size()) / count;
    const double mean = sum_of(values.data(), n) / count;
    sample.act_mean = mean;
    sample.act_std = std::sqrt(std::max(0.0, sum_of_squares(values.data(), n) / count - mean * mean));
    // update_ratio = ‖W_after − W_before‖ / ‖W_before‖ (‖W_after‖ if W started at 0).
    const TensorInfo& w = net.tensors()[static_cast<std::size_t>(weight_tensor_[static_cast<std::size_t>(layer)])];
    sample.grad_norm = frobenius(net.grads() + w.offset, w.size()) * unclip;
    const double before = frobenius(params_before + w.offset, w.size());
    const double after = frobenius(net.params() + w.offset, w.size());
    const double change = std::sqrt(squared_distance(net.params() + w.offset, params_before + w.offset, w.size()));
    const double scale = before > 0 ? before : after;
    sample.update_ratio = scale > 0 ? change / scale : 0.0;
  }
  have_snapshot_ = true;
}

void Diagnostics::next_probe_chunks(int* first, int* count) {
  if (stale_) {
    *first = 0;
    *count = chunks_;
    next_chunk_ = 0;
    stale_ = false;
    return;
  }
  *first = chunks_ > 0 ? next_chunk_ : 0;
  *count = chunks_ > 0 ? 1 : 0;
  if (chunks_ > 0) next_chunk_ = (next_chunk_ + 1) % chunks_;
}

void Diagnostics::observe_probe_chunk(const Network<float>& net, int chunk, int valid) {
  for (int b = 0; b < net.blocks(); ++b) {
    const BlockView<float> view = net.block(b);
    if (!view.info->traits.dies_below_zero) continue;
    const Matrix<float>& pre = *view.pre;
    unsigned char* flags = fired_[static_cast<std::size_t>(b)].data() + static_cast<std::size_t>(chunk) * view.units;
    std::fill(flags, flags + view.units, 0);
    // Raw row pointers (pre is row-major B x units·spatial here) let the compiler vectorise the
    // inner loop. A conv unit is a channel: it fires when it is positive at any position.
    for (Index r = 0; r < valid; ++r) {
      const float* row = pre.data() + r * pre.cols();
      if (view.spatial == 1) {
        for (Index u = 0; u < view.units; ++u) flags[u] |= static_cast<unsigned char>(row[u] > 0.0f);
        continue;
      }
      for (Index u = 0; u < view.units; ++u) {
        const float* channel = row + u * view.spatial;
        unsigned char fired = 0;
        for (Index p = 0; p < view.spatial; ++p) fired |= static_cast<unsigned char>(channel[p] > 0.0f);
        flags[u] |= fired;
      }
    }
  }
}

double Diagnostics::dead_fraction(const Network<float>& net, int layer) const {
  if (layer >= net.blocks() || chunks_ == 0) return 0.0;
  const BlockView<float> view = net.block(layer);
  if (!view.info->traits.dies_below_zero || view.units == 0) return 0.0;
  const std::vector<unsigned char>& flags = fired_[static_cast<std::size_t>(layer)];
  int dead = 0;
  for (int u = 0; u < view.units; ++u) {
    unsigned char fired = 0;
    for (int c = 0; c < chunks_; ++c) fired |= flags[static_cast<std::size_t>(c) * view.units + u];
    dead += fired ? 0 : 1;
  }
  return static_cast<double>(dead) / view.units;
}

void Diagnostics::keep_rows(const Network<float>& net, const Matrix<float>& scores, int valid, int step) {
  for (int layer = 0; layer < layer_count(); ++layer) {
    const bool output = layer == net.blocks();
    const Matrix<float>& pre = output ? scores : *net.block(layer).pre;
    const Matrix<float>& act = output ? scores : *net.block(layer).act;
    // The first `valid` rows of a row-major B x F matrix are its first valid·F values. The first
    // event reserves a whole chunk (outside the steady state; later assigns never reallocate).
    std::vector<float>& pre_rows = kept_pre_[static_cast<std::size_t>(layer)];
    std::vector<float>& act_rows = kept_act_[static_cast<std::size_t>(layer)];
    pre_rows.reserve(static_cast<std::size_t>(pre.size()));
    act_rows.reserve(static_cast<std::size_t>(act.size()));
    pre_rows.assign(pre.data(), pre.data() + valid * pre.cols());
    act_rows.assign(act.data(), act.data() + valid * act.cols());
  }
  kept_step_ = step;
}

void Diagnostics::bin_kept_rows(const Network<float>& net, std::vector<LayerHistogram>& out) {
  for (int layer = 0; layer < layer_count(); ++layer) {
    const std::size_t l = static_cast<std::size_t>(layer);
    const Index pre_n = static_cast<Index>(kept_pre_[l].size()), act_n = static_cast<Index>(kept_act_[l].size());
    const ActivationTraits& traits = layer_traits(net, layer);
    LayerHistogram& target = out[l];
    double lo = 0, hi = 1;
    histogram::data_range(kept_pre_[l].data(), pre_n, &lo, &hi);
    std::fill(target.pre.counts.begin(), target.pre.counts.end(), 0.0);
    histogram::add(kept_pre_[l].data(), pre_n, lo, hi, target.pre.counts);
    histogram::set_edges(lo, hi, target.pre.counts.size(), target.pre.edges);
    if (!std::isnan(traits.output_min) && !std::isnan(traits.output_max)) {
      lo = traits.output_min, hi = traits.output_max;
    } else {
      histogram::data_range(kept_act_[l].data(), act_n, &lo, &hi);
    }
    std::fill(target.act.counts.begin(), target.act.counts.end(), 0.0);
    histogram::add(kept_act_[l].data(), act_n, lo, hi, target.act.counts);
    histogram::set_edges(lo, hi, target.act.counts.size(), target.act.edges);
  }
  kept_step_ = -1;
}

const std::vector<LayerSample>& Diagnostics::samples(const Network<float>& net) {
  for (int layer = 0; layer < layer_count(); ++layer) {
    LayerSample& sample = samples_[static_cast<std::size_t>(layer)];
    sample.dead_fraction = dead_fraction(net, layer);
    const TensorInfo& w = net.tensors()[static_cast<std::size_t>(weight_tensor_[static_cast<std::size_t>(layer)])];
    sample.weight_norm = frobenius(net.params() + w.offset, w.size());
  }
  return samples_;
}

}  // namespace trainscope

namespace trainscope {

void Trainer::Impl::diagnostics_event(long long event) {
  take_batch_snapshot();
  Network<float>& net = *network;
  const int count = static_cast<int>(probe.size());
  int first_chunk = 0, chunks = 0;
  diagnostics.next_probe_chunks(&first_chunk, &chunks);
  const auto row_of = [this](int k) { return probe_row(k); };
  for (int c = first_chunk; c < first_chunk + chunks; ++c) {
    const int first = c * batcher.batch_size();
    const Matrix<float>& scores = forward_chunk(train_x, first, count, row_of);
    const int valid = std::min(batcher.batch_size(), count - first);
    diagnostics.observe_probe_chunk(net, c, valid);
    if (c + 1 == first_chunk + chunks) diagnostics.keep_rows(net, scores, valid, steps_done);
  }
  history.record_diagnostics(event, steps_done, diagnostics.samples(net));
}

// Everything on the probe set in eval mode (two passes: moments and ranges, then histograms),
// except zero_fraction, grad_norm and update_ratio, which describe the last training step's batch
// (before the first step zero_fraction is measured on the probe too, the others are 0). The
// first pass refreshes every chunk's dead-unit flags.
std::vector<LayerStats> Trainer::layer_stats() {
  Impl& s = *impl_;
  s.settle_snapshot();
  Network<float>& net = *s.network;
  Diagnostics& diagnostics = s.diagnostics;
  const int layers = diagnostics.layer_count();
  const int probe_count = static_cast<int>(s.probe.size());
  std::vector<Accumulator> pre(static_cast<std::size_t>(layers)), act(static_cast<std::size_t>(layers));
  std::vector<double> saturated(static_cast<std::size_t>(layers), 0.0), zeros(static_cast<std::size_t>(layers), 0.0);

  const auto row_of = [&s](int k) { return s.probe_row(k); };
  auto pass = [&](bool histogram) {
    s.for_each_chunk(s.train_x, probe_count, row_of, [&](const Matrix<float>& scores, int first, int valid) {
      for (int layer = 0; layer < layers; ++layer) {
        const std::size_t l = static_cast<std::size_t>(layer);
        const bool output = layer == net.blocks();
        const Matrix<float>& pre_values = output ? scores : *net.block(layer).pre;
        const Matrix<float>& act_values = output ? scores : *net.block(layer).act;
        // The first `valid` rows of a row-major B x F matrix are its first valid·F values.
        const Index pre_n = valid * pre_values.cols(), act_n = valid * act_values.cols();
        if (histogram) {
          histogram::add(pre_values.data(), pre_n, pre[l].lo, pre[l].hi, pre[l].counts);
          histogram::add(act_values.data(), act_n, act[l].lo, act[l].hi, act[l].counts);
          continue;
        }
        pre[l].add_moments(pre_values.data(), pre_n);
        act[l].add_moments(act_values.data(), act_n);
        saturated[l] += saturated_count(layer_traits(net, layer), act_values.data(), act_n);
        zeros[l] += static_cast<double>((Eigen::Map<const Eigen::ArrayXf>(act_values.data(), act_n) == 0.0f).count());
      }
      if (!histogram) diagnostics.observe_probe_chunk(net, first / s.batcher.batch_size(), valid);
    });
  };
  pass(false);
  diagnostics.probe_refreshed();
  for (int layer = 0; layer < layers; ++layer) {
    const std::size_t l = static_cast<std::size_t>(layer);
    const ActivationTraits& traits = layer_traits(net, layer);
    pre[l].prepare_bins(s.config.diagnostics.bins, std::nan(""), std::nan(""));
    act[l].prepare_bins(s.config.diagnostics.bins, traits.output_min, traits.output_max);
  }
  pass(true);

  std::vector<LayerStats> result;
  const std::vector<LayerSample>& latest = diagnostics.samples(net);
  const std::vector<std::string>& names = s.history.history().layers;
  for (int layer = 0; layer < layers; ++layer) {
    const std::size_t l = static_cast<std::size_t>(layer);
    const bool output = layer == net.blocks();
    const LayerSample& snapshot = diagnostics.snapshot(layer);
    const bool have_snapshot = diagnostics.has_snapshot();
    LayerStats stats;
    stats.name = names[l];
    stats.units = output ? s.outputs_count : net.block(layer).units;
    stats.activation = output ? identity_activation().name : net.block(layer).activation;
    stats.pre = pre[l].moments();
    stats.act = act[l].moments();
    stats.dead_fraction = latest[l].dead_fraction;
    stats.saturated_fraction = act[l].count > 0 ? saturated[l] / act[l].count : 0.0;
    stats.zero_fraction = have_snapshot ? snapshot.zero_fraction : (act[l].count > 0 ? zeros[l] / act[l].count : 0.0);
    stats.weight_norm = latest[l].weight_norm;
    stats.grad_norm = have_snapshot ? snapshot.grad_norm : 0.0;
    stats.update_ratio = have_snapshot ? snapshot.update_ratio : 0.0;
    result.push_back(stats);
  }
  return result;
}

}  // namespace trainscope
