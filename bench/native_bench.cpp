// Native runner of the BENCHMARKS.md workloads on the engine's public C++ API
// (trainscope::Trainer): the same config the JS runner builds, the same data and initial weights
// (drawn here with trainscope::Rng, which implements BENCHMARKS.md's mulberry32 + Box–Muller),
// the same protocol as bench/protocol.mjs. One measurement per process; prints
//   BENCH_RESULT {json}
// Built by scripts/bench.mjs with the native-release (x86-64 baseline) and native-march presets.
//
//   trainscope_native_bench --workload=W1 [--warmup=2] [--time=2] [--diagnostics=off|default]
//                           [--steps-per-call=1]   (trainer.step(n) with this n; timing counts steps)
//   trainscope_native_bench --workload=W4 --w4-input=FILE ...
// W4 (the ConvNetJS MNIST conv net of bench/w4.mjs) reads its images, labels and initial
// parameters from FILE, written by bench/w4.mjs writeW4NativeInput (float32: x 160·576, labels 160,
// then the six trainable tensors in trainscope order and layout), so data and weights are
// byte-identical to the JS runners'.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "config.hpp"
#include "rng.hpp"
#include "trainer.hpp"

namespace {

using trainscope::Config;
using trainscope::Rng;
using trainscope::Trainer;

struct Workload {
  std::string id;
  int inputs;
  std::vector<int> hidden;
  int outputs;
  std::string activation;
  int batch;
  double gain;
  int warmup_steps;
  double loss_before;
  double loss_after;
  double mflop;
};

constexpr int kBatchesInPool = 8;
constexpr double kLossTolerance = 5e-6;  // the references are printed to 6 decimals
constexpr double kW4LossTolerance = 1e-5;  // W4: bench/w4.mjs W4.tolerance

Workload workload_by_id(const std::string& id) {
  if (id == "W1") return {"W1", 2, {100, 100}, 3, "relu", 64, 2.0, 200, 1.035703, 0.702420, 0};
  if (id == "W2") return {"W2", 784, {256, 256}, 10, "relu", 64, 2.0, 20, 2.528367, 2.294661, 0};
  if (id == "W3") return {"W3", 500, std::vector<int>(10, 500), 10, "tanh", 100, 1.0, 3, 2.329859, 2.318366, 0};
  // W4: conv net, bench/w4.mjs (reference losses and MFLOP/step as there; hidden/gain unused).
  if (id == "W4") return {"W4", 576, {}, 10, "relu", 20, 2.0, 16, 3.1749015, 2.2770567, 64.8192};
  throw std::invalid_argument("--workload must be W1, W2, W3 or W4, got '" + id + "'");
}

std::vector<int> widths_of(const Workload& workload) {
  std::vector<int> widths{workload.inputs};
  widths.insert(widths.end(), workload.hidden.begin(), workload.hidden.end());
  widths.push_back(workload.outputs);
  return widths;
}

// 2·B·fan_in·fan_out per matmul: forward, dW, dX; the first layer has no dX.
double mflop_per_step(const Workload& workload) {
  const std::vector<int> widths = widths_of(workload);
  double flop = 0;
  for (std::size_t layer = 0; layer + 1 < widths.size(); ++layer) {
    const double matmuls = layer == 0 ? 2 : 3;
    flop += matmuls * 2.0 * workload.batch * widths[layer] * widths[layer + 1];
  }
  return flop / 1e6;
}

// Data pool from mulberry32(42), exactly as bench/workloads.mjs makeData.
void make_data(const Workload& workload, std::vector<float>& x, std::vector<float>& labels) {
  const int count = kBatchesInPool * workload.batch;
  const int dims = workload.inputs;
  x.assign(static_cast<std::size_t>(count) * dims, 0.0f);
  labels.assign(count, 0.0f);
  Rng rng(42);
  for (int k = 0; k < count; ++k) {
    float* row = &x[static_cast<std::size_t>(k) * dims];
    if (workload.id == "W1") {
      // θ = 4c + 4r + 0.2·randn(); x = (r sin θ, r cos θ)
      const int arm = k % 3;
      const double radius = rng.uniform();
      const double angle = 4.0 * arm + 4.0 * radius + 0.2 * rng.normal();
      row[0] = static_cast<float>(radius * std::sin(angle));
      row[1] = static_cast<float>(radius * std::cos(angle));
      labels[k] = static_cast<float>(arm);
    } else if (workload.id == "W2") {
      for (int i = 0; i < dims; ++i) row[i] = static_cast<float>(rng.uniform());
      labels[k] = static_cast<float>(k % 10);
    } else {
      for (int i = 0; i < dims; ++i) row[i] = static_cast<float>(rng.normal());
      labels[k] = static_cast<float>(k % 10);
    }
  }
}

// Every workload: plain SGD with lr 0.01, batches in order, softmax loss; diagnostics off
// (cadence 0) or at their default cadence.
void set_training(Config& config, int batch, const std::string& diagnostics) {
  config.train.optimizer = "sgd";
  config.train.lr = 0.01;
  config.train.batch_size = batch;
  config.train.shuffle = false;
  config.train.loss = "softmax";
  if (diagnostics == "off") {
    config.diagnostics.cadence = 0;
  } else if (diagnostics != "default") {
    throw std::invalid_argument("--diagnostics must be off or default");
  }
}

Config make_config(const Workload& workload, const std::string& diagnostics) {
  Config config;
  config.data.dataset = "custom";
  config.data.dims = workload.inputs;
  config.data.classes = workload.outputs;
  config.data.val_fraction = 0.0;
  make_data(workload, config.data.x, config.data.y);
  config.data.samples = static_cast<int>(config.data.y.size());
  config.model.hidden = workload.hidden;
  config.model.activation = workload.activation;
  set_training(config, workload.batch, diagnostics);
  return config;
}

// Initial parameters from mulberry32(1337): each W (fan_in x fan_out, row-major) filled with
// randn()·sqrt(gain / fan_in), biases 0; written into the trainer's trainable tensors in order.
void set_initial_parameters(const Workload& workload, Trainer& trainer) {
  const std::vector<int> widths = widths_of(workload);
  Rng rng(1337);
  std::vector<int> trainable;
  for (std::size_t i = 0; i < trainer.tensors().size(); ++i) {
    if (trainer.tensors()[i].trainable) trainable.push_back(static_cast<int>(i));
  }
  const std::size_t layers = widths.size() - 1;
  if (trainable.size() != 2 * layers) {
    throw std::runtime_error("expected W and b per layer (" + std::to_string(2 * layers) +
                             " trainable tensors), the trainer has " + std::to_string(trainable.size()));
  }
  for (std::size_t layer = 0; layer < layers; ++layer) {
    const int fan_in = widths[layer];
    const int fan_out = widths[layer + 1];
    const trainscope::TensorInfo& weight = trainer.tensors()[trainable[2 * layer]];
    const trainscope::TensorInfo& bias = trainer.tensors()[trainable[2 * layer + 1]];
    if (weight.rows != fan_in || weight.cols != fan_out || bias.size() != static_cast<std::size_t>(fan_out)) {
      throw std::runtime_error("tensor " + weight.name + " / " + bias.name + " does not have the shape of layer " +
                               std::to_string(layer));
    }
    const double scale = std::sqrt(workload.gain / fan_in);
    std::vector<float> values(static_cast<std::size_t>(fan_in) * fan_out);
    for (float& value : values) value = static_cast<float>(rng.normal() * scale);
    trainer.set_tensor(trainable[2 * layer], values);
    trainer.set_tensor(trainable[2 * layer + 1], std::vector<float>(fan_out, 0.0f));
  }
}

// W4: the conv net of bench/w4.mjs on the data and parameters of its input file.
constexpr int kW4Count = kBatchesInPool * 20;
constexpr int kW4Dims = 24 * 24;
const std::vector<std::size_t> kW4ParamSizes = {25 * 8, 8, 200 * 16, 16, 256 * 10, 10};

std::vector<float> read_w4_input(const std::string& file) {
  std::size_t floats = static_cast<std::size_t>(kW4Count) * kW4Dims + kW4Count;
  for (std::size_t size : kW4ParamSizes) floats += size;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("W4: cannot open --w4-input '" + file + "'");
  std::vector<float> values(floats);
  in.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(floats * sizeof(float)));
  if (in.gcount() != static_cast<std::streamsize>(floats * sizeof(float)) || in.peek() != std::char_traits<char>::eof()) {
    throw std::runtime_error("W4: --w4-input '" + file + "' does not hold exactly " + std::to_string(floats) + " floats");
  }
  return values;
}

