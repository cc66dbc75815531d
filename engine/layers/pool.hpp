// Spatial pooling over C x H x W images (channel-major rows, as in conv.hpp): each channel's
// K x K windows with stride S shrink to OH = (H − K)/S + 1, OW = (W − K)/S + 1. No parameters.
//
//   max: y = max over the window;  dx gets dy at the window's arg-max only (the first one on a
//        tie), summed where windows overlap
//   avg: y = mean over the window;  dx gets dy / K² at every pixel of the window
#pragma once

#include <vector>

#include "layer.hpp"

namespace trainscope {

template <class T>
class Pool2D final : public Layer<T> {
 public:
  Pool2D(ImageShape input, int size, int stride, bool max) : in_(input), size_(size), stride_(stride), max_(max) {
    out_.channels = input.channels;
    out_.height = (input.height - size) / stride + 1;
    out_.width = (input.width - size) / stride + 1;
  }

  std::string kind() const override { return max_ ? "max_pool" : "avg_pool"; }
  ImageShape output_shape() const { return out_; }

  const Matrix<T>& forward(const Matrix<T>& x, Mode, Rng*) override {
    const Index batch = x.rows(), outputs = out_.size();
    output_.resize(batch, outputs);
    if (max_) arg_max_.resize(static_cast<std::size_t>(batch * outputs));
    const T inverse_area = T(1) / static_cast<T>(size_ * size_);
    for (Index b = 0; b < batch; ++b) {
      const T* image = x.row(b).data();
      T* out = output_.row(b).data();
      int* arg = max_ ? arg_max_.data() + b * outputs : nullptr;
      if (max_) {
        // Branch-free arg-max (after a ReLU the comparisons are a coin toss for the predictor);
        // the first maximum wins, as with the strict comparison.
        for_each_window([&](Index o, Index first) {
          T best = image[first];
          Index best_at = first;
          for (int kh = 0; kh < size_; ++kh) {
            const Index row = first + static_cast<Index>(kh) * in_.width;
            for (int kw = 0; kw < size_; ++kw) {
              const T value = image[row + kw];
              const bool better = value > best;
              best = better ? value : best;
              best_at = better ? row + kw : best_at;
            }
          }
          out[o] = best;
          arg[o] = static_cast<int>(best_at);
        });
      } else {
        for_each_window([&](Index o, Index first) {
          T sum = 0;
          for (int kh = 0; kh < size_; ++kh) {
            for (int kw = 0; kw < size_; ++kw) sum += image[first + static_cast<Index>(kh) * in_.width + kw];
          }
          out[o] = sum * inverse_area;
        });
      }
    }
    return output_;
  }

  const Matrix<T>& backward(const Matrix<T>&, const Matrix<T>& dy, bool) override {
    const Index batch = dy.rows(), outputs = out_.size();
    input_grad_.resize(batch, in_.size());
    input_grad_.setZero();
    const T inverse_area = T(1) / static_cast<T>(size_ * size_);
    for (Index b = 0; b < batch; ++b) {
      const T* grad = dy.row(b).data();
      T* image = input_grad_.row(b).data();
      if (max_) {
        const int* arg = arg_max_.data() + b * outputs;
        for (Index o = 0; o < outputs; ++o) image[arg[o]] += grad[o];
        continue;
      }
      for_each_window([&](Index o, Index first) {
        const T share = grad[o] * inverse_area;
        for (int kh = 0; kh < size_; ++kh) {
          for (int kw = 0; kw < size_; ++kw) image[first + static_cast<Index>(kh) * in_.width + kw] += share;
        }
      });
    }
    return input_grad_;
  }

 private:
  // visit(output index within the example, index of the window's top-left pixel in the input row)
  template <class Visit>
  void for_each_window(Visit&& visit) const {
    for (int c = 0; c < out_.channels; ++c) {
      for (int oh = 0; oh < out_.height; ++oh) {
        for (int ow = 0; ow < out_.width; ++ow) {
          const Index o = (static_cast<Index>(c) * out_.height + oh) * out_.width + ow;
          const Index first = (static_cast<Index>(c) * in_.height + oh * stride_) * in_.width + ow * stride_;
          visit(o, first);
        }
      }
    }
  }

  ImageShape in_, out_;
  int size_, stride_;
  bool max_;
  std::vector<int> arg_max_;  // per example and output: the input index that won
  Matrix<T> output_;
  Matrix<T> input_grad_;
};

}  // namespace trainscope
