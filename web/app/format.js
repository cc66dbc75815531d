// Number formatting and log-scale slider mapping shared by the controls, the charts and the URL.
// Pure functions: no DOM, testable in node.

/** Compact human-readable number: "0.1", "3", "0.0015", "1e-6", "2.5e-5". */
export function formatNumber(value, significant = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e6) return String(value); // 1024 stays 1024, not 1020
  if (magnitude >= 1e-3 && magnitude < 1e5) {
    return String(Number(value.toPrecision(significant)));
  }
  const [mantissa, exponent] = value.toExponential(significant - 1).split('e');
  return `${Number(mantissa)}e${Number(exponent)}`;
}

/** Learning rates read better with a decimal point when whole: "3.0", "0.1". */
export function formatRate(value) {
  const text = formatNumber(value);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/**
 * Ascending "nice" values from min to max, a few per decade (1, 1.5, 2, 3, 5, 7 × 10^k).
 * Slider positions index this ladder, so a log-scale slider lands on numbers a student can read
 * and type, and the arrow keys move one readable step.
 */
export function logLadder(min, max, mantissas = [1, 1.5, 2, 3, 5, 7]) {
  const values = [];
  for (let exponent = Math.floor(Math.log10(min)); exponent <= Math.ceil(Math.log10(max)); exponent++) {
    for (const mantissa of mantissas) {
      // toPrecision removes the binary noise of mantissa · 10^exponent (e.g. 3 · 1e-7).
      const value = Number((mantissa * 10 ** exponent).toPrecision(6));
      if (value >= min * (1 - 1e-12) && value <= max * (1 + 1e-12)) values.push(value);
    }
  }
  return values;
}

/** Index of the ladder value nearest to `value` in log space (0 and negatives map to the first non-positive entry or the smallest). */
export function nearestLadderIndex(ladder, value) {
  if (!(value > 0)) {
    const zeroIndex = ladder.indexOf(0);
    return zeroIndex >= 0 ? zeroIndex : 0;
  }
  let best = 0;
  let bestDistance = Infinity;
  ladder.forEach((entry, index) => {
    if (!(entry > 0)) return;
    const distance = Math.abs(Math.log(entry) - Math.log(value));
    if (distance < bestDistance) {
      bestDistance = distance;
      best = index;
    }
  });
  return best;
}

/**
 * The value a tick stands for, without the binary noise of its arithmetic (0.30000000000000004 is
 * the tick 0.3): 12 significant digits are far more than any axis shows.
 */
export function tickValue(value) {
  return Number(value.toPrecision(12));
}

/**
 * One tick label with the fewest digits that represent the tick exactly: 0.25 is "0.25", never
 * "0.3"; 1 is "1"; very small or large values in exponent form with an exact mantissa ("5e-4",
 * "1.25e-5", "2e5").
 */
export function formatTick(value) {
  if (!Number.isFinite(value)) return '';
  const exact = tickValue(value);
  if (exact === 0) return '0';
  const magnitude = Math.abs(exact);
  if (magnitude < 1e-3 || magnitude >= 1e5) {
    const [mantissa, exponent] = exact.toExponential().split('e'); // shortest exact mantissa
    return `${mantissa}e${Number(exponent)}`;
  }
  return String(exact); // JavaScript's shortest round-trip form: exactly the digits needed
}

/** Tick labels, each exact (formatTick); neighbouring ticks are distinct because their values are. */
export function formatTicks(values) {
  return values.map(formatTick);
}

/** A step-axis label: exact, thousands as "k" only when that stays exact (12500 → "12.5k"). */
export function formatStepTick(value) {
  if (!Number.isFinite(value)) return '';
  if (Math.abs(value) >= 1e4 && Number.isInteger(value / 100)) return `${tickValue(value / 1000)}k`;
  return String(tickValue(value));
}

/** A share as a percentage: "37%", "4.2%" below 10%, "–" when not a number. */
export function percent(value) {
  return Number.isFinite(value) ? `${(value * 100).toFixed(value > 0 && value < 0.1 ? 1 : 0)}%` : '–';
}
