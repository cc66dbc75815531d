// Two-parameter loss surfaces of CS231n lecture 7 ("taco shell", saddle points, local minima), on
// which the engine's own optimizers and schedules run (optim/path.hpp) so that the page can draw
// their trajectories. One registry row per surface: its formula, what it shows, its value and
// analytic gradient, and the region the page plots.
#pragma once

#include <vector>

namespace trainscope {

struct SurfaceInfo {
  const char* name;
  const char* description;  // one line: what the surface shows
  const char* formula;      // the function, as text (κ = kappa)
  double (*value)(double x, double y, double kappa);
  void (*gradient)(double x, double y, double kappa, double* dx, double* dy);
  double view[4];       // xmin, xmax, ymin, ymax: the region the page plots
  double start[2];      // a default start point inside it
  bool has_minimum;     // false for surfaces unbounded below (saddles)
  double minimum[2];    // the global minimum (for kappa = the default) when has_minimum
};

const std::vector<SurfaceInfo>& surfaces();

constexpr double kDefaultKappa = 10;  // ill_conditioned's curvature ratio

}  // namespace trainscope
