// Spatial pooling over C x H x W images (channel-major rows, as in conv.hpp): each channel's
// K x K windows with stride S shrink to OH = (H − K)/S + 1, OW = (W − K)/S + 1. No parameters.
//
//   max: y = max over the window;  dx gets dy at the window's arg-max only (the first one on a
//        tie), summed where windows overlap
//   avg: y = mean over the window;  dx gets dy / K² at every pixel of the window
#pragma once

#include <cstring>
#include <type_traits>
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
      if (!max_) {
        for_each_window([&](Index o, Index first) {
          T sum = 0;
          for (int kh = 0; kh < size_; ++kh) {
            for (int kw = 0; kw < size_; ++kw) sum += image[first + static_cast<Index>(kh) * in_.width + kw];
          }
          out[o] = sum * inverse_area;
        });
        continue;
      }
      // Max pooling one output row at a time, four neighbouring windows at once (floats).
      int* arg = arg_max_.data() + b * outputs;
      for_each_output_row([&](Index o, Index first) {
        // Locals, not members: a store through `at` (an int*) could otherwise change size_ or
        // out_.width as far as the compiler knows.
        const int size = size_, width = out_.width;
        const Index stride = stride_, row_length = in_.width;
        T* __restrict best = out + o;
        int* __restrict at = arg + o;
        int ow = 0;
        if constexpr (std::is_same_v<T, float>) {
          for (; ow + 4 <= width; ow += 4) {
            max_of_four_windows(image, first + ow * stride, stride, row_length, size, best + ow, at + ow);
          }
        }
        for (; ow < width; ++ow) {
          // Window pixels in row-major order, strict >: the first maximum wins.
          const Index window = first + ow * stride;
          T top = image[window];
          int where = static_cast<int>(window);
          for (int kh = 0; kh < size; ++kh) {
            for (int kw = 0; kw < size; ++kw) {
              const Index pixel = window + kh * row_length + kw;
              const bool better = image[pixel] > top;
              top = better ? image[pixel] : top;
              where = better ? static_cast<int>(pixel) : where;
            }
          }
          best[ow] = top;
          at[ow] = where;
        }
      });
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
  // The maxima and arg-maxima of four neighbouring windows (top-left pixels first, first +
  // stride, ...) in 128-bit vectors, with the scalar loop's order and strict >. Vectors because
  // they have no branch: V8 compiles wasm's scalar compare and select to jumps (no cmov), which
  // after a ReLU are mispredicted about half the time (that loop was 11 % of W4 in wasm); the
  // GCC/Clang vector extensions give SSE natively and wasm SIMD in the SIMD build.
  static void max_of_four_windows(const float* pixels, Index first, Index stride, Index row_length, int size,
                                  float* best, int* at) {
    typedef float Floats __attribute__((vector_size(16)));
    typedef int Ints __attribute__((vector_size(16)));
    const Ints lanes = Ints{0, 1, 2, 3} * static_cast<int>(stride);
    const auto gather = [&](Index p) {
      return Floats{pixels[p], pixels[p + stride], pixels[p + 2 * stride], pixels[p + 3 * stride]};
    };
    Floats top = gather(first);
    Ints where = static_cast<int>(first) + lanes;
    for (int kh = 0; kh < size; ++kh) {
      for (int kw = kh == 0 ? 1 : 0; kw < size; ++kw) {
        const Index pixel = first + kh * row_length + kw;
        const Floats value = gather(pixel);
        const Ints better = value > top;  // all ones where the pixel beats the window's best so far
        top = (Floats)((better & (Ints)value) | (~better & (Ints)top));
        where = (better & (static_cast<int>(pixel) + lanes)) | (~better & where);
      }
    }
    std::memcpy(best, &top, sizeof top);
    std::memcpy(at, &where, sizeof where);
  }

  // visit(index of the output row's first output, index of its first window's top-left pixel)
  template <class Visit>
  void for_each_output_row(Visit&& visit) const {
    for (int c = 0; c < out_.channels; ++c) {
      for (int oh = 0; oh < out_.height; ++oh) {
        visit((static_cast<Index>(c) * out_.height + oh) * out_.width,
              (static_cast<Index>(c) * in_.height + oh * stride_) * in_.width);
      }
    }
  }

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
