// The value of each 2-D surface over the plane, for the contours of the "Loss surface" chart.
// The engine exposes paths only (optimizerPath), and asking it for a whole grid would be one call
// per point, so the formulas are written here once more, next to the engine's
// (engine/optim/surfaces.cpp). tests/browser/optimizers-pure.test.js checks every formula against
// optimizerPath(...).loss[0] (the engine's value at the start) at many points, so the two cannot
// drift apart, and that this table names exactly the engine's surfaces. Pure module.
import { SURFACES } from '../../js/optimizer-path.js';

export { SURFACES };

/** f(x, y, kappa) per surface name; the engine's formula strings are in SURFACES[i].formula. */
export const SURFACE_VALUES = Object.freeze({
  ill_conditioned: (x, y, kappa) => 0.5 * (x * x + kappa * y * y),
  rosenbrock: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  saddle: (x, y) => x * x - y * y,
  monkey_saddle: (x, y) => x * x * x - 3 * x * y * y,
  local_minima: (x, y) => (x * x - 1) ** 2 + 0.3 * x + 0.5 * y * y,
  beale: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y * y * y) ** 2,
});

/** The default curvature ratio of ill_conditioned (the engine's OptimizerPathConfig::kappa). */
export const DEFAULT_KAPPA = 10;

export function surfaceNamed(name) {
  const surface = SURFACES.find((row) => row.name === name);
  if (!surface) throw new Error(`unknown surface ${JSON.stringify(name)}`);
  return surface;
}

export function surfaceValue(name, x, y, kappa = DEFAULT_KAPPA) {
  return SURFACE_VALUES[name](x, y, kappa);
}

/**
 * The surface sampled on a (columns × rows) grid over its view [xmin, xmax, ymin, ymax]:
 * {columns, rows, xs, ys, values (row-major, row 0 at ymin), min, max}.
 */
export function sampleSurface(name, { kappa = DEFAULT_KAPPA, columns = 121, rows = 91, view = surfaceNamed(name).view } = {}) {
  const [xmin, xmax, ymin, ymax] = view;
  const xs = Float64Array.from({ length: columns }, (_, i) => xmin + ((xmax - xmin) * i) / (columns - 1));
  const ys = Float64Array.from({ length: rows }, (_, j) => ymin + ((ymax - ymin) * j) / (rows - 1));
  const values = new Float64Array(columns * rows);
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < columns; i++) {
      const value = SURFACE_VALUES[name](xs[i], ys[j], kappa);
      values[j * columns + i] = value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  return { columns, rows, xs, ys, values, min, max };
}

/**
 * `count` contour levels spaced evenly in log(f − min) between `decades` decades below the range
 * and the top of the range (the view's min and max): dense near the bottom, where the paths end.
 */
export function logLevels(min, max, { count = 14, decades = 4 } = {}) {
  const range = max - min;
  if (!(range > 0)) return [];
  return Array.from({ length: count }, (_, k) => min + range * 10 ** (-decades + (decades * k) / (count - 1)));
}

/**
 * On a surface with no minimum (the saddles: the view's values run from −a to +a), log-spaced in
 * |f| on both sides of 0: 0, ±a·10^(−decades), …, ±a.
 */
export function signedLogLevels(min, max, { count = 7, decades = 3 } = {}) {
  const top = Math.max(Math.abs(min), Math.abs(max));
  if (!(top > 0)) return [];
  const magnitudes = Array.from({ length: count }, (_, k) => top * 10 ** (-decades + (decades * k) / (count - 1)));
  return [...magnitudes.map((m) => -m).reverse(), 0, ...magnitudes].filter((level) => level >= min && level <= max);
}

/**
 * Marching squares: the segments of the iso-line f = level, as [x1, y1, x2, y2] in plane
 * coordinates (saddle cells take one of their two readings; at this grid size it does not show).
 */
export function contourSegments(sample, level) {
  const { columns, rows, xs, ys, values } = sample;
  const segments = [];
  const cross = (xa, ya, va, xb, yb, vb) => {
    const t = (level - va) / (vb - va);
    return [xa + t * (xb - xa), ya + t * (yb - ya)];
  };
  for (let j = 0; j + 1 < rows; j++) {
    for (let i = 0; i + 1 < columns; i++) {
      const x0 = xs[i], x1 = xs[i + 1], y0 = ys[j], y1 = ys[j + 1];
      const a = values[j * columns + i], b = values[j * columns + i + 1];
      const c = values[(j + 1) * columns + i + 1], d = values[(j + 1) * columns + i];
      // Corners a (x0,y0), b (x1,y0), c (x1,y1), d (x0,y1); the edges the level crosses.
      const points = [];
      if ((a < level) !== (b < level)) points.push(cross(x0, y0, a, x1, y0, b));
      if ((b < level) !== (c < level)) points.push(cross(x1, y0, b, x1, y1, c));
      if ((c < level) !== (d < level)) points.push(cross(x1, y1, c, x0, y1, d));
      if ((d < level) !== (a < level)) points.push(cross(x0, y1, d, x0, y0, a));
      if (points.length === 2) segments.push([...points[0], ...points[1]]);
      else if (points.length === 4) segments.push([...points[0], ...points[1]], [...points[2], ...points[3]]);
    }
  }
  return segments;
}
