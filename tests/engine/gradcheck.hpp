// Finite-difference gradient checking shared by the engine tests (double precision only).
//
// Central differences: n_k = (f(p + h·e_k) − f(p − h·e_k)) / 2h, error O(h²·f''') from truncation
// plus O(ε_machine·|f| / h) from rounding. With h = 1e-5 in double both are ≈ 1e-11 for the smooth
// O(1) losses of these tests, so analytic and numeric gradients agree to ~1e-10 absolutely.
//
// Relative error per entry: |a − n| / max(|a| + |n|, floor). The floor (1e-4 by default) stops
// entries whose true gradient is ~0 from turning a 1e-11 rounding difference into a large
// "relative" error; above the floor it is a true relative error. Smooth functions pass at 1e-6;
// a wrong Jacobian term (e.g. a BN backward that ignores the mean) gives errors of order 1e-1.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "layers/layer.hpp"
#include "tensor.hpp"

namespace trainscope::test {

struct GradCheck {
  double max_rel_error = 0;
  double max_abs_error = 0;
  std::size_t worst_index = 0;
  double worst_analytic = 0, worst_numeric = 0;
  std::size_t checked = 0;
};

inline double relative_error(double analytic, double numeric, double floor = 1e-4) {
  return std::abs(analytic - numeric) / std::max(std::abs(analytic) + std::abs(numeric), floor);
}

// Compares analytic[k] with central differences of loss() in values[k], k < count. loss() must
// evaluate the scalar loss at the current values; values are restored exactly afterwards.
template <class LossFn>
GradCheck check_gradient(double* values, const double* analytic, std::size_t count, LossFn&& loss,
                         double h = 1e-5, double floor = 1e-4) {
  GradCheck result;
  for (std::size_t k = 0; k < count; ++k) {
    const double original = values[k];
    values[k] = original + h;
    const double plus = loss();
    values[k] = original - h;
    const double minus = loss();
    values[k] = original;
    const double numeric = (plus - minus) / (2 * h);
    const double rel = relative_error(analytic[k], numeric, floor);
    result.max_abs_error = std::max(result.max_abs_error, std::abs(analytic[k] - numeric));
    if (rel > result.max_rel_error || result.checked == 0) {
      result.max_rel_error = std::max(rel, result.max_rel_error);
      result.worst_index = k;
      result.worst_analytic = analytic[k];
      result.worst_numeric = numeric;
    }
    ++result.checked;
  }
  return result;
}

inline std::string describe(const std::string& what, const GradCheck& check) {
  char text[256];
  std::snprintf(
      text, sizeof text,
      ": worst rel error %.3e (%zu entries; entry %zu: analytic %.9g, numeric %.9g; max abs error %.3e)",
      check.max_rel_error, check.checked, check.worst_index, check.worst_analytic, check.worst_numeric,
      check.max_abs_error);
  return what + text;
}

// Owns the flat buffers for a single layer, the way a Network would lay them out.
template <class T>
struct LayerHarness {
  Layer<T>& layer;
  std::vector<TensorSpec> specs;
  std::vector<std::vector<T>> values, grads;

  explicit LayerHarness(Layer<T>& l) : layer(l), specs(l.tensor_specs()) {
    std::vector<T*> value_ptrs, grad_ptrs;
    for (const TensorSpec& spec : specs) {
      values.emplace_back(static_cast<std::size_t>(spec.rows) * spec.cols, T(0));
      grads.emplace_back(spec.trainable ? values.back().size() : 0, T(0));
    }
    for (std::size_t k = 0; k < specs.size(); ++k) {
      value_ptrs.push_back(values[k].data());
      grad_ptrs.push_back(specs[k].trainable ? grads[k].data() : nullptr);
    }
    layer.bind(value_ptrs, grad_ptrs);
  }

  std::vector<T>& value(const std::string& suffix) { return values[index(suffix)]; }
  std::vector<T>& grad(const std::string& suffix) { return grads[index(suffix)]; }
  std::size_t index(const std::string& suffix) const {
    for (std::size_t k = 0; k < specs.size(); ++k)
      if (specs[k].suffix == suffix) return k;
    throw std::invalid_argument("no tensor " + suffix);
  }
};

// A fixed pseudo-random matrix with entries in [lo, hi), independent of the engine's Rng.
inline Matrix<double> pattern_matrix(Index rows, Index cols, unsigned seed, double lo = -1, double hi = 1) {
  Matrix<double> m(rows, cols);
  unsigned state = seed * 2654435761u + 12345u;
  for (Index k = 0; k < m.size(); ++k) {
    state = state * 1664525u + 1013904223u;  // LCG (Numerical Recipes)
    m.data()[k] = lo + (hi - lo) * ((state >> 8) / 16777216.0);
  }
  return m;
}

// Checks dL/dx and the gradients of every trainable tensor of `layer` for the scalar test loss
// L = Σ y ⊙ R (R a fixed random matrix, so dL/dy = R). Returns the worst relative error.
inline double check_layer(Layer<double>& layer, LayerHarness<double>& harness, Matrix<double> x, Mode mode,
                          unsigned seed, std::vector<std::string>* report) {
  const Matrix<double> probe_out = layer.forward(x, mode, nullptr);
  const Matrix<double> upstream = pattern_matrix(probe_out.rows(), probe_out.cols(), seed);
  auto loss = [&]() { return (layer.forward(x, mode, nullptr).array() * upstream.array()).sum(); };
  layer.forward(x, mode, nullptr);
  // backward overwrites the gradients (the network does not zero them between steps): stale
  // values in the buffers must not survive into the result.
  for (std::vector<double>& g : harness.grads) std::fill(g.begin(), g.end(), 1e3);
  const Matrix<double> input_grad = layer.backward(x, upstream, true);
  std::vector<std::vector<double>> analytic = harness.grads;  // copy: loss() does not touch grads
  double worst = 0;
  const GradCheck dx = check_gradient(x.data(), input_grad.data(), static_cast<std::size_t>(x.size()), loss);
  worst = std::max(worst, dx.max_rel_error);
  if (report) report->push_back(describe(layer.kind() + " dx", dx));
  for (std::size_t k = 0; k < harness.specs.size(); ++k) {
    if (!harness.specs[k].trainable) continue;
    const GradCheck check =
        check_gradient(harness.values[k].data(), analytic[k].data(), analytic[k].size(), loss);
    worst = std::max(worst, check.max_rel_error);
    if (report) report->push_back(describe(layer.kind() + " d" + harness.specs[k].suffix, check));
  }
  return worst;
}

}  // namespace trainscope::test
