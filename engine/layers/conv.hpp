// 2-D convolution over C x H x W images, by im2col and one matrix product (the dense layer's
// three products, on a patch matrix instead of the input).
//
// An example is a row of C·H·W values, channel-major (x[c·H·W + h·W + w]); F square K x K filters
// with stride S and zero padding P give F x OH x OW outputs,
//   OH = (H − K + 2P)/S + 1,  OW = (W − K + 2P)/S + 1     (plan.cpp refuses non-integer sizes)
// With P = OH·OW output positions per example:
//   im2col: X̃ is (B·P) x (C·K·K), one row per output position (b, oh, ow), one column per tap
//           (c, kh, kw):  X̃[(b,oh,ow), (c,kh,kw)] = x[b, c, oh·S − P + kh, ow·S − P + kw]  (0 off the image)
//   forward:  Ỹ = X̃·W + 1·bᵀ        W: (C·K·K) x F (fan_in x fan_out, as a dense layer's I x O)
//             y[b, f·P + p] = Ỹ[b·P + p, f]          (back to channel-major rows)
//   backward: dỸ[b·P + p, f] = dy[b, f·P + p]
//             dW = X̃ᵀ·dỸ,  db = Σ_rows dỸ,  dX̃ = dỸ·Wᵀ,  dx = col2im(dX̃) (each tap adds back
//             into the pixel it was copied from)
// Filter f is column f of W, read as C x K x K. Buffers are sized on the first call at a batch
// size and reused, so a training step does not allocate.
#pragma once

#include <algorithm>

#include "init.hpp"
#include "layer.hpp"

namespace trainscope {

template <class T>
class Conv2D final : public Layer<T> {
 public:
  Conv2D(ImageShape input, int filters, int size, int stride, int pad)
      : in_(input), filters_(filters), size_(size), stride_(stride), pad_(pad) {
    out_.channels = filters;
    out_.height = (input.height - size + 2 * pad) / stride + 1;
    out_.width = (input.width - size + 2 * pad) / stride + 1;
  }

  std::string kind() const override { return "conv"; }
  ImageShape output_shape() const { return out_; }
  int taps() const { return in_.channels * size_ * size_; }  // C·K·K: fan_in of one output

  std::vector<TensorSpec> tensor_specs() const override {
    return {{"W", taps(), filters_, true, true}, {"b", 1, filters_, true, false}};
  }

  void bind(const std::vector<T*>& values, const std::vector<T*>& grads) override {
    weights_ = values[0];
    bias_ = values[1];
    weight_grad_ = grads[0];
    bias_grad_ = grads[1];
  }

  void initialize(const ModelConfig& model, Rng& rng) override {
    initialize_weights(weights_, taps(), filters_, model, rng);
    VectorMap<T>(bias_, filters_).setConstant(static_cast<T>(model.bias_init));
  }

  const Matrix<T>& forward(const Matrix<T>& x, Mode, Rng*) override {
    const Index batch = x.rows(), positions = out_.spatial();
    im2col(x);
    scores_.resize(batch * positions, filters_);
    scores_.noalias() = patches_ * weights();
    scores_.rowwise() += VectorMap<T>(bias_, filters_);
    output_.resize(batch, out_.size());
    for (Index b = 0; b < batch; ++b) {
      // Ỹ's P x F block of example b, transposed into its F x P channel-major row.
      MatrixMap<T>(output_.row(b).data(), filters_, positions) = scores_.middleRows(b * positions, positions).transpose();
    }
    return output_;
  }

  const Matrix<T>& backward(const Matrix<T>&, const Matrix<T>& dy, bool need_input_grad) override {
    const Index batch = dy.rows(), positions = out_.spatial();
    dscores_.resize(batch * positions, filters_);
    for (Index b = 0; b < batch; ++b) {
      dscores_.middleRows(b * positions, positions) = ConstMatrixMap<T>(dy.row(b).data(), filters_, positions).transpose();
    }
    MatrixMap<T>(weight_grad_, taps(), filters_).noalias() = patches_.transpose() * dscores_;
    VectorMap<T>(bias_grad_, filters_) = dscores_.colwise().sum();
    if (need_input_grad) {
      dpatches_.resize(batch * positions, taps());
      dpatches_.noalias() = dscores_ * weights().transpose();
      col2im(batch);
    }
    return input_grad_;
  }

  MatrixMap<T> weights() const { return MatrixMap<T>(weights_, taps(), filters_); }

 private:
  // Calls visit(row of X̃, first column of X̃, first index into the example's row of x, n) for
  // every run of n horizontally adjacent taps that land on the image: taps kw_lo .. kw_hi − 1 of
  // one filter row read pixels iw = ow·S − P + kw, contiguous in both X̃ and x. Taps on the zero
  // padding are skipped (the range is clipped once per run, not tested per tap).
  template <class Visit>
  void for_each_tap_run(Visit&& visit) const {
    const int k = size_;
    for (int oh = 0; oh < out_.height; ++oh) {
      for (int ow = 0; ow < out_.width; ++ow) {
        const Index position = static_cast<Index>(oh) * out_.width + ow;
        const int left = ow * stride_ - pad_;  // iw of kw = 0
        const int kw_lo = std::max(0, -left);
        const int kw_hi = std::min(k, in_.width - left);
        if (kw_hi <= kw_lo) continue;
        for (int c = 0; c < in_.channels; ++c) {
          for (int kh = 0; kh < k; ++kh) {
            const int ih = oh * stride_ - pad_ + kh;
            if (ih < 0 || ih >= in_.height) continue;
            visit(position, (c * k + kh) * k + kw_lo, (static_cast<Index>(c) * in_.height + ih) * in_.width + left + kw_lo,
                  kw_hi - kw_lo);
          }
        }
      }
    }
  }

  void im2col(const Matrix<T>& x) {
    const Index batch = x.rows(), positions = out_.spatial();
    patches_.resize(batch * positions, taps());
    if (pad_ > 0) patches_.setZero();
    for (Index b = 0; b < batch; ++b) {
      const T* image = x.row(b).data();
      T* block = patches_.data() + b * positions * taps();
      const Index stride = taps();
      for_each_tap_run([&](Index position, int tap, Index pixel, int n) {
        T* to = block + position * stride + tap;
        const T* from = image + pixel;
        for (int i = 0; i < n; ++i) to[i] = from[i];
      });
    }
  }

  void col2im(Index batch) {
    const Index positions = out_.spatial();
    input_grad_.resize(batch, in_.size());
    input_grad_.setZero();
    for (Index b = 0; b < batch; ++b) {
      T* image = input_grad_.row(b).data();
      const T* block = dpatches_.data() + b * positions * taps();
      const Index stride = taps();
      for_each_tap_run([&](Index position, int tap, Index pixel, int n) {
        const T* from = block + position * stride + tap;
        T* to = image + pixel;
        for (int i = 0; i < n; ++i) to[i] += from[i];
      });
    }
  }

  ImageShape in_, out_;
  int filters_, size_, stride_, pad_;
  T* weights_ = nullptr;
  T* bias_ = nullptr;
  T* weight_grad_ = nullptr;
  T* bias_grad_ = nullptr;
  Matrix<T> patches_;   // X̃, (B·P) x (C·K·K)
  Matrix<T> scores_;    // Ỹ, (B·P) x F
  Matrix<T> output_;    // B x (F·P)
  Matrix<T> dscores_;   // dỸ
  Matrix<T> dpatches_;  // dX̃
  Matrix<T> input_grad_;
};

}  // namespace trainscope
