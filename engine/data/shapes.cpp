// The `shapes` dataset: small colour images (3 x 16 x 16) of ten kinds of shape, made on the fly
// from the seed. Instant conv-net demos that need no download, and a set where the colour
// statistics differ per channel (for channel_mean preprocessing).
//
// Example k has class c = k mod classes (balanced) and draws, in this order:
//   r  = uniform(3, 7.5)              the shape's half-size in pixels
//   cx = uniform(r, 16 − r), cy alike  its centre (the shape stays inside the image)
//   foreground (R, G, B) each uniform(0.45, 1), background (R, G, B) each uniform(0, 0.35)
//   then, channel-major, per pixel: value + noise · randn()   (data.noise, default 0.2)
// A pixel (row i, column j) belongs to the shape when its centre (j + ½, i + ½), in the shape's
// frame u = (x − cx)/r, v = (y − cy)/r, passes the class's test below.
#include <cmath>

#include "dataset.hpp"

namespace trainscope {
namespace {

constexpr int kSide = 16;
constexpr int kChannels = 3;

bool inside(int kind, double u, double v) {
  const double au = std::fabs(u), av = std::fabs(v), radius = std::hypot(u, v);
  const bool box = au < 1 && av < 1;
  switch (kind) {
    case 0: return av < 0.3 && au < 1;                                            // horizontal bar
    case 1: return au < 0.3 && av < 1;                                            // vertical bar
    case 2: return box && (au < 0.28 || av < 0.28);                               // cross
    case 3: return radius > 0.55 && radius < 1;                                   // ring
    case 4: return v > -1 && v < 1 && au < (v + 1) / 2;                           // triangle, apex up
    case 5: return box && (static_cast<int>(std::floor((u + 1) * 2) + std::floor((v + 1) * 2)) % 2 == 0);  // checkers
    case 6: return radius < 0.9;                                                  // disc
    case 7: return box && std::fmax(au, av) > 0.6;                                // square outline
    case 8: return box && std::fabs(au - av) < 0.3;                               // diagonal cross (X)
    default: return box && (u < -0.4 || v > 0.4);                                 // corner (L)
  }
}

}  // namespace

const char* const kShapeNames[kShapeKinds] = {"horizontal bar", "vertical bar", "cross", "ring", "triangle",
                                              "checkers", "disc", "square", "diagonal cross", "corner"};

Dataset shapes_images(const DataConfig& data, Rng& rng) {
  Dataset dataset;
  dataset.x.resize(data.samples, kChannels * kSide * kSide);
  dataset.y.resize(data.samples, 1);
  dataset.classes = data.classes;
  for (int k = 0; k < data.samples; ++k) {
    const int kind = k % data.classes;
    const double r = rng.uniform(3.0, 7.5);
    const double cx = rng.uniform(r, kSide - r);
    const double cy = rng.uniform(r, kSide - r);
    double foreground[kChannels], background[kChannels];
    for (double& value : foreground) value = rng.uniform(0.45, 1.0);
    for (double& value : background) value = rng.uniform(0.0, 0.35);
    for (int c = 0; c < kChannels; ++c) {
      for (int i = 0; i < kSide; ++i) {
        for (int j = 0; j < kSide; ++j) {
          const bool on = inside(kind, (j + 0.5 - cx) / r, (i + 0.5 - cy) / r);
          const double value = (on ? foreground[c] : background[c]) + data.noise * rng.normal();
          dataset.x(k, (c * kSide + i) * kSide + j) = static_cast<float>(value);
        }
      }
    }
    dataset.y(k, 0) = static_cast<float>(kind);
  }
  return dataset;
}

}  // namespace trainscope
