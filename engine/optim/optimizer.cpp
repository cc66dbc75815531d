// The seven update rules of CS231n lecture 7, on the network's flat buffers.
//
// Every rule is written as Eigen array expressions over Map views of the flat parameter, gradient
// and state buffers, so each line is one vectorised pass with no temporary and no allocation.
// State buffers are allocated once, in the constructor. Notation (per element):
//   p parameter, g gradient dL/dp, lr learning rate of this step (after schedule and warm-up).
// All parameters are trainable (non-trainable state lives in the network's separate state buffer),
// so the rules run over the whole parameter buffer; only AdamW's decay looks at individual tensors.
#include "optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace trainscope {
namespace {

using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

// A flat state buffer with the same length as the parameters, zero-initialised.
// `saved` holds the values at the last checkpoint (allocated with the buffer: no allocation per step).
class StateBuffer {
 public:
  explicit StateBuffer(std::size_t size) : values_(size, 0.0f), saved_(size, 0.0f) {}
  ArrayMap array() { return ArrayMap(values_.data(), static_cast<Index>(values_.size())); }
  void zero() { std::fill(values_.begin(), values_.end(), 0.0f); }
  void save() { std::copy(values_.begin(), values_.end(), saved_.begin()); }
  void restore() { std::copy(saved_.begin(), saved_.end(), values_.begin()); }

 private:
  std::vector<float> values_;
  std::vector<float> saved_;
};

// Owns the checkpoint of every state buffer a rule registers with track(), and the step count.
class OptimizerBase : public Optimizer {
 public:
  explicit OptimizerBase(std::size_t param_count) : size_(static_cast<Index>(param_count)) {}
  void checkpoint() override {
    for (StateBuffer* buffer : state_) buffer->save();
    saved_step_ = step_;
  }
  void rollback() override {
    for (StateBuffer* buffer : state_) buffer->restore();
    step_ = saved_step_;
  }

 protected:
  ArrayMap params(float* p) const { return ArrayMap(p, size_); }
  ConstArrayMap grads(const float* g) const { return ConstArrayMap(g, size_); }
  void track(StateBuffer& buffer) { state_.push_back(&buffer); }
  Index size_;
  int step_ = 0;  // updates made (Adam's t)

 private:
  std::vector<StateBuffer*> state_;
  int saved_step_ = 0;
};

// SGD:  p ← p − lr·g
class Sgd final : public OptimizerBase {
 public:
  using OptimizerBase::OptimizerBase;
  void update(float* params_data, const float* grads_data, double lr) override {
    params(params_data) -= static_cast<float>(lr) * grads(grads_data);
  }
  void set_hyperparameters(const TrainConfig&) override {}
  void reset() override {}
};

// SGD + momentum (velocity form, ρ = train.momentum):
//   v ← ρ·v + g
//   p ← p − lr·v
class Momentum final : public OptimizerBase {
 public:
  Momentum(const TrainConfig& train, std::size_t param_count)
      : OptimizerBase(param_count), velocity_(param_count) {
    track(velocity_);
    set_hyperparameters(train);
  }
  void update(float* params_data, const float* grads_data, double lr) override {
    ArrayMap v = velocity_.array();
    v = rho_ * v + grads(grads_data);
    params(params_data) -= static_cast<float>(lr) * v;
  }
  void set_hyperparameters(const TrainConfig& train) override { rho_ = static_cast<float>(train.momentum); }
  void reset() override { velocity_.zero(); }

 private:
  StateBuffer velocity_;
  float rho_ = 0;
};

// Nesterov momentum (CS231n's change of variables, so the update uses only the current gradient):
//   v_prev ← v
//   v ← ρ·v − lr·g
//   p ← p − ρ·v_prev + (1 + ρ)·v
// Done in two passes without a v_prev buffer: the parameter pass reads the old v and recomputes
// the new one inline, then the velocity pass stores it.
class Nesterov final : public OptimizerBase {
 public:
  Nesterov(const TrainConfig& train, std::size_t param_count)
      : OptimizerBase(param_count), velocity_(param_count) {
    track(velocity_);
    set_hyperparameters(train);
  }
  void update(float* params_data, const float* grads_data, double lr) override {
    ArrayMap v = velocity_.array();
    ConstArrayMap g = grads(grads_data);
    const float step = static_cast<float>(lr);
    params(params_data) += -rho_ * v + (1.0f + rho_) * (rho_ * v - step * g);
    v = rho_ * v - step * g;
  }
  void set_hyperparameters(const TrainConfig& train) override { rho_ = static_cast<float>(train.momentum); }
  void reset() override { velocity_.zero(); }

