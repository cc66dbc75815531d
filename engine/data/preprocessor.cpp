// Data preprocessing (CS231n lecture 6). Statistics come from the TRAINING rows X (N x D) only and
// are applied unchanged to every other set (validation, the decision-boundary grid, predict()).
//   μ = mean of the rows of X;  Σ = (X − μ)ᵀ(X − μ) / N  (population covariance, in double)
//   center:       x ← x − μ
//   mean_image:   the same for images: μ is the training mean image (AlexNet)
//   channel_mean: x ← x − m_c, m_c = the mean of channel c over the training images and all
//                 their positions (VGG): one number per channel
//   standardize:  x ← (x − μ) / σ  per column, σ = √Σ_jj; a constant column (σ < 1e-6) is only
//                 centred (scale 1), so it becomes 0 instead of dividing by ~0
//   pca:          x ← (x − μ)·U, U = eigenvectors of Σ as columns, sorted by eigenvalue
//                 descending, each with its largest-magnitude entry positive (a fixed sign, so
//                 native and wasm agree); the rotated features are uncorrelated with variances λ
//   whiten:       x ← (x − μ)·U·diag(1/√(λ + 1e-5)): covariance ≈ identity on the training set
//                 (1e-5 keeps directions of zero variance finite)
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "dataset.hpp"
#include "../kernels/linalg.hpp"
#include "../kernels/products.hpp"

namespace trainscope {
namespace {

constexpr double kConstantColumnStd = 1e-6;
constexpr double kWhiteningEpsilon = 1e-5;

}  // namespace

// The preprocessing registry (data.preprocess): each method is a combination of the steps above.
const std::vector<PreprocessInfo>& preprocessors() {
  using P = PreprocessInfo;
  static const std::vector<PreprocessInfo> registry = {
      {"none", "raw features", P::kRaw},
      {"center", "subtract the training mean", P::kCenter},
      {"mean_image", "images: subtract the training mean image (per pixel and channel)", P::kCenter},
      {"channel_mean", "images: subtract one training mean per channel", P::kCenter, true},
      {"standardize", "subtract the training mean, divide by the training std per feature", P::kStandardize},
      {"pca", "centre, then rotate onto the principal axes (decorrelated)", P::kRotate},
      {"whiten", "centre, rotate onto the principal axes and scale each to unit variance", P::kWhiten},
  };
  return registry;
}

std::vector<Choice> preprocess_choices() { return choices_of(preprocessors()); }

Preprocessor::Preprocessor(const std::string& method, const Matrix<float>& train_x, ImageShape shape) {
  const PreprocessInfo* info = find_named(preprocessors(), method);
  if (info == nullptr) throw ConfigError("data.preprocess", "unknown method '" + method + "'");
  step_ = info->step;
  if (step_ == PreprocessInfo::kRaw) return;
  // Plain loops in double: this runs once per configuration, and Eigen's double expressions and
  // solvers here were a large part of the WebAssembly engine's size.
  const Index rows = train_x.rows(), dims = train_x.cols();
  const double count = std::max<double>(1.0, static_cast<double>(rows));
  std::vector<double> mean(static_cast<std::size_t>(dims), 0.0);
  for (Index r = 0; r < rows; ++r)
    for (Index j = 0; j < dims; ++j) mean[j] += train_x(r, j);
  for (double& m : mean) m /= count;
  if (info->per_channel && shape.size() == dims) {
    // The channel's mean over all positions is the average of its per-position means.
    const Index spatial = shape.spatial();
    for (Index c = 0; c < shape.channels; ++c) {
      double* channel = mean.data() + c * spatial;
      const double average = std::accumulate(channel, channel + spatial, 0.0) / static_cast<double>(spatial);
      std::fill(channel, channel + spatial, average);
    }
  }
  mean_.resize(dims);
  for (Index j = 0; j < dims; ++j) mean_(j) = static_cast<float>(mean[j]);
  if (step_ == PreprocessInfo::kCenter) return;

  if (step_ == PreprocessInfo::kStandardize) {
    std::vector<double> variance(static_cast<std::size_t>(dims), 0.0);
    for (Index r = 0; r < rows; ++r) {
      for (Index j = 0; j < dims; ++j) {
        const double centered = train_x(r, j) - mean[j];
        variance[j] += centered * centered;
      }
    }
    scale_.resize(dims);
    for (Index j = 0; j < dims; ++j) {
      const double std_dev = std::sqrt(variance[j] / count);
      scale_(j) = static_cast<float>(std_dev < kConstantColumnStd ? 1.0 : 1.0 / std_dev);
    }
    return;
  }

  const int n = static_cast<int>(dims);
  const kernels::SymmetricEigen eigen =
      kernels::symmetric_eigen(kernels::covariance(train_x.data(), static_cast<int>(rows), n, n, mean.data()), n);
  // Axis k is the eigenvector of the k-th largest eigenvalue (symmetric_eigen sorts ascending).
  projection_.resize(dims, dims);
  for (Index k = 0; k < dims; ++k) {
    const Index from = dims - 1 - k;
    const double* axis = eigen.vectors.data() + from * dims;
    Index largest = 0;
    for (Index j = 1; j < dims; ++j) {
      if (std::abs(axis[j]) > std::abs(axis[largest])) largest = j;
    }
    double factor = axis[largest] < 0 ? -1.0 : 1.0;
    if (step_ == PreprocessInfo::kWhiten) factor /= std::sqrt(std::max(0.0, eigen.values[from]) + kWhiteningEpsilon);
    for (Index j = 0; j < dims; ++j) projection_(j, k) = static_cast<float>(factor * axis[j]);
  }
}

void Preprocessor::apply(Matrix<float>& x) const {
  if (step_ == PreprocessInfo::kRaw) return;
  if (x.cols() != mean_.size()) {
    throw std::invalid_argument("preprocessing was fitted on " + std::to_string(mean_.size()) +
                                " features, got rows of " + std::to_string(x.cols()));
  }
  x.rowwise() -= mean_;
  if (step_ == PreprocessInfo::kStandardize) {
    x.array().rowwise() *= scale_.array();
  } else if (step_ >= PreprocessInfo::kRotate) {
    // A new matrix (preprocessing runs at setup and for predictions, not per step), through the
    // layers' products: in the wasm SIMD build an Eigen float product here would be the only one
    // left, and link Eigen's whole float GEMM (~19 kB of code) for it.
    Matrix<float> rotated(x.rows(), projection_.cols());
    multiply(rotated, x, projection_);
    x = std::move(rotated);
  }
}

Matrix<float> Preprocessor::applied(const Matrix<float>& x) const {
  Matrix<float> result = x;
  apply(result);
  return result;
}

}  // namespace trainscope
