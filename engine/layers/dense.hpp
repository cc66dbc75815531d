// Fully connected layer.
//
//   forward:  Y = X·W + 1·bᵀ            X: B x I, W: I x O, b: O, Y: B x O
//   backward: dW = Xᵀ·dY                (I x O)
//             db = Σ_b dY[b, :]          (column sums)
//             dX = dY·Wᵀ                 (B x I; skipped for the first layer, whose input is data)
#pragma once

#include "../kernels/products.hpp"
#include "init.hpp"
#include "layer.hpp"

namespace trainscope {

template <class T>
class Dense final : public Layer<T> {
 public:
  Dense(int inputs, int outputs) : inputs_(inputs), outputs_(outputs) {}

  std::string kind() const override { return "dense"; }
  int inputs() const { return inputs_; }
  int outputs() const { return outputs_; }

  std::vector<TensorSpec> tensor_specs() const override {
    return {{"W", inputs_, outputs_, true, true}, {"b", 1, outputs_, true, false}};
  }

  void bind(const std::vector<T*>& values, const std::vector<T*>& grads) override {
    weights_ = values[0];
    bias_ = values[1];
    weight_grad_ = grads[0];
    bias_grad_ = grads[1];
  }

  void initialize(const ModelConfig& model, Rng& rng) override {
    initialize_weights(weights_, inputs_, outputs_, model, rng);
    bias().setConstant(static_cast<T>(model.bias_init));
  }

  const Matrix<T>& forward(const Matrix<T>& x, Mode, Rng*) override {
    output_.resize(x.rows(), outputs_);
    multiply(output_, x, weights(), bias_);
    return output_;
  }

  const Matrix<T>& backward(const Matrix<T>& x, const Matrix<T>& dy, bool need_input_grad) override {
    multiply_at_b(MatrixMap<T>(weight_grad_, inputs_, outputs_), x, dy);
    VectorMap<T>(bias_grad_, outputs_) = dy.colwise().sum();
    if (need_input_grad) {
      input_grad_.resize(dy.rows(), inputs_);
      multiply_a_bt(input_grad_, dy, weights());
    }
    return input_grad_;
  }

  MatrixMap<T> weights() const { return MatrixMap<T>(weights_, inputs_, outputs_); }
  VectorMap<T> bias() const { return VectorMap<T>(bias_, outputs_); }

 private:
  int inputs_, outputs_;
  T* weights_ = nullptr;
  T* bias_ = nullptr;
  T* weight_grad_ = nullptr;
  T* bias_grad_ = nullptr;
  Matrix<T> output_;
  Matrix<T> input_grad_;
};

}  // namespace trainscope
