#include "init.hpp"

#include "../kernels/linalg.hpp"

namespace trainscope {

namespace {
double no_scale(double, double, const ModelConfig&) { return 0; }
double given_scale(double, double, const ModelConfig& model) { return model.init_scale; }
double xavier_std(double in, double, const ModelConfig&) { return std::sqrt(1.0 / in); }
double glorot_uniform_bound(double in, double out, const ModelConfig&) { return std::sqrt(6.0 / (in + out)); }
double glorot_normal_std(double in, double out, const ModelConfig&) { return std::sqrt(2.0 / (in + out)); }
double he_std(double in, double, const ModelConfig&) { return std::sqrt(2.0 / in); }
double he_uniform_bound(double in, double, const ModelConfig&) { return std::sqrt(6.0 / in); }
double orthogonal_gain(double, double, const ModelConfig& model) { return model.gain; }
}  // namespace

// The formulas are in init.hpp's header comment.
const std::vector<Initializer>& initializers() {
  using I = Initializer;
  static const std::vector<Initializer> registry = {
      {"zeros", "W = 0: no symmetry breaking (a teaching case)", I::kZeros, no_scale},
      {"normal", "W ~ N(0, init_scale²)", I::kNormal, given_scale},
      {"uniform", "W ~ U(-init_scale, init_scale)", I::kUniform, given_scale},
      {"xavier", "W = randn / sqrt(fan_in) (the lecture's Xavier)", I::kNormal, xavier_std},
      {"glorot_uniform", "W ~ U(±sqrt(6 / (fan_in + fan_out)))", I::kUniform, glorot_uniform_bound},
      {"glorot_normal", "W = randn · sqrt(2 / (fan_in + fan_out))", I::kNormal, glorot_normal_std},
      {"he", "W = randn · sqrt(2 / fan_in) (Kaiming, for ReLU)", I::kNormal, he_std},
      {"he_uniform", "W ~ U(±sqrt(6 / fan_in))", I::kUniform, he_uniform_bound},
      {"lecun", "W = randn · sqrt(1 / fan_in)", I::kNormal, xavier_std},
      {"orthogonal", "W = gain · Q, Q orthogonal from the QR of a Gaussian matrix", I::kOrthogonal, orthogonal_gain},
  };
  return registry;
}

std::vector<Choice> init_choices() { return choices_of(initializers()); }

const Initializer& initializer(const std::string& name) {
  const Initializer* found = find_named(initializers(), name);
  if (found == nullptr) throw ConfigError("model.init", "unknown initializer '" + name + "'");
  return *found;
}

// Q of A = QR has orthonormal columns; multiplying column j by sign(R_jj) makes the factorization
// unique and Q Haar-distributed (Mezzadri 2007). A tall matrix (fan_in ≥ fan_out) gets orthonormal
// columns; a wide one is built from the QR of its transpose and so gets orthonormal rows.
Matrix<double> orthogonal_matrix(int fan_in, int fan_out, double gain, Rng& rng) {
  const bool tall = fan_in >= fan_out;
  const int rows = tall ? fan_in : fan_out, cols = tall ? fan_out : fan_in;
  // The Gaussian matrix, drawn row by row as fan_in x fan_out, stored as the tall rows x cols.
  const auto at = [&](int i, int j) { return static_cast<std::size_t>(tall ? i * cols + j : j * cols + i); };
  std::vector<double> a(static_cast<std::size_t>(rows) * cols);
  for (int i = 0; i < fan_in; ++i)
    for (int j = 0; j < fan_out; ++j) a[at(i, j)] = rng.normal();
  const std::vector<double> q = kernels::orthonormal_q(a, rows, cols);
  Matrix<double> result(fan_in, fan_out);
  for (int i = 0; i < fan_in; ++i)
    for (int j = 0; j < fan_out; ++j) result(i, j) = gain * q[at(i, j)];
  return result;
}

}  // namespace trainscope
