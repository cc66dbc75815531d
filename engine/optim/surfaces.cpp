#include "surfaces.hpp"

#include <cmath>

namespace trainscope {
namespace {

// ½(x² + κy²): curvature 1 along x, κ along y. With lr between 1/κ and 2/κ plain SGD overshoots
// across y at every step (y ← (1 − lr·κ)·y changes sign) while it crawls along x (x ← (1 − lr)·x).
double ill_conditioned(double x, double y, double kappa) { return 0.5 * (x * x + kappa * y * y); }
void ill_conditioned_gradient(double x, double y, double kappa, double* dx, double* dy) {
  *dx = x;
  *dy = kappa * y;
}

// (1 − x)² + 100(y − x²)²: a curved, flat-bottomed valley; minimum 0 at (1, 1).
double rosenbrock(double x, double y, double) {
  const double a = 1 - x, b = y - x * x;
  return a * a + 100 * b * b;
}
void rosenbrock_gradient(double x, double y, double, double* dx, double* dy) {
  const double b = y - x * x;
  *dx = -2 * (1 - x) - 400 * x * b;
  *dy = 200 * b;
}

// x² − y²: a minimum along x, a maximum along y; the gradient vanishes at the origin.
double saddle(double x, double y, double) { return x * x - y * y; }
void saddle_gradient(double x, double y, double, double* dx, double* dy) {
  *dx = 2 * x;
  *dy = -2 * y;
}

// x³ − 3xy²: three valleys meet at the origin, where gradient and curvature both vanish.
double monkey_saddle(double x, double y, double) { return x * x * x - 3 * x * y * y; }
void monkey_saddle_gradient(double x, double y, double, double* dx, double* dy) {
  *dx = 3 * x * x - 3 * y * y;
  *dy = -6 * x * y;
}

// (x² − 1)² + 0.3x + ½y²: a double well tilted so that the left minimum (x ≈ −1.04) is lower than
// the right one (x ≈ 0.96); started on the right, plain SGD settles in the local minimum.
double local_minima(double x, double y, double) {
  const double w = x * x - 1;
  return w * w + 0.3 * x + 0.5 * y * y;
}
void local_minima_gradient(double x, double y, double, double* dx, double* dy) {
  *dx = 4 * x * (x * x - 1) + 0.3;
  *dy = y;
}

// Beale: (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²; minimum 0 at (3, 0.5), flat
// plateaus and steep walls.
double beale(double x, double y, double) {
  const double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
  return a * a + b * b + c * c;
}
void beale_gradient(double x, double y, double, double* dx, double* dy) {
  const double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
  *dx = 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1);
  *dy = 2 * a * x + 2 * b * (2 * x * y) + 2 * c * (3 * x * y * y);
}

// The lower minimum of the tilted double well: the root of 4x(x² − 1) + 0.3 near −1 (Newton).
double local_minima_global_x() {
  double x = -1;
  for (int k = 0; k < 50; ++k) x -= (4 * x * (x * x - 1) + 0.3) / (12 * x * x - 4);
  return x;
}

}  // namespace

const std::vector<SurfaceInfo>& surfaces() {
  static const std::vector<SurfaceInfo> registry = {
      {"ill_conditioned", "a long narrow valley (the taco shell): SGD zig-zags across it and crawls along it",
       "1/2 (x^2 + kappa y^2)", ill_conditioned, ill_conditioned_gradient, {-5, 5, -3, 3}, {-4.5, 2}, true, {0, 0}},
      {"rosenbrock", "a curved flat-bottomed valley: easy to find, slow to follow to the minimum at (1, 1)",
       "(1 - x)^2 + 100 (y - x^2)^2", rosenbrock, rosenbrock_gradient, {-2, 2, -1, 3}, {-1.5, 2.5}, true, {1, 1}},
      {"saddle", "a saddle point at the origin: the gradient vanishes there and plain SGD stalls on the ridge",
       "x^2 - y^2", saddle, saddle_gradient, {-2, 2, -2, 2}, {1.5, 0.001}, false, {0, 0}},
      {"monkey_saddle", "three valleys meet at a flat saddle where gradient and curvature both vanish",
       "x^3 - 3 x y^2", monkey_saddle, monkey_saddle_gradient, {-2, 2, -2, 2}, {1.2, 0.05}, false, {0, 0}},
      {"local_minima", "a tilted double well: a local minimum on the right, the global one on the left",
       "(x^2 - 1)^2 + 0.3 x + 1/2 y^2", local_minima, local_minima_gradient, {-2, 2, -1.5, 1.5}, {1.8, 1}, true,
       {local_minima_global_x(), 0}},
      {"beale", "plateaus and steep walls around the minimum at (3, 0.5)",
       "(1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2", beale, beale_gradient, {-4.5, 4.5, -4.5, 4.5},
       {1, 1.5}, true, {3, 0.5}},
  };
  return registry;
}

}  // namespace trainscope