 private:
  StateBuffer velocity_;
  float rho_ = 0;
};

// AdaGrad:
//   c ← c + g²
//   p ← p − lr·g / (√c + eps)
class Adagrad final : public OptimizerBase {
 public:
  Adagrad(const TrainConfig& train, std::size_t param_count)
      : OptimizerBase(param_count), squares_(param_count) {
    track(squares_);
    set_hyperparameters(train);
  }
  void update(float* params_data, const float* grads_data, double lr) override {
    ArrayMap c = squares_.array();
    ConstArrayMap g = grads(grads_data);
    c += g.square();
    params(params_data) -= static_cast<float>(lr) * g / (c.sqrt() + eps_);
  }
  void set_hyperparameters(const TrainConfig& train) override { eps_ = static_cast<float>(train.eps); }
  void reset() override { squares_.zero(); }

 private:
  StateBuffer squares_;
  float eps_ = 0;
};

// RMSProp (leaky AdaGrad, decay = train.decay):
//   c ← decay·c + (1 − decay)·g²
//   p ← p − lr·g / (√c + eps)
class RmsProp final : public OptimizerBase {
 public:
  RmsProp(const TrainConfig& train, std::size_t param_count)
      : OptimizerBase(param_count), squares_(param_count) {
    track(squares_);
    set_hyperparameters(train);
  }
  void update(float* params_data, const float* grads_data, double lr) override {
    ArrayMap c = squares_.array();
    ConstArrayMap g = grads(grads_data);
    c = decay_ * c + (1.0f - decay_) * g.square();
    params(params_data) -= static_cast<float>(lr) * g / (c.sqrt() + eps_);
  }
  void set_hyperparameters(const TrainConfig& train) override {
    decay_ = static_cast<float>(train.decay);
    eps_ = static_cast<float>(train.eps);
  }
  void reset() override { squares_.zero(); }

 private:
  StateBuffer squares_;
  float decay_ = 0;
  float eps_ = 0;
};

// Adam (with bias correction), and AdamW when decoupled_decay is set:
//   t ← t + 1
//   m ← β1·m + (1 − β1)·g
//   v ← β2·v + (1 − β2)·g²
//   m̂ = m / (1 − β1ᵗ),  v̂ = v / (1 − β2ᵗ)
//   p ← p − lr·m̂ / (√v̂ + eps)
// AdamW additionally shrinks every weight matrix (TensorInfo::decay; biases, γ, β, PReLU slopes
// are exempt) with the same learning rate, decoupled from the gradient:
//   p ← p − lr·weight_decay·p
// The shrink is applied first, then the Adam step; since the Adam step does not read p, the result
// equals applying both to the old p at once:  p ← p·(1 − lr·wd) − lr·m̂/(√v̂ + eps).
// β1ᵗ and β2ᵗ are computed in double; changing β1/β2 live keeps m, v and t (the correction then
// uses the new β with the old t, which is what "live" means here).
class Adam final : public OptimizerBase {
 public:
  Adam(const TrainConfig& train, const std::vector<TensorInfo>& tensors, std::size_t param_count,
       bool decoupled_decay)
      : OptimizerBase(param_count), first_moment_(param_count), second_moment_(param_count),
        decoupled_decay_(decoupled_decay) {
    if (decoupled_decay_) {
      for (const TensorInfo& tensor : tensors) {
        if (!tensor.trainable || !tensor.decay) continue;
        if (tensor.offset + tensor.size() > param_count) {
          throw std::invalid_argument("adamw: tensor " + tensor.name + " lies outside the parameter buffer");
        }
        decayed_ranges_.emplace_back(tensor.offset, tensor.size());
      }
    }
    track(first_moment_);
    track(second_moment_);
    set_hyperparameters(train);
  }

