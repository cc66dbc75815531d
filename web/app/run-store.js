// The page's copy of one run: what the worker says (run announcement, history rows, evaluations,
// decision grids) turned into columns the charts read. Pure module: no DOM, testable in node.
//
// History rows arrive in the JS API's own columnar shape (trainer.history()): typed arrays
// aligned with `step`, `diag_step`, per-layer series as one typed array per layer (hidden layers,
// then output), `layers`, `histograms` and `version`. The store does not list the metric names:
// a typed array is a step column, an array of typed arrays a per-layer diagnostics series, so a
// metric the engine adds reaches the charts without a change here. The engine thins its history
// when full and bumps `version`; the worker then sends the whole history with `replace: true`.

/**
 * @typedef {object} RunData
 * @property {number} run                 id of the run (changes with every build or reset)
 * @property {object|null} config         the trainer's full config
 * @property {number} outputs             number of classes
 * @property {object|null} initialLoss    {expected, measured, explanation}
 * @property {object|null} points         {train, val} 2-D points for the decision boundary
 * @property {number[]|null} bounds       [xmin, xmax, ymin, ymax] of the plane, or null
 * @property {Object<string, number[]>} steps        step-aligned columns; `steps.step` is x
 * @property {{step: number[], layers: string[], series: Object<string, number[][]>, histograms: object|null}} diagnostics
 * @property {{step: number[], valLoss: number[], valAcc: number[], trainAcc: number[]}} evals
 * @property {object|null} lastEval       the latest evaluation message
 * @property {object|null} grid           the latest decision-boundary grid
 * @property {object|null} lastMetrics    the latest step's metrics
 * @property {number} version             the engine history's version the columns come from
 */

/** @returns {RunData} */
export function emptyRunData(ready = {}) {
  return {
    run: ready.run ?? -1,
    config: ready.config ?? null,
    outputs: ready.outputs ?? 0,
    initialLoss: ready.initialLoss ?? null,
    points: ready.data ?? null,
    bounds: ready.bounds ?? null,
    steps: { step: [] },
    diagnostics: { step: [], layers: [], series: {}, histograms: null },
    evals: { step: [], valLoss: [], valAcc: [], trainAcc: [] },
    lastEval: null,
    grid: null,
    lastMetrics: null,
    version: 0,
  };
}

const isColumn = (value) => ArrayBuffer.isView(value);
const isLayerSeries = (value) => Array.isArray(value) && value.length > 0 && value.every(isColumn);

function append(target, values, replace) {
  if (replace) return Array.from(values);
  for (let i = 0; i < values.length; i++) target.push(values[i]);
  return target;
}

export class RunStore {
  constructor() {
    this.data = emptyRunData();
  }

  /**
   * Apply one worker message of the current run.
   * @returns {string[]} the parts of the data that changed: 'run', 'steps', 'diagnostics', 'evals', 'grid'
   */
  apply(message) {
    switch (message.type) {
      case 'ready':
        this.data = emptyRunData(message);
        return ['run'];
      case 'history':
        return this.#appendHistory(message.history, Boolean(message.replace), message.last);
      case 'eval': {
        const evals = this.data.evals;
        evals.step.push(message.step);
        evals.valLoss.push(message.val.loss);
        evals.valAcc.push(message.val.acc);
        evals.trainAcc.push(message.train.acc);
        this.data.lastEval = message;
        return ['evals'];
      }
      case 'grid':
        this.data.grid = message;
        return ['grid'];
      default:
        return [];
    }
  }

  #appendHistory(history, replace, last) {
    const data = this.data;
    const changed = [];
    if (last) data.lastMetrics = last;
    if (Number.isFinite(history.version)) data.version = history.version;
    if (replace) {
      data.steps = { step: [] };
      data.diagnostics = { step: [], layers: [], series: {}, histograms: null };
    }
    const steps = data.steps;
    const newSteps = history.step ?? new Float64Array(0);
    // Rows the store already holds (a repeated message) are not appended twice.
    const stepStart = replace ? 0 : firstAfter(newSteps, steps.step.at(-1));
    if (replace || stepStart < newSteps.length) {
      for (const [name, values] of Object.entries(history)) {
        if (name === 'diag_step' || !isColumn(values)) continue;
        steps[name] = append(steps[name] ?? [], values.subarray(stepStart), replace);
      }
      if (last || newSteps.length) changed.push('steps');
    } else if (last) {
      changed.push('steps');
    }

    const diagnostics = data.diagnostics;
    const newDiag = history.diag_step ?? new Float64Array(0);
    const diagStart = replace ? 0 : firstAfter(newDiag, diagnostics.step.at(-1));
    if (Array.isArray(history.layers) && history.layers.length) diagnostics.layers = history.layers.slice();
    if (replace || diagStart < newDiag.length) {
      diagnostics.step = append(diagnostics.step, newDiag.subarray(diagStart), replace);
      for (const [name, perLayer] of Object.entries(history)) {
        if (!isLayerSeries(perLayer)) continue;
        const held = diagnostics.series[name] ?? [];
        diagnostics.series[name] = perLayer.map((values, layer) => append(held[layer] ?? [], values.subarray(diagStart), replace));
      }
      changed.push('diagnostics');
    }
    const histograms = history.histograms?.layers?.length ? history.histograms : null; // none recorded yet: keep what is held
    if (histograms && (replace || !diagnostics.histograms || histograms.step >= diagnostics.histograms.step)) {
      diagnostics.histograms = histograms;
      if (!changed.includes('diagnostics')) changed.push('diagnostics');
    }
    return changed;
  }

  /** Copies of the step columns a pinned run keeps. */
  pinSnapshot() {
    const { steps, evals } = this.data;
    return {
      metrics: Object.fromEntries(Object.entries(steps).map(([name, values]) => [name, values.slice()])),
      evals: structuredClone(evals),
    };
  }
}

/**
 * The latest diagnostics per layer, one object per layer ({name, dead_fraction, …, act: {mean,
 * std, hist, edges}}; hidden layers, then output), or null before the first diagnostics.
 */
export function latestLayers(diagnostics) {
  const { step, layers, series, histograms } = diagnostics;
  if (step.length === 0) return null;
  return layers.map((name, layer) => {
    const row = { name };
    for (const [key, perLayer] of Object.entries(series)) row[key] = perLayer[layer]?.at(-1);
    const histogram = histograms?.layers?.find((h) => h.name === name);
    row.act = { mean: row.act_mean, std: row.act_std, hist: histogram?.act?.hist ?? [], edges: histogram?.act?.edges ?? [] };
    return row;
  });
}

/** Index of the first value > `after` in ascending `values` (0 when `after` is undefined). */
function firstAfter(values, after) {
  if (after === undefined) return 0;
  let index = 0;
  while (index < values.length && values[index] <= after) index++;
  return index;
}