trainscope::LayerSpec layer(const std::string& type, int size, int filters = 0, int pad = 0) {
  trainscope::LayerSpec spec;
  spec.type = type;
  spec.size = size;
  spec.filters = filters;
  spec.pad = pad;
  return spec;
}

Config make_w4_config(const std::vector<float>& input, const std::string& diagnostics) {
  Config config;
  config.data.dataset = "custom";
  config.data.dims = kW4Dims;
  config.data.shape = {1, 24, 24};
  config.data.classes = 10;
  config.data.val_fraction = 0.0;
  config.data.x.assign(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(kW4Count) * kW4Dims);
  config.data.y.assign(input.begin() + static_cast<std::ptrdiff_t>(kW4Count) * kW4Dims,
                       input.begin() + static_cast<std::ptrdiff_t>(kW4Count) * (kW4Dims + 1));
  config.data.samples = kW4Count;
  config.model.layers = {layer("conv", 5, 8, 2), layer("pool", 2), layer("conv", 5, 16, 2), layer("pool", 3)};
  config.model.activation = "relu";
  set_training(config, 20, diagnostics);
  return config;
}

void set_w4_parameters(const std::vector<float>& input, Trainer& trainer) {
  std::vector<int> trainable;
  for (std::size_t i = 0; i < trainer.tensors().size(); ++i) {
    if (trainer.tensors()[i].trainable) trainable.push_back(static_cast<int>(i));
  }
  if (trainable.size() != kW4ParamSizes.size()) {
    throw std::runtime_error("W4: expected 6 trainable tensors, the trainer has " + std::to_string(trainable.size()));
  }
  auto at = input.begin() + static_cast<std::ptrdiff_t>(kW4Count) * (kW4Dims + 1);
  for (std::size_t i = 0; i < trainable.size(); ++i) {
    const trainscope::TensorInfo& tensor = trainer.tensors()[trainable[i]];
    if (tensor.size() != kW4ParamSizes[i]) {
      throw std::runtime_error("W4: tensor " + tensor.name + " has " + std::to_string(tensor.size()) + " values, expected " +
                               std::to_string(kW4ParamSizes[i]));
    }
    const auto end = at + static_cast<std::ptrdiff_t>(kW4ParamSizes[i]);
    trainer.set_tensor(trainable[i], std::vector<float>(at, end));
    at = end;
  }
}

