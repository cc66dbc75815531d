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
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "dataset.hpp"
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
  const Index dims = train_x.cols();
  const Eigen::MatrixXd data = train_x.cast<double>();
  const Eigen::RowVectorXd mean =
      train_x.rows() > 0 ? Eigen::RowVectorXd(data.colwise().mean()) : Eigen::RowVectorXd::Zero(dims);
  mean_ = mean.cast<float>();
  if (info->per_channel && shape.size() == dims) {
    // The channel's mean over all positions is the average of its per-position means.
    const Index spatial = shape.spatial();
    for (Index c = 0; c < shape.channels; ++c) {
      mean_.segment(c * spatial, spatial).setConstant(static_cast<float>(mean.segment(c * spatial, spatial).mean()));
    }
  }
  if (step_ == PreprocessInfo::kCenter) return;

  const Eigen::MatrixXd centered = data.rowwise() - mean;
  const double count = std::max<double>(1.0, static_cast<double>(train_x.rows()));
  if (step_ == PreprocessInfo::kStandardize) {
    const Eigen::RowVectorXd variance = centered.array().square().colwise().sum() / count;
    scale_.resize(dims);
    for (Index j = 0; j < dims; ++j) {
      const double std_dev = std::sqrt(variance(j));
      scale_(j) = static_cast<float>(std_dev < kConstantColumnStd ? 1.0 : 1.0 / std_dev);
    }
    return;
  }

  const Eigen::MatrixXd covariance = (centered.transpose() * centered) / count;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
  const Eigen::VectorXd& eigenvalues = solver.eigenvalues();  // ascending
  const Eigen::MatrixXd& eigenvectors = solver.eigenvectors();
  std::vector<Index> order(static_cast<std::size_t>(dims));
  std::iota(order.begin(), order.end(), Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return eigenvalues(a) > eigenvalues(b); });

  Eigen::MatrixXd projection(dims, dims);
  for (Index k = 0; k < dims; ++k) {
    Eigen::VectorXd axis = eigenvectors.col(order[static_cast<std::size_t>(k)]);
    Index largest = 0;
    axis.cwiseAbs().maxCoeff(&largest);
    if (axis(largest) < 0) axis = -axis;
    if (step_ == PreprocessInfo::kWhiten) {
      const double variance = std::max(0.0, eigenvalues(order[static_cast<std::size_t>(k)]));
      axis /= std::sqrt(variance + kWhiteningEpsilon);
    }
    projection.col(k) = axis;
  }
  projection_ = projection.cast<float>();
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
