// The training worker (a module worker): owns one trainer, trains in time-budgeted slices, and
// posts what the charts need. The page never trains on its main thread.
//
// Protocol (page → worker):
//   {type:'start', hash}              the page's address: build the run it asks for, and play it
//                                     with #autoplay=1 (or the address in the worker's name, from
//                                     prestart.js: worker-name.js)
//   {type:'build', config}            replace the trainer (structural change, preset, first run); the
//                                     page's first build of the config 'start' built adopts that run
//   {type:'play', limit?}             train until paused, diverged, or `limit` total steps
//   {type:'pause'} | {type:'step', n} | {type:'reset', seed}
//   {type:'set', changes}             live hyperparameters via trainer.set (no reset)
//   {type:'pace', stepsPerSecond}     train at most this many steps per second (0 = as fast as it can)
//   {type:'share', fraction}          use at most this fraction of a core (the page's demos share the machine)
//   {type:'call', id, method, args}   read-only queries for tests and tools → {type:'reply', id}
// (worker → page), every message carries `run`, which changes with every build/reset so the page
// can drop messages from a run it already replaced:
//   hello {engine, presets, defaults}        once, after the JS API and the wasm engine loaded
//   ready {config, outputs, initialLoss, data, bounds}
//   history {history, replace, last}         after every training slice: the engine history's new
//       rows (trainer.history({since}): step columns, per-layer diagnostics, histograms, version),
//       typed arrays transferred; `replace` when the engine thinned its history (new version) and
//       this is all of it; `last` = the latest step's metrics. The one stream of metrics and
//       diagnostics: the page's charts read nothing else.
//   eval {step, train, val} | grid {resolution, bounds, outputs, values}   on their own timers
//   state {running, reason?} | diverged {step, reason, lr} | error {message, during}
//   settled {step}     after a pause, a Step, a step budget or a divergence: every message
//       above for that final step has been sent (history row, diagnostics, evaluation, grid)

import { HistoryFeed, buffersOf } from './history-feed.js';
import { PAGE_ENGINE } from './page-engine.js';
import { addressInName } from './worker-name.js';

const api = { module: null };
let trainer = null;
let run = 0;
let running = false;
let stepLimit = 0;
let decisionBounds = null; // [xmin, xmax, ymin, ymax] for 2-D data, else null
let lastStep = 0; // steps done in this run
let lastMetrics = null; // the latest trainer.step() result, not yet posted
const historyFeed = new HistoryFeed(); // what the page holds of the engine's history

const SLICE_BUDGET_MS = 12; // training per slice; the rest of the thread serves messages
// Minimum intervals between evaluations and boundary grids. Each is also held to at most ~10% of
// the worker's time (interval ≥ 10 × its last cost), so a 10 × 500 network is not slowed down by
// its own charts while a small one gets smooth curves. (Per-layer diagnostics are the engine's
// business: it records them every `diagnostics.cadence` steps into the history.)
const EVAL_INTERVAL_MS = 120;
const GRID_INTERVAL_MS = 250;
const MAX_SHARE = 10;
const GRID_RESOLUTION = 50;
// A new run's first evaluation and boundary grid (tens of ms on a cold engine) are
// sent after its first training slice when the page plays at once, so they do not delay the first
// step; a run that stays paused gets them after this delay.
const FIRST_STATS_DELAY_MS = 100;
let firstStatsPending = false;

const lastSent = { eval: 0, grid: 0 };
const lastCost = { eval: 0, grid: 0 };

function post(message, transfer = []) {
  self.postMessage({ run, ...message }, transfer);
}

function postError(error, during) {
  post({ type: 'error', during, message: error?.message ?? String(error) });
}

// A zero-delay yield: a MessageChannel task lets queued page messages (pause, set) run between
// slices without setTimeout's 4 ms clamp.
// Each schedule gets a token and only the latest one runs, so a pause followed by a quick Play
// never leaves two slice loops running.
let sliceToken = 0;
const yieldChannel = new MessageChannel();
yieldChannel.port1.onmessage = (event) => {
  if (event.data === sliceToken) slice();
};
function scheduleSlice(delay = 0) {
  const token = ++sliceToken;
  if (delay <= 0) yieldChannel.port2.postMessage(token);
  else setTimeout(() => token === sliceToken && slice(), delay);
}

// The pace ("Speed"): at most `stepsPerSecond` steps per second, measured from `paceClock`
// ({time, step}, set when training starts or the pace changes). 0 = as fast as the slices allow.
let stepsPerSecond = 0;
let paceClock = null;

