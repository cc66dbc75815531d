// Datasets: generators, the train/validation split and preprocessing.
#pragma once

#include <string>
#include <vector>

#include "../config.hpp"
#include "../registry.hpp"
#include "../rng.hpp"
#include "../tensor.hpp"

namespace trainscope {

struct Dataset {
  Matrix<float> x;       // N x dims, raw features
  Matrix<float> y;       // N x 1 class indices (as float), or N x outputs regression targets
  int classes = 0;       // outputs of the network: classes, or target columns for regression
  bool regression = false;
  int test_rows = 0;     // data.val_from "test": the last test_rows rows are the official test split
  int rows() const { return static_cast<int>(x.rows()); }
};

// A row of the dataset registry: what the name means for the rest of the configuration.
struct DatasetInfo {
  enum Dims { kTwoDims, kOneOrTwoDims, kAnyDims };  // what data.dims may be
  const char* name;
  const char* description;
  int fixed_classes;  // > 0: the set has exactly this many classes (data.classes defaults to it)
  Dims dims;
  bool regression;    // real-valued targets: one output, loss mse
  bool custom;        // rows come from data.x / data.y
  Dataset (*generate)(const DataConfig& data, Rng& rng);  // data.classes resolved; null for custom
  ImageShape image;   // image sets: the shape of one example (data.dims is its size); points: 1x1x1
  int max_classes = 0;  // > 0: data.classes may be at most this (the shapes set draws 10 kinds)
  bool external = false;  // examples come from files loaded into an ImageBank (image_bank.hpp)
  const char* const* class_names = nullptr;  // by label (fixed_classes or max_classes of them)
};
const std::vector<DatasetInfo>& datasets();
const DatasetInfo& dataset_info(const std::string& name);  // throws ConfigError for an unknown name

// True when the targets are real numbers (one output) rather than class labels: the regression
// set, or custom rows trained with a loss that takes real targets.
bool has_real_targets(const DataConfig& data, const std::string& loss);

// Generates data.dataset (or wraps data.x / data.y for "custom"), drawing from rng.
// `loss` (train.loss) only matters for "custom": with "mse" data.y holds one regression target per
// row (regression = true, classes = 1); otherwise data.y holds class labels 0..classes−1.
// Throws ConfigError for an unknown dataset or custom arrays whose sizes do not fit.
Dataset make_dataset(const DataConfig& data, Rng& rng, const std::string& loss = TrainConfig{}.loss);

struct Split {
  Dataset train;
  Dataset val;
};

// Seeded shuffle, then the last round(val_fraction·N) examples become the validation set
// (val_fraction = 0: no shuffle, data order kept, empty validation). Then train_limit.
Split split_dataset(const Dataset& all, const DataConfig& data, Rng& rng);

// A row of the preprocessing registry; the steps build on each other in this order.
struct PreprocessInfo {
  enum Step { kRaw, kCenter, kStandardize, kRotate, kWhiten };
  const char* name;
  const char* description;
  Step step;
  bool per_channel = false;  // the mean is pooled over each channel's positions (channel_mean)
  bool rotates() const { return step >= kRotate; }  // holds dims x dims matrices
};
const std::vector<PreprocessInfo>& preprocessors();

// Statistics fitted on the training split only, applied unchanged to anything else.
class Preprocessor {
 public:
  Preprocessor() = default;
  // method: a row of preprocessors(); `shape` (one example's C x H x W) matters for channel_mean.
  Preprocessor(const std::string& method, const Matrix<float>& train_x, ImageShape shape = {});
  void apply(Matrix<float>& x) const;  // in place, rows are examples
  Matrix<float> applied(const Matrix<float>& x) const;

 private:
  PreprocessInfo::Step step_ = PreprocessInfo::kRaw;
  RowVector<float> mean_;
  RowVector<float> scale_;   // standardize: 1/std
  Matrix<float> projection_; // pca / whiten: dims x dims
};

// The procedural image set `shapes` (shapes.cpp): 3 x 16 x 16 colour images of kShapeKinds kinds.
constexpr int kShapeKinds = 10;
extern const char* const kShapeNames[kShapeKinds];  // class names, by label
Dataset shapes_images(const DataConfig& data, Rng& rng);

// Fashion-MNIST from its ImageBank (fashion_mnist.cpp): the first examples of the training file
// (and, with data.val_from "test", of the test file); throws ConfigError when not loaded or too few.
Dataset fashion_mnist_images(const DataConfig& data, Rng& rng);
extern const char* const kFashionMnistNames[10];

// How many of `samples` examples data.val_fraction holds out (at most samples − 1).
int validation_count(const DataConfig& data, int samples);

// The shape of one example: the image dataset's, data.shape for custom images, else dims x 1 x 1.
ImageShape input_shape(const DataConfig& data);

// Number of network outputs for a config (classes, or regression target columns).
int dataset_outputs(const DataConfig& data, const std::string& loss = TrainConfig{}.loss);

}  // namespace trainscope
