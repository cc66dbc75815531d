// Parametric ReLU (He et al. 2015) with one learned slope per unit j:
//
//   forward:  y_bj = x_bj            if x_bj > 0
//                    α_j · x_bj      otherwise
//   backward: dx_bj = dy_bj · (x_bj > 0 ? 1 : α_j)
//             dα_j  = Σ_b dy_bj · min(x_bj, 0)
//
// α starts at 0.25 (or model.alpha when ≥ 0) and is a trainable tensor "hiddenK.alpha" without
// weight decay.
#pragma once

#include "layer.hpp"

namespace trainscope {

template <class T>
class PRelu final : public Layer<T> {
 public:
  static constexpr const char* name = "prelu";
  static constexpr double kDefaultSlope = 0.25;

  explicit PRelu(int units) : units_(units) {}
  std::string kind() const override { return name; }

  std::vector<TensorSpec> tensor_specs() const override { return {{"alpha", 1, units_, true, false}}; }

  void bind(const std::vector<T*>& values, const std::vector<T*>& grads) override {
    slope_ = values[0];
    slope_grad_ = grads[0];
  }

  void initialize(const ModelConfig& model, Rng&) override {
    slopes().setConstant(static_cast<T>(model.alpha >= 0 ? model.alpha : kDefaultSlope));
  }

  const Matrix<T>& forward(const Matrix<T>& x, Mode, Rng*) override {
    output_.resize(x.rows(), x.cols());
    output_.array() = x.array().max(T(0)) + x.array().min(T(0)).rowwise() * slopes().array();
    return output_;
  }

  const Matrix<T>& backward(const Matrix<T>& x, const Matrix<T>& dy, bool) override {
    VectorMap<T>(slope_grad_, units_) = (dy.array() * x.array().min(T(0))).colwise().sum().matrix();
    input_grad_.resize(dy.rows(), dy.cols());
    input_grad_.array() = (x.array() > T(0)).select(dy.array(), dy.array().rowwise() * slopes().array());
    return input_grad_;
  }

  VectorMap<T> slopes() const { return VectorMap<T>(slope_, units_); }

 private:
  int units_;
  T* slope_ = nullptr;
  T* slope_grad_ = nullptr;
  Matrix<T> output_;
  Matrix<T> input_grad_;
};

}  // namespace trainscope
