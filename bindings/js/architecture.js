// Text forms of the architecture summary (trainer.summary()): one line per layer for the CLI's
// `trainscope summary` and the page's architecture line. Only formatting: the shapes, parameter
// counts and multiply-adds are the engine's.

/** [8, 28, 28] -> "8×28×28"; dense features [64, 1, 1] -> "64". */
export function formatShape(shape) {
  const [channels, height, width] = shape;
  return height === 1 && width === 1 ? String(channels) : `${channels}×${height}×${width}`;
}

/** "conv 8@5×5 s1 p2", "pool max 2×2 s2", "dense 64", "output 10". */
export function describeLayer(row) {
  switch (row.type) {
    case 'conv': return `conv ${row.filters}@${row.size}×${row.size}${row.stride !== 1 ? ` s${row.stride}` : ''}${row.pad !== 0 ? ` p${row.pad}` : ''}`;
    case 'pool': return `pool ${row.mode} ${row.size}×${row.size}${row.stride !== row.size ? ` s${row.stride}` : ''}`;
    default: return `${row.type} ${formatShape(row.output)}`;
  }
}

/** 12345 -> "12,345"; 2.5e6 -> "2.5M" (multiply-adds). */
export function formatCount(count) {
  if (count >= 1e9) return `${+(count / 1e9).toPrecision(3)}G`;
  if (count >= 1e6) return `${+(count / 1e6).toPrecision(3)}M`;
  return Math.round(count).toLocaleString('en-US');
}

/** "input 1×28×28 → conv 8@5×5 p2 → 8×28×28 → … → output 10" */
export function architectureLine(rows) {
  if (rows.length === 0) return '';
  const parts = [`input ${formatShape(rows[0].input)}`];
  for (const row of rows) {
    parts.push(row.type === 'conv' || row.type === 'pool' ? `${describeLayer(row)} → ${formatShape(row.output)}` : describeLayer(row));
  }
  return parts.join(' → ');
}

/** Totals over the rows: {parameters, multiply_adds}. */
export function summaryTotals(rows) {
  return rows.reduce((total, row) => ({
    parameters: total.parameters + row.parameters,
    multiply_adds: total.multiply_adds + row.multiply_adds,
  }), { parameters: 0, multiply_adds: 0 });
}
