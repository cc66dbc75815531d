// Losses over a batch of scores (B x C) — averaged over the batch.
//   softmax: L = −1/B Σ_b log softmax(s_b)[y_b]            dL/ds = (p − onehot(y)) / B
//   svm:     L = 1/B Σ_b Σ_{j≠y_b} max(0, s_bj − s_by + 1)  (multiclass hinge, margin 1)
//   mse:     L = 1/(2B) Σ_b Σ_j (s_bj − t_bj)²             for classification labels t = onehot(y)
// Labels are class indices stored as T; for mse with regression data, targets are B x C.
#pragma once

#include <string>

#include <vector>

#include "registry.hpp"
#include "tensor.hpp"

namespace trainscope {

struct LossResult {
  double loss = 0;
  int correct = 0;  // argmax(scores) == label (classification only)
};

// A row of the loss registry.
struct LossInfo {
  const char* name;
  const char* description;
  bool real_targets;        // accepts real-valued regression targets (one output per target)
  bool probabilities;       // the model's outputs are read as class probabilities (softmax of scores)
  bool margin_kinks;        // non-differentiable where a margin s_j − s_y + 1 crosses 0 (hinge)
  const char* expected_initial_label;  // how the page labels the expected initial loss ("ln(C)")
  const char* expected_initial_reason; // why, for the initial-loss check's explanation
  double (*expected_initial)(int classes);  // loss with all scores ~0 on class labels
};
const std::vector<LossInfo>& losses();
const LossInfo& loss_info(const std::string& name);  // throws ConfigError("train.loss") if unknown

// targets: B x C for regression mse, or B x 1 class indices otherwise. Writes dscores (B x C).
template <class T>
LossResult compute_loss(const LossInfo& loss, const Matrix<T>& scores, const Matrix<T>& targets, bool regression,
                        Matrix<T>* dscores);
template <class T>
LossResult compute_loss(const std::string& loss, const Matrix<T>& scores, const Matrix<T>& targets,
                        bool regression, Matrix<T>* dscores);

}  // namespace trainscope
