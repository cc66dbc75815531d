// search(): random or grid search over a space of config paths, with early stopping, successive
// halving, coarse-to-fine refinement and an ensemble of the best trials. Pure JS over the public
// API: trials run through a runner (in this realm by default; Web Workers in the page, child
// processes in the CLI), and the same seed gives the same trials and results whatever the number
// of workers, because every trial is planned (index, params, config) before any runs and results
// are ordered by index.

import { deepCopy } from '../defaults.js';
import { ConfigError, formatProblem, validateConfig } from '../validate.js';
import { canonicalJson, createRandom, hashText } from './random.js';
import { gridPoints, normalizeSpace, refineSpace, samplePoint, setPath, spaceObject } from './space.js';
import { CURVE_POINTS, runTrial as runTrialHere } from './trial.js';

export const METHODS = Object.freeze(['random', 'grid']);
const DEFAULT_SEED = 1;

/** Best first: higher validation accuracy, then lower validation loss, then lower index. */
export function compareTrials(a, b) {
  return (b.val_acc - a.val_acc) || (a.val_loss - b.val_loss) || (a.index - b.index);
}

const finished = (trial) => trial.status === 'ok' && Number.isFinite(trial.val_acc);

/** The identity of a trial in a results file: its index and this hash of what it runs. */
export function trialHash(config, steps, earlyStop) {
  return hashText(canonicalJson({ config, steps, earlyStop: earlyStop ?? null }));
}

function positiveInteger(name, value, fallback) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`search: ${name} must be a positive integer; got ${JSON.stringify(value)}`);
  return value;
}

/** Checks search()'s options and fills the defaults; throws on the first mistake. */
export function normalizeOptions(options = {}) {
  const base = deepCopy(options.base ?? {});
  const problems = validateConfig(base);
  if (problems.length > 0) throw new ConfigError(`search: base config: ${formatProblem(problems[0])}`, problems);
  const dimensions = normalizeSpace(options.space);
  const method = options.method ?? 'random';
  if (!METHODS.includes(method)) throw new RangeError(`search: method must be one of ${METHODS.join(', ')}; got ${JSON.stringify(method)}`);
  const trials = positiveInteger('trials', options.trials, 20);
  const steps = positiveInteger('steps', options.steps, 300);
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) throw new RangeError(`search: seed must be an integer in [0, 2^32-1]; got ${JSON.stringify(seed)}`);
  const earlyStop = options.earlyStop === false || options.earlyStop === null ? null : { factor: options.earlyStop?.factor ?? 3 };
  if (earlyStop && !(earlyStop.factor > 1)) throw new RangeError(`search: earlyStop.factor must be > 1; got ${JSON.stringify(earlyStop.factor)}`);
  let halving = null;
  if (options.halving) {
    const eta = positiveInteger('halving.eta', options.halving.eta, 3);
    if (eta < 2) throw new RangeError('search: halving.eta must be at least 2');
    const minSteps = positiveInteger('halving.minSteps', options.halving.minSteps, Math.max(1, Math.floor(steps / eta ** 2)));
    if (minSteps > steps) throw new RangeError(`search: halving.minSteps (${minSteps}) must be at most steps (${steps})`);
    halving = { eta, minSteps };
  }
  let refine = null;
  if (options.refine) {
    refine = { rounds: positiveInteger('refine.rounds', options.refine.rounds, 1), keep: positiveInteger('refine.keep', options.refine.keep, 3) };
  }
  const ensemble = options.ensemble ? { k: positiveInteger('ensemble.k', options.ensemble.k, 3) } : null;
  if (ensemble && ensemble.k < 2) throw new RangeError('search: ensemble.k must be at least 2');
  const workers = positiveInteger('workers', options.workers, 1);
  let shard = null;
  if (options.shard) {
    const { index, count } = options.shard;
    if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 1 || index > count) {
      throw new RangeError(`search: shard must be {index, count} with 1 <= index <= count; got ${JSON.stringify(options.shard)}`);
    }
    if (refine || halving || ensemble) throw new RangeError('search: shard cannot be combined with refine, halving or ensemble (they need every trial\'s result)');
    shard = { index, count };
  }
  return {
    base, dimensions, method, trials, steps, seed, earlyStop, halving, refine, ensemble, workers, shard,
    curvePoints: positiveInteger('curvePoints', options.curvePoints, CURVE_POINTS),
    runTrial: options.runTrial ?? runTrialHere,
    completed: options.completed ?? [],
  };
}

/**
 * The trials of one round, planned before any runs: [{index, round, params, config, seed, hash}].
 * Random: `trials` points from a generator seeded by (seed, round); grid: gridPoints().
 */
