// Train / validation split.
//   val_fraction = 0: no shuffle, the data order is kept, validation is empty.
//   otherwise: Fisher–Yates shuffle of the indices 0..N−1 with rng
//       for i = N−1 down to 1: j = ⌊rand()·(i+1)⌋; swap(index[i], index[j])
//     the last round(val_fraction·N) shuffled indices form the validation set (at most N − 1, so
//     training keeps at least one example), the rest the training set, in shuffled order.
//   train_limit > 0: only the first train_limit training examples are kept (the lecture's
//     "overfit a tiny subset" check); the validation set is unchanged.
//   data.val_from "test" (a dataset with an official test file): the last Dataset::test_rows
//     rows are the validation set, in order; only the training rows are shuffled.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "dataset.hpp"

namespace trainscope {
namespace {

Dataset gather(const Dataset& all, const std::vector<int>& indices, std::size_t begin, std::size_t end) {
  Dataset subset;
  subset.classes = all.classes;
  subset.regression = all.regression;
  const Index rows = static_cast<Index>(end - begin);
  subset.x.resize(rows, all.x.cols());
  subset.y.resize(rows, all.y.cols());
  for (Index r = 0; r < rows; ++r) {
    subset.x.row(r) = all.x.row(indices[begin + static_cast<std::size_t>(r)]);
    subset.y.row(r) = all.y.row(indices[begin + static_cast<std::size_t>(r)]);
  }
  return subset;
}

}  // namespace

std::vector<Choice> val_from_choices() {
  return {{"train", "hold out val_fraction of the training examples"},
          {"test", "take val_fraction·samples examples from the official test file (fashion_mnist)"}};
}

int validation_count(const DataConfig& data, int samples) {
  if (data.val_fraction <= 0 || samples < 2) return 0;
  return static_cast<int>(std::min(std::round(data.val_fraction * samples), static_cast<double>(samples - 1)));
}

Split split_dataset(const Dataset& all, const DataConfig& data, Rng& rng) {
  const int count = all.rows();
  std::vector<int> indices(static_cast<std::size_t>(count));
  std::iota(indices.begin(), indices.end(), 0);
  std::size_t validation = 0;
  // The rows that may be shuffled: all of them, or the training rows before an official test split.
  const int shuffled = all.test_rows > 0 ? count - all.test_rows : (data.val_fraction > 0 ? count : 0);
  for (int i = shuffled - 1; i > 0; --i) {
    const int j = static_cast<int>(rng.below(static_cast<std::uint32_t>(i + 1)));
    std::swap(indices[static_cast<std::size_t>(i)], indices[static_cast<std::size_t>(j)]);
  }
  validation = static_cast<std::size_t>(all.test_rows > 0 ? all.test_rows : validation_count(data, count));
  const std::size_t training = indices.size() - validation;
  std::size_t kept = training;
  if (data.train_limit > 0) kept = std::min(kept, static_cast<std::size_t>(data.train_limit));
  Split split;
  split.train = gather(all, indices, 0, kept);
  split.val = gather(all, indices, training, indices.size());
  return split;
}

}  // namespace trainscope