  void update(float* params_data, const float* grads_data, double lr) override {
    ++step_;
    if (decoupled_decay_) {
      const float shrink = static_cast<float>(1.0 - lr * weight_decay_);
      for (const auto& [offset, size] : decayed_ranges_) {
        ArrayMap(params_data + offset, static_cast<Index>(size)) *= shrink;
      }
    }
    ArrayMap m = first_moment_.array();
    ArrayMap v = second_moment_.array();
    ConstArrayMap g = grads(grads_data);
    const float b1 = static_cast<float>(beta1_);
    const float b2 = static_cast<float>(beta2_);
    m = b1 * m + (1.0f - b1) * g;
    v = b2 * v + (1.0f - b2) * g.square();
    // Without the correction (train.bias_correction false, lecture 7's "first steps" demo) the moments
    // start at 0 and the early steps are far too small: m̂ = m, v̂ = v.
    const float inverse_correction1 = bias_correction_ ? static_cast<float>(1.0 / (1.0 - std::pow(beta1_, step_))) : 1.0f;
    const float inverse_correction2 = bias_correction_ ? static_cast<float>(1.0 / (1.0 - std::pow(beta2_, step_))) : 1.0f;
    const float step = static_cast<float>(lr);
    params(params_data) -= step * (m * inverse_correction1) / ((v * inverse_correction2).sqrt() + eps_);
  }

  void set_hyperparameters(const TrainConfig& train) override {
    beta1_ = train.beta1;
    beta2_ = train.beta2;
    bias_correction_ = train.bias_correction;
    eps_ = static_cast<float>(train.eps);
    weight_decay_ = train.weight_decay;
  }

  void reset() override {
    first_moment_.zero();
    second_moment_.zero();
    step_ = 0;
  }

 private:
  StateBuffer first_moment_;
  StateBuffer second_moment_;
  bool decoupled_decay_;
  std::vector<std::pair<std::size_t, std::size_t>> decayed_ranges_;  // (offset, size) of weight matrices
  double beta1_ = 0;
  double beta2_ = 0;
  bool bias_correction_ = true;
  float eps_ = 0;
  double weight_decay_ = 0;
};

template <class Rule>
std::unique_ptr<Optimizer> make_rule(const TrainConfig& train, const std::vector<TensorInfo>&, std::size_t count) {
  if constexpr (std::is_constructible_v<Rule, std::size_t>) {
    return std::make_unique<Rule>(count);
  } else {
    return std::make_unique<Rule>(train, count);
  }
}
std::unique_ptr<Optimizer> make_adam(const TrainConfig& train, const std::vector<TensorInfo>& tensors,
                                     std::size_t count) {
  return std::make_unique<Adam>(train, tensors, count, false);
}
std::unique_ptr<Optimizer> make_adamw(const TrainConfig& train, const std::vector<TensorInfo>& tensors,
                                      std::size_t count) {
  return std::make_unique<Adam>(train, tensors, count, true);
}

}  // namespace

// The optimizer registry (train.optimizer); `uses` lists the train.* keys each rule reads.
const std::vector<OptimizerInfo>& optimizers() {
  static const std::vector<OptimizerInfo> registry = {
      {"sgd", "plain SGD: p -= lr·g", "lr", make_rule<Sgd>},
      {"momentum", "SGD + momentum: v = rho·v - lr·g; p += v", "lr momentum", make_rule<Momentum>},
      {"nesterov", "Nesterov momentum: the gradient after the look-ahead step", "lr momentum", make_rule<Nesterov>},
      {"adagrad", "AdaGrad: steps scaled by the root of the accumulated squared gradient", "lr eps",
       make_rule<Adagrad>},
      {"rmsprop", "RMSProp: a leaky AdaGrad", "lr decay eps", make_rule<RmsProp>},
      {"adam", "Adam: momentum + RMSProp + bias correction", "lr beta1 beta2 eps bias_correction", make_adam},
      {"adamw", "AdamW: Adam with decoupled weight decay", "lr beta1 beta2 eps weight_decay bias_correction", make_adamw},
  };
  return registry;
}

std::vector<Choice> optimizer_choices() { return choices_of(optimizers()); }

std::unique_ptr<Optimizer> make_optimizer(const TrainConfig& train, const std::vector<TensorInfo>& tensors,
                                          std::size_t param_count) {
  const OptimizerInfo* info = find_named(optimizers(), train.optimizer);
  if (info == nullptr) throw ConfigError("train.optimizer", "unknown optimizer '" + train.optimizer + "'");
  return info->make(train, tensors, param_count);
}

}  // namespace trainscope
