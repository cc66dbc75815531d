// 2-D convolution over C x H x W images, by im2col and matrix products (the dense layer's three
// products, on a column matrix of patches instead of the input).
//
// An example is a row of C·H·W values, channel-major (x[c·H·W + h·W + w]); F square K x K filters
// with stride S and zero padding P give F x OH x OW outputs,
//   OH = (H − K + 2P)/S + 1,  OW = (W − K + 2P)/S + 1     (plan.cpp refuses non-integer sizes)
// With Q = OH·OW output positions, per example b (Caffe's layout):
//   im2col: X̃_b is (C·K·K) x Q, one row per tap (c, kh, kw), one column per output position (oh, ow):
//           X̃_b[(c,kh,kw), (oh,ow)] = x[b, c, oh·S − P + kh, ow·S − P + kw]   (0 off the image)
//   forward:  Y_b = Wᵀ·X̃_b + b·1ᵀ     W: (C·K·K) x F (fan_in x fan_out, as a dense layer's I x O);
//             Y_b (F x Q) is example b's channel-major output row as it stands, no reordering
//   backward: dY_b = dy[b] read as F x Q
//             dW = Σ_b X̃_b·dY_bᵀ,  db = Σ_b dY_b·1,  dX̃_b = W·dY_b,  dx_b = col2im(dX̃_b) (each tap
//             adds back into the pixel it was copied from)
// A row of X̃_b is, for stride 1, runs of up to OW consecutive pixels of one image row, so im2col
// and col2im copy long runs. Filter f is column f of W, read as C x K x K. Buffers are sized on
// the first call at a batch size and reused, so a training step does not allocate.
#pragma once

#include <algorithm>

#include "../kernels/products.hpp"
#include "init.hpp"
#include "layer.hpp"

