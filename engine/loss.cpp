#include "loss.hpp"

#include "config.hpp"

#include <cmath>
#include <stdexcept>

namespace trainscope {

namespace {

template <class T>
int label_of(const Matrix<T>& targets, Index b, Index classes) {
  const double value = static_cast<double>(targets(b, 0));
  const int label = static_cast<int>(std::lround(value));
  if (!(value >= 0) || label >= classes || std::abs(value - label) > 1e-6) {
    throw std::invalid_argument("label " + std::to_string(value) + " of example " + std::to_string(b) +
                                " is not a class index in [0, " + std::to_string(classes) + ")");
  }
  return label;
}

template <class T>
Index argmax(const Matrix<T>& scores, Index b) {
  Index best = 0;
  scores.row(b).maxCoeff(&best);
  return best;
}

// Softmax cross-entropy, shifted by the row maximum m so no exponent exceeds 0:
//   L_b = log Σ_j e^(s_bj − m) − (s_by − m)          dL/ds_bj = (p_bj − 1[j = y]) / B
template <class T>
double softmax_loss(const Matrix<T>& scores, const Matrix<T>& targets, Matrix<T>* dscores, int* correct) {
  const Index batch = scores.rows(), classes = scores.cols();
  double total = 0;
  for (Index b = 0; b < batch; ++b) {
    const int label = label_of(targets, b, classes);
    const T shift = scores.row(b).maxCoeff();
    double sum = 0;
    for (Index j = 0; j < classes; ++j) sum += std::exp(static_cast<double>(scores(b, j) - shift));
    total += std::log(sum) - static_cast<double>(scores(b, label) - shift);
    if (argmax(scores, b) == label) ++*correct;
    if (dscores) {
      for (Index j = 0; j < classes; ++j) {
        const double p = std::exp(static_cast<double>(scores(b, j) - shift)) / sum;
        (*dscores)(b, j) = static_cast<T>((p - (j == label ? 1.0 : 0.0)) / static_cast<double>(batch));
      }
    }
  }
  return total / static_cast<double>(batch);
}

// Multiclass hinge (Weston–Watkins), margin 1:
//   L_b = Σ_{j≠y} max(0, s_bj − s_by + 1)
//   dL/ds_bj = 1[margin_bj > 0] / B (j ≠ y),     dL/ds_by = −(number of positive margins) / B
template <class T>
double svm_loss(const Matrix<T>& scores, const Matrix<T>& targets, Matrix<T>* dscores, int* correct) {
  const Index batch = scores.rows(), classes = scores.cols();
  const double inv_batch = 1.0 / static_cast<double>(batch);
  double total = 0;
  for (Index b = 0; b < batch; ++b) {
    const int label = label_of(targets, b, classes);
    const double correct_score = static_cast<double>(scores(b, label));
    int positive = 0;
    for (Index j = 0; j < classes; ++j) {
      const double margin = static_cast<double>(scores(b, j)) - correct_score + 1.0;
      const bool counts = j != label && margin > 0;
      if (counts) {
        total += margin;
        ++positive;
      }
      if (dscores) (*dscores)(b, j) = static_cast<T>(counts ? inv_batch : 0.0);
    }
    if (dscores) (*dscores)(b, label) = static_cast<T>(-positive * inv_batch);
    if (argmax(scores, b) == label) ++*correct;
  }
  return total * inv_batch;
}

// Mean squared error, halved:  L = 1/(2B) Σ_b Σ_j (s_bj − t_bj)²     dL/ds = (s − t) / B
// Classification labels become one-hot targets.
template <class T>
double mse_loss(const Matrix<T>& scores, const Matrix<T>& targets, bool regression, Matrix<T>* dscores,
                int* correct) {
  const Index batch = scores.rows(), classes = scores.cols();
  const double inv_batch = 1.0 / static_cast<double>(batch);
  double total = 0;
  for (Index b = 0; b < batch; ++b) {
    const int label = regression ? -1 : label_of(targets, b, classes);
    for (Index j = 0; j < classes; ++j) {
      const double target = regression ? static_cast<double>(targets(b, j)) : (j == label ? 1.0 : 0.0);
      const double error = static_cast<double>(scores(b, j)) - target;
      total += error * error;
      if (dscores) (*dscores)(b, j) = static_cast<T>(error * inv_batch);
    }
    if (!regression && argmax(scores, b) == label) ++*correct;
  }
  return 0.5 * total * inv_batch;
}

}  // namespace

template <class T>
LossResult compute_loss(const std::string& loss, const Matrix<T>& scores, const Matrix<T>& targets,
                        bool regression, Matrix<T>* dscores) {
  const Index batch = scores.rows();
  if (batch < 1) throw std::invalid_argument("loss of an empty batch");
  if (targets.rows() != batch || targets.cols() != (regression ? scores.cols() : 1)) {
    throw std::invalid_argument(regression ? "regression targets must have the shape of the scores"
                                           : "classification targets must be one class index per row");
  }
  if (regression && loss != "mse") {
    throw ConfigError("train.loss", "'" + loss + "' needs class labels; regression data needs 'mse'");
  }
  if (dscores) dscores->resize(batch, scores.cols());
  LossResult result;
  if (loss == "softmax") {
    result.loss = softmax_loss(scores, targets, dscores, &result.correct);
  } else if (loss == "svm") {
    result.loss = svm_loss(scores, targets, dscores, &result.correct);
  } else if (loss == "mse") {
    result.loss = mse_loss(scores, targets, regression, dscores, &result.correct);
  } else {
    throw ConfigError("train.loss", "unknown loss '" + loss + "'; allowed: softmax, svm, mse");
  }
  return result;
}

template LossResult compute_loss<float>(const std::string&, const Matrix<float>&, const Matrix<float>&, bool,
                                        Matrix<float>*);
template LossResult compute_loss<double>(const std::string&, const Matrix<double>&, const Matrix<double>&,
                                         bool, Matrix<double>*);

}  // namespace trainscope
