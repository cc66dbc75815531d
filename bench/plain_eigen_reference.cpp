// A plain Eigen 3.4 implementation of the BENCHMARKS.md workloads, independent of the engine: the
// "what Eigen alone does on this machine" line of the table (BENCHMARKS.md quotes the same
// kind of program). Comparing it with the engine's native runner shows what the engine's own
// structure (diagnostics bookkeeping, history, checks, layer abstraction) costs per step.
// Same protocol and output as bench/native_bench.cpp; built by scripts/bench.mjs with
//   g++ -std=c++17 -O3 -DNDEBUG -I/usr/include/eigen3 -Iengine bench/plain_eigen_reference.cpp
//
// Shapes: B batch, I fan_in, O fan_out. Per layer l: Z = A·W + 1·bᵀ, A' = act(Z) (identity on
// the last layer). Loss L = −(1/B) Σ_b log softmax(Z_L)[b, y_b].
// Backward: dZ_L = (softmax(Z_L) − onehot(y)) / B; dW = Aᵀ·dZ; db = 1ᵀ·dZ; dA = dZ·Wᵀ;
// dZ = dA ⊙ act'(Z) with relu' = [Z > 0], tanh' = 1 − A'². SGD: p −= lr·dp.
#include <Eigen/Core>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "rng.hpp"

namespace {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;

struct Workload {
  std::string id;
  std::vector<int> widths;
  bool relu;
  int batch;
  double gain;
  int warmup_steps;
  double loss_before, loss_after;
};

Workload workload_by_id(const std::string& id) {
  if (id == "W1") return {"W1", {2, 100, 100, 3}, true, 64, 2.0, 200, 1.035703, 0.702420};
  if (id == "W2") return {"W2", {784, 256, 256, 10}, true, 64, 2.0, 20, 2.528367, 2.294661};
  if (id == "W3") {
    std::vector<int> widths(12, 500);
    widths.back() = 10;
    return {"W3", widths, false, 100, 1.0, 3, 2.329859, 2.318366};
  }
  throw std::invalid_argument("--workload must be W1, W2 or W3");
}

struct Net {
  std::vector<Matrix> W, dW;
  std::vector<RowVector> b, db;
  std::vector<Matrix> A;   // A[0] = input batch, A[l+1] = output of layer l
  std::vector<Matrix> dZ;  // per layer
  Matrix dA;
  bool relu = true;

  void forward(const Matrix& x) {
    A[0] = x;
    const std::size_t layers = W.size();
    for (std::size_t l = 0; l < layers; ++l) {
      Matrix& out = A[l + 1];
      out.resize(x.rows(), W[l].cols());
      out.noalias() = A[l] * W[l];
      out.rowwise() += b[l];
      if (l + 1 < layers) {
        if (relu) out = out.cwiseMax(0.0f);
        else out = out.array().tanh().matrix();
      }
    }
  }

  // Mean cross-entropy of the last forward's scores; when train, also dZ of the last layer.
  double loss(const std::vector<int>& labels, bool train) {
    Matrix& scores = A.back();
    const Eigen::Index rows = scores.rows();
    double total = 0;
    Matrix& grad = dZ.back();
    if (train) grad.resize(rows, scores.cols());
    for (Eigen::Index r = 0; r < rows; ++r) {
      const float top = scores.row(r).maxCoeff();
      const RowVector exps = (scores.row(r).array() - top).exp().matrix();
      const float sum = exps.sum();
      total += std::log(sum) - (scores(r, labels[r]) - top);
      if (train) {
        grad.row(r) = exps / (sum * static_cast<float>(rows));
        grad(r, labels[r]) -= 1.0f / static_cast<float>(rows);
      }
    }
    return total / static_cast<double>(rows);
  }

  void backward_and_update(float lr) {
    for (std::size_t l = W.size(); l-- > 0;) {
      dW[l].noalias() = A[l].transpose() * dZ[l];
      db[l] = dZ[l].colwise().sum();
      if (l > 0) {
        dA.resize(dZ[l].rows(), W[l].rows());
        dA.noalias() = dZ[l] * W[l].transpose();
        if (relu) dZ[l - 1] = (A[l].array() > 0.0f).select(dA, 0.0f);
        else dZ[l - 1] = dA.cwiseProduct((1.0f - A[l].array().square()).matrix());
      }
      W[l] -= lr * dW[l];
      b[l] -= lr * db[l];
    }
  }
};

std::string argument(int argc, char** argv, const std::string& name, const std::string& fallback) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind(prefix, 0) == 0) return arg.substr(prefix.size());
  }
  return fallback;
}

