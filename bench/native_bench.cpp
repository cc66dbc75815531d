// Native runner of the BENCHMARKS.md workloads on the engine's public C++ API
// (trainscope::Trainer): the same config the JS runner builds, the same data and initial weights
// (drawn here with trainscope::Rng, which implements BENCHMARKS.md's mulberry32 + Box–Muller),
// the same protocol as bench/protocol.mjs. One measurement per process; prints
//   BENCH_RESULT {json}
// Built by scripts/bench.mjs with the native-release (x86-64 baseline) and native-march presets.
//
//   trainscope_native_bench --workload=W1 [--warmup=2] [--time=2] [--diagnostics=off|default]
//                           [--steps-per-call=1]   (trainer.step(n) with this n; timing counts steps)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
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

Workload workload_by_id(const std::string& id) {
  if (id == "W1") return {"W1", 2, {100, 100}, 3, "relu", 64, 2.0, 200, 1.035703, 0.702420, 0};
  if (id == "W2") return {"W2", 784, {256, 256}, 10, "relu", 64, 2.0, 20, 2.528367, 2.294661, 0};
  if (id == "W3") return {"W3", 500, std::vector<int>(10, 500), 10, "tanh", 100, 1.0, 3, 2.329859, 2.318366, 0};
  throw std::invalid_argument("--workload must be W1, W2 or W3, got '" + id + "'");
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
  config.train.optimizer = "sgd";
  config.train.lr = 0.01;
  config.train.batch_size = workload.batch;
  config.train.shuffle = false;
  config.train.loss = "softmax";
  if (diagnostics == "off") {
    config.diagnostics.cadence = 0;
  } else if (diagnostics != "default") {
    throw std::invalid_argument("--diagnostics must be off or default");
  }
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

double check_loss(const char* which, double measured, double expected, const std::string& id) {
  const double difference = std::fabs(measured - expected);
  if (!(difference <= kLossTolerance)) {
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
  workload.mflop = mflop_per_step(workload);
  const double warmup_seconds = std::stod(argument(argc, argv, "warmup", "2"));
  const double timed_seconds = std::stod(argument(argc, argv, "time", "2"));
  const std::string diagnostics = argument(argc, argv, "diagnostics", "off");
  const int steps_per_call = std::stoi(argument(argc, argv, "steps-per-call", "1"));
  if (steps_per_call < 1) throw std::invalid_argument("--steps-per-call must be >= 1");

  Trainer trainer(make_config(workload, diagnostics));
  set_initial_parameters(workload, trainer);

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
