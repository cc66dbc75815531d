#include "loss.hpp"

#include <cmath>
#include <stdexcept>

#include <type_traits>

#include "config.hpp"

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

// Uniform signatures for the registry.
template <class T>
double softmax_entry(const Matrix<T>& scores, const Matrix<T>& targets, bool, Matrix<T>* dscores, int* correct) {
  return softmax_loss(scores, targets, dscores, correct);
}
template <class T>
double svm_entry(const Matrix<T>& scores, const Matrix<T>& targets, bool, Matrix<T>* dscores, int* correct) {
  return svm_loss(scores, targets, dscores, correct);
}

// The loss functions in registry order (losses() below), per precision. Not in the registry rows:
// a row holding the double function too kept it in binaries that never compute a loss in double
// (the pages' lite engine has no gradient check).
template <class T>
using LossFunction = double (*)(const Matrix<T>&, const Matrix<T>&, bool, Matrix<T>*, int*);
template <class T>
LossFunction<T> loss_function(std::size_t row) {
  static const LossFunction<T> functions[] = {softmax_entry<T>, svm_entry<T>, mse_loss<T>};
  return functions[row];
}

// Expected loss at initialization with all scores ~0 (lecture 6, "sanity-check the initial loss").
double softmax_expected(int classes) { return std::log(static_cast<double>(classes)); }
double svm_expected(int classes) { return classes - 1.0; }
double mse_expected(int) { return 0.5; }

}  // namespace

// The loss registry (train.loss).
const std::vector<LossInfo>& losses() {
  static const std::vector<LossInfo> registry = {
      {"softmax", "softmax cross-entropy: -log p(true class)", false, true, false, "ln(C)",
       "with small weights all scores are ~0, every class gets probability 1/C, so the loss is -ln(1/C) = ln(C)",
       softmax_expected},
      {"svm", "multiclass hinge (SVM) loss with margin 1", false, false, true, "C - 1",
       "with scores ~0 each of the C-1 wrong classes has margin max(0, 0 - 0 + 1) = 1, so the loss is C - 1",
       svm_expected},
      {"mse", "half mean squared error (one-hot labels, or real targets)", true, false, false, "0.5",
       "on one-hot labels with scores ~0 the error is 1 for the true class and 0 elsewhere, so the loss is "
       "1/2 · 1 = 0.5",
       mse_expected},
  };
  return registry;
}

std::vector<Choice> loss_choices() { return choices_of(losses()); }

const LossInfo& loss_info(const std::string& name) {
  const LossInfo* info = find_named(losses(), name);
  if (info == nullptr) throw ConfigError("train.loss", "unknown loss '" + name + "'");
  return *info;
}

template <class T>
LossResult compute_loss(const LossInfo& loss, const Matrix<T>& scores, const Matrix<T>& targets, bool regression,
                        Matrix<T>* dscores) {
  const Index batch = scores.rows();
  if (batch < 1) throw std::invalid_argument("loss of an empty batch");
  if (targets.rows() != batch || targets.cols() != (regression ? scores.cols() : 1)) {
    throw std::invalid_argument(regression ? "regression targets must have the shape of the scores"
                                           : "classification targets must be one class index per row");
  }
  if (regression && !loss.real_targets) {
    std::string real;
    for (const LossInfo& other : losses()) {
      if (other.real_targets) real += (real.empty() ? "'" : " or '") + std::string(other.name) + "'";
    }
    throw ConfigError("train.loss", "'" + std::string(loss.name) + "' needs class labels; regression data needs " + real);
  }
  if (dscores) dscores->resize(batch, scores.cols());
  LossResult result;
  const auto row = static_cast<std::size_t>(&loss - losses().data());
  if (row >= losses().size()) throw std::invalid_argument("compute_loss: not a row of losses()");
  result.loss = loss_function<T>(row)(scores, targets, regression, dscores, &result.correct);
  return result;
}

template <class T>
LossResult compute_loss(const std::string& loss, const Matrix<T>& scores, const Matrix<T>& targets,
                        bool regression, Matrix<T>* dscores) {
  return compute_loss(loss_info(loss), scores, targets, regression, dscores);
}

template LossResult compute_loss<float>(const std::string&, const Matrix<float>&, const Matrix<float>&, bool,
                                        Matrix<float>*);
template LossResult compute_loss<double>(const std::string&, const Matrix<double>&, const Matrix<double>&,
                                         bool, Matrix<double>*);
template LossResult compute_loss<float>(const LossInfo&, const Matrix<float>&, const Matrix<float>&, bool,
                                        Matrix<float>*);
template LossResult compute_loss<double>(const LossInfo&, const Matrix<double>&, const Matrix<double>&, bool,
                                         Matrix<double>*);

}  // namespace trainscope