namespace trainscope {

// to[0, n) = from[0, n) by a plain loop that clang may not turn back into a memcpy call:
// Emscripten 3.1.6 sends every memcpy of 512 bytes or more to JS (emscripten_memcpy_big, a wasm →
// JS → wasm round trip per call), and im2col copies one such run per tap and example (4.4 % of a
// W4 step in wasm went there). The loop is vectorised like any other.
#if defined(__clang__)
#define TRAINSCOPE_NO_MEMCPY __attribute__((no_builtin("memcpy")))
#else
#define TRAINSCOPE_NO_MEMCPY
#endif
template <class T>
TRAINSCOPE_NO_MEMCPY void copy_run(const T* from, Index n, T* to) {
  for (Index i = 0; i < n; ++i) to[i] = from[i];
}

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
    columns_.resize(batch, taps() * positions);
    output_.resize(batch, out_.size());
    const Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>> bias(bias_, filters_);
    for (Index b = 0; b < batch; ++b) {
      im2col(x.row(b).data(), columns_.row(b).data());
      MatrixMap<T> y(output_.row(b).data(), filters_, positions);
      multiply_at_b(y, weights(), ConstMatrixMap<T>(columns_.row(b).data(), taps(), positions));
      for (int f = 0; f < filters_; ++f) {
        T* row = y.row(f).data();
        const T shift = bias[f];
        for (Index p = 0; p < positions; ++p) row[p] += shift;
      }
    }
    return output_;
  }

  const Matrix<T>& backward(const Matrix<T>&, const Matrix<T>& dy, bool need_input_grad) override {
    const Index batch = dy.rows(), positions = out_.spatial();
    MatrixMap<T> weight_grad(weight_grad_, taps(), filters_);
    Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>> bias_grad(bias_grad_, filters_);
    bias_grad.setZero();
    if (need_input_grad) {
      column_grad_.resize(taps(), positions);
      input_grad_.resize(batch, in_.size());
    }
    for (Index b = 0; b < batch; ++b) {
      const ConstMatrixMap<T> dy_b(dy.row(b).data(), filters_, positions);
      multiply_a_bt(weight_grad, ConstMatrixMap<T>(columns_.row(b).data(), taps(), positions), dy_b, b > 0);
      bias_grad += dy_b.rowwise().sum();
      if (need_input_grad) {
        multiply(column_grad_, weights(), dy_b);
        col2im(column_grad_.data(), input_grad_.row(b).data());
      }
    }
    if (batch == 0) weight_grad.setZero();
    return input_grad_;
  }

  MatrixMap<T> weights() const { return MatrixMap<T>(weights_, taps(), filters_); }

 private:
  // Calls visit(row of X̃_b, first column, first pixel index into the image, count) for every
  // run of output positions ow_lo .. ow_hi − 1 of one output row oh whose tap (c, kh, kw) lands
  // on the image; the pixels of a run are S apart (iw = ow·S − P + kw), its columns adjacent.
  // Calls gap(row, first column, count) for the positions of that row that read zero padding.
  template <class Visit, class Gap>
  void for_each_run(Visit&& visit, Gap&& gap) const {
    const int k = size_, s = stride_;
    for (int c = 0; c < in_.channels; ++c) {
      for (int kh = 0; kh < k; ++kh) {
        for (int kw = 0; kw < k; ++kw) {
          const Index row = (static_cast<Index>(c) * k + kh) * k + kw;
          // ow with 0 ≤ ow·S − P + kw < W:  ow ≥ ⌈(P − kw)/S⌉,  ow ≤ ⌊(W − 1 + P − kw)/S⌋
          const int lo = std::max(0, ceil_div(pad_ - kw, s));
          const int hi = std::min(out_.width, floor_div(in_.width - 1 + pad_ - kw, s) + 1);
          for (int oh = 0; oh < out_.height; ++oh) {
            const Index first = static_cast<Index>(oh) * out_.width;
            const int ih = oh * s - pad_ + kh;
            if (ih < 0 || ih >= in_.height || hi <= lo) {
              gap(row, first, out_.width);
              continue;
            }
            if (lo > 0) gap(row, first, lo);
            visit(row, first + lo, (static_cast<Index>(c) * in_.height + ih) * in_.width + lo * s - pad_ + kw, hi - lo);
            if (hi < out_.width) gap(row, first + hi, out_.width - hi);
          }
        }
      }
    }
  }
  static int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
  static int ceil_div(int a, int b) { return -floor_div(-a, b); }

  // Stride 1 with "same" padding (2P = K − 1, the lectures' usual conv) keeps the image's
  // H x W, and then row (c, kh, kw) of X̃_b is channel c shifted by d = dh·W + dw, with
  // dh = kh − P and dw = kw − P: X̃[(c,kh,kw), q] = x[c·H·W + q + d] wherever
  // oh + dh and ow + dw land on the image, 0 elsewhere. So a tap is one long copy (one add in
  // col2im) of the positions [first, end) whose shifted reads stay inside the channel, and the
  // positions that wrapped round from a neighbouring image row, the |dw| columns at a row's
  // edge, are zeroed after the copy (in col2im, zeroed in dX̃_b before the add).
  bool shifts_whole_channels() const { return stride_ == 1 && 2 * pad_ == size_ - 1; }

  // visit(row of X̃_b, channel offset c·H·W, d, first, end, dw): taps with no position on the
  // image have first == end.
  template <class Visit>
  void for_each_shift(Visit&& visit) const {
    const int k = size_, height = in_.height, width = in_.width;
    const Index area = in_.spatial();
    for (int c = 0; c < in_.channels; ++c) {
      for (int kh = 0; kh < k; ++kh) {
        const int dh = kh - pad_;
        const int oh_lo = std::max(0, -dh), oh_hi = std::min(height, height - dh);
        for (int kw = 0; kw < k; ++kw) {
          const int dw = kw - pad_;
          const int ow_lo = std::max(0, -dw), ow_hi = std::min(width, width - dw);
          const Index row = (static_cast<Index>(c) * k + kh) * k + kw;
          const Index d = static_cast<Index>(dh) * width + dw;
          // first + d = (oh_lo + dh)·W + ow_lo + dw ≥ 0;  end − 1 + d ≤ (H − 1)·W + W − 1
          const bool empty = oh_hi <= oh_lo || ow_hi <= ow_lo;
          const Index first = empty ? 0 : static_cast<Index>(oh_lo) * width + ow_lo;
          const Index end = empty ? 0 : static_cast<Index>(oh_hi - 1) * width + ow_hi;
          visit(row, c * area, d, first, end, dw);
        }
      }
    }
  }

  // Zero, in every image row of one X̃_b row, the |dw| columns whose shifted read wrapped round
  // (column by column with a stride of W: a per-row fill of 1–2 values would be a libc call).
  void zero_wrapped_columns(T* row, int dw) const {
    const int width = in_.width, height = in_.height;
    const int lo = dw < 0 ? 0 : std::max(0, width - dw), hi = dw < 0 ? std::min(width, -dw) : width;
    for (int ow = lo; ow < hi; ++ow) {
      for (int oh = 0; oh < height; ++oh) row[static_cast<Index>(oh) * width + ow] = T(0);
    }
  }

  // X̃_b (taps x Q, row-major at `to`) from one example's image.
  void im2col(const T* image, T* to) const {
    const Index positions = out_.spatial();
    if (shifts_whole_channels()) {
      for_each_shift([&](Index row, Index channel, Index d, Index first, Index end, int dw) {
        T* out = to + row * positions;
        std::fill(out, out + first, T(0));
        copy_run(image + channel + first + d, end - first, out + first);
        std::fill(out + end, out + positions, T(0));
        zero_wrapped_columns(out, dw);
      });
      return;
    }
    const int s = stride_;
    for_each_run(
        [&](Index row, Index column, Index pixel, int n) {
          T* out = to + row * positions + column;
          const T* in = image + pixel;
          if (s == 1) {
            copy_run(in, n, out);
          } else {
            for (int i = 0; i < n; ++i) out[i] = in[i * s];
          }
        },
        [&](Index row, Index column, int n) { std::fill_n(to + row * positions + column, n, T(0)); });
  }

  // dx_b = col2im(dX̃_b): every tap adds its gradient back into the pixel it was copied from.
  // Overwrites the wrapped columns of dX̃_b (`from`) with zeros on the shifted path.
  void col2im(T* from, T* image) const {
    const Index positions = out_.spatial();
    std::fill_n(image, in_.size(), T(0));
    if (shifts_whole_channels()) {
      for_each_shift([&](Index row, Index channel, Index d, Index first, Index end, int dw) {
        zero_wrapped_columns(from + row * positions, dw);
        const T* in = from + row * positions + first;
        T* out = image + channel + first + d;
        for (Index i = 0; i < end - first; ++i) out[i] += in[i];
      });
      return;
    }
    const int s = stride_;
    for_each_run(
        [&](Index row, Index column, Index pixel, int n) {
          const T* in = from + row * positions + column;
          T* out = image + pixel;
          if (s == 1) {
            for (int i = 0; i < n; ++i) out[i] += in[i];
          } else {
            for (int i = 0; i < n; ++i) out[i * s] += in[i];
          }
        },
        [](Index, Index, int) {});
  }

  ImageShape in_, out_;
  int filters_, size_, stride_, pad_;
  T* weights_ = nullptr;
  T* bias_ = nullptr;
  T* weight_grad_ = nullptr;
  T* bias_grad_ = nullptr;
  Matrix<T> columns_;      // row b = X̃_b, (C·K·K) x Q row-major
  Matrix<T> output_;       // B x (F·Q)
  Matrix<T> column_grad_;  // dX̃_b of one example at a time, (C·K·K) x Q
  Matrix<T> input_grad_;
};

}  // namespace trainscope
