// The interface every layer of a Network implements.
//
// Shapes (one letter per dimension, as in tensor.hpp): B examples per batch, I input features,
// O output features. Activations are row-major B x F matrices.
//
// A layer declares the tensors it owns (TensorSpec); the Network lays all of them out in its flat
// parameter / gradient / state buffers and hands each layer raw pointers into them (bind). The
// layer keeps its own output and input-gradient matrices, sized on the first call at a batch size
// and reused afterwards, so a training step does not allocate.
#pragma once

#include <string>
#include <vector>

#include "../config.hpp"
#include "../rng.hpp"
#include "../tensor.hpp"
#include "../trainer.hpp"  // Mode

namespace trainscope {

// One tensor a layer owns: a parameter (trainable, lives in params/grads) or non-trainable state
// (lives in the state buffer, no gradient).
struct TensorSpec {
  std::string suffix;  // "W", "b", "gamma", "beta", "alpha", "running_mean", "running_var"
  int rows = 1;
  int cols = 1;
  bool trainable = true;
  bool decay = false;  // weight matrices only: L1/L2 and AdamW decay apply
};

template <class T>
class Layer {
 public:
  virtual ~Layer() = default;

  virtual std::string kind() const = 0;

  virtual std::vector<TensorSpec> tensor_specs() const { return {}; }

  // values[k] points at tensor_specs()[k] (into params for trainable specs, into state otherwise);
  // grads[k] points into the gradient buffer for trainable specs and is nullptr for state.
  virtual void bind(const std::vector<T*>& values, const std::vector<T*>& grads) {
    (void)values;
    (void)grads;
  }

  // Fills this layer's tensors; draws from rng only for random weights (tensor order, row-major).
  virtual void initialize(const ModelConfig& model, Rng& rng) {
    (void)model;
    (void)rng;
  }

  // Returns the output (B x O). May return x itself when the layer is the identity (dropout off,
  // identity activation). Keeps what backward needs; x must stay alive until backward.
  virtual const Matrix<T>& forward(const Matrix<T>& x, Mode mode, Rng* rng) = 0;

  // x: the input of the last forward; dy: dL/d(output), B x O. OVERWRITES this layer's parameter
  // gradients. Returns dL/dx (B x I) when need_input_grad; otherwise the return value is unused.
  virtual const Matrix<T>& backward(const Matrix<T>& x, const Matrix<T>& dy, bool need_input_grad) = 0;
};

}  // namespace trainscope