/** Steps due now under the pace (Infinity without one); re-anchors rather than bursting after a stall. */
function stepsDue(now) {
  if (!(stepsPerSecond > 0)) return Infinity;
  const interval = 1000 / stepsPerSecond;
  // Anchored one interval back: the first step is due at once.
  if (!paceClock) paceClock = { time: now - interval, step: lastStep };
  let due = Math.floor((now - paceClock.time) / interval) - (lastStep - paceClock.step);
  if (due > Math.max(2, stepsPerSecond / 4)) {
    // Behind by more than a quarter of a second (a slow net, a busy machine): catch up no further.
    paceClock = { time: now - interval, step: lastStep };
    due = 1;
  }
  return Math.max(0, due);
}

// The share of a core this worker may use (share.js: the page divides its cores between the
// demos that train at once): after a slice of d ms it rests d · (1/share − 1) ms.
let cpuShare = 1;

/** Milliseconds to rest after a slice that took `elapsed` ms, under the share. */
function restAfter(elapsed) {
  return cpuShare >= 1 ? 0 : elapsed * (1 / cpuShare - 1);
}

/** Milliseconds until the next step is due under the pace. */
function untilNextStep(now) {
  const interval = 1000 / stepsPerSecond;
  return Math.max(1, paceClock.time + (lastStep - paceClock.step + 1) * interval - now);
}

// Only the JS API modules the worker uses (not its search and optimizer-path parts), and the
// engine's download and compilation start as soon as the loader has arrived, while the rest of
// the API is still loading: the first step comes sooner after navigation.
async function loadApi() {
  try {
    const engineLoaded = import('../js/loader.js').then((loader) => loader.loadEngine(PAGE_ENGINE));
    const [{ createTrainer }, { presets: allPresets }, { defaults }, engine] = await Promise.all([
      import('../js/trainer.js'), import('../js/presets.js'), import('../js/defaults.js'), engineLoaded,
    ]);
    api.module = { createTrainer, presets: allPresets, defaults };
    const presets = (api.module.presets ?? []).map(({ name, title, explain, config }) => ({ name, title, explain, config }));
    self.postMessage({
      run,
      type: 'hello',
      engine: { simd: engine.simd, variant: engine.variant, buildInfo: { ...engine.buildInfo } },
      presets,
      defaults: api.module.defaults,
    });
  } catch (error) {
    self.postMessage({ run, type: 'fatal', message: `The training engine could not load: ${error?.message ?? error}` });
  }
}

function readStatus() {
  const status = trainer.status; // {state: 'ok' | 'diverged', step, reason}
  return { diverged: status.state === 'diverged', step: status.step, reason: status.reason };
}

/**
 * Forward the history rows the page does not have yet, with the latest step's metrics. Returns
 * how many diagnostics rows were sent.
 */
function forwardHistory() {
  const message = historyFeed.next(trainer, lastStep, lastMetrics);
  if (!message) return 0;
  const diagnosticsRows = message.history.diag_step.length; // before the transfer empties it
  post(message, buffersOf(message.history));
  lastMetrics = null;
  return diagnosticsRows;
}

/**
 * The network's state now, as a diagnostics row for `step` when the engine's history has none
 * for it: the state at initialization (step 0), or the final step of a pause, a Step, a step
 * budget or a divergence, so the per-layer charts show the same step as the toolbar (the engine
 * records diagnostics every `diagnostics.cadence` steps only). One layerStats() snapshot, sent as
 * a history row (the same columnar shape; LayerStats' numbers become per-layer series, {mean,
 * std} pairs `<key>_mean` and `<key>_std`).
 */
function postSnapshot(step = 0) {
  const stats = trainer.layerStats();
  const history = {
    step: new Float64Array(0),
    diag_step: Float64Array.of(step),
    layers: stats.map((layer) => layer.name),
    histograms: {
      step,
      layers: stats.map((layer) => ({
        name: layer.name,
        pre: { hist: Float64Array.from(layer.pre?.hist ?? []), edges: Float64Array.from(layer.pre?.edges ?? []) },
        act: { hist: Float64Array.from(layer.act?.hist ?? []), edges: Float64Array.from(layer.act?.edges ?? []) },
      })),
    },
  };
  const series = (pick) => stats.map((layer) => Float64Array.of(Number(pick(layer))));
  for (const [key, value] of Object.entries(stats[0] ?? {})) {
    if (typeof value === 'number') history[key] = series((layer) => layer[key]);
    else if (value && typeof value.mean === 'number') {
      history[`${key}_mean`] = series((layer) => layer[key].mean);
      history[`${key}_std`] = series((layer) => layer[key].std);
    }
  }
  // Only the history's own per-layer series, so later rows stay aligned with this one.
  const historySeries = Object.keys(trainer.history()).filter((key) => key !== 'layers' && key !== 'diag_step');
  for (const key of Object.keys(history)) {
    if (Array.isArray(history[key]) && key !== 'layers' && !historySeries.includes(key)) delete history[key];
  }
  post({ type: 'history', history, replace: false, last: null }, buffersOf(history));
}

