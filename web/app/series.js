// Columnar series helpers for the charts: light smoothing, gaps for non-finite or non-positive
// values, and aligning pinned runs onto the current x grid. Pure, testable. (The columns
// themselves are the engine's history, thinned by the engine: run-store.js.)

/**
 * Debiased exponential moving average (as TensorBoard's smoothing): s_t = β·s_{t−1} + (1−β)·x_t,
 * reported as s_t / (1 − β^t) so the curve starts at the first value instead of at 0.
 *
 * Never smooths across a divergence: a non-finite value is a gap and the average starts over
 * after it, and so does a value above both the first value (the loss at initialization) and
 * `breakFactor` × the current average: a loss that blows up is drawn at its true height (97,100,
 * not an average of 35,000), while ordinary batch noise below the starting loss is smoothed.
 */
export function smoothSeries(values, beta = 0.9, { breakFactor = 4 } = {}) {
  const out = new Array(values.length);
  let average = 0;
  let count = 0;
  let first = null;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined || !Number.isFinite(value)) {
      out[i] = null;
      count = 0;
      average = 0;
      continue;
    }
    if (first === null) first = value;
    if (count > 0) {
      const current = average / (1 - beta ** count);
      if (value > first && value > breakFactor * Math.abs(current) && value > current) {
        count = 0;
        average = 0;
      }
    }
    average = beta * average + (1 - beta) * value;
    count++;
    out[i] = count === 1 ? value : average / (1 - beta ** count); // the same, without rounding noise
  }
  return out;
}

/** Non-finite numbers become null (a gap), as uPlot expects. */
export function finiteOrNull(values) {
  return Array.from(values, (v) => (v === null || v === undefined || !Number.isFinite(v) ? null : v));
}

/** Values ≤ 0 become null too (log axes). */
export function positiveOrNull(values) {
  return Array.from(values, (v) => (v > 0 && Number.isFinite(v) ? v : null));
}

/**
 * Sample the series (xs ascending, ys) on `grid`: at each grid x, the value of the last point
 * with xs ≤ x, or null outside the series' range. Lets runs recorded at different strides share
 * one x column.
 */
export function alignToGrid(grid, xs, ys) {
  const out = new Array(grid.length).fill(null);
  if (xs.length === 0) return out;
  let j = 0;
  const lastX = xs[xs.length - 1];
  for (let i = 0; i < grid.length; i++) {
    const x = grid[i];
    if (x < xs[0] || x > lastX) continue;
    while (j + 1 < xs.length && xs[j + 1] <= x) j++;
    const y = ys[j];
    out[i] = y === undefined || !Number.isFinite(y) ? null : y;
  }
  return out;
}

/**
 * Place sparse points (e.g. validation evaluations) on `grid`: each point goes to the grid
 * entry with the largest x ≤ its step; everything else is null (uPlot's spanGaps joins them).
 */
export function scatterToGrid(grid, xs, ys) {
  const out = new Array(grid.length).fill(null);
  let i = 0;
  for (let k = 0; k < xs.length; k++) {
    while (i + 1 < grid.length && grid[i + 1] <= xs[k]) i++;
    if (grid.length && grid[i] <= xs[k] && Number.isFinite(ys[k])) out[i] = ys[k];
  }
  return out;
}