export function planRound(opts, dimensions, round, firstIndex) {
  let points;
  if (opts.method === 'grid') {
    points = gridPoints(dimensions, opts.trials);
  } else {
    const random = createRandom(opts.seed + 0x9e37 * round);
    points = Array.from({ length: opts.trials }, () => samplePoint(dimensions, random));
  }
  return points.map((params, i) => {
    let config = deepCopy(opts.base);
    for (const [path, value] of Object.entries(params)) config = setPath(config, path, value);
    config.seed ??= DEFAULT_SEED;
    return { index: firstIndex + i, round, params, config, seed: config.seed, hash: trialHash(config, opts.steps, opts.earlyStop) };
  });
}

/**
 * Runs a search. Returns a handle: `on(event, listener)` for 'trial' (a finished trial record),
 * 'progress' ({done, total, round, rung}), 'round' ({round, space, best, widened}); `pause()`,
 * `resume()`, `cancel()`; `trials` (the finished ones so far, by index) and `results`, a promise of
 * {trials, best, rounds, space, ensemble, cancelled}.
 */
export function search(options) {
  const opts = normalizeOptions(options);
  const listeners = new Map();
  const control = new Control();
  const handle = {
    trials: [],
    on(type, listener) { (listeners.get(type) ?? listeners.set(type, []).get(type)).push(listener); return handle; },
    off(type, listener) { listeners.set(type, (listeners.get(type) ?? []).filter((entry) => entry !== listener)); return handle; },
    pause() { control.pause(); },
    resume() { control.resume(); },
    cancel() { control.cancel(); },
    get paused() { return control.paused; },
    results: null,
  };
  const emit = (type, payload) => { for (const listener of listeners.get(type) ?? []) listener(payload); };
  // Start after the caller had a chance to attach listeners.
  handle.results = Promise.resolve().then(() => runSearch(opts, emit, control, handle));
  return handle;
}

class Control {
  constructor() {
    this.paused = false;
    this.cancelled = false;
    this.abort = new AbortController();
    this.waiters = [];
  }

  pause() { this.paused = true; }
  resume() { this.paused = false; this.release(); }
  cancel() { this.cancelled = true; this.abort.abort(); this.release(); }
  release() { for (const wake of this.waiters.splice(0)) wake(); }
  async ready() {
    while (this.paused && !this.cancelled) await new Promise((wake) => this.waiters.push(wake));
    return !this.cancelled;
  }
}

async function runSearch(opts, emit, control, handle) {
  const completedByIndex = new Map(opts.completed.map((record) => [record.index, record]));
  const rounds = [];
  const all = [];
  const probabilities = new Map();
  const progress = { done: 0, total: 0 };
  let dimensions = opts.dimensions;
  let nextIndex = 0;
  const roundCount = 1 + (opts.refine?.rounds ?? 0);
  for (let round = 0; round < roundCount && !control.cancelled; round++) {
    let plans = planRound(opts, dimensions, round, nextIndex);
    nextIndex += plans.length;
    if (opts.shard) plans = plans.filter((plan) => plan.index % opts.shard.count === opts.shard.index - 1);
    const finish = (record, probs) => {
      all.push(record);
      all.sort((a, b) => a.index - b.index);
      handle.trials = all.slice();
      if (probs) probabilities.set(record.index, probs);
      emit('trial', record);
    };
    const reused = [];
    const toRun = [];
    for (const plan of plans) {
      const previous = completedByIndex.get(plan.index);
      if (previous && previous.hash === plan.hash) reused.push({ ...previous, resumed: true });
      else toRun.push(plan);
    }
    for (const record of reused) finish(record, null);
    if (opts.halving) await runHalving(opts, toRun, control, emit, progress, round, finish);
    else {
      progress.total += toRun.length;
      await runPool(opts, toRun.map((plan) => ({ plan, steps: opts.steps })), control, (plan, result) => {
        progress.done++;
        finish(trialRecord(plan, result, opts), result.probabilities);
        emit('progress', { ...progress, round, rung: 0 });
      });
    }
    const roundTrials = all.filter((trial) => trial.round === round);
    const roundBest = roundTrials.filter(finished).sort(compareTrials)[0] ?? null;
    const summary = { round, space: spaceObject(dimensions), trials: roundTrials.length, best: roundBest, widened: [] };
    if (round + 1 < roundCount && !control.cancelled) {
      const keep = all.filter(finished).sort(compareTrials).slice(0, opts.refine.keep);
      if (keep.length === 0) { rounds.push(summary); emit('round', summary); break; }
      const refined = refineSpace(dimensions, keep);
      dimensions = refined.dimensions;
      summary.widened = refined.widened;
    }
    rounds.push(summary);
    emit('round', summary);
  }
  const ranked = all.filter(finished).sort(compareTrials);
  return {
    trials: all,
    best: ranked[0] ?? null,
    rounds,
    space: spaceObject(dimensions),
    ensemble: opts.ensemble ? ensembleOf(ranked, probabilities, opts.ensemble.k) : null,
    cancelled: control.cancelled,
  };
}