/**
 * Training stopped (pause, Step, step budget, divergence): everything the page shows is brought
 * to the final step — the history rows, a diagnostics row for that step (when the engine's
 * cadence left none), the evaluation and the decision boundary — then {type: 'settled', step}.
 */
function settle() {
  forwardHistory();
  if (lastStep > 0) {
    const recorded = trainer.history({ since: lastStep - 1 }).diag_step;
    if (!Array.from(recorded).includes(lastStep)) postSnapshot(lastStep);
  }
  postPeriodic(true);
  firstStatsPending = false;
  post({ type: 'settled', step: lastStep });
}

function reportDivergence(status, metrics) {
  running = false;
  try {
    settle();
  } catch (error) {
    forwardHistory();
  }
  post({
    type: 'diverged',
    // The step of the last metrics the page holds (its toolbar's step), so the alert and the
    // toolbar name the same step; the engine's own count only when no step came back.
    step: metrics?.step ?? (lastStep || status.step),
    reason: status.reason || 'the loss is not a finite number',
    lr: metrics?.lr ?? trainer.config.train.lr,
    metrics,
  });
  post({ type: 'state', running: false, reason: 'diverged' });
}

/** One step; false when training must stop (divergence or the step limit). */
function trainOne() {
  let metrics;
  try {
    metrics = trainer.step(1);
  } catch (error) {
    // The engine refuses to step a diverged run: report the divergence, not an error.
    const status = readStatus();
    if (status.diverged) {
      reportDivergence(status, null);
      return false;
    }
    throw error;
  }
  lastMetrics = metrics;
  lastStep = metrics.step;
  const status = readStatus();
  if (status.diverged || !Number.isFinite(metrics.loss)) {
    reportDivergence(status, metrics);
    return false;
  }
  if (stepLimit > 0 && metrics.step >= stepLimit) {
    running = false;
    settle();
    post({ type: 'state', running: false, reason: 'limit' });
    return false;
  }
  return true;
}

function slice() {
  if (!running || !trainer) return;
  const start = performance.now();
  // A run's first slice is a single step, so its first point reaches the charts at once.
  const budget = lastStep === 0 ? 0 : SLICE_BUDGET_MS;
  const due = stepsDue(start);
  try {
    for (let done = 0; done < due; done++) {
      if (!trainOne()) break;
      if (performance.now() - start >= budget) break;
    }
  } catch (error) {
    running = false;
    forwardHistory();
    postError(error, 'training');
    post({ type: 'state', running: false, reason: 'error' });
    return;
  }
  try {
    forwardHistory();
  } catch (error) {
    postError(error, 'diagnostics');
  }
  postPeriodic(firstStatsPending);
  firstStatsPending = false;
  if (!running) return;
  const now = performance.now();
  scheduleSlice(Math.max(stepsPerSecond > 0 ? untilNextStep(now) : 0, restAfter(now - start)));
}

/** Evaluation and the decision-boundary grid, each at its own pace (or both now). */
function postPeriodic(force) {
  const timed = (kind, interval, action) => {
    const start = performance.now();
    if (!force && start - lastSent[kind] < Math.max(interval, MAX_SHARE * lastCost[kind])) return;
    action();
    lastSent[kind] = performance.now();
    lastCost[kind] = lastSent[kind] - start;
  };
  try {
    timed('eval', EVAL_INTERVAL_MS, postEvaluation);
    if (decisionBounds) timed('grid', GRID_INTERVAL_MS, postGrid);
  } catch (error) {
    postError(error, 'evaluation');
  }
}

function postEvaluation() {
  const evaluation = trainer.evaluate();
  post({ type: 'eval', step: lastStep, train: evaluation.train, val: evaluation.val });
}

function postGrid() {
  const [xmin, xmax, ymin, ymax] = decisionBounds;
  const values = Float32Array.from(trainer.predictGrid(xmin, xmax, ymin, ymax, GRID_RESOLUTION));
  post({ type: 'grid', step: lastStep, resolution: GRID_RESOLUTION, bounds: decisionBounds, outputs: values.length / GRID_RESOLUTION ** 2, values }, [values.buffer]);
}

