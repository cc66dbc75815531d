// Weight initializers (model.init): the registry (init.cpp lists each rule with its formula) and
// the fill. Every initializer fills a fan_in x fan_out matrix row-major (i over fan_in outer, j
// over fan_out inner), drawing from the rng in exactly that order, values computed in double and
// rounded to T when stored — so He with Rng(1337) reproduces the initial parameters of
// ../shared/BENCHMARKS.md bit for bit.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "../config.hpp"
#include "../rng.hpp"
#include "../tensor.hpp"

namespace trainscope {

// A row of the initializer registry (model.init): how W is filled and with what scale.
struct Initializer {
  enum Fill { kZeros, kNormal, kUniform, kOrthogonal };  // normal: scale is the std; uniform: the bound
  const char* name;
  const char* description;
  Fill fill;
  double (*scale)(double fan_in, double fan_out, const ModelConfig& model);
};
const std::vector<Initializer>& initializers();
const Initializer& initializer(const std::string& name);  // throws ConfigError("model.init") if unknown

// fan_in x fan_out orthogonal matrix times gain, from fan_in·fan_out normals drawn row-major.
Matrix<double> orthogonal_matrix(int fan_in, int fan_out, double gain, Rng& rng);

template <class T>
void initialize_weights(T* w, int fan_in, int fan_out, const ModelConfig& model, Rng& rng) {
  const Initializer& init = initializer(model.init);
  const std::size_t count = static_cast<std::size_t>(fan_in) * static_cast<std::size_t>(fan_out);
  const double scale = init.scale(fan_in, fan_out, model);
  switch (init.fill) {
    case Initializer::kZeros:
      for (std::size_t k = 0; k < count; ++k) w[k] = T(0);
      break;
    case Initializer::kNormal:
      for (std::size_t k = 0; k < count; ++k) w[k] = static_cast<T>(rng.normal() * scale);
      break;
    case Initializer::kUniform:
      for (std::size_t k = 0; k < count; ++k) w[k] = static_cast<T>(rng.uniform(-scale, scale));
      break;
    case Initializer::kOrthogonal:
      MatrixMap<T>(w, fan_in, fan_out) = orthogonal_matrix(fan_in, fan_out, scale, rng).template cast<T>();
      break;
  }
}

}  // namespace trainscope
