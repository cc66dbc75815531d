#include "init.hpp"

#include <Eigen/QR>

namespace trainscope {

void check_weight_init(const std::string& init) {
  for (const char* name : {"zeros", "normal", "uniform", "xavier", "glorot_uniform", "glorot_normal", "he",
                           "he_uniform", "lecun", "orthogonal"}) {
    if (init == name) return;
  }
  throw ConfigError("model.init", "unknown initializer '" + init + "'; allowed: " + weight_init_names());
}

// Q of A = QR has orthonormal columns; multiplying column j by sign(R_jj) makes the factorization
// unique and Q Haar-distributed (Mezzadri 2007). A tall matrix (fan_in ≥ fan_out) gets orthonormal
// columns; a wide one is built from the QR of its transpose and so gets orthonormal rows.
Matrix<double> orthogonal_matrix(int fan_in, int fan_out, double gain, Rng& rng) {
  Matrix<double> gaussian(fan_in, fan_out);
  for (int i = 0; i < fan_in; ++i)
    for (int j = 0; j < fan_out; ++j) gaussian(i, j) = rng.normal();
  const bool tall = fan_in >= fan_out;
  const Eigen::MatrixXd a = tall ? Eigen::MatrixXd(gaussian) : Eigen::MatrixXd(gaussian.transpose());
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
  Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(a.rows(), a.cols());
  const Eigen::MatrixXd r = qr.matrixQR();
  for (Index j = 0; j < q.cols(); ++j) {
    if (r(j, j) < 0) q.col(j) = -q.col(j);
  }
  Matrix<double> result = tall ? Matrix<double>(q) : Matrix<double>(q.transpose());
  return result * gain;
}

}  // namespace trainscope
