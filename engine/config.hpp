// One training run's configuration. Field names are the public configuration keys (the JS API,
// JSON files, URL hashes and the CLI use exactly these names, grouped as data / model / train /
// diagnostics). Defaults here are the engine's; bindings/js/defaults.js mirrors them for JS users
// and a test holds the two equal.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace trainscope {

// Thrown for any invalid configuration or argument. `field` is the dotted config path
// ("train.lr", "model.groups"); the message says what is allowed.
class ConfigError : public std::invalid_argument {
 public:
  ConfigError(std::string field, const std::string& message)
      : std::invalid_argument(field + ": " + message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

struct DataConfig {
  // spiral | circles | xor | gaussians | moons | gaussian_cloud | regression | custom
  std::string dataset = "spiral";
  int classes = 3;            // spiral arms, gaussian blobs, gaussian_cloud classes (circles, xor, moons: 2)
  int samples = 300;          // total examples before the validation split
  double noise = 0.2;         // dataset-specific spread (angle noise for spiral, std for blobs ...)
  int dims = 2;               // gaussian_cloud: any dimension; regression: 1 or 2; custom: columns of x
  double val_fraction = 0.2;  // in [0, 1): share held out for validation
  std::string preprocess = "none";  // none | center | standardize | pca | whiten
  int train_limit = 0;        // > 0: keep only the first train_limit training examples
  // dataset == "custom": row-major samples x dims features; labels (integers 0..classes-1 as
  // floats) or regression targets (one per row, loss "mse").
  std::vector<float> x;
  std::vector<float> y;
};

struct ModelConfig {
  std::vector<int> hidden = {100, 100};  // widths of the hidden layers
  // identity | sigmoid | tanh | relu | leaky_relu | prelu | elu | maxout | gelu
  std::string activation = "relu";
  double alpha = -1;  // leaky_relu slope (0.01), elu alpha (1), prelu initial slope (0.25); < 0: default
  // zeros | normal | uniform | xavier | glorot_uniform | glorot_normal | he | he_uniform | lecun | orthogonal
  std::string init = "he";
  double init_scale = 0.01;  // std for normal, bound for uniform
  double bias_init = 0.0;
  std::string norm = "none";  // none | batch | layer | group
  int groups = 4;             // group norm: must divide every hidden width
  std::string norm_position = "before";  // before | after (the activation)
  double bn_momentum = 0.9;   // running = momentum·running + (1 − momentum)·batch statistic
  double norm_eps = 1e-5;
  double dropout = 0.0;       // drop probability in [0, 1); keep probability = 1 − dropout
  double gain = 1.0;          // orthogonal: the orthogonal matrix is multiplied by gain
};

struct TrainConfig {
  std::string optimizer = "sgd";  // sgd | momentum | nesterov | adagrad | rmsprop | adam | adamw
  double lr = 0.1;
  double momentum = 0.9;     // ρ for momentum and nesterov
  double beta1 = 0.9;        // adam, adamw
  double beta2 = 0.999;      // adam, adamw
  double eps = 1e-8;         // adagrad, rmsprop, adam, adamw
  double decay = 0.99;       // rmsprop: leak of the squared-gradient average
  double weight_decay = 0.01;  // adamw: decoupled, p -= lr·weight_decay·p (weights only)
  std::string schedule = "constant";  // constant | step | exponential | cosine
  int decay_steps = 1000;    // step: every N steps; exponential: gamma per N steps; cosine: period
  double gamma = 0.5;        // step / exponential factor
  double min_lr = 0.0;       // cosine floor
  int warmup = 0;            // linear warm-up steps (0 = none)
  int batch_size = 32;       // clamped to the training set size
  double l1 = 0.0;           // λ1·Σ|W| over weight matrices
  double l2 = 0.0;           // ½·λ2·Σ W² over weight matrices (gradient λ2·W)
  std::string loss = "softmax";  // softmax | svm | mse
  double clip = 0.0;         // > 0: rescale the gradient so its global L2 norm is at most clip
  bool shuffle = true;       // false: batch i = examples i·B … i·B+B−1 (wrapping), no shuffling
};

struct DiagnosticsConfig {
  int cadence = 10;       // record per-layer diagnostics every `cadence` steps (0 = never)
  int probe_size = 1024;  // dead-unit probe: fixed random subset of the training set (cap)
  int bins = 20;          // histogram bins
  int history = 4096;     // points kept per series; when full, every other point is dropped
};

struct Config {
  std::uint32_t seed = 1;
  DataConfig data;
  ModelConfig model;
  TrainConfig train;
  DiagnosticsConfig diagnostics;
};

// Memory the engine refuses to exceed, checked before anything is allocated.
constexpr std::size_t kMemoryBudgetBytes = 512u * 1024u * 1024u;

// Throws ConfigError naming the first invalid field. Does not allocate per-sample storage.
void validate(const Config& config);

// Estimated bytes a trainer built from `config` would hold (data, parameters, optimizer state,
// activations for the largest batch, diagnostics).
std::size_t estimate_memory_bytes(const Config& config);

}  // namespace trainscope