// Successive halving: every trial runs minSteps; the best 1/eta go on to eta times more steps, and
// so on up to `steps`. Each rung retrains from the start (the runner keeps no models), which the
// seed makes exactly reproducible. A trial that does not go on is recorded as 'pruned' with the
// numbers of its last rung.
async function runHalving(opts, plans, control, emit, progress, round, finish) {
  const { eta, minSteps } = opts.halving;
  let alive = plans;
  let rungSteps = minSteps;
  for (let rung = 0; alive.length > 0 && !control.cancelled; rung++) {
    const last = rungSteps >= opts.steps || alive.length === 1;
    const steps = last ? opts.steps : rungSteps;
    progress.total += alive.length;
    const results = new Map();
    await runPool(opts, alive.map((plan) => ({ plan, steps })), control, (plan, result) => {
      progress.done++;
      results.set(plan.index, result);
      emit('progress', { ...progress, round, rung });
    });
    if (control.cancelled) return;
    const records = alive.map((plan) => ({ plan, result: results.get(plan.index), record: trialRecord(plan, results.get(plan.index), opts) }));
    if (last) {
      for (const { record, result } of records) finish({ ...record, rung }, result.probabilities);
      return;
    }
    const healthy = records.filter(({ record }) => finished(record)).sort((a, b) => compareTrials(a.record, b.record));
    const promoted = new Set(healthy.slice(0, Math.max(1, Math.ceil(alive.length / eta))).map(({ plan }) => plan.index));
    for (const { plan, record } of records) {
      if (promoted.has(plan.index)) continue;
      if (record.status === 'ok') Object.assign(record, { status: 'pruned', reason: `pruned after ${record.steps} steps (rung ${rung} of successive halving)` });
      finish({ ...record, rung }, null);
    }
    alive = alive.filter((plan) => promoted.has(plan.index));
    rungSteps *= eta;
  }
}

// `workers` trials at a time; each waits while paused and none starts once cancelled. A trial in
// flight when the search is cancelled is dropped (the runner sees the abort signal).
async function runPool(opts, jobs, control, onResult) {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && await control.ready()) {
      const { plan, steps } = jobs[next++];
      const spec = {
        index: plan.index, config: plan.config, steps, earlyStop: opts.earlyStop, curvePoints: opts.curvePoints,
        probabilities: Boolean(opts.ensemble),
      };
      let result;
      try {
        result = await opts.runTrial(spec, { signal: control.abort.signal });
      } catch (error) {
        if (control.cancelled) return;
        result = failedResult(plan, error);
      }
      if (control.cancelled || result?.status === 'cancelled') return;
      onResult(plan, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.workers, jobs.length) }, worker));
}

function failedResult(plan, error) {
  return {
    index: plan.index, status: 'failed', reason: `failed: ${error?.message ?? String(error)}`, stopped_at: null, steps: 0,
    initial_loss: null, final_loss: null, train_loss: null, train_acc: null, val_loss: null, val_acc: null,
    curve: { step: [], loss: [] }, probabilities: null,
  };
}

/** The record a search reports (and the CLI writes as one JSON line) for a trial. */
export function trialRecord(plan, result, opts) {
  const { probabilities, index, ...numbers } = result;
  return { index: plan.index, round: plan.round, hash: plan.hash, seed: plan.seed, params: plan.params, config: plan.config, steps_planned: opts.steps, ...numbers };
}

/**
 * The lecture's model ensemble: the k best trials average their validation-split class
 * probabilities; accuracy is the argmax against the labels, loss the mean −ln p(label).
 */
export function ensembleOf(ranked, probabilities, k) {
  const members = ranked.filter((trial) => probabilities.has(trial.index)).slice(0, k);
  if (members.length < 2) return { members: members.map((trial) => trial.index), val_acc: null, val_loss: null, reason: 'needs at least two finished trials with validation probabilities (1-D or 2-D data)' };
  const tables = members.map((trial) => probabilities.get(trial.index));
  const { count, classes, labels } = tables[0];
  for (const table of tables) {
    if (table.count !== count || table.classes !== classes || table.labels.some((label, i) => label !== labels[i])) {
      throw new Error('ensemble: the members were validated on different splits (the base config must fix data and seed)');
    }
  }
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < count; i++) {
    let bestClass = 0;
    let bestP = -Infinity;
    let labelP = 0;
    for (let c = 0; c < classes; c++) {
      let p = 0;
      for (const table of tables) p += table.values[i * classes + c];
      p /= tables.length;
      if (p > bestP) { bestP = p; bestClass = c; }
      if (c === labels[i]) labelP = p;
    }
    if (bestClass === labels[i]) correct++;
    loss -= Math.log(Math.max(labelP, 1e-12));
  }
  return { members: members.map((trial) => trial.index), val_acc: correct / count, val_loss: loss / count };
}


