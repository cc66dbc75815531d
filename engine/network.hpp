// A feed-forward network built from its architecture plan (architecture.hpp): blocks
// dense|conv → [norm] → activation → [dropout]  (norm may instead follow the activation:
// model.norm_position = "after"), pooling layers between them, then a dense output layer. An MLP
// (model.hidden) is the case of dense blocks only.
//
// All parameters live in ONE flat buffer and all gradients in another of the same size (llm.c
// style); each layer holds Eigen::Map views into them, so an optimizer is one loop over a flat
// array. Non-trainable state (batch-norm running statistics) lives in a third flat buffer.
// Templated on the scalar so that gradient checks can run the very same code in double.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "architecture.hpp"
#include "config.hpp"
#include "rng.hpp"
#include "tensor.hpp"
#include "trainer.hpp"  // Mode

namespace trainscope {

template <class T>
class Layer;           // engine/layers/layer.hpp
struct ActivationInfo;  // engine/layers/activation_registry.hpp

// Per hidden block, the matrices a diagnostic needs from the last forward pass.
template <class T>
struct BlockView {
  std::string activation;     // activation name of the block
  const ActivationInfo* info = nullptr;  // its registry row (traits)
  const Matrix<T>* pre = nullptr;  // B x units: input of the activation (maxout: B x 2·units,
                                   // pieces j and j + units)
  const Matrix<T>* act = nullptr;  // B x units: output of the activation (before dropout)
  int weight_tensor = -1;     // index into tensors() of the block's dense / conv W
  int units = 0;              // dense: units; conv: channels (a conv "unit" is a whole channel)
  int spatial = 1;            // conv: positions per channel (pre/act rows hold units·spatial values)
};

template <class T>
class Network {
 public:
  // inputs: feature count; outputs: classes (or 1 for regression). Throws ConfigError for
  // impossible structures (e.g. groups not dividing a width).
  Network(const ModelConfig& model, int inputs, int outputs);
  // input: the shape of one example (its size is inputs()); conv and pool layers need an image.
  Network(const ModelConfig& model, ImageShape input, int outputs);
  ~Network();
  Network(Network&&) noexcept;
  Network& operator=(Network&&) noexcept;

  int inputs() const;
  int outputs() const;

  // Parameter tensors first (trainable, offsets into params()), then state tensors
  // (trainable == false, offsets into state()).
  const std::vector<TensorInfo>& tensors() const;
  std::size_t param_count() const;
  std::size_t state_count() const;
  T* params();
  const T* params() const;
  T* grads();
  const T* grads() const;
  T* state();
  const T* state() const;

  // Weights by model.init (init_scale), biases = bias_init, γ = 1, β = 0, PReLU α, running
  // mean 0 / variance 1. Draws from rng in tensor order, each W row-major.
  void initialize(Rng& rng);

  // x: B x inputs. Keeps what backward needs. Train mode: batch-norm uses batch statistics and
  // updates running ones; dropout draws masks from dropout_rng. Eval mode: running statistics,
  // no dropout. Returns the output scores B x outputs. Allocates only when B changes.
  // x must stay alive and unchanged until backward (the first layer's dW = xᵀ·dZ reads it).
  const Matrix<T>& forward(const Matrix<T>& x, Mode mode, Rng* dropout_rng);

  // dscores: B x outputs, gradient of the loss w.r.t. the scores of the last forward. Sets
  // grads() to dL/dparams (overwrites; does not add regularization).
  void backward(const Matrix<T>& dscores);

  // Adds λ1·Σ|W| + ½λ2·ΣW² over weight matrices (TensorInfo::decay) and, when add_to_grads,
  // its gradient (λ1·sign(W) + λ2·W) into grads(). Returns the penalty.
  double regularization(double l1, double l2, bool add_to_grads);

  void set_dropout(double drop_probability);

  const std::vector<LayerPlan>& plan() const;  // the architecture it was built from, output last
  // Trainable values per plan entry (its dense/conv W and b, norm γ and β, activation parameters).
  std::vector<std::size_t> parameters_per_plan_entry() const;

  int blocks() const;               // number of hidden blocks
  // weight_tensor, units and activation are valid at once; pre and act after a forward (until the
  // next forward; with model.norm_position = "after" act is still the activation's own output).
  BlockView<T> block(int i) const;

  // Copies parameters and state from a network of another scalar type with the same structure.
  template <class U>
  void copy_from(const Network<U>& other);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

extern template class Network<float>;
extern template class Network<double>;

}  // namespace trainscope
