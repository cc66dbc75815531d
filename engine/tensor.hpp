// Matrix and vector types shared by the whole engine.
//
// Layout convention (llm.c style, one letter per dimension):
//   B = examples in a batch, F = features, I = fan_in, O = fan_out.
// Activations are row-major B x F: one example per row, so a row-major data matrix (N x F) maps
// onto them without a copy. A fully connected layer computes Z = A·W + 1·bᵀ with W stored
// row-major as I x O inside the network's single flat parameter buffer (i over fan_in outer,
// j over fan_out inner), which is also the order getParams()/setParams() use.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

namespace trainscope {

template <class T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;
template <class T>
using MatrixMap = Eigen::Map<Matrix<T>>;
template <class T>
using ConstMatrixMap = Eigen::Map<const Matrix<T>>;
template <class T>
using VectorMap = Eigen::Map<RowVector<T>>;

using Index = Eigen::Index;

// The shape of one example: C channels of H x W pixels, stored channel-major in a row of C·H·W
// values (x[c·H·W + h·W + w]). Feature vectors (points) are C x 1 x 1.
struct ImageShape {
  int channels = 1, height = 1, width = 1;
  int spatial() const { return height * width; }
  int size() const { return channels * height * width; }
  bool is_image() const { return spatial() > 1; }
  bool operator==(const ImageShape& other) const {
    return channels == other.channels && height == other.height && width == other.width;
  }
  bool operator!=(const ImageShape& other) const { return !(*this == other); }
};

// Describes one named tensor inside a flat buffer (parameters, or non-trainable state such as
// batch-norm running statistics). Shapes are row-major; a vector has rows == 1.
struct TensorInfo {
  std::string name;   // e.g. "layer1.W", "layer1.b", "layer1.gamma", "layer1.running_mean"
  int layer = 0;      // index of the hidden block it belongs to (0-based); output layer = hidden count
  int rows = 0;
  int cols = 0;
  std::size_t offset = 0;  // in elements, into the owning flat buffer
  bool trainable = true;   // false for running statistics
  bool decay = false;      // true for weight matrices: L1/L2 and AdamW decay apply to these only
  std::size_t size() const { return static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols); }
};

}  // namespace trainscope
