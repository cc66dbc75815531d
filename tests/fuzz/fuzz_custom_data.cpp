// Fuzz target: custom data (data.dataset = "custom") with any float values — NaN, infinities,
// huge, denormal — any labels, shapes that do not match, every preprocessing and loss. The bytes
// are decoded with FuzzedDataProvider: a few choices first, then the floats of x and y.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_common.hpp"

namespace {

const char* const kPreprocess[] = {"none", "center", "standardize", "pca", "whiten"};
const char* const kLoss[] = {"softmax", "svm", "mse"};
const char* const kNorm[] = {"none", "batch", "layer", "group"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  trainscope::Config config;
  config.seed = input.ConsumeIntegral<std::uint32_t>();
  config.data.dataset = "custom";
  config.data.dims = input.ConsumeIntegralInRange<int>(-1, 6);
  config.data.classes = input.ConsumeIntegralInRange<int>(-1, 5);
  config.data.val_fraction = input.ConsumeIntegralInRange<int>(0, 4) * 0.25;
  config.data.train_limit = input.ConsumeIntegralInRange<int>(0, 3);
  config.data.preprocess = input.PickValueInArray(kPreprocess);
  config.train.loss = input.PickValueInArray(kLoss);
  config.train.batch_size = input.ConsumeIntegralInRange<int>(1, 40);
  config.model.norm = input.PickValueInArray(kNorm);
  config.model.groups = input.ConsumeIntegralInRange<int>(1, 4);
  config.model.hidden = {input.ConsumeIntegralInRange<int>(1, 8)};
  config.diagnostics.cadence = 1;
  const int rows = input.ConsumeIntegralInRange<int>(0, 64);
  const int y_count = input.ConsumeBool() ? rows : input.ConsumeIntegralInRange<int>(0, 64);
  // y first (short), then x takes the rest, so most bytes become features.
  for (int k = 0; k < y_count && input.remaining_bytes() >= sizeof(float); ++k) {
    config.data.y.push_back(input.ConsumeBool() ? static_cast<float>(input.ConsumeIntegralInRange<int>(-1, 5))
                                                : input.ConsumeFloatingPoint<float>());
  }
  while (input.remaining_bytes() >= sizeof(float) && config.data.x.size() < 4096) {
    config.data.x.push_back(input.ConsumeFloatingPoint<float>());
  }
  config.data.samples = static_cast<int>(config.data.y.size());

  trainscope_fuzz::validate_and_train("custom_data", config);
  return 0;
}
