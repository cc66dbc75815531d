// Synthetic datasets. Every generator draws from the Rng it is given, in a documented order, in
// double precision, and stores float32: the same seed gives the same data natively, in wasm and
// in a few lines of JavaScript (BENCHMARKS.md's W1 and W3 data are `spiral` and `gaussian_cloud`).
// Example k gets class k mod classes, so classes are balanced to within one example.
// The 2-D sets lie roughly in [−1.5, 1.5]² for the default noise 0.2.
#include <cmath>

#include "dataset.hpp"
#include "../loss.hpp"

namespace trainscope {
namespace {

constexpr double kPi = 3.14159265358979323846;

Dataset empty_dataset(int rows, int dims, int classes, bool regression) {
  Dataset dataset;
  dataset.x.resize(rows, dims);
  dataset.y.resize(rows, 1);
  dataset.classes = classes;
  dataset.regression = regression;
  return dataset;
}

void store_point(Dataset& dataset, int k, double x0, double x1, int label) {
  dataset.x(k, 0) = static_cast<float>(x0);
  dataset.x(k, 1) = static_cast<float>(x1);
  dataset.y(k, 0) = static_cast<float>(label);
}

// CS231n spiral, K arms. Per example, draws: rand, then randn.
//   c = k mod K;  r = rand();  θ = c·(12/K) + 4r + noise·randn();  x = (r·sin θ, r·cos θ)
// Radius r ∈ [0, 1): the whole set lies in the unit disc.
Dataset spiral(int samples, int classes, double noise, Rng& rng) {
  Dataset dataset = empty_dataset(samples, 2, classes, false);
  const double arm_spacing = 12.0 / classes;
  for (int k = 0; k < samples; ++k) {
    const int c = k % classes;
    const double r = rng.uniform();
    const double theta = c * arm_spacing + 4.0 * r + noise * rng.normal();
    store_point(dataset, k, r * std::sin(theta), r * std::cos(theta), c);
  }
  return dataset;
}

// Two concentric rings: class 0 at radius 0.4, class 1 at radius 1.0; noise = std of the radius.
// Per example, draws: rand (angle), then randn (radial jitter).
//   φ = 2π·rand();  ρ = (0.4 | 1.0) + noise·randn();  x = (ρ·cos φ, ρ·sin φ)
Dataset circles(int samples, double noise, Rng& rng) {
  Dataset dataset = empty_dataset(samples, 2, 2, false);
  for (int k = 0; k < samples; ++k) {
    const int c = k % 2;
    const double phi = 2.0 * kPi * rng.uniform();
    const double radius = (c == 0 ? 0.4 : 1.0) + noise * rng.normal();
    store_point(dataset, k, radius * std::cos(phi), radius * std::sin(phi), c);
  }
  return dataset;
}

// XOR: class 0 in the quadrants where x and y share a sign, class 1 where they differ.
// Example k: c = k mod 2, quadrant chosen by ⌊k/2⌋ mod 2, so all four quadrants hold a quarter.
// Per example, draws: rand, rand (magnitudes in [0,1)), randn, randn (jitter, std = noise), so
// points near the axes may cross into a neighbouring quadrant: the labels stay those of the clean
// point, which is the overlap the noise setting controls.
Dataset xor_quadrants(int samples, double noise, Rng& rng) {
  Dataset dataset = empty_dataset(samples, 2, 2, false);
  for (int k = 0; k < samples; ++k) {
    const int c = k % 2;
    const double sign_x = (k / 2) % 2 == 0 ? 1.0 : -1.0;
    const double sign_y = c == 0 ? sign_x : -sign_x;
    const double magnitude_x = rng.uniform();
    const double magnitude_y = rng.uniform();
    const double jitter_x = noise * rng.normal();
    const double jitter_y = noise * rng.normal();
    store_point(dataset, k, sign_x * magnitude_x + jitter_x, sign_y * magnitude_y + jitter_y, c);
  }
  return dataset;
}

// K isotropic Gaussian blobs with centres on the unit circle at angles 2πc/K, std = noise in each
// coordinate. Per example, draws: randn, randn.
Dataset gaussians(int samples, int classes, double noise, Rng& rng) {
  Dataset dataset = empty_dataset(samples, 2, classes, false);
  for (int k = 0; k < samples; ++k) {
    const int c = k % classes;
    const double angle = 2.0 * kPi * c / classes;
    const double x0 = std::cos(angle) + noise * rng.normal();
    const double x1 = std::sin(angle) + noise * rng.normal();
    store_point(dataset, k, x0, x1, c);
  }
  return dataset;
}

// Two interleaving half circles (the scikit-learn "moons"), shifted by (−0.5, −0.25) so the pair
// is centred: class 0: (cos t, sin t); class 1: (1 − cos t, 0.5 − sin t); t = π·rand().
// Per example, draws: rand (t), randn, randn (jitter, std = noise). Clean range [−1.5,1.5]×[−0.75,0.75].
Dataset moons(int samples, double noise, Rng& rng) {
  Dataset dataset = empty_dataset(samples, 2, 2, false);
  for (int k = 0; k < samples; ++k) {
    const int c = k % 2;
    const double t = kPi * rng.uniform();
    const double x0 = c == 0 ? std::cos(t) : 1.0 - std::cos(t);
    const double x1 = c == 0 ? std::sin(t) : 0.5 - std::sin(t);
    const double jitter_x = noise * rng.normal();
    const double jitter_y = noise * rng.normal();
    store_point(dataset, k, x0 - 0.5 + jitter_x, x1 - 0.25 + jitter_y, c);
  }
  return dataset;
}

// The lecture's unit-Gaussian input: N x dims values randn(), row-major in draw order;
// label k mod classes (the labels carry no signal: this set is for activation statistics).
Dataset gaussian_cloud(int samples, int dims, int classes, Rng& rng) {
  Dataset dataset = empty_dataset(samples, dims, classes, false);
  for (int k = 0; k < samples; ++k) {
    for (int j = 0; j < dims; ++j) dataset.x(k, j) = static_cast<float>(rng.normal());
    dataset.y(k, 0) = static_cast<float>(k % classes);
  }
  return dataset;
}

// Regression of a smooth surface on [−1, 1]^dims (dims 1 or 2):
//   y = sin(π x₁)              (dims = 1)
//   y = sin(π x₁)·cos(π x₂)    (dims = 2)
//   plus noise·randn().  Per example, draws: rand for each coordinate, then randn.
Dataset regression(int samples, int dims, double noise, Rng& rng) {
  if (dims != 1 && dims != 2) throw ConfigError("data.dims", "the regression dataset has 1 or 2 dims");
  Dataset dataset = empty_dataset(samples, dims, 1, true);
  for (int k = 0; k < samples; ++k) {
    double target = 1.0;
    for (int j = 0; j < dims; ++j) {
      const double coordinate = rng.uniform(-1.0, 1.0);
      dataset.x(k, j) = static_cast<float>(coordinate);
      target *= j == 0 ? std::sin(kPi * coordinate) : std::cos(kPi * coordinate);
    }
    dataset.y(k, 0) = static_cast<float>(target + noise * rng.normal());
  }
  return dataset;
}

// data.x (row-major rows x dims) and data.y (one label or target per row). The number of rows is
// y.size(); the contents (labels in range, finite values) are checked by validate().
Dataset custom(const DataConfig& data, bool regression_targets) {
  if (data.dims <= 0) throw ConfigError("data.dims", "must be > 0 for a custom dataset");
  if (data.y.empty()) throw ConfigError("data.y", "a custom dataset needs at least one example");
  const std::size_t rows = data.y.size();
  if (data.x.size() != rows * static_cast<std::size_t>(data.dims)) {
    throw ConfigError("data.x", "has " + std::to_string(data.x.size()) + " values; expected data.y's " +
                                    std::to_string(rows) + " rows x data.dims " + std::to_string(data.dims));
  }
  const int row_count = static_cast<int>(rows);
  Dataset dataset = empty_dataset(row_count, data.dims, regression_targets ? 1 : data.classes, regression_targets);
  dataset.x = ConstMatrixMap<float>(data.x.data(), row_count, data.dims);
  dataset.y = ConstMatrixMap<float>(data.y.data(), row_count, 1);
  return dataset;
}

Dataset spiral_set(const DataConfig& data, Rng& rng) { return spiral(data.samples, data.classes, data.noise, rng); }
Dataset circles_set(const DataConfig& data, Rng& rng) { return circles(data.samples, data.noise, rng); }
Dataset xor_set(const DataConfig& data, Rng& rng) { return xor_quadrants(data.samples, data.noise, rng); }
Dataset gaussians_set(const DataConfig& data, Rng& rng) {
  return gaussians(data.samples, data.classes, data.noise, rng);
}
Dataset moons_set(const DataConfig& data, Rng& rng) { return moons(data.samples, data.noise, rng); }
Dataset cloud_set(const DataConfig& data, Rng& rng) {
  return gaussian_cloud(data.samples, data.dims, data.classes, rng);
}
Dataset regression_set(const DataConfig& data, Rng& rng) {
  return regression(data.samples, data.dims, data.noise, rng);
}

}  // namespace

// The dataset registry (data.dataset): name, description, traits, generator.
const std::vector<DatasetInfo>& datasets() {
  using D = DatasetInfo;
  static const std::vector<DatasetInfo> registry = {
      {"spiral", "K interleaved spiral arms (CS231n), 2-D", 0, D::kTwoDims, false, false, spiral_set, {}},
      {"circles", "two concentric rings, 2-D, 2 classes", 2, D::kTwoDims, false, false, circles_set, {}},
      {"xor", "XOR quadrants, 2-D, 2 classes", 2, D::kTwoDims, false, false, xor_set, {}},
      {"gaussians", "K Gaussian blobs on the unit circle, 2-D", 0, D::kTwoDims, false, false, gaussians_set, {}},
      {"moons", "two interleaving half circles, 2-D, 2 classes", 2, D::kTwoDims, false, false, moons_set, {}},
      {"gaussian_cloud", "unit-Gaussian inputs of any dimension with signal-free labels (activation statistics)", 0,
       D::kAnyDims, false, false, cloud_set, {}},
      {"regression", "a smooth surface sin(pi x1)·cos(pi x2) on [-1, 1]^dims plus noise (loss mse)", 0,
       D::kOneOrTwoDims, true, false, regression_set, {}},
      {"shapes", "colour images 3x16x16 of bars, crosses, rings, triangles, checkers ... (2 to 10 classes)", 0,
       D::kAnyDims, false, false, shapes_images, {3, 16, 16}, kShapeKinds, false, kShapeNames},
      {"fashion_mnist", "Zalando's Fashion-MNIST: 28x28 greyscale photos of 10 kinds of clothing (from files)", 10,
       D::kAnyDims, false, false, fashion_mnist_images, {1, 28, 28}, 0, true, kFashionMnistNames},
      {"custom", "your own rows: data.x (samples x dims) and data.y (labels, or targets with loss mse)", 0,
       D::kAnyDims, false, true, nullptr, {}},
  };
  return registry;
}

std::vector<Choice> dataset_choices() { return choices_of(datasets()); }

const DatasetInfo& dataset_info(const std::string& name) {
  const DatasetInfo* info = find_named(datasets(), name);
  if (info == nullptr) throw ConfigError("data.dataset", "unknown dataset '" + name + "'");
  return *info;
}

bool has_real_targets(const DataConfig& data, const std::string& loss) {
  const DatasetInfo& info = dataset_info(data.dataset);
  return info.regression || (info.custom && loss_info(loss).real_targets);
}

ImageShape input_shape(const DataConfig& data) {
  const DatasetInfo& info = dataset_info(data.dataset);
  if (info.custom && data.shape.size() == 3) return {data.shape[0], data.shape[1], data.shape[2]};
  if (info.image.is_image()) return info.image;
  return {data.dims, 1, 1};
}

int dataset_outputs(const DataConfig& data, const std::string& loss) {
  const DatasetInfo& info = dataset_info(data.dataset);
  if (has_real_targets(data, loss)) return 1;
  return info.fixed_classes > 0 ? info.fixed_classes : data.classes;
}

Dataset make_dataset(const DataConfig& data, Rng& rng, const std::string& loss) {
  const DatasetInfo& info = dataset_info(data.dataset);
  if (info.custom) return custom(data, has_real_targets(data, loss));
  if (data.samples <= 0) throw ConfigError("data.samples", "must be > 0");
  if (data.dims <= 0) throw ConfigError("data.dims", "must be > 0");
  DataConfig resolved = data;
  resolved.classes = dataset_outputs(data, loss);
  if (!info.regression && resolved.classes < 1) throw ConfigError("data.classes", "must be >= 1");
  return info.generate(resolved, rng);
}

}  // namespace trainscope
