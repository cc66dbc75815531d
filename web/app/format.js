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
 * Tick labels with just enough decimals to tell neighbouring ticks apart (2.300, 2.302, 2.304
 * rather than 2.3, 2.3, 2.3); very small or large values in exponent form.
 */
export function formatTicks(values) {
  const finite = values.filter(Number.isFinite);
  const spacing = finite.length > 1 ? Math.abs(finite[1] - finite[0]) : 0;
  return values.map((value) => {
    if (!Number.isFinite(value)) return '';
    if (value === 0) return '0';
    const magnitude = Math.abs(value);
    if (magnitude < 1e-3 || magnitude >= 1e5) return formatNumber(value, 2);
    if (!(spacing > 0)) return formatNumber(value);
    const decimals = Math.min(8, Math.max(0, Math.ceil(-Math.log10(spacing) - 1e-9)));
    return value.toFixed(decimals);
  });
}

/** A share as a percentage: "37%", "4.2%" below 10%, "–" when not a number. */
export function percent(value) {
  return Number.isFinite(value) ? `${(value * 100).toFixed(value > 0 && value < 0.1 ? 1 : 0)}%` : '–';
}