int run(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  const Workload w = workload_by_id(argument(argc, argv, "workload", ""));
  const double warmup_seconds = std::stod(argument(argc, argv, "warmup", "2"));
  const double timed_seconds = std::stod(argument(argc, argv, "time", "2"));
  const int count = 8 * w.batch;
  const int dims = w.widths.front();

  Matrix pool(count, dims);
  std::vector<int> labels(count);
  trainscope::Rng data_rng(42);
  for (int k = 0; k < count; ++k) {
    if (w.id == "W1") {
      const int arm = k % 3;
      const double radius = data_rng.uniform();
      const double angle = 4.0 * arm + 4.0 * radius + 0.2 * data_rng.normal();
      pool(k, 0) = static_cast<float>(radius * std::sin(angle));
      pool(k, 1) = static_cast<float>(radius * std::cos(angle));
      labels[k] = arm;
    } else {
      for (int i = 0; i < dims; ++i) {
        pool(k, i) = static_cast<float>(w.id == "W2" ? data_rng.uniform() : data_rng.normal());
      }
      labels[k] = k % 10;
    }
  }

  Net net;
  net.relu = w.relu;
  trainscope::Rng init_rng(1337);
  const std::size_t layers = w.widths.size() - 1;
  for (std::size_t l = 0; l < layers; ++l) {
    const int fan_in = w.widths[l], fan_out = w.widths[l + 1];
    Matrix weights(fan_in, fan_out);
    const double scale = std::sqrt(w.gain / fan_in);
    for (int i = 0; i < fan_in; ++i)
      for (int j = 0; j < fan_out; ++j) weights(i, j) = static_cast<float>(init_rng.normal() * scale);
    net.W.push_back(weights);
    net.dW.emplace_back(fan_in, fan_out);
    net.b.push_back(RowVector::Zero(fan_out));
    net.db.push_back(RowVector::Zero(fan_out));
    net.dZ.emplace_back();
  }
  net.A.resize(layers + 1);

  std::vector<Matrix> batches;
  std::vector<std::vector<int>> batch_labels;
  for (int i = 0; i < 8; ++i) {
    batches.push_back(pool.middleRows(i * w.batch, w.batch));
    batch_labels.emplace_back(labels.begin() + i * w.batch, labels.begin() + (i + 1) * w.batch);
  }
  long step_index = 0;
  auto step = [&]() {
    const int i = static_cast<int>(step_index++ % 8);
    net.forward(batches[i]);
    net.loss(batch_labels[i], true);
    net.backward_and_update(0.01f);
  };
  auto pool_loss = [&]() {
    net.forward(pool);
    return net.loss(labels, false);
  };

  const double before = pool_loss();
  for (int s = 0; s < w.warmup_steps; ++s) step();
  const double after = pool_loss();
  if (std::fabs(before - w.loss_before) > 5e-6 || std::fabs(after - w.loss_after) > 5e-6) {
    throw std::runtime_error("reference losses not reproduced: " + std::to_string(before) + " → " +
                             std::to_string(after));
  }
  auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  long untimed = 0;
  const Clock::time_point warmup_start = Clock::now();
  while (seconds_since(warmup_start) < warmup_seconds) {
    step();
    ++untimed;
  }
  long steps = 0;
  double elapsed = 0;
  const Clock::time_point start = Clock::now();
  do {
    step();
    ++steps;
    elapsed = seconds_since(start);
  } while (elapsed < timed_seconds);
  std::printf(
      "BENCH_RESULT {\"workload\":\"%s\",\"lossBefore\":%.9g,\"lossAfter\":%.9g,\"untimedSteps\":%ld,"
      "\"steps\":%ld,\"seconds\":%.6f,\"stepsPerSecond\":%.6g}\n",
      w.id.c_str(), before, after, untimed, steps, elapsed, steps / elapsed);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    std::printf("BENCH_RESULT {\"error\":\"%s\"}\n", error.what());
    return 1;
  }
}
