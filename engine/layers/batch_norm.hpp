// Batch normalization (Ioffe & Szegedy 2015) over the batch dimension, one statistic per feature,
// or, on C x H x W images (spatial batch norm), one per channel over the batch and all H·W
// positions. Below, j is a feature (a channel), and Σ runs over the n = B (n = B·H·W) values that
// share it.
//
// Train mode (statistics of the mini-batch, biased variance as in the CS231n assignment):
//   μ_j = 1/n Σ x_j        σ²_j = 1/n Σ (x_j − μ_j)²        r_j = 1/sqrt(σ²_j + ε)
//   x̂ = (x − μ_j)·r_j      y = γ_j·x̂ + β_j
//   running_μ ← m·running_μ + (1 − m)·μ,  running_σ² ← m·running_σ² + (1 − m)·σ²·n/(n − 1)
//   (m = bn_momentum; the running variance keeps the UNBIASED batch variance, as the paper and
//   PyTorch do, so evaluation does not under-estimate the spread of small batches; validation
//   refuses batch norm with fewer than 2 examples per batch)
//   backward: dβ_j = Σ dy      dγ_j = Σ dy·x̂
//             dx = γ_j·r_j/n · (n·dy − dβ_j − x̂·dγ_j)
//   (the last line is the full Jacobian of x̂ through μ and σ², contracted with dx̂ = γ·dy)
//
// Eval mode uses the running statistics, so y is an affine function of x:
//   x̂ = (x − running_μ_j)·r_j, r_j = 1/sqrt(running_σ²_j + ε);  dx = γ_j·r_j·dy.
//
// Rows are B x (C·S) (S = H·W, channel-major). Per-channel vectors are expanded to the C·S
// columns (spread()) and column sums folded back (fold()); with S = 1 both are plain copies.
#pragma once

#include "layer.hpp"

namespace trainscope {

template <class T>
class BatchNorm final : public Layer<T> {
 public:
  // channels: features (dense) or image channels; spatial: H·W positions per channel (1 for dense).
  BatchNorm(int channels, double momentum, double eps, int spatial = 1)
      : channels_(channels), spatial_(spatial), momentum_(momentum), eps_(eps) {}
  std::string kind() const override { return spatial_ > 1 ? "spatial_batch_norm" : "batch_norm"; }

  std::vector<TensorSpec> tensor_specs() const override {
    return {{"gamma", 1, channels_, true, false},
            {"beta", 1, channels_, true, false},
            {"running_mean", 1, channels_, false, false},
            {"running_var", 1, channels_, false, false}};
  }

  void bind(const std::vector<T*>& values, const std::vector<T*>& grads) override {
    gamma_ = values[0];
    beta_ = values[1];
    running_mean_ = values[2];
    running_var_ = values[3];
    gamma_grad_ = grads[0];
    beta_grad_ = grads[1];
  }

  void initialize(const ModelConfig&, Rng&) override {
    vec(gamma_).setOnes();
    vec(beta_).setZero();
    vec(running_mean_).setZero();
    vec(running_var_).setOnes();
  }

  void set_momentum(double momentum) { momentum_ = momentum; }