function dataBounds(data) {
  const splits = [data.train, data.val].filter(Boolean);
  if (splits.length === 0 || splits[0].dims !== 2) return null;
  let xmin = Infinity;
  let xmax = -Infinity;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (const split of splits) {
    const x = split.x;
    for (let i = 0; i + 1 < x.length; i += 2) {
      xmin = Math.min(xmin, x[i]);
      xmax = Math.max(xmax, x[i]);
      ymin = Math.min(ymin, x[i + 1]);
      ymax = Math.max(ymax, x[i + 1]);
    }
  }
  if (!Number.isFinite(xmin)) return null;
  // A square view with a margin, so circles look round and points never sit on the edge.
  const half = (Math.max(xmax - xmin, ymax - ymin) / 2) * 1.12 || 1;
  const cx = (xmin + xmax) / 2;
  const cy = (ymin + ymax) / 2;
  return [cx - half, cx + half, cy - half, cy + half];
}

function plainSplit(split) {
  if (!split) return null;
  return { x: Float32Array.from(split.x), y: Float32Array.from(split.y), count: split.count, dims: split.dims };
}

function announceRun() {
  run++;
  lastStep = 0;
  lastMetrics = null;
  historyFeed.reset();
  const outputs = trainer.outputs;
  // Points are only drawn for 2-D data; a 500-D cloud stays in the worker.
  const twoDimensional = trainer.config.data.dims === 2 && outputs > 1;
  const data = twoDimensional ? trainer.data() : null;
  const train = data ? plainSplit(data.train) : null;
  const val = data ? plainSplit(data.val) : null;
  decisionBounds = train ? dataBounds({ train, val }) : null;
  let initialLoss = null;
  try {
    initialLoss = trainer.initialLossCheck();
  } catch (error) {
    postError(error, 'initial loss check');
  }
  post({
    type: 'ready',
    config: trainer.config,
    summary: trainer.summary(),
    outputs,
    initialLoss,
    data: { train, val },
    bounds: decisionBounds,
  });
  firstStatsPending = true;
  const announced = run;
  setTimeout(() => {
    if (firstStatsPending && run === announced) {
      firstStatsPending = false;
      try {
        if (forwardHistory() === 0 && lastStep === 0) postSnapshot(0);
      } catch (error) {
        postError(error, 'diagnostics');
      }
      postPeriodic(true);
    }
  }, FIRST_STATS_DELAY_MS);
}

function build(config) {
  running = false;
  // The old run's first-statistics timer must not fire while there is no trainer (a build that
  // fails, e.g. over the memory budget, leaves none).
  firstStatsPending = false;
  if (trainer) {
    trainer.dispose();
    trainer = null;
  }
  return api.module.createTrainer(config, PAGE_ENGINE).then((created) => {
    trainer = created;
    announceRun();
  });
}

// Image charts: the validation split's predictions. The split is fixed for a run, so it is read
// once per trainer; the predictions are recomputed on every query (a forward pass in eval mode).
const PREDICTION_IMAGES = 40;  // the Predictions grid shows at most this many images
let validationOf = { trainer: null, split: null };
function validationSplit() {
  if (validationOf.trainer !== trainer) validationOf = { trainer, split: trainer.data().val };
  return validationOf.split;
}

function predictions() {
  const { x, y, count, dims } = validationSplit();
  const outputs = trainer.outputs;
  const scores = count > 0 ? trainer.predict(x) : new Float32Array(0);
  const predicted = new Int32Array(count);
  for (let row = 0; row < count; row++) {
    let best = 0;
    for (let k = 1; k < outputs; k++) if (scores[row * outputs + k] > scores[row * outputs + best]) best = k;
    predicted[row] = best;
  }
  const shown = Math.min(count, PREDICTION_IMAGES);
  return { step: trainer.stepsDone, count, outputs, predicted, truth: Int32Array.from(y), images: x.slice(0, shown * dims), shown };
}

const queries = {
  status: () => readStatus(),
  summary: () => trainer.summary(),
  predictions: () => predictions(),
  featureMaps: (index) => {
    const { x, y, count, dims } = validationSplit();
    if (count === 0) return null;
    const chosen = Math.min(Math.max(0, index), count - 1);
    return { index: chosen, count, label: y[chosen], image: x.slice(chosen * dims, (chosen + 1) * dims), maps: trainer.featureMaps(chosen), step: trainer.stepsDone };
  },
  evaluate: () => trainer.evaluate(),
  layerStats: () => trainer.layerStats(),
  history: (options) => trainer.history(options),
  params: () => trainer.getParams(),
  initialLossCheck: () => trainer.initialLossCheck(),
  config: () => trainer.config,
  running: () => running,
  run: () => run,
  startedFrom: () => startedFrom,
  step: () => lastStep,
};

