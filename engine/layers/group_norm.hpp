// Group normalization (Wu & He 2018): the F features of each example are split into G contiguous
// groups of S = F/G features, each normalized with its own mean and variance. Layer normalization
// (Ba et al. 2016) is the case G = 1. The statistics are per example, so train and eval mode
// compute the same thing.
// On C x H x W images (channel-major rows, F = C·H·W) a group is C/G whole channels with all their
// positions, which is again a contiguous run of the row: layer norm is G = 1 (over C, H, W),
// instance norm G = C (each channel over H, W). γ and β are per feature on dense layers and per
// channel on images (spread over the channel's H·W positions; their gradients are folded back).
//
// Because activations are row-major B x F, the groups of all examples are the rows of a
// (B·G) x S view of the same memory; every formula below is per row n of that view:
//   μ_n = 1/S Σ_s x_ns     σ²_n = 1/S Σ_s (x_ns − μ_n)²     r_n = 1/sqrt(σ²_n + ε)
//   x̂_ns = (x_ns − μ_n)·r_n,   then per feature j (B x F view):  y_bj = γ_j·x̂_bj + β_j
//   backward: dβ_j = Σ_b dy_bj      dγ_j = Σ_b dy_bj·x̂_bj      dx̂ = dy ⊙ γ (broadcast over b)
//             dx_ns = r_n/S · (S·dx̂_ns − Σ_s dx̂_ns − x̂_ns·Σ_s dx̂_ns·x̂_ns)
#pragma once

#include <string>

#include "../config.hpp"
#include "layer.hpp"

namespace trainscope {

template <class T>
class GroupNorm final : public Layer<T> {
 public:
  using Column = Eigen::Matrix<T, Eigen::Dynamic, 1>;

  // channels: features (dense) or image channels; spatial: H·W positions per channel (1 for
  // dense). groups must divide channels (validate() reports it first, with the divisors that fit).
  GroupNorm(int channels, int groups, double eps, int spatial = 1)
      : channels_(channels),
        spatial_(spatial),
        features_(channels * spatial),
        groups_(groups),
        group_size_(groups > 0 ? channels / groups * spatial : 0),
        eps_(eps) {
    if (groups < 1 || channels % groups != 0) {
      throw ConfigError("model.groups", std::to_string(groups) + " groups do not divide " + std::to_string(channels) +
                                            (spatial > 1 ? " channels" : " features"));
    }
  }
  std::string kind() const override {
    if (groups_ == 1) return "layer_norm";
    return spatial_ > 1 && groups_ == channels_ ? "instance_norm" : "group_norm";
  }

  std::vector<TensorSpec> tensor_specs() const override {
    return {{"gamma", 1, channels_, true, false}, {"beta", 1, channels_, true, false}};
  }

  void bind(const std::vector<T*>& values, const std::vector<T*>& grads) override {
    gamma_ = values[0];
    beta_ = values[1];
    gamma_grad_ = grads[0];
    beta_grad_ = grads[1];
  }

  void initialize(const ModelConfig&, Rng&) override {
    vec(gamma_).setOnes();
    vec(beta_).setZero();
  }

  const Matrix<T>& forward(const Matrix<T>& x, Mode, Rng*) override {
    const Index batch = x.rows(), rows = batch * groups_;
    normalized_.resize(batch, features_);
    output_.resize(batch, features_);
    inv_std_.resize(rows);
    const ConstMatrixMap<T> x_groups(x.data(), rows, group_size_);
    MatrixMap<T> xhat_groups(normalized_.data(), rows, group_size_);
    // inv_std_ first holds the mean, then the variance, then r.
    inv_std_ = x_groups.rowwise().mean();
    xhat_groups = x_groups.colwise() - inv_std_;
    inv_std_ = xhat_groups.array().square().rowwise().mean().matrix();
    inv_std_.array() = (inv_std_.array() + static_cast<T>(eps_)).rsqrt();
    xhat_groups.array().colwise() *= inv_std_.array();
    if (spatial_ == 1) {
      output_.array() = (normalized_.array().rowwise() * vec(gamma_).array()).rowwise() + vec(beta_).array();
    } else {
      spread(vec(gamma_), gamma_spread_);
      spread(vec(beta_), beta_spread_);
      output_.array() = (normalized_.array().rowwise() * gamma_spread_.array()).rowwise() + beta_spread_.array();
    }
    return output_;
  }

  const Matrix<T>& backward(const Matrix<T>&, const Matrix<T>& dy, bool) override {
    const Index batch = dy.rows(), rows = batch * groups_;
    input_grad_.resize(batch, features_);
    if (spatial_ == 1) {
      vec(beta_grad_) = dy.colwise().sum();
      vec(gamma_grad_) = (dy.array() * normalized_.array()).colwise().sum().matrix();
      input_grad_.array() = dy.array().rowwise() * vec(gamma_).array();  // dx̂
    } else {
      fold(dy.colwise().sum(), vec(beta_grad_));
      fold((dy.array() * normalized_.array()).colwise().sum().matrix(), vec(gamma_grad_));
      input_grad_.array() = dy.array().rowwise() * gamma_spread_.array();  // dx̂ (γ spread by forward)
    }
    MatrixMap<T> dxhat_groups(input_grad_.data(), rows, group_size_);
    const ConstMatrixMap<T> xhat_groups(normalized_.data(), rows, group_size_);
    sum_dxhat_.resize(rows);
    sum_dxhat_xhat_.resize(rows);
    sum_dxhat_ = dxhat_groups.rowwise().sum();
    sum_dxhat_xhat_ = (dxhat_groups.array() * xhat_groups.array()).rowwise().sum().matrix();
    const T s = static_cast<T>(group_size_);
    dxhat_groups.array() = ((s * dxhat_groups.array()).colwise() - sum_dxhat_.array()) -
                           xhat_groups.array().colwise() * sum_dxhat_xhat_.array();
    sum_dxhat_.array() = inv_std_.array() / s;  // reused as the per-group scale r/S
    dxhat_groups.array().colwise() *= sum_dxhat_.array();
    return input_grad_;
  }

 private:
  VectorMap<T> vec(T* data) const { return VectorMap<T>(data, channels_); }

  // Image rows: per-channel γ, β repeated over the channel's positions, and per-position sums
  // folded back per channel (into sums_ first: no temporary per step).
  void spread(const VectorMap<T>& per_channel, RowVector<T>& per_feature) const {
    per_feature.resize(features_);
    MatrixMap<T>(per_feature.data(), channels_, spatial_).colwise() = per_channel.transpose();
  }
  template <class In>
  void fold(const In& per_feature, VectorMap<T> per_channel) {
    sums_ = per_feature;
    per_channel = ConstMatrixMap<T>(sums_.data(), channels_, spatial_).rowwise().sum().transpose();
  }

  int channels_, spatial_, features_, groups_, group_size_;
  double eps_;
  T* gamma_ = nullptr;
  T* beta_ = nullptr;
  T* gamma_grad_ = nullptr;
  T* beta_grad_ = nullptr;
  Column inv_std_, sum_dxhat_, sum_dxhat_xhat_;
  RowVector<T> gamma_spread_, beta_spread_, sums_;  // image rows only, C·S
  Matrix<T> normalized_;  // x̂, B x F
  Matrix<T> output_;
  Matrix<T> input_grad_;
};

}  // namespace trainscope
