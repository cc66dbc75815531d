// Inverted dropout with drop probability p (keep probability q = 1 − p).
//
//   train:    m_bj = 1/q with probability q, else 0 (one uniform per element, row-major order)
//             y = x ⊙ m          so E[y] = x and evaluation needs no rescaling
//   eval:     y = x
//   backward: dx = dy ⊙ m        (the mask of the last forward)
//
// With p = 0 or in eval mode the layer passes its input through by reference and draws nothing.
#pragma once

#include <stdexcept>

#include "layer.hpp"

namespace trainscope {

template <class T>
class Dropout final : public Layer<T> {
 public:
  explicit Dropout(double drop_probability) { set_drop_probability(drop_probability); }
  std::string kind() const override { return "dropout"; }

  void set_drop_probability(double p) {
    if (!(p >= 0.0 && p < 1.0))
      throw ConfigError("model.dropout", "must be in [0, 1) (got " + std::to_string(p) + ")");
    drop_probability_ = p;
  }
  double drop_probability() const { return drop_probability_; }

  const Matrix<T>& forward(const Matrix<T>& x, Mode mode, Rng* rng) override {
    active_ = mode == Mode::kTrain && drop_probability_ > 0.0;
    if (!active_) return x;
    if (rng == nullptr) throw std::invalid_argument("dropout in train mode needs a random number generator");
    const double keep = 1.0 - drop_probability_;
    const T scale = static_cast<T>(1.0 / keep);
    mask_.resize(x.rows(), x.cols());
    T* mask = mask_.data();
    for (Index k = 0, n = mask_.size(); k < n; ++k) mask[k] = rng->uniform() < keep ? scale : T(0);
    output_.resize(x.rows(), x.cols());
    output_.array() = x.array() * mask_.array();
    return output_;
  }

  const Matrix<T>& backward(const Matrix<T>&, const Matrix<T>& dy, bool) override {
    if (!active_) return dy;
    input_grad_.resize(dy.rows(), dy.cols());
    input_grad_.array() = dy.array() * mask_.array();
    return input_grad_;
  }

 private:
  double drop_probability_ = 0.0;
  bool active_ = false;
  Matrix<T> mask_;
  Matrix<T> output_;
  Matrix<T> input_grad_;
};

}  // namespace trainscope
