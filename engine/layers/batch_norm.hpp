// Batch normalization (Ioffe & Szegedy 2015) over the batch dimension, one statistic per feature.
//
// Train mode (statistics of the mini-batch, biased variance as in the CS231n assignment):
//   μ_j = 1/B Σ_b x_bj        σ²_j = 1/B Σ_b (x_bj − μ_j)²        r_j = 1/sqrt(σ²_j + ε)
//   x̂_bj = (x_bj − μ_j)·r_j   y_bj = γ_j·x̂_bj + β_j
//   running_μ ← m·running_μ + (1 − m)·μ,  running_σ² ← m·running_σ² + (1 − m)·σ²·B/(B − 1)
//   (m = bn_momentum; the running variance keeps the UNBIASED batch variance, as the paper and
//   PyTorch do, so evaluation does not under-estimate the spread of small batches; validation
//   refuses batch norm with fewer than 2 examples per batch)
//   backward: dβ_j = Σ_b dy_bj      dγ_j = Σ_b dy_bj·x̂_bj
//             dx_bj = γ_j·r_j/B · (B·dy_bj − dβ_j − x̂_bj·dγ_j)
//   (the last line is the full Jacobian of x̂ through μ and σ², contracted with dx̂ = γ·dy)
//
// Eval mode uses the running statistics, so y is an affine function of x:
//   x̂_bj = (x_bj − running_μ_j)·r_j, r_j = 1/sqrt(running_σ²_j + ε);  dx_bj = γ_j·r_j·dy_bj.
#pragma once

#include "layer.hpp"

namespace trainscope {

template <class T>
class BatchNorm final : public Layer<T> {
 public:
  BatchNorm(int features, double momentum, double eps)
      : features_(features), momentum_(momentum), eps_(eps) {}
  std::string kind() const override { return "batch_norm"; }

  std::vector<TensorSpec> tensor_specs() const override {
    return {{"gamma", 1, features_, true, false},
            {"beta", 1, features_, true, false},
            {"running_mean", 1, features_, false, false},
            {"running_var", 1, features_, false, false}};
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
    const Index batch = x.rows();
    normalized_.resize(batch, features_);
    output_.resize(batch, features_);
    mean_.resize(features_);
    inv_std_.resize(features_);
    scale_.resize(features_);
    last_mode_ = mode;
    if (mode == Mode::kTrain) {
      mean_ = x.colwise().mean();
      normalized_ = x.rowwise() - mean_;
      inv_std_ = normalized_.array().square().colwise().mean().matrix();  // biased variance σ²
      const T keep = static_cast<T>(momentum_);
      vec(running_mean_) = keep * vec(running_mean_) + (T(1) - keep) * mean_;
      const Index batch = x.rows();
      const T unbiased = batch > 1 ? static_cast<T>(batch) / static_cast<T>(batch - 1) : T(1);
      vec(running_var_) = keep * vec(running_var_) + (T(1) - keep) * unbiased * inv_std_;
      inv_std_.array() = (inv_std_.array() + static_cast<T>(eps_)).rsqrt();
    } else {
      normalized_ = x.rowwise() - vec(running_mean_);
      inv_std_.array() = (vec(running_var_).array() + static_cast<T>(eps_)).rsqrt();
    }
    normalized_.array().rowwise() *= inv_std_.array();
    output_.array() = (normalized_.array().rowwise() * vec(gamma_).array()).rowwise() + vec(beta_).array();
    return output_;
  }

  const Matrix<T>& backward(const Matrix<T>&, const Matrix<T>& dy, bool) override {
    const Index batch = dy.rows();
    VectorMap<T> beta_grad = vec(beta_grad_), gamma_grad = vec(gamma_grad_);
    beta_grad = dy.colwise().sum();
    gamma_grad = (dy.array() * normalized_.array()).colwise().sum().matrix();
    input_grad_.resize(batch, features_);
    if (last_mode_ == Mode::kTrain) {
      const T b = static_cast<T>(batch);
      input_grad_.array() = ((b * dy.array()).rowwise() - beta_grad.array()) -
                            normalized_.array().rowwise() * gamma_grad.array();
      scale_.array() = vec(gamma_).array() * inv_std_.array() / b;
      input_grad_.array().rowwise() *= scale_.array();
    } else {
      scale_.array() = vec(gamma_).array() * inv_std_.array();
      input_grad_.array() = dy.array().rowwise() * scale_.array();
    }
    return input_grad_;
  }

 private:
  VectorMap<T> vec(T* data) const { return VectorMap<T>(data, features_); }

  int features_;
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
  RowVector<T> mean_, inv_std_, scale_;
  Matrix<T> normalized_;  // x̂
  Matrix<T> output_;
  Matrix<T> input_grad_;
};

}  // namespace trainscope