  const Matrix<T>& forward(const Matrix<T>& x, Mode mode, Rng*) override {
    const Index batch = x.rows(), features = features_count();
    normalized_.resize(batch, features);
    output_.resize(batch, features);
    channel_.resize(channels_);
    inv_std_.resize(channels_);
    spread_.resize(features);
    last_mode_ = mode;
    if (mode == Mode::kTrain) {
      fold(x.colwise().sum(), channel_);
      channel_ /= static_cast<T>(count(batch));  // μ
      spread(channel_, spread_);
      normalized_ = x.rowwise() - spread_;
      fold(normalized_.array().square().colwise().sum().matrix(), inv_std_);
      inv_std_ /= static_cast<T>(count(batch));  // biased variance σ²
      const T keep = static_cast<T>(momentum_);
      vec(running_mean_) = keep * vec(running_mean_) + (T(1) - keep) * channel_;
      const Index n = count(batch);
      const T unbiased = n > 1 ? static_cast<T>(n) / static_cast<T>(n - 1) : T(1);
      vec(running_var_) = keep * vec(running_var_) + (T(1) - keep) * unbiased * inv_std_;
      inv_std_.array() = (inv_std_.array() + static_cast<T>(eps_)).rsqrt();
    } else {
      spread(vec(running_mean_), spread_);
      normalized_ = x.rowwise() - spread_;
      inv_std_.array() = (vec(running_var_).array() + static_cast<T>(eps_)).rsqrt();
    }
    spread(inv_std_, spread_);
    normalized_.array().rowwise() *= spread_.array();
    gamma_spread_.resize(features);
    spread(vec(gamma_), gamma_spread_);
    spread(vec(beta_), spread_);
    output_.array() = (normalized_.array().rowwise() * gamma_spread_.array()).rowwise() + spread_.array();
    return output_;
  }

  const Matrix<T>& backward(const Matrix<T>&, const Matrix<T>& dy, bool) override {
    const Index batch = dy.rows(), features = features_count();
    VectorMap<T> beta_grad = vec(beta_grad_), gamma_grad = vec(gamma_grad_);
    fold(dy.colwise().sum(), beta_grad);
    fold((dy.array() * normalized_.array()).colwise().sum().matrix(), gamma_grad);
    input_grad_.resize(batch, features);
    scale_.resize(channels_);
    if (last_mode_ == Mode::kTrain) {
      const T n = static_cast<T>(count(batch));
      spread(beta_grad, spread_);
      input_grad_.array() = (n * dy.array()).rowwise() - spread_.array();
      spread(gamma_grad, spread_);
      input_grad_.array() -= normalized_.array().rowwise() * spread_.array();
      scale_.array() = vec(gamma_).array() * inv_std_.array() / n;
    } else {
      input_grad_ = dy;
      scale_.array() = vec(gamma_).array() * inv_std_.array();
    }
    spread(scale_, spread_);
    input_grad_.array().rowwise() *= spread_.array();
    return input_grad_;
  }

 private:
  VectorMap<T> vec(T* data) const { return VectorMap<T>(data, channels_); }
  Index features_count() const { return static_cast<Index>(channels_) * spatial_; }
  Index count(Index batch) const { return batch * spatial_; }  // n: values per statistic

  // per_feature (C·S, channel-major) summed over each channel's S positions into per_channel (C).
  // The column sums are evaluated into sums_ first (no temporary per step).
  template <class In, class Out>
  void fold(const In& per_feature, Out&& per_channel) {
    if (spatial_ == 1) {
      per_channel = per_feature;
      return;
    }
    sums_ = per_feature;
    per_channel = ConstMatrixMap<T>(sums_.data(), channels_, spatial_).rowwise().sum().transpose();
  }
  // per_channel (C) repeated over each channel's S positions into per_feature (C·S).
  template <class In>
  void spread(const In& per_channel, RowVector<T>& per_feature) const {
    if (spatial_ == 1) {
      per_feature = per_channel;
      return;
    }
    MatrixMap<T>(per_feature.data(), channels_, spatial_).colwise() = per_channel.transpose();
  }

  int channels_, spatial_;
  double momentum_, eps_;
  T* gamma_ = nullptr;
  T* beta_ = nullptr;
  T* running_mean_ = nullptr;
  T* running_var_ = nullptr;
  T* gamma_grad_ = nullptr;
  T* beta_grad_ = nullptr;
  Mode last_mode_ = Mode::kTrain;
  // Row vectors broadcast with rowwise() must be plain storage: an expression there would be
  // evaluated into a fresh temporary on every call.
  RowVector<T> channel_, inv_std_, scale_;  // per channel: μ (then reused), r, γ·r(/n)
  RowVector<T> spread_, gamma_spread_, sums_;  // per feature (C·S)
  Matrix<T> normalized_;  // x̂
  Matrix<T> output_;
  Matrix<T> input_grad_;
};

}  // namespace trainscope
