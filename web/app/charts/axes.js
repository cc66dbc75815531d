// Where the time-series charts put their ticks. Pure: no DOM, no uPlot, testable in node.
//
// Step axes: whole steps only (1, 2, 5 × 10^k increments), so 2 steps never read 1, 1.2, … 2.
// Log axes: one label per power of ten ("1e-3"), grid lines only there, and minor ticks
// (2…9 × 10^k) only where they neither crowd into a band nor come near a label.

/** Integer increments for step axes: 1, 2, 5, 10, 20, 50, … up to 5e9. */
export const STEP_INCREMENTS = (() => {
  const increments = [];
  for (let exponent = 0; exponent <= 9; exponent++) for (const mantissa of [1, 2, 5]) increments.push(mantissa * 10 ** exponent);
  return increments;
})();

/** The x range of a step axis: never a zero-width range, never below 0. */
export function stepRange(min, max) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max - min < 1) return [Math.max(0, Math.floor(min) - 1), Math.ceil(max) + 1];
  return [Math.floor(min), Math.ceil(max)];
}

/** "1e-3", "1e0", "1e2": one notation for every power of ten. */
export function powerLabel(exponent) {
  return `1e${exponent}`;
}

/**
 * Ticks of a log axis over [min, max] (positive) drawn `pixels` tall.
 * @returns {{major: number[], minor: number[]}} major: the labelled powers of ten (every one, or
 *   every 2nd/3rd… when the decades are shorter than `labelHeight`); minor: 2…9 × 10^k, only when
 *   a decade is tall enough for them to read as ticks (not a grey band) and only those at least
 *   `labelHeight` / 2 + `clearance` pixels from every labelled power.
 */
export function logTicks(min, max, pixels, { labelHeight = 12, clearance = 3, minorDecade = 60 } = {}) {
  if (!(min > 0) || !(max > min) || !(pixels > 0)) return { major: [], minor: [] };
  const low = Math.ceil(Math.log10(min) - 1e-9);
  const high = Math.floor(Math.log10(max) + 1e-9);
  const span = Math.log10(max) - Math.log10(min);
  const decadePixels = pixels / span;
  const every = Math.max(1, Math.ceil((labelHeight * 1.5) / decadePixels));
  const major = [];
  for (let exponent = low; exponent <= high; exponent++) {
    if (((exponent % every) + every) % every === 0) major.push(10 ** exponent);
  }
  const position = (value) => ((Math.log10(value) - Math.log10(min)) / span) * pixels;
  const minor = [];
  if (decadePixels >= minorDecade) {
    const keepAway = labelHeight / 2 + clearance;
    for (let exponent = Math.floor(Math.log10(min)); exponent <= high; exponent++) {
      for (let mantissa = 2; mantissa <= 9; mantissa++) {
        const value = Number((mantissa * 10 ** exponent).toPrecision(12));
        if (value < min || value > max) continue;
        const at = position(value);
        if (major.every((label) => Math.abs(position(label) - at) >= keepAway)) minor.push(value);
      }
    }
  }
  return { major, minor };
}
