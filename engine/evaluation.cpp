// Evaluation and prediction: whole splits, raw inputs and grids, all in evaluation mode through
// the chunked forward of trainer_impl.hpp.
#include <cmath>
#include <limits>
#include <stdexcept>

#include "loss.hpp"
#include "trainer_impl.hpp"

namespace trainscope {

SplitEvaluation Trainer::Impl::evaluate_split(const Matrix<float>& x, const Matrix<float>& y, Mode mode) {
  SplitEvaluation result;
  result.count = static_cast<int>(x.rows());
  if (result.count == 0) {
    result.loss = std::numeric_limits<double>::quiet_NaN();  // an empty validation set has no loss (JSON null)
    result.acc = std::numeric_limits<double>::quiet_NaN();
    return result;
  }
  double loss_sum = 0;
  long long correct = 0;
  Matrix<float> part_scores, part_targets;
  for_each_chunk(x, result.count, [](int k) { return k; }, [&](const Matrix<float>& scores, int, int valid) {
    part_scores = scores.topRows(valid);
    gather_rows(y, chunk_rows.data(), valid, part_targets);
    const LossResult loss = compute_loss(config.train.loss, part_scores, part_targets, regression, static_cast<Matrix<float>*>(nullptr));
    loss_sum += loss.loss * valid;
    correct += loss.correct;
  }, mode);
  result.loss = loss_sum / result.count;
  result.acc = regression ? 0.0 : static_cast<double>(correct) / result.count;
  return result;
}

// Eval-mode outputs for preprocessed rows: softmax probabilities, or raw scores (svm, mse).
std::vector<float> Trainer::Impl::outputs_of(const Matrix<float>& x) {
  const int count = static_cast<int>(x.rows());
  std::vector<float> result(static_cast<std::size_t>(count) * static_cast<std::size_t>(outputs_count));
  const bool probabilities = loss_info(config.train.loss).probabilities;
  for_each_chunk(x, count, [](int k) { return k; }, [&](const Matrix<float>& scores, int first, int valid) {
    for (int r = 0; r < valid; ++r) {
      float* out = result.data() + static_cast<std::size_t>(first + r) * static_cast<std::size_t>(outputs_count);
      if (!probabilities) {
        for (int j = 0; j < outputs_count; ++j) out[j] = scores(r, j);
        continue;
      }
      // p_j = e^(s_j − m) / Σ_k e^(s_k − m), m = max_k s_k (no overflow)
      const double shift = scores.row(r).maxCoeff();
      double total = 0;
      for (int j = 0; j < outputs_count; ++j) total += std::exp(scores(r, j) - shift);
      for (int j = 0; j < outputs_count; ++j) out[j] = static_cast<float>(std::exp(scores(r, j) - shift) / total);
    }
  });
  return result;
}
Evaluation Trainer::evaluate() {
  Impl& s = *impl_;
  Evaluation result;
  result.train = s.evaluate_split(s.train_x, s.split.train.y);
  result.val = s.evaluate_split(s.val_x, s.split.val.y);
  return result;
}

std::vector<FeatureMap> Trainer::feature_maps(int index) {
  Impl& s = *impl_;
  const int count = static_cast<int>(s.val_x.rows());
  if (index < 0 || index >= count) {
    throw std::out_of_range("featureMaps: index must be in [0, " + std::to_string(count) + "), the validation examples; got " +
                            std::to_string(index));
  }
  s.settle_histograms();  // the forward below overwrites the activations they are binned from
  s.forward_chunk(s.val_x, 0, 1, [index](int) { return index; });  // every row of the chunk is the example
  std::vector<FeatureMap> maps;
  int block = 0;
  for (const LayerPlan& layer : s.network->plan()) {
    if (!layer.block()) continue;
    const BlockView<float> view = s.network->block(block);
    FeatureMap map;
    map.name = "hidden" + std::to_string(block + 1);
    map.path = layer.path;
    map.shape = {layer.out.channels, layer.out.height, layer.out.width};
    const Index size = layer.out.size();
    map.values.assign(view.act->row(0).data(), view.act->row(0).data() + std::min<Index>(size, view.act->cols()));
    maps.push_back(std::move(map));
    ++block;
  }
  return maps;
}

std::vector<float> Trainer::predict(const std::vector<float>& x, int count) {
  Impl& s = *impl_;
  const int dims = static_cast<int>(s.train_x.cols());
  if (count < 0 || x.size() != static_cast<std::size_t>(count) * static_cast<std::size_t>(dims)) {
    throw std::invalid_argument("predict: expected count x dims = " + std::to_string(count) + " x " +
                                std::to_string(dims) + " values, got " + std::to_string(x.size()));
  }
  if (count == 0) return {};
  Matrix<float> inputs = ConstMatrixMap<float>(x.data(), count, dims);
  s.preprocessor.apply(inputs);
  return s.outputs_of(inputs);
}

std::vector<float> Trainer::predict_grid(double xmin, double xmax, double ymin, double ymax, int resolution) {
  Impl& s = *impl_;
  const int dims = static_cast<int>(s.train_x.cols());
  if (dims > 2) {
    throw std::invalid_argument("predict_grid: needs 1-D or 2-D inputs, the data has " + std::to_string(dims) +
                                " dims");
  }
  if (resolution < 2 || resolution > 2048) {
    throw std::invalid_argument("predict_grid: resolution must be in [2, 2048], got " + std::to_string(resolution));
  }
  if (!std::isfinite(xmin) || !std::isfinite(xmax) || !std::isfinite(ymin) || !std::isfinite(ymax)) {
    throw std::invalid_argument("predict_grid: the bounds must be finite");
  }
  // Row i has y = ymin + (ymax − ymin)·i/(res − 1); column j has x = xmin + (xmax − xmin)·j/(res − 1).
  // 1-D inputs use the x coordinate only (every row is the same curve).
  const int count = resolution * resolution;
  std::vector<float> raw(static_cast<std::size_t>(count) * static_cast<std::size_t>(dims));
  for (int i = 0; i < resolution; ++i) {
    for (int j = 0; j < resolution; ++j) {
      const std::size_t row = static_cast<std::size_t>(i * resolution + j) * static_cast<std::size_t>(dims);
      raw[row] = static_cast<float>(xmin + (xmax - xmin) * j / (resolution - 1));
      if (dims == 2) raw[row + 1] = static_cast<float>(ymin + (ymax - ymin) * i / (resolution - 1));
    }
  }
  return predict(raw, count);
}

namespace {
DataSplit to_split(const Dataset& dataset) {
  DataSplit split;
  split.count = dataset.rows();
  split.dims = static_cast<int>(dataset.x.cols());
  split.x.assign(dataset.x.data(), dataset.x.data() + dataset.x.size());
  split.y.assign(dataset.y.data(), dataset.y.data() + dataset.y.size());
  return split;
}
}  // namespace

DataSplit Trainer::train_data() const { return to_split(impl_->split.train); }
DataSplit Trainer::val_data() const { return to_split(impl_->split.val); }

}  // namespace trainscope
