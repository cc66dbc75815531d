#include "network.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "architecture.hpp"
#include "layers/activation_registry.hpp"
#include "layers/batch_norm.hpp"
#include "layers/conv.hpp"
#include "layers/dense.hpp"
#include "layers/dropout.hpp"
#include "layers/group_norm.hpp"
#include "layers/init.hpp"
#include "layers/layer.hpp"
#include "layers/norms.hpp"
#include "layers/pool.hpp"

namespace trainscope {

namespace {

// What the network itself needs to be buildable. Names and ranges are validated by validate()
// (config.cpp); an unknown activation, initializer or norm is refused by its own factory.
void check_model(const ModelConfig& model, int inputs, int outputs) {
  if (inputs < 1) throw ConfigError("data.dims", "the network needs at least one input feature");
  if (outputs < 1) throw ConfigError("data.classes", "the network needs at least one output");
  for (int width : model.hidden) {
    if (width < 1)
      throw ConfigError("model.hidden", "every hidden width must be ≥ 1 (got " + std::to_string(width) + ")");
  }
  if (!find_activation(model.activation)) {
    throw ConfigError("model.activation",
                      "unknown activation '" + model.activation + "'; allowed: " + activation_names());
  }
  initializer(model.init);  // throws for an unknown name
}

}  // namespace

template <class T>
struct Network<T>::Impl {
  struct Block {
    int activation_layer = 0;
    int weight_tensor = -1;
    int units = 0;
    int spatial = 1;
    std::string activation;
  };

  ModelConfig model;
  ImageShape input;
  int inputs = 0, outputs = 0;
  std::vector<LayerPlan> plan;
  std::vector<std::unique_ptr<Layer<T>>> layers;
  std::vector<int> layer_block;  // block index of each layer (hidden count for the output layer)
  std::vector<int> layer_plan;   // index into plan of each layer (its settings initialize it)
  std::vector<Block> blocks;
  std::vector<Dropout<T>*> dropouts;  // the ones that follow model.dropout (no per-layer value)
  std::vector<TensorInfo> tensors;
  std::size_t param_count = 0, state_count = 0;
  // 16-byte aligned (Eigen's packet size): wasm's malloc aligns only to 8, and Eigen peels an
  // unaligned head before vectorized reductions, so the summation order (and the last bits of
  // every result) would otherwise depend on where the heap happened to place these buffers.
  std::vector<T, Eigen::aligned_allocator<T>> params, grads, state;
  // Input and output of every layer in the last forward (pointers into layers or the caller's x).
  std::vector<const Matrix<T>*> layer_inputs, layer_outputs;
  bool has_forward = false;

  void add(std::unique_ptr<Layer<T>> layer, int block, int planned) {
    layers.push_back(std::move(layer));
    layer_block.push_back(block);
    layer_plan.push_back(planned);
  }

  void build() {
    plan = plan_architecture(model, input, outputs);
    for (int p = 0; p < static_cast<int>(plan.size()); ++p) {
      const LayerPlan& layer = plan[p];
      const int k = static_cast<int>(blocks.size());  // this block's index (pools join no block)
      if (layer.type == "output") {
        add(std::make_unique<Dense<T>>(layer.in.size(), outputs), k, p);
      } else if (layer.type == "pool") {
        add(std::make_unique<Pool2D<T>>(layer.in, layer.size, layer.stride, layer.max_pool), std::max(k - 1, 0), p);
      } else {
        add_block(layer, p);
      }
    }
    layer_inputs.assign(layers.size(), nullptr);
    layer_outputs.assign(layers.size(), nullptr);
    lay_out_tensors();
  }

  // dense|conv → [norm] → activation → [norm] → dropout
  void add_block(const LayerPlan& layer, int p) {
    const ModelConfig& settings = layer.settings;
    const int k = static_cast<int>(blocks.size());
    const bool norm = norm_info(settings.norm).kind != NormInfo::kNone;
    const bool norm_before = norm_position(settings.norm_position).before_activation;
    Block block;
    block.activation = settings.activation;
    if (layer.type == "conv") {
      const int channels = layer.out.channels, spatial = layer.out.spatial();
      add(std::make_unique<Conv2D<T>>(layer.in, layer.filters, layer.size, layer.stride, layer.pad), k, p);
      if (norm && norm_before) add(make_norm<T>(settings, channels, spatial), k, p);
      block.activation_layer = static_cast<int>(layers.size());
      add(make_activation_layer<T>(settings, layer.out.size()), k, p);
      if (norm && !norm_before) add(make_norm<T>(settings, channels, spatial), k, p);
      block.units = channels;
      block.spatial = spatial;
    } else {
      const int units = layer.out.size();
      const int dense_width = find_activation(settings.activation)->traits.width_factor * units;
      add(std::make_unique<Dense<T>>(layer.in.size(), dense_width), k, p);
      if (norm && norm_before) add(make_norm<T>(settings, dense_width), k, p);
      block.activation_layer = static_cast<int>(layers.size());
      add(make_activation_layer<T>(settings, units), k, p);
      if (norm && !norm_before) add(make_norm<T>(settings, units), k, p);
      block.units = units;
    }
    auto dropout = std::make_unique<Dropout<T>>(settings.dropout);
    if (!layer.dropout_fixed) dropouts.push_back(dropout.get());
    add(std::move(dropout), k, p);
    blocks.push_back(block);
  }

