// Turns a finished run (see scripts/bench.mjs) into Markdown tables: the throughput table with
// GFLOP/s and ratios, and the targets of issue 5 with met / not met. Markdown so that the very
// output can be pasted into the README's performance section.
import { WORKLOADS } from './workloads.mjs';

export const ENGINES = [
  { id: 'native-release', label: 'native -O3, x86-64 baseline (SSE2)' },
  { id: 'native-march', label: 'native -O3 -march=native' },
  { id: 'plain-eigen', label: 'plain Eigen program, native -O3 baseline' },
  { id: 'trainscope-simd', label: 'trainscope wasm SIMD (node)' },
  { id: 'trainscope-nosimd', label: 'trainscope wasm no-SIMD (node)' },
  { id: 'tfjs-wasm', label: 'TF.js 4.22 wasm (XNNPACK SIMD, 1 thread)' },
  { id: 'tfjs-cpu', label: 'TF.js 4.22 cpu (pure JS)' },
  { id: 'convnetjs', label: 'ConvNetJS 0.3 (pure JS, float64; W4 only)' },
];
export const BASELINE_ENGINE = 'native-release';
export const TFJS_ENGINE = 'tfjs-wasm';
export const SUBJECT_ENGINE = 'trainscope-simd';
export const CONVNETJS_ENGINE = 'convnetjs';

export function engineLabel(id) {
  return ENGINES.find((engine) => engine.id === id)?.label ?? id;
}

/** Markdown pipe table; `align` is a string of 'l' / 'r' per column. */
export function markdownTable(headers, rows, align) {
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = headers.map((_, column) => Math.max(3, ...cells.map((row) => row[column].length)));
  const pad = (text, column) =>
    align[column] === 'r' ? text.padStart(widths[column]) : text.padEnd(widths[column]);
  const line = (row) => `| ${row.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (align[column] === 'r' ? `${'-'.repeat(width + 1)}:` : `${'-'.repeat(width + 2)}`)).join('|')}|`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/** Significant-figure formatting that keeps tables narrow: 12449, 871, 41.2, 0.95. */
export function formatNumber(value, digits = 3) {
  if (!Number.isFinite(value)) return '–';
  const magnitude = Math.abs(value);
  if (magnitude >= 10 ** digits) return value.toFixed(0);
  return value.toPrecision(digits).replace(/\.?0+$/, (match) => (match.startsWith('.') ? '' : match));
}

function formatRatio(value) {
  return Number.isFinite(value) ? `${formatNumber(value)}×` : '–';
}

export function throughputTable(run) {
  const rows = [];
  for (const workloadId of Object.keys(run.throughput).filter((id) => id !== 'W4')) {
    const byEngine = run.throughput[workloadId];
    for (const engine of ENGINES) {
      const entry = byEngine[engine.id];
      if (!entry) continue;
      const spread = entry.runs > 1 ? `${formatNumber(entry.min)}–${formatNumber(entry.max)}` : '';
      rows.push([
        `${workloadId} ${WORKLOADS[workloadId].name}`,
        engine.label,
        entry.error ? `error` : formatNumber(entry.median),
        spread,
        formatNumber(entry.gflops),
        formatRatio(entry.vsNative),
        formatRatio(entry.vsTfjsWasm),
        String(entry.runs),
      ]);
    }
  }
  return markdownTable(
    ['workload', 'engine', 'steps/s (median)', 'range', 'GFLOP/s', '× native baseline', '× TF.js wasm', 'runs'],
    rows,
    'llrrrrrr',
  );
}

/** W4 (bench/w4.mjs): steps/s, images/s, GFLOP/s, ratios to the native baseline and to ConvNetJS. */
export function w4Table(run) {
  const byEngine = run.throughput.W4 ?? {};
  const rows = [];
  for (const engine of ENGINES) {
    const entry = byEngine[engine.id];
    if (!entry) continue;
    rows.push([
      engine.label,
      entry.error ? 'error' : formatNumber(entry.median),
      entry.runs > 1 ? `${formatNumber(entry.min)}–${formatNumber(entry.max)}` : '',
      formatNumber(entry.imagesPerSecond),
      formatNumber(entry.gflops),
      formatRatio(entry.vsNative),
      formatRatio(entry.vsConvnetjs),
      String(entry.runs),
    ]);
  }
  return markdownTable(
    ['engine', 'steps/s (median)', 'range', 'images/s', 'GFLOP/s', '× native baseline', '× ConvNetJS', 'runs'],
    rows,
    'lrrrrrrr',
  );
}

export function targetsTable(run) {
  const rows = run.targets.map((target) => [
    target.what,
    target.target,
    target.measured,
    target.met === null ? 'not measured' : target.met ? 'met' : 'NOT met',
  ]);
  return markdownTable(['what', 'target', 'measured', 'status'], rows, 'llrl');
}

export function diagnosticsTable(run) {
  const rows = Object.entries(run.diagnostics ?? {}).map(([workloadId, entry]) => [
    workloadId,
    formatNumber(entry.off?.median),
    formatNumber(entry.default?.median),
    Number.isFinite(entry.slowdown) ? `${(entry.slowdown * 100).toFixed(1)} %` : '–',
    String(entry.off?.runs ?? 0),
  ]);
  return markdownTable(
    ['workload', 'steps/s, diagnostics off', 'steps/s, default cadence', 'slowdown', 'runs each'],
    rows,
    'lrrrr',
  );
}

export function chromiumTable(run) {
  const rows = Object.entries(run.chromium?.worker ?? {}).map(([workloadId, entry]) => [
    workloadId,
    formatNumber(entry.node?.median),
    formatNumber(entry.worker?.median),
    formatRatio(entry.ratio),
    String(entry.worker?.runs ?? 0),
  ]);
  return markdownTable(
    ['workload', 'node steps/s', 'Chromium module worker steps/s', 'worker / node', 'runs each'],
    rows,
    'lrrrr',
  );
}
