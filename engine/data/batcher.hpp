// Mini-batch order.
//
// The batcher produces an endless stream of example indices, cut into batches of a constant size
// B = min(batch_size, N):
//   shuffle = true:  the stream is a sequence of epochs, each a fresh Fisher–Yates permutation of
//                    0..N−1 drawn from the batcher's own rng
//                        for i = N−1 down to 1: j = ⌊rand()·(i+1)⌋; swap(order[i], order[j])
//                    (starting from the identity each epoch).
//   shuffle = false: the stream is 0, 1, …, N−1, 0, 1, … so batch s holds examples
//                    s·B … s·B+B−1 modulo N; with N = 8B, step s uses batch s mod 8, which is
//                    BENCHMARKS.md's protocol.
// A batch that reaches the end of an epoch WRAPS into the next one (B never changes, so nothing
// downstream reallocates; every example is seen exactly once per N consecutive indices). The
// price: a batch straddling two shuffled epochs may hold the same example twice.
#pragma once

#include <vector>

#include "../rng.hpp"
#include "../tensor.hpp"

namespace trainscope {

class Batcher {
 public:
  Batcher() = default;
  // examples ≥ 1, batch_size ≥ 1 (clamped to examples). rng: a stream used only for batch order.
  Batcher(int examples, int batch_size, bool shuffle, Rng rng);

  // The next batch: batch_size() indices into the training set. The returned reference stays
  // valid (and is overwritten) until the next call. No allocation.
  const std::vector<int>& next();

  // Back to the first batch of the first epoch, with a new rng (shuffle) — same as constructing.
  void restart(Rng rng);

  int batch_size() const { return batch_size_; }
  int examples() const { return examples_; }
  bool shuffle() const { return shuffle_; }
  // Completed passes over the data (an epoch counts once all its indices have been handed out).
  long long epochs_completed() const { return epochs_completed_; }

 private:
  void begin_epoch();

  int examples_ = 0;
  int batch_size_ = 0;
  bool shuffle_ = false;
  Rng rng_;
  std::vector<int> order_;  // the current epoch's permutation
  std::size_t position_ = 0;  // next index of order_ to hand out
  std::vector<int> batch_;
  long long epochs_completed_ = 0;
};

// Copies rows indices[0..count) of source into destination (count x source.cols()), converting
// the scalar if needed. Allocates only when destination's shape differs (i.e. the first time).
template <class Source, class Destination>
void gather_rows(const Matrix<Source>& source, const int* indices, int count, Matrix<Destination>& destination) {
  if (destination.rows() != count || destination.cols() != source.cols()) destination.resize(count, source.cols());
  for (int r = 0; r < count; ++r) destination.row(r) = source.row(indices[r]).template cast<Destination>();
}

template <class Source, class Destination>
void gather_rows(const Matrix<Source>& source, const std::vector<int>& indices, Matrix<Destination>& destination) {
  gather_rows(source, indices.data(), static_cast<int>(indices.size()), destination);
}

}  // namespace trainscope
