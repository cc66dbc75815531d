// Datasets: generators, the train/validation split and preprocessing.
#pragma once

#include <string>
#include <vector>

#include "../config.hpp"
#include "../rng.hpp"
#include "../tensor.hpp"

namespace trainscope {

struct Dataset {
  Matrix<float> x;       // N x dims, raw features
  Matrix<float> y;       // N x 1 class indices (as float), or N x outputs regression targets
  int classes = 0;       // outputs of the network: classes, or target columns for regression
  bool regression = false;
  int rows() const { return static_cast<int>(x.rows()); }
};

// Generates data.dataset (or wraps data.x / data.y for "custom"), drawing from rng.
// `loss` (train.loss) only matters for "custom": with "mse" data.y holds one regression target per
// row (regression = true, classes = 1); otherwise data.y holds class labels 0..classes−1.
// Throws ConfigError for an unknown dataset or custom arrays whose sizes do not fit.
Dataset make_dataset(const DataConfig& data, Rng& rng, const std::string& loss = "softmax");

struct Split {
  Dataset train;
  Dataset val;
};

// Seeded shuffle, then the last round(val_fraction·N) examples become the validation set
// (val_fraction = 0: no shuffle, data order kept, empty validation). Then train_limit.
Split split_dataset(const Dataset& all, const DataConfig& data, Rng& rng);

// Statistics fitted on the training split only, applied unchanged to anything else.
class Preprocessor {
 public:
  Preprocessor() = default;
  Preprocessor(const std::string& method, const Matrix<float>& train_x);  // none|center|standardize|pca|whiten
  void apply(Matrix<float>& x) const;  // in place, rows are examples
  Matrix<float> applied(const Matrix<float>& x) const;

 private:
  std::string method_ = "none";
  RowVector<float> mean_;
  RowVector<float> scale_;   // standardize: 1/std
  Matrix<float> projection_; // pca / whiten: dims x dims
};

// Number of network outputs for a config (classes, or regression target columns).
int dataset_outputs(const DataConfig& data, const std::string& loss = "softmax");

}  // namespace trainscope
