// Weight initializers (model.init). Every initializer fills a fan_in x fan_out matrix row-major
// (i over fan_in outer, j over fan_out inner), drawing from the rng in exactly that order, values
// computed in double and rounded to T when stored — so `he` with Rng(1337) reproduces the initial
// parameters of ../shared/BENCHMARKS.md bit for bit.
//
//   zeros           W = 0                                   (no symmetry breaking: a teaching case)
//   normal          W ~ N(0, init_scale²)
//   uniform         W ~ U(−init_scale, init_scale)
//   xavier          W = randn / sqrt(fan_in)                (the lecture's "Xavier")
//   glorot_uniform  W ~ U(±sqrt(6 / (fan_in + fan_out)))
//   glorot_normal   W = randn · sqrt(2 / (fan_in + fan_out))
//   he              W = randn · sqrt(2 / fan_in)            (Kaiming, for ReLU)
//   he_uniform      W ~ U(±sqrt(6 / fan_in))
//   lecun           W = randn · sqrt(1 / fan_in)
//   orthogonal      W = gain · Q, Q from the QR decomposition of a Gaussian matrix, columns
//                   sign-corrected by sign(diag R) so Q is uniformly (Haar) distributed;
//                   WᵀW = gain²·I when fan_in ≥ fan_out, W·Wᵀ = gain²·I otherwise.
#pragma once

#include <cmath>
#include <string>

#include "../config.hpp"
#include "../rng.hpp"
#include "../tensor.hpp"

namespace trainscope {

// The allowed values of model.init, for error messages.
inline const char* weight_init_names() {
  return "zeros, normal, uniform, xavier, glorot_uniform, glorot_normal, he, he_uniform, lecun, orthogonal";
}

// Throws ConfigError("model.init", ...) for an unknown name.
void check_weight_init(const std::string& init);

// fan_in x fan_out orthogonal matrix times gain, from fan_in·fan_out normals drawn row-major.
Matrix<double> orthogonal_matrix(int fan_in, int fan_out, double gain, Rng& rng);

template <class T>
void initialize_weights(T* w, int fan_in, int fan_out, const ModelConfig& model, Rng& rng) {
  const std::string& init = model.init;
  const std::size_t count = static_cast<std::size_t>(fan_in) * static_cast<std::size_t>(fan_out);
  const double in = fan_in, out = fan_out;
  auto fill_normal = [&](double std_dev) {
    for (std::size_t k = 0; k < count; ++k) w[k] = static_cast<T>(rng.normal() * std_dev);
  };
  auto fill_uniform = [&](double bound) {
    for (std::size_t k = 0; k < count; ++k) w[k] = static_cast<T>(rng.uniform(-bound, bound));
  };
  if (init == "zeros") {
    for (std::size_t k = 0; k < count; ++k) w[k] = T(0);
  } else if (init == "normal") {
    fill_normal(model.init_scale);
  } else if (init == "uniform") {
    fill_uniform(model.init_scale);
  } else if (init == "xavier") {
    fill_normal(std::sqrt(1.0 / in));
  } else if (init == "glorot_uniform") {
    fill_uniform(std::sqrt(6.0 / (in + out)));
  } else if (init == "glorot_normal") {
    fill_normal(std::sqrt(2.0 / (in + out)));
  } else if (init == "he") {
    fill_normal(std::sqrt(2.0 / in));
  } else if (init == "he_uniform") {
    fill_uniform(std::sqrt(6.0 / in));
  } else if (init == "lecun") {
    fill_normal(std::sqrt(1.0 / in));
  } else if (init == "orthogonal") {
    const Matrix<double> q = orthogonal_matrix(fan_in, fan_out, model.gain, rng);
    MatrixMap<T>(w, fan_in, fan_out) = q.cast<T>();
  } else {
    check_weight_init(init);  // throws
  }
}

}  // namespace trainscope