  std::string block_name(int block) const {
    return block == static_cast<int>(blocks.size()) ? "output" : "hidden" + std::to_string(block + 1);
  }

  // Parameters of all layers in order, then state of all layers in order; then point each layer
  // at its slices of the flat buffers.
  void lay_out_tensors() {
    struct Slot {
      int layer, spec;
    };
    std::vector<Slot> param_slots, state_slots;
    std::vector<std::vector<TensorSpec>> specs(layers.size());
    for (std::size_t l = 0; l < layers.size(); ++l) {
      specs[l] = layers[l]->tensor_specs();
      for (std::size_t s = 0; s < specs[l].size(); ++s)
        (specs[l][s].trainable ? param_slots : state_slots)
            .push_back({static_cast<int>(l), static_cast<int>(s)});
    }
    std::vector<std::vector<int>> tensor_of(layers.size());
    for (std::size_t l = 0; l < layers.size(); ++l) tensor_of[l].assign(specs[l].size(), -1);
    auto place = [&](const std::vector<Slot>& slots, std::size_t& total) {
      for (const Slot& slot : slots) {
        const TensorSpec& spec = specs[slot.layer][slot.spec];
        TensorInfo info;
        info.layer = layer_block[slot.layer];
        info.name = block_name(info.layer) + "." + spec.suffix;
        info.rows = spec.rows;
        info.cols = spec.cols;
        info.offset = total;
        info.trainable = spec.trainable;
        info.decay = spec.decay;
        total += info.size();
        tensor_of[slot.layer][slot.spec] = static_cast<int>(tensors.size());
        if (spec.decay && info.layer < static_cast<int>(blocks.size()))
          blocks[info.layer].weight_tensor = static_cast<int>(tensors.size());
        tensors.push_back(info);
      }
    };
    place(param_slots, param_count);
    place(state_slots, state_count);
    params.assign(param_count, T(0));
    grads.assign(param_count, T(0));
    state.assign(state_count, T(0));
    for (std::size_t l = 0; l < layers.size(); ++l) {
      std::vector<T*> values, gradients;
      for (int index : tensor_of[l]) {
        const TensorInfo& info = tensors[index];
        values.push_back((info.trainable ? params.data() : state.data()) + info.offset);
        gradients.push_back(info.trainable ? grads.data() + info.offset : nullptr);
      }
      layers[l]->bind(values, gradients);
    }
  }
};

template <class T>
Network<T>::Network(const ModelConfig& model, int inputs, int outputs)
    : Network(model, ImageShape{inputs, 1, 1}, outputs) {}

template <class T>
Network<T>::Network(const ModelConfig& model, ImageShape input, int outputs) : impl_(std::make_unique<Impl>()) {
  check_model(model, input.size(), outputs);
  impl_->model = model;
  impl_->input = input;
  impl_->inputs = input.size();
  impl_->outputs = outputs;
  impl_->build();
}

template <class T>
Network<T>::~Network() = default;
template <class T>
Network<T>::Network(Network&&) noexcept = default;
template <class T>
Network<T>& Network<T>::operator=(Network&&) noexcept = default;

template <class T>
int Network<T>::inputs() const {
  return impl_->inputs;
}
template <class T>
int Network<T>::outputs() const {
  return impl_->outputs;
}
template <class T>
const std::vector<TensorInfo>& Network<T>::tensors() const {
  return impl_->tensors;
}
template <class T>
std::size_t Network<T>::param_count() const {
  return impl_->param_count;
}
template <class T>
std::size_t Network<T>::state_count() const {
  return impl_->state_count;
}
template <class T>
T* Network<T>::params() {
  return impl_->params.data();
}
template <class T>
const T* Network<T>::params() const {
  return impl_->params.data();
}
template <class T>
T* Network<T>::grads() {
  return impl_->grads.data();
}
template <class T>
const T* Network<T>::grads() const {
  return impl_->grads.data();
}
template <class T>
T* Network<T>::state() {
  return impl_->state.data();
}
template <class T>
const T* Network<T>::state() const {
  return impl_->state.data();
}

template <class T>
void Network<T>::initialize(Rng& rng) {
  for (std::size_t l = 0; l < impl_->layers.size(); ++l) {
    impl_->layers[l]->initialize(impl_->plan[impl_->layer_plan[l]].settings, rng);
  }
}

template <class T>
const Matrix<T>& Network<T>::forward(const Matrix<T>& x, Mode mode, Rng* dropout_rng) {
  if (x.cols() != impl_->inputs) {
    throw std::invalid_argument("network input has " + std::to_string(x.cols()) + " columns, expected " +
                                std::to_string(impl_->inputs));
  }
  const Matrix<T>* current = &x;
  for (std::size_t l = 0; l < impl_->layers.size(); ++l) {
    impl_->layer_inputs[l] = current;
    current = &impl_->layers[l]->forward(*current, mode, dropout_rng);
    impl_->layer_outputs[l] = current;
  }
  impl_->has_forward = true;
  return *current;
}

template <class T>
void Network<T>::backward(const Matrix<T>& dscores) {
  if (!impl_->has_forward) throw std::logic_error("Network::backward called before forward");
  const Matrix<T>& scores = *impl_->layer_outputs.back();
  if (dscores.rows() != scores.rows() || dscores.cols() != scores.cols()) {
    throw std::invalid_argument("dscores must have the shape of the last forward's scores");
  }
  const Matrix<T>* gradient = &dscores;
  for (std::size_t l = impl_->layers.size(); l-- > 0;) {
    gradient = &impl_->layers[l]->backward(*impl_->layer_inputs[l], *gradient, l > 0);
  }
}

// penalty = λ1·Σ|W| + ½·λ2·Σ W²      d penalty / dW = λ1·sign(W) + λ2·W      (sign(0) = 0)
template <class T>
double Network<T>::regularization(double l1, double l2, bool add_to_grads) {
  double penalty = 0;
  if (l1 == 0 && l2 == 0) return 0;
  for (const TensorInfo& info : impl_->tensors) {
    if (!info.decay) continue;
    const Index n = static_cast<Index>(info.size());
    const VectorMap<T> w(impl_->params.data() + info.offset, n);
    penalty +=
        l1 * w.template cast<double>().cwiseAbs().sum() + 0.5 * l2 * w.template cast<double>().squaredNorm();
    if (add_to_grads) {
      VectorMap<T> g(impl_->grads.data() + info.offset, n);
      g.array() += static_cast<T>(l1) * w.array().sign() + static_cast<T>(l2) * w.array();
    }
  }
  return penalty;
}

template <class T>
void Network<T>::set_dropout(double drop_probability) {
  for (Dropout<T>* dropout : impl_->dropouts) dropout->set_drop_probability(drop_probability);
  impl_->model.dropout = drop_probability;
}

template <class T>
const std::vector<LayerPlan>& Network<T>::plan() const {
  return impl_->plan;
}

template <class T>
std::vector<std::size_t> Network<T>::parameters_per_plan_entry() const {
  std::vector<std::size_t> counts(impl_->plan.size(), 0);
  for (std::size_t l = 0; l < impl_->layers.size(); ++l) {
    for (const TensorSpec& spec : impl_->layers[l]->tensor_specs()) {
      if (spec.trainable) counts[impl_->layer_plan[l]] += static_cast<std::size_t>(spec.rows) * spec.cols;
    }
  }
  return counts;
}

template <class T>
int Network<T>::blocks() const {
  return static_cast<int>(impl_->blocks.size());
}

template <class T>
BlockView<T> Network<T>::block(int i) const {
  if (i < 0 || i >= blocks()) throw std::out_of_range("block index " + std::to_string(i));
  const typename Impl::Block& block = impl_->blocks[i];
  BlockView<T> view;
  view.activation = block.activation;
  view.info = find_activation(block.activation);
  view.pre = impl_->layer_inputs[block.activation_layer];
  view.act = impl_->layer_outputs[block.activation_layer];
  view.weight_tensor = block.weight_tensor;
  view.units = block.units;
  view.spatial = block.spatial;
  return view;
}

template <class T>
template <class U>
void Network<T>::copy_from(const Network<U>& other) {
  const auto& mine = tensors();
  const auto& theirs = other.tensors();
  bool same = mine.size() == theirs.size();
  for (std::size_t k = 0; same && k < mine.size(); ++k) {
    same = mine[k].name == theirs[k].name && mine[k].rows == theirs[k].rows && mine[k].cols == theirs[k].cols;
  }
  if (!same) throw std::invalid_argument("copy_from: networks have different structures");
  auto to_t = [](U value) { return static_cast<T>(value); };
  std::transform(other.params(), other.params() + param_count(), impl_->params.begin(), to_t);
  std::transform(other.state(), other.state() + state_count(), impl_->state.begin(), to_t);
}

template class Network<float>;
template class Network<double>;
template void Network<float>::copy_from<float>(const Network<float>&);
template void Network<float>::copy_from<double>(const Network<double>&);
template void Network<double>::copy_from<float>(const Network<float>&);
template void Network<double>::copy_from<double>(const Network<double>&);

}  // namespace trainscope
