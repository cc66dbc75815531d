// The sanity checks of CS231n lecture 6 ("babysitting the learning"): the gradient check and the
// initial-loss check.
#include <algorithm>
#include <cmath>
#include <limits>

#include "layers/activation_registry.hpp"
#include "loss.hpp"
#include "reduce.hpp"
#include "trainer_impl.hpp"

namespace trainscope {
namespace {

// Gradient check constants (see grad_check below for the reasoning).
constexpr int kGradCheckBatch = 16;
constexpr int kGradCheckEntries = 30;
constexpr double kGradCheckStep = 1e-5;
constexpr double kGradCheckThreshold = 1e-5;
constexpr double kGradCheckFlopBudget = 4e9;
constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
// Below this share of |n| the Richardson correction |n − d_h| leaves the fourth-order estimate
// accurate to about (share)² ≪ kGradCheckThreshold; above it the entry is ill-conditioned.
constexpr double kIllConditionedShare = 1e-3;

}  // namespace

// Gradient check in double precision on a copy of the network.
//   batch: the first min(16, N) training examples (preprocessed); dropout is switched off (its
//   random mask would make the loss a different function at every evaluation); batch norm runs in
//   train mode (batch statistics), which is the Jacobian that training uses.
//   loss(θ) = data loss + λ1·Σ|W| + ½λ2·ΣW²
//   Fourth-order central difference, h = 1e-5 (f±k = loss(θ ± k·h·e_i)):
//     d_h  = (f+1 − f−1) / 2h,   d_2h = (f+2 − f−2) / 4h        (errors f‴h²/6 and 4·f‴h²/6)
//     n    = (8(f+1 − f−1) − (f+2 − f−2)) / 12h = (4·d_h − d_2h) / 3   (error O(f⁽⁵⁾h⁴))
//   rel = |a − n| / max(|a|, |n|, floor)   (the lecture's relative error); passed: max rel < 1e-5.
// floor: each f carries a rounding error of about ε·|f|, so n carries ~ε·|f|/h (≈ 2e-11 for a loss
// of 1). Below floor = 1e6·ε·max(|f|, 1)/h (≈ 2e-5: rounding stays under 1e-6 of it) a relative
// error says nothing, and the check becomes the absolute |a − n| < 1e-5·floor.
// Skipped entries, counted per tensor:
//   - kinks: the loss is not differentiable between θ − 2h and θ + 2h when a ReLU-family/ELU pre-
//     activation changes side, a maxout winner changes, a hinge margin crosses 0, or an L1 weight
//     has |w| < 2h. Detected by comparing the piecewise pattern at θ ± h and θ ± 2h with θ's.
//   - ill-conditioned: the finite difference itself is unstable when the loss curves on the scale
//     of h (a normalization group whose variance is near eps: 1/√(var + eps) changes fast). Then
//     d_h and d_2h disagree far beyond rounding: |n − d_h| = |d_h − d_2h|/3 is over
//     kIllConditionedShare·max(|n|, floor) and over 100× the rounding of d_h. The backward is not
//     involved, so a wrong gradient cannot hide there.
// Up to 30 random entries per tensor, fewer for very large networks (at most ~4 GFLOP in total).
GradCheckResult Trainer::grad_check() { return grad_check(GradCheckCorruption{}); }

GradCheckResult Trainer::grad_check(const GradCheckCorruption& corruption) {
  Impl& s = *impl_;
  const Config& config = s.config;
  Network<double> net(config.model, input_shape(config.data), s.outputs_count);
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
    if (loss_info(config.train.loss).margin_kinks) {
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
  const double base_loss = compute_loss(config.train.loss, scores, y, s.regression, &dscores).loss;
  capture(scores, reference);
  net.backward(dscores);
  net.regularization(l1, l2, true);
  std::vector<double> analytic(net.grads(), net.grads() + net.param_count());
  for (const TensorInfo& tensor : net.tensors()) {
    if (tensor.trainable && tensor.name == corruption.tensor && corruption.entry < tensor.size()) {
      analytic[tensor.offset + corruption.entry] += corruption.delta;
    }
  }

  const double rounding = kEpsilon * std::max(std::fabs(base_loss + net.regularization(l1, l2, false)), 1.0) / kGradCheckStep;
  const double floor = 1e6 * rounding;

  const std::vector<TensorInfo>& tensors = net.tensors();
  int trainable = 0;
  for (const TensorInfo& tensor : tensors) trainable += tensor.trainable ? 1 : 0;
  // Four loss evaluations (forwards) per entry.
  const double forward_flops = 8.0 * rows * static_cast<double>(net.param_count()) + 1.0;
  const int entries = std::clamp(static_cast<int>(kGradCheckFlopBudget / (forward_flops * std::max(trainable, 1))),
                                 3, kGradCheckEntries);

  std::vector<TensorGradCheck> checks;
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
    // The test hook's entry is always among those compared.
    if (tensor.name == corruption.tensor && corruption.entry < size &&
        std::find(chosen.begin(), chosen.end(), corruption.entry) == chosen.end()) {
      chosen.push_back(corruption.entry);
    }
    for (std::size_t k : chosen) {
      double& theta = params[tensor.offset + k];
      const double saved = theta;
      bool kink = tensor.decay && l1 > 0 && std::fabs(saved) < 2 * kGradCheckStep;
      double f[4] = {0, 0, 0, 0};  // f+1, f−1, f+2, f−2
      const double offsets[4] = {kGradCheckStep, -kGradCheckStep, 2 * kGradCheckStep, -2 * kGradCheckStep};
      for (int j = 0; j < 4 && !kink; ++j) {
        theta = saved + offsets[j];
        f[j] = loss_at(&pattern);
        kink = pattern != reference;
      }
      theta = saved;
      if (kink) {
        ++check.skipped;
        continue;
      }
      const double d_h = (f[0] - f[1]) / (2 * kGradCheckStep);
      const double numeric = (8 * (f[0] - f[1]) - (f[2] - f[3])) / (12 * kGradCheckStep);
      const double correction = std::fabs(numeric - d_h);
      if (correction > kIllConditionedShare * std::max(std::fabs(numeric), floor) && correction > 100 * rounding) {
        ++check.skipped;
        ++check.ill_conditioned;
        continue;
      }
      const double a = analytic[tensor.offset + k];
      const double relative = std::fabs(a - numeric) / std::max({std::fabs(a), std::fabs(numeric), floor});
      check.max_rel_error = std::max(check.max_rel_error, std::isnan(relative) ? 1.0 : relative);
      ++check.checked;
    }
    checks.push_back(check);
  }
  return summarize_grad_check(std::move(checks));
}

GradCheckResult summarize_grad_check(std::vector<TensorGradCheck> tensors) {
  GradCheckResult result;
  result.tensors = std::move(tensors);
  for (const TensorGradCheck& tensor : result.tensors) {
    result.checked += tensor.checked;
    result.skipped += tensor.skipped;
    result.ill_conditioned += tensor.ill_conditioned;
    result.max_rel_error = std::max(result.max_rel_error, tensor.max_rel_error);
  }
  result.passed = result.checked > 0 && result.max_rel_error < kGradCheckThreshold;
  if (result.checked == 0) {
    result.reason = "inconclusive: no entry checked (every probed entry sits at a kink or is ill-conditioned)";
  } else if (!result.passed) {
    for (const TensorGradCheck& tensor : result.tensors) {
      if (tensor.max_rel_error >= kGradCheckThreshold) {
        result.reason = tensor.name + ": relative error " + number_text(tensor.max_rel_error) + " over 1e-5";
        break;
      }
    }
  }
  return result;
}

InitialLossCheck Trainer::initial_loss_check() {
  Impl& s = *impl_;
  InitialLossCheck check;
  // What the first training steps compute: train mode (batch norm uses batch statistics; in eval
  // mode its running statistics would still be (0, 1) before training, which made a batch-norm net
  // with large weights report 175 while its first steps had loss 7.4), with dropout off (its random
  // mask is noise, not the network's loss), over the training set in chunks of B rows (the last
  // chunk padded with repeated rows, which enter its batch statistics). A train-mode forward
  // updates the running statistics, so they are restored afterwards: the check changes nothing.
  s.settle_snapshot();
  Network<float>& net = *s.network;
  const std::vector<float> running(net.state(), net.state() + net.state_count());
  net.set_dropout(0.0);
  check.measured = s.evaluate_split(s.train_x, s.split.train.y, Mode::kTrain).loss;
  net.set_dropout(s.config.model.dropout);
  std::copy(running.begin(), running.end(), net.state());
  const double classes = s.outputs_count;
  const LossInfo& loss = loss_info(s.config.train.loss);
  if (s.regression) {
    // ½·mean over examples of Σ_j t_j² (the loss of predicting 0 everywhere).
    const Matrix<float>& targets = s.split.train.y;
    check.expected = targets.rows() > 0 ? 0.5 * sum_of_squares(targets.data(), static_cast<std::size_t>(targets.size())) /
                                              static_cast<double>(targets.rows())
                                        : std::numeric_limits<double>::quiet_NaN();
    check.label = "½·mean(target²)";
    check.explanation = std::string(loss.name) +
                        " (regression): with small weights (and zero biases) the prediction is ~0, so the loss is "
                        "1/2 · mean(target²) over the training set = " + number_text(check.expected) + ".";
  } else {
    check.expected = loss.expected_initial(static_cast<int>(classes));
    check.label = loss.expected_initial_label;
    check.explanation = std::string(loss.name) + ": " + loss.expected_initial_reason + " = " +
                        number_text(check.expected) + " for C = " + number_text(classes) + ".";
  }
  check.explanation += " Measured: the mean data loss over the training set at the current parameters, as a "
                       "training step computes it (batch statistics for batch norm, dropout off); far above the "
                       "expectation suggests too large initial weights.";
  return check;
}

}  // namespace trainscope
