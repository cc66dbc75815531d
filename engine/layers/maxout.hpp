// Maxout with k = 2 pieces (Goodfellow et al. 2013). The block's dense layer has 2·U outputs;
// piece a of unit j is column j and piece b is column j + U (the two contiguous halves, so W =
// [W_a | W_b] and both halves are plain column blocks):
//
//   forward:  y_bj = max(z_bj, z_b,j+U)                     z: B x 2U, y: B x U
//   backward: dz_bj   = dy_bj · 1[z_bj ≥ z_b,j+U]           (a tie sends the gradient to piece a)
//             dz_b,j+U = dy_bj · 1[z_bj < z_b,j+U]
#pragma once

#include "layer.hpp"

namespace trainscope {

template <class T>
class Maxout final : public Layer<T> {
 public:
  static constexpr const char* name = "maxout";

  explicit Maxout(int units) : units_(units) {}
  std::string kind() const override { return name; }

  const Matrix<T>& forward(const Matrix<T>& z, Mode, Rng*) override {
    output_.resize(z.rows(), units_);
    output_.array() = z.leftCols(units_).array().max(z.rightCols(units_).array());
    return output_;
  }

  const Matrix<T>& backward(const Matrix<T>& z, const Matrix<T>& dy, bool) override {
    input_grad_.resize(dy.rows(), 2 * units_);
    const auto first_wins = z.leftCols(units_).array() >= z.rightCols(units_).array();
    input_grad_.leftCols(units_).array() = first_wins.select(dy.array(), T(0));
    input_grad_.rightCols(units_).array() = first_wins.select(T(0), dy.array());
    return input_grad_;
  }

 private:
  int units_;
  Matrix<T> output_;
  Matrix<T> input_grad_;
};

}  // namespace trainscope
