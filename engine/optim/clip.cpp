// Global-norm gradient clipping over the whole flat gradient buffer:
//   ‖g‖ = sqrt(Σ g_i²)   (accumulated in double: float sums over ~10⁶ entries lose digits)
//   if max_norm > 0 and ‖g‖ > max_norm:  g ← g·(max_norm / ‖g‖)
// The direction of the update is kept; only its length is capped.
#include <cmath>

#include "../reduce.hpp"
#include "optimizer.hpp"

namespace trainscope {

double clip_gradient(float* grads, std::size_t n, double max_norm) {
  const double norm = std::sqrt(sum_of_squares(grads, n));
  // A non-finite norm is left for the divergence check to report; scaling by 0 would hide it.
  if (max_norm > 0 && std::isfinite(norm) && norm > max_norm) {
    Eigen::Map<Eigen::ArrayXf>(grads, static_cast<Index>(n)) *= static_cast<float>(max_norm / norm);
  }
  return norm;
}

}  // namespace trainscope