let queue = Promise.resolve();

async function handle(message) {
  const { type } = message;
  if (type === 'call') {
    try {
      if (!trainer && message.method !== 'running') throw new Error('no trainer yet');
      const query = queries[message.method];
      if (!query) throw new Error(`unknown query ${message.method}`);
      post({ type: 'reply', id: message.id, result: query(...(message.args ?? [])) });
    } catch (error) {
      post({ type: 'reply', id: message.id, error: error?.message ?? String(error) });
    }
    return;
  }
  if (!api.module) return; // not loaded (a 'fatal' was posted); nothing can run
  try {
    if (type === 'start') {
      await startFromHash(message.hash, message.hashRun);
      return;
    }
    if (type === 'build') {
      // The page asks for the run this worker started from the address: it is that run (its
      // 'ready' and everything after it reach the page in order), so nothing is rebuilt.
      const adopt = early !== null && trainer !== null && JSON.stringify(message.config) === early;
      early = null;
      if (!adopt) {
        startedFrom = 'page';
        await build(message.config);
      }
      return;
    }
    if (type === 'share') {
      cpuShare = Math.min(1, Math.max(0.01, Number(message.fraction) || 1));
      return;
    }
    if (type === 'pace') {
      // The page's setting, kept across runs (it may arrive before the first build).
      stepsPerSecond = Math.max(0, Number(message.stepsPerSecond) || 0);
      paceClock = null;
      if (running) scheduleSlice(); // a slower pace's pending wait is replaced at once
      return;
    }
    if (!trainer) throw new Error('the network is not built yet');
    if (type === 'play') {
      play(message.limit ?? 0);
    } else if (type === 'pause') {
      if (running) {
        running = false;
        settle();
        post({ type: 'state', running: false, reason: 'paused' });
      }
    } else if (type === 'step') {
      running = false;
      const count = Math.max(1, Math.min(message.n ?? 1, 100000));
      let stopped = false;
      for (let i = 0; i < count && !stopped; i++) stopped = !trainOne();
      if (!stopped) settle(); // a divergence or the step budget settled already
    } else if (type === 'reset') {
      running = false;
      trainer.reset(message.seed);
      announceRun();
    } else if (type === 'set') {
      trainer.set(message.changes);
      post({ type: 'live-set', changes: message.changes });
    } else {
      throw new Error(`unknown message type ${String(type)}`);
    }
  } catch (error) {
    postError(error, type);
    if (type === 'build') post({ type: 'state', running: false, reason: 'error' });
  }
}

function play(limit) {
  stepLimit = limit;
  if (readStatus().diverged) throw new Error('this run diverged; lower the learning rate or reset');
  if (stepLimit > 0 && lastStep >= stepLimit) return;
  if (!running) {
    running = true;
    paceClock = null;
    post({ type: 'state', running: true });
    scheduleSlice();
  }
}

// The run the page's address asks for, built (and played, with #autoplay=1) as soon as the engine
// is here, while the page is still building its UI: on a slow machine that takes as long as
// loading the engine, and the page would otherwise send its build only after both (then wait for
// 'ready' to send play). The config is kept (as JSON) until the page's first build, which adopts
// the run when it asks for the same config. A problem is left for that build to report.
let early = null;
let startedFrom = 'page'; // whose build made the current run: 'address' ('start') or 'page'
async function startFromHash(hash, hashRun) {
  try {
    const { runFromHash } = await hashRun;
    const wanted = runFromHash(String(hash), api.module.presets, api.module.defaults);
    stepsPerSecond = wanted.speed; // the page sends the same pace with its build
    paceClock = null;
    await build(wanted.config);
    early = JSON.stringify(wanted.config);
    startedFrom = 'address';
    if (wanted.view.autoplay) play(wanted.budget);
  } catch {
    early = null;
    running = false;
  }
}

// Messages are handled one after another (a build awaits the trainer) so that, e.g., a 'play'
// sent right after a 'build' finds the new trainer. The address's run starts loading its modules
// at once, while the JS API and the engine load.
self.onmessage = (event) => {
  const message = event.data;
  if (message?.type === 'start') message.hashRun = import('./hash-run.js');
  queue = queue.then(() => handle(message));
};

queue = loadApi();
const addressToStart = addressInName(self.name);
if (addressToStart !== null) {
  const hashRun = import('./hash-run.js');
  queue = queue.then(() => handle({ type: 'start', hash: addressToStart, hashRun }));
}
