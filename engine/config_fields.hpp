// THE configuration table: every key of a training run's configuration, written once.
//
// Each row is  F(group, key, C++ type, default, rule, live, unit, doc):
//   - group/key  the public name ("train.lr"): the JS API, JSON files, URL hashes and the CLI use it;
//   - default    the value a missing key takes (data-dependent defaults: see DatasetInfo in
//                data/dataset.hpp and config_from_json);
//   - rule       what one value may be on its own (cross-field rules are in config.cpp);
//                enumerated keys take their allowed values from the registry of their kind;
//   - live       kLive: Trainer::set_live applies it to a running trainer; kReset: changing it
//                rebuilds the run;
//   - unit, doc  for the generated schema (JS validation, CLI help, .d.ts, the page's controls).
// The structs of config.hpp are declared from these rows, and the JSON reader and writer,
// validation, set_live and the schema (engine/schema.cpp) iterate over them.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "layers/layer_spec.hpp"
#include "registry.hpp"

namespace trainscope {

// What one value of a key may be. Bounds apply to numbers, integers and each width of a list.
struct Rule {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false;
  bool max_open = false;
  std::vector<Choice> (*choices)() = nullptr;  // enumerated keys: the registry's names
  int max_length = 0;                          // lists of widths: at most this many entries

  static constexpr Rule finite() { return Rule{}; }
  static constexpr Rule closed(double lo, double hi) { return Rule{lo, hi, false, false, nullptr, 0}; }
  static constexpr Rule half_open(double lo, double hi) { return Rule{lo, hi, false, true, nullptr, 0}; }
  static constexpr Rule open_closed(double lo, double hi) { return Rule{lo, hi, true, false, nullptr, 0}; }
  static constexpr Rule positive() {
    return Rule{0, std::numeric_limits<double>::infinity(), true, false, nullptr, 0};
  }
  static constexpr Rule non_negative() {
    return Rule{0, std::numeric_limits<double>::infinity(), false, false, nullptr, 0};
  }
  static constexpr Rule names(std::vector<Choice> (*list)()) {
    Rule rule;
    rule.choices = list;
    return rule;
  }
  static constexpr Rule widths(double lo, double hi, int most) { return Rule{lo, hi, false, false, nullptr, most}; }
};

constexpr bool kLive = true;
constexpr bool kReset = false;

constexpr double kMaxInt = std::numeric_limits<int>::max();
constexpr double kMaxSeed = 4294967295.0;
constexpr double kMaxClasses = 1000;
constexpr double kMaxSamples = 1000000;
constexpr double kMaxDims = 65536;
constexpr double kMaxWidth = 65536;
constexpr int kMaxHiddenLayers = 64;
constexpr double kMaxProbe = 1000000;
constexpr double kMaxHistory = 1000000;

// The allowed values of the enumerated keys, each defined next to its implementation.
std::vector<Choice> dataset_choices();        // data/generators.cpp
std::vector<Choice> preprocess_choices();     // data/preprocessor.cpp
std::vector<Choice> val_from_choices();       // data/split.cpp
std::vector<Choice> activation_choices();     // layers/activation_registry.cpp
std::vector<Choice> init_choices();           // layers/init.cpp
std::vector<Choice> norm_choices();           // layers/norms.cpp
std::vector<Choice> norm_position_choices();  // layers/norms.cpp
std::vector<Choice> optimizer_choices();      // optim/optimizer.cpp
std::vector<Choice> schedule_choices();       // optim/schedule.cpp
std::vector<Choice> loss_choices();           // loss.cpp

// clang-format off
#define TRAINSCOPE_SEED_FIELD(F) \
  F(root, seed, std::uint32_t, 1, Rule::closed(0, kMaxSeed), kReset, "", "random seed (data, split, initialization, batches, dropout)")

#define TRAINSCOPE_DATA_FIELDS(F) \
  F(data, dataset,      std::string,        "spiral", Rule::names(dataset_choices),    kReset, "",         "which dataset to generate, or custom") \
  F(data, classes,      int,                3,        Rule::closed(1, kMaxClasses),    kReset, "classes",  "number of classes (spiral arms, blobs, cloud labels; fixed by two-class datasets)") \
  F(data, samples,      int,                300,      Rule::closed(2, kMaxSamples),    kReset, "examples", "examples before the validation split") \
  F(data, noise,        double,             0.2,      Rule::non_negative(),            kReset, "",         "dataset spread (angle noise for spiral, std for blobs)") \
  F(data, dims,         int,                2,        Rule::closed(1, kMaxDims),       kReset, "features", "input dimensions (gaussian_cloud, regression, custom)") \
  F(data, val_fraction, double,             0.2,      Rule::half_open(0, 1),           kReset, "",         "share held out for validation") \
  F(data, val_from,     std::string,        "train",  Rule::names(val_from_choices),   kReset, "",         "where validation examples come from: the training set, or the official test file (fashion_mnist)") \
  F(data, preprocess,   std::string,        "none",   Rule::names(preprocess_choices), kReset, "",         "preprocessing fitted on the training split") \
  F(data, train_limit,  int,                0,        Rule::closed(0, kMaxInt),        kReset, "examples", "> 0: keep only the first N training examples") \
  F(data, x,            std::vector<float>, {},       Rule::finite(),                  kReset, "",         "custom features: row-major samples x dims values") \
  F(data, y,            std::vector<float>, {},       Rule::finite(),                  kReset, "",         "custom labels (0..classes-1) or regression targets for loss mse") \
  F(data, shape,        std::vector<int>,   {},       Rule::widths(1, kMaxDims, 3),    kReset, "",         "custom images: [C, H, W] of one example; each x row holds C·H·W values, channel-major")

#define TRAINSCOPE_MODEL_FIELDS(F) \
  F(model, hidden,        std::vector<int>, (std::vector<int>{100, 100}), Rule::widths(1, kMaxWidth, kMaxHiddenLayers), kReset, "units", "hidden layer widths") \
  F(model, layers,        std::vector<LayerSpec>, {}, Rule::widths(0, 0, kMaxHiddenLayers), kReset, "", "ordered layer list (conv, pool, dense): the general form of model.hidden, which it replaces") \
  F(model, activation,    std::string, "relu",   Rule::names(activation_choices),    kReset, "",      "hidden activation") \
  F(model, alpha,         double,      -1,       Rule::finite(),                     kReset, "",      "leaky_relu / elu / prelu slope; < 0 means the activation's default") \
  F(model, init,          std::string, "he",     Rule::names(init_choices),          kReset, "",      "weight initializer") \
  F(model, init_scale,    double,      0.01,     Rule::non_negative(),               kReset, "",      "std for normal, bound for uniform") \
  F(model, bias_init,     double,      0,        Rule::finite(),                     kReset, "",      "initial bias value") \
  F(model, norm,          std::string, "none",   Rule::names(norm_choices),          kReset, "",      "normalization layer in each hidden block") \
  F(model, groups,        int,         4,        Rule::closed(1, kMaxWidth),         kReset, "",      "group norm groups (must divide every hidden width)") \
  F(model, norm_position, std::string, "before", Rule::names(norm_position_choices), kReset, "",      "normalization before or after the activation") \
  F(model, bn_momentum,   double,      0.9,      Rule::half_open(0, 1),              kReset, "",      "running-statistics momentum: running = m·running + (1 − m)·batch") \
  F(model, norm_eps,      double,      1e-5,     Rule::positive(),                   kReset, "",      "normalization epsilon") \
  F(model, dropout,       double,      0,        Rule::half_open(0, 1),              kLive,  "",      "drop probability (inverted dropout)") \
  F(model, gain,          double,      1,        Rule::positive(),                   kReset, "",      "orthogonal init gain")

#define TRAINSCOPE_TRAIN_FIELDS(F) \
  F(train, optimizer,    std::string, "sgd",      Rule::names(optimizer_choices), kReset, "",      "update rule") \
  F(train, lr,           double,      0.1,        Rule::positive(),               kLive,  "",      "learning rate") \
  F(train, momentum,     double,      0.9,        Rule::half_open(0, 1),          kLive,  "",      "momentum / nesterov friction rho") \
  F(train, beta1,        double,      0.9,        Rule::half_open(0, 1),          kLive,  "",      "adam first-moment decay") \
  F(train, beta2,        double,      0.999,      Rule::half_open(0, 1),          kLive,  "",      "adam second-moment decay") \
  F(train, eps,          double,      1e-8,       Rule::positive(),               kLive,  "",      "adaptive optimizers epsilon") \
  F(train, bias_correction, bool,     true,       Rule::finite(),                 kLive,  "",      "adam/adamw: divide the moments by 1 - beta^t") \
  F(train, decay,        double,      0.99,       Rule::half_open(0, 1),          kLive,  "",      "rmsprop decay of the squared-gradient average") \
  F(train, weight_decay, double,      0.01,       Rule::non_negative(),           kLive,  "",      "adamw decoupled weight decay") \
  F(train, schedule,     std::string, "constant", Rule::names(schedule_choices),  kLive,  "",      "learning-rate schedule") \
  F(train, decay_steps,  int,         1000,       Rule::closed(1, kMaxInt),       kLive,  "steps", "schedule period") \
  F(train, gamma,        double,      0.5,        Rule::open_closed(0, 1),        kLive,  "",      "step / exponential decay factor") \
  F(train, min_lr,       double,      0,          Rule::non_negative(),           kLive,  "",      "cosine floor (at most train.lr)") \
  F(train, warmup,       int,         0,          Rule::closed(0, kMaxInt),       kLive,  "steps", "linear warm-up") \
  F(train, batch_size,   int,         32,         Rule::closed(1, kMaxInt),       kReset, "examples", "mini-batch size (clamped to the training set)") \
  F(train, l1,           double,      0,          Rule::non_negative(),           kLive,  "",      "L1 strength on weights: λ1·Σ|W|") \
  F(train, l2,           double,      0,          Rule::non_negative(),           kLive,  "",      "L2 strength on weights: ½·λ2·ΣW²") \
  F(train, loss,         std::string, "softmax",  Rule::names(loss_choices),      kReset, "",      "loss function") \
  F(train, clip,         double,      0,          Rule::non_negative(),           kLive,  "",      "> 0: clip the global gradient norm") \
  F(train, shuffle,      bool,        true,       Rule::finite(),                 kReset, "",      "shuffle the training set every epoch")

#define TRAINSCOPE_DIAGNOSTICS_FIELDS(F) \
  F(diagnostics, cadence,    int, 10,   Rule::closed(0, kMaxInt),     kReset, "steps",    "per-layer diagnostics every N steps (0 = never)") \
  F(diagnostics, probe_size, int, 1024, Rule::closed(1, kMaxProbe),   kReset, "examples", "examples in the dead-unit probe") \
  F(diagnostics, bins,       int, 20,   Rule::closed(2, 200),         kReset, "",         "histogram bins") \
  F(diagnostics, history,    int, 4096, Rule::closed(16, kMaxHistory), kReset, "points", "points kept per history series")

// Every field of every group, in schema order.
#define TRAINSCOPE_CONFIG_FIELDS(F) \
  TRAINSCOPE_SEED_FIELD(F) TRAINSCOPE_DATA_FIELDS(F) TRAINSCOPE_MODEL_FIELDS(F) \
  TRAINSCOPE_TRAIN_FIELDS(F) TRAINSCOPE_DIAGNOSTICS_FIELDS(F)

#define TRAINSCOPE_CONFIG_GROUPS(G) G(data, DataConfig) G(model, ModelConfig) G(train, TrainConfig) G(diagnostics, DiagnosticsConfig)
// clang-format on

}  // namespace trainscope
