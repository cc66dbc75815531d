// Fuzz target: loading parameters, the C++ side of Trainer.fromJSON / setParams (Engine::setTensor
// → Trainer::set_tensor): any tensor index, any length, any float bits (NaN, infinities, huge),
// into networks with and without normalization state, then training and evaluation on them.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "fuzz_common.hpp"

namespace {

const char* const kNorm[] = {"none", "batch", "layer", "group"};
const char* const kActivation[] = {"relu", "tanh", "sigmoid", "leaky_relu", "elu", "prelu", "maxout"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  trainscope::Config config;
  config.data.samples = 40;
  config.model.hidden = {4, 4};
  config.model.norm = input.PickValueInArray(kNorm);
  config.model.activation = input.PickValueInArray(kActivation);
  config.train.batch_size = 8;
  config.diagnostics.cadence = 1;
  std::unique_ptr<trainscope::Trainer> trainer;
  try {
    trainer = std::make_unique<trainscope::Trainer>(config);
  } catch (const trainscope::ConfigError&) {
    return 0;  // e.g. an activation this build does not have
  }
  const int tensors = static_cast<int>(trainer->tensors().size());
  try {
    while (input.remaining_bytes() > 0) {
      const int index = input.ConsumeIntegralInRange<int>(-1, tensors);
      const bool exact = index >= 0 && index < tensors && input.ConsumeBool();
      const std::size_t length = exact ? trainer->tensors()[static_cast<std::size_t>(index)].size()
                                       : input.ConsumeIntegralInRange<std::size_t>(0, 64);
      std::vector<float> values;
      values.reserve(length);
      for (std::size_t k = 0; k < length; ++k) {
        values.push_back(input.ConsumeBool() ? input.ConsumeFloatingPoint<float>()
                                             : input.ConsumeFloatingPointInRange<float>(-4.0f, 4.0f));
      }
      try {
        trainer->set_tensor(index, values);
      } catch (const std::invalid_argument&) {  // wrong size or a non-finite value, named
      } catch (const std::out_of_range&) {      // no such tensor
      }
    }
    trainer->evaluate();
    try {
      trainer->step(2);
    } catch (const std::runtime_error& error) {
      if (!trainer->status().diverged) throw;
    }
    trainer->layer_stats();
    trainer->predict_grid(-1, 1, -1, 1, 4);
  } catch (const std::exception& error) {
    trainscope_fuzz::finding("set_tensor", error);
  }
  return 0;
}
