#include "batcher.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace trainscope {

Batcher::Batcher(int examples, int batch_size, bool shuffle, Rng rng)
    : examples_(examples), batch_size_(std::min(batch_size, examples)), shuffle_(shuffle), rng_(rng) {
  if (examples < 1) throw std::invalid_argument("Batcher: needs at least one example");
  if (batch_size < 1) throw std::invalid_argument("Batcher: batch size must be >= 1");
  order_.resize(static_cast<std::size_t>(examples_));
  batch_.resize(static_cast<std::size_t>(batch_size_));
  begin_epoch();
}

void Batcher::restart(Rng rng) {
  rng_ = rng;
  epochs_completed_ = 0;
  begin_epoch();
}

// Fisher–Yates from the identity (see the header); without shuffle the identity itself.
void Batcher::begin_epoch() {
  std::iota(order_.begin(), order_.end(), 0);
  if (shuffle_) {
    for (int i = examples_ - 1; i > 0; --i) {
      const int j = static_cast<int>(rng_.below(static_cast<std::uint32_t>(i + 1)));
      std::swap(order_[static_cast<std::size_t>(i)], order_[static_cast<std::size_t>(j)]);
    }
  }
  position_ = 0;
}

const std::vector<int>& Batcher::next() {
  for (int& slot : batch_) {
    slot = order_[position_++];
    if (position_ == order_.size()) {
      ++epochs_completed_;
      begin_epoch();
    }
  }
  return batch_;
}

}  // namespace trainscope
