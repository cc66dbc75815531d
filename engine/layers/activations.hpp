// Element-wise activations as stateless value / gradient pairs (MiniDNN style), and the layer that
// applies one of them. Every Jacobian is diagonal, J = diag(f'(x)), so backward is dX = dY ⊙ f'(X),
// written with whichever of X or Y = f(X) gives the cheaper expression.
//
// The learned-slope PReLU lives in prelu.hpp and Maxout (which halves the width) in maxout.hpp.
#pragma once

#include <cmath>

#include "layer.hpp"

namespace trainscope {

// y = x;  J = I. Kept as a layer that passes its input through without a copy.
struct IdentityActivation {
  static constexpr const char* name = "identity";
};

// y = 1 / (1 + e^−x);  J = diag(y ⊙ (1 − y))
struct SigmoidActivation {
  static constexpr const char* name = "sigmoid";
  template <class T>
  static void value(const Matrix<T>& x, Matrix<T>& y, T) {
    y.array() = x.array().logistic();
  }
  template <class T>
  static void gradient(const Matrix<T>&, const Matrix<T>& y, const Matrix<T>& dy, Matrix<T>& dx, T) {
    dx.array() = dy.array() * y.array() * (T(1) - y.array());
  }
};

// y = tanh(x);  J = diag(1 − y²)
struct TanhActivation {
  static constexpr const char* name = "tanh";
  template <class T>
  static void value(const Matrix<T>& x, Matrix<T>& y, T) {
    y.array() = x.array().tanh();
  }
  template <class T>
  static void gradient(const Matrix<T>&, const Matrix<T>& y, const Matrix<T>& dy, Matrix<T>& dx, T) {
    dx.array() = dy.array() * (T(1) - y.array().square());
  }
};

// y = max(0, x);  J = diag(1[x > 0])   (the kink at 0 gets derivative 0)
struct ReluActivation {
  static constexpr const char* name = "relu";
  template <class T>
  static void value(const Matrix<T>& x, Matrix<T>& y, T) {
    y.array() = x.array().max(T(0));
  }
  template <class T>
  static void gradient(const Matrix<T>& x, const Matrix<T>&, const Matrix<T>& dy, Matrix<T>& dx, T) {
    // A plain loop that clang turns into a vector compare and select: Eigen 3.4's select on a
    // comparison runs one element at a time, with a branch (16 % of a W1 step in wasm). dy is
    // read unconditionally so that the loop has no conditional load to stop the vectorizer.
    const T* in = x.data();
    const T* upstream = dy.data();
    T* out = dx.data();
    for (Index i = 0, n = dx.size(); i < n; ++i) {
      const T g = upstream[i];
      out[i] = in[i] > T(0) ? g : T(0);
    }
  }
};

// y = x for x > 0, α·x otherwise (α = 0.01 by default);  J = diag(x > 0 ? 1 : α)
struct LeakyReluActivation {
  static constexpr const char* name = "leaky_relu";
  template <class T>
  static void value(const Matrix<T>& x, Matrix<T>& y, T alpha) {
    y.array() = (x.array() > T(0)).select(x.array(), alpha * x.array());
  }
  template <class T>
  static void gradient(const Matrix<T>& x, const Matrix<T>&, const Matrix<T>& dy, Matrix<T>& dx, T alpha) {
    const T* in = x.data();
    const T* upstream = dy.data();
    T* out = dx.data();
    for (Index i = 0, n = dx.size(); i < n; ++i) out[i] = in[i] > T(0) ? upstream[i] : alpha * upstream[i];
  }
};

// y = x for x > 0, α·(eˣ − 1) otherwise (α = 1 by default);
// J = diag(x > 0 ? 1 : α·eˣ) = diag(x > 0 ? 1 : y + α)
struct EluActivation {
  static constexpr const char* name = "elu";
  template <class T>
  static void value(const Matrix<T>& x, Matrix<T>& y, T alpha) {
    // min(x, 0) keeps expm1 away from overflow on the branch that select discards.
    y.array() = (x.array() > T(0)).select(x.array(), alpha * x.array().min(T(0)).expm1());
  }
  template <class T>
  static void gradient(const Matrix<T>& x, const Matrix<T>& y, const Matrix<T>& dy, Matrix<T>& dx, T alpha) {
    dx.array() = (x.array() > T(0)).select(dy.array(), dy.array() * (y.array() + alpha));
  }
};

// GELU, tanh approximation (Hendrycks & Gimpel; GPT-2):
//   y = ½·x·(1 + tanh u),  u = c·(x + k·x³),  c = sqrt(2/π), k = 0.044715
//   J = diag(½(1 + tanh u) + ½·x·(1 − tanh² u)·c·(1 + 3k·x²))   — exact for this form
struct GeluActivation {
  static constexpr const char* name = "gelu";
  static constexpr double kC = 0.7978845608028654;  // sqrt(2/π)
  static constexpr double kK = 0.044715;
  template <class T>
  static void value(const Matrix<T>& x, Matrix<T>& y, T) {
    const auto xa = x.array();
    y.array() = T(0.5) * xa * (T(1) + (T(kC) * (xa + T(kK) * xa.cube())).tanh());
  }
  template <class T>
  static void gradient(const Matrix<T>& x, const Matrix<T>&, const Matrix<T>& dy, Matrix<T>& dx, T) {
    const auto xa = x.array();
    // dx first holds tanh u, then the gradient; no extra buffer.
    dx.array() = (T(kC) * (xa + T(kK) * xa.cube())).tanh();
    dx.array() = dy.array() * (T(0.5) * (T(1) + dx.array()) + T(0.5) * xa * (T(1) - dx.array().square()) *
                                                                  T(kC) * (T(1) + T(3 * kK) * xa.square()));
  }
};

// SiLU / Swish (Elfwing et al. 2017; Ramachandran et al. 2017):
//   y = x·σ(x),  σ(x) = 1 / (1 + e^−x)
//   J = diag(σ(x) + x·σ(x)(1 − σ(x))) = diag(σ(x)·(1 + x·(1 − σ(x))))
struct SiluActivation {
  static constexpr const char* name = "silu";
  template <class T>
  static void value(const Matrix<T>& x, Matrix<T>& y, T) {
    y.array() = x.array() * x.array().logistic();
  }
  template <class T>
  static void gradient(const Matrix<T>& x, const Matrix<T>&, const Matrix<T>& dy, Matrix<T>& dx, T) {
    // dx first holds σ(x), then the gradient; no extra buffer.
    dx.array() = x.array().logistic();
    dx.array() = dy.array() * dx.array() * (T(1) + x.array() * (T(1) - dx.array()));
  }
};

// Applies one element-wise activation; B x F in, B x F out.
template <class T, class Fn>
class ActivationLayer final : public Layer<T> {
 public:
  explicit ActivationLayer(T alpha = T(0)) : alpha_(alpha) {}
  std::string kind() const override { return Fn::name; }

  const Matrix<T>& forward(const Matrix<T>& x, Mode, Rng*) override {
    output_.resize(x.rows(), x.cols());
    Fn::value(x, output_, alpha_);
    return output_;
  }

  const Matrix<T>& backward(const Matrix<T>& x, const Matrix<T>& dy, bool) override {
    input_grad_.resize(dy.rows(), dy.cols());
    Fn::gradient(x, output_, dy, input_grad_, alpha_);
    return input_grad_;
  }

 private:
  T alpha_;
  Matrix<T> output_;
  Matrix<T> input_grad_;
};

// y = x: passes input and gradient through by reference (no copy, no allocation).
template <class T>
class IdentityLayer final : public Layer<T> {
 public:
  std::string kind() const override { return IdentityActivation::name; }
  const Matrix<T>& forward(const Matrix<T>& x, Mode, Rng*) override { return x; }
  const Matrix<T>& backward(const Matrix<T>&, const Matrix<T>& dy, bool) override { return dy; }
};

}  // namespace trainscope