double check_loss(const char* which, double measured, double expected, const std::string& id) {
  const double difference = std::fabs(measured - expected);
  if (!(difference <= (id == "W4" ? kW4LossTolerance : kLossTolerance))) {
    throw std::runtime_error(id + " loss " + which + " warm-up: measured " + std::to_string(measured) +
                             ", reference " + std::to_string(expected));
  }
  return difference;
}

std::string argument(int argc, char** argv, const std::string& name, const std::string& fallback) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind(prefix, 0) == 0) return arg.substr(prefix.size());
  }
  return fallback;
}

void escape_into(std::string& out, const std::string& text) {
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
}

int run(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  Workload workload = workload_by_id(argument(argc, argv, "workload", ""));
  if (workload.id != "W4") workload.mflop = mflop_per_step(workload);
  const double warmup_seconds = std::stod(argument(argc, argv, "warmup", "2"));
  const double timed_seconds = std::stod(argument(argc, argv, "time", "2"));
  const std::string diagnostics = argument(argc, argv, "diagnostics", "off");
  const int steps_per_call = std::stoi(argument(argc, argv, "steps-per-call", "1"));
  if (steps_per_call < 1) throw std::invalid_argument("--steps-per-call must be >= 1");

  const bool w4 = workload.id == "W4";
  const std::vector<float> w4_input = w4 ? read_w4_input(argument(argc, argv, "w4-input", "")) : std::vector<float>{};
  Trainer trainer(w4 ? make_w4_config(w4_input, diagnostics) : make_config(workload, diagnostics));
  if (w4) {
    set_w4_parameters(w4_input, trainer);
  } else {
    set_initial_parameters(workload, trainer);
  }

  const double loss_before = trainer.evaluate().train.loss;
  const double before_delta = check_loss("before", loss_before, workload.loss_before, workload.id);
  trainer.step(workload.warmup_steps);
  const double loss_after = trainer.evaluate().train.loss;
  const double after_delta = check_loss("after", loss_after, workload.loss_after, workload.id);

  auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  long untimed_steps = 0;
  const Clock::time_point warmup_start = Clock::now();
  while (seconds_since(warmup_start) < warmup_seconds) {
    trainer.step(steps_per_call);
    untimed_steps += steps_per_call;
  }
  long steps = 0;
  double elapsed = 0;
  const Clock::time_point start = Clock::now();
  do {
    trainer.step(steps_per_call);
    steps += steps_per_call;
    elapsed = seconds_since(start);
  } while (elapsed < timed_seconds);

  const double steps_per_second = steps / elapsed;
  std::printf(
      "BENCH_RESULT {\"workload\":\"%s\",\"diagnostics\":\"%s\",\"stepsPerCall\":%d,\"lossBefore\":%.9g,\"lossAfter\":%.9g,"
      "\"lossBeforeDelta\":%.3g,\"lossAfterDelta\":%.3g,\"untimedSteps\":%ld,\"steps\":%ld,"
      "\"seconds\":%.6f,\"stepsPerSecond\":%.6g,\"gflops\":%.6g}\n",
      workload.id.c_str(), diagnostics.c_str(), steps_per_call, loss_before, loss_after, before_delta, after_delta, untimed_steps,
      steps, elapsed, steps_per_second, steps_per_second * workload.mflop / 1000.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    std::string message = "BENCH_RESULT {\"error\":\"";
    escape_into(message, error.what());
    message += "\"}\n";
    std::fputs(message.c_str(), stdout);
    return 1;
  }
}
