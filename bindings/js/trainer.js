// The Trainer: one training run, owning one Embind `Engine`. Every result is a plain object or a
// typed-array copy; the Embind object never leaves this file, and dispose() frees it.

import { deepCopy, isPlainObject, mergeDeep, withDefaults } from './defaults.js';
import { loadEngineModule } from './loader.js';
import { LIVE_KEYS, REGISTRIES, schema } from './schema.js';
import { ensureImages } from './images.js';
import { ConfigError, checkValue, describeValue, normalizedCustomData, validateConfig } from './validate.js';
import { DisposedError, DivergedError } from './errors.js';

// `using trainer = await createTrainer(…)`: Symbol.dispose where the runtime has it (node 20 has
// a polyfilled one), else the registered symbol TypeScript's downlevel helpers look up.
const DISPOSE = Symbol.dispose ?? Symbol.for('nodejs.dispose');

const CONSTRUCTION_TOKEN = Symbol('trainscope.Trainer');
const MAX_STEPS_PER_CALL = 1_000_000_000;
const MIN_GRID_RESOLUTION = 2;
const MAX_GRID_RESOLUTION = 2048;
const MODEL_FORMAT = 'trainscope-model';
const MODEL_FORMAT_VERSION = 1;

// Engines of trainers that were garbage-collected without dispose() are freed here.
const orphanedEngines = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((engine) => { try { engine.delete(); } catch { /* already gone */ } })
  : undefined;

// Field lists of the engine's records (engine/records.hpp), read once per loaded module:
// {step: [StepMetrics fields], history_step: [per-step History columns], layer_series: [...]}.
const recordsOfModule = new WeakMap();
function recordsOf(module) {
  if (!recordsOfModule.has(module)) recordsOfModule.set(module, Object.freeze(JSON.parse(module.recordsJson())));
  return recordsOfModule.get(module);
}

// History JSON of the engine -> typed arrays (the shape of trainer.history()).
function historyFromEngine(raw, records) {
  const column = (values) => Float64Array.from(values ?? []);
  const history = {};
  for (const name of records.history_step) history[name] = column(raw[name]);
  history.diag_step = column(raw.diag_step);
  for (const name of records.layer_series) history[name] = (raw[name] ?? []).map(column);
  history.version = raw.version;
  history.layers = [...(raw.layers ?? [])];
  const histogram = (h) => ({ hist: column(h?.hist), edges: column(h?.edges) });
  history.histograms = {
    step: raw.histograms?.step ?? 0,
    layers: (raw.histograms?.layers ?? []).map((layer) => ({ name: layer.name, pre: histogram(layer.pre), act: histogram(layer.act) })),
  };
  return history;
}

// The engine writes non-finite numbers as null (JSON has no NaN); results have no other nulls.
function parseEngineJson(text) {
  return JSON.parse(text, (key, value) => (value === null ? NaN : value));
}

// "train.lr: must be > 0, got 0" -> {path: 'train.lr', message: 'must be > 0, got 0'}
function problemFromEngineMessage(message) {
  const match = /^([a-z_]+(?:\.[a-z_0-9]+)*(?:\[\d+\])*): (.*)$/s.exec(message);
  return match ? { path: match[1], message: match[2] } : { path: '', message };
}

// Anything the engine throws becomes an Error carrying the engine's message.
function engineError(error, what) {
  if (error instanceof Error) return error;
  return new Error(`trainscope engine failed in ${what}: ${describeValue(error)}`);
}

/**
 * Validates `config`, loads the engine (once per realm) and builds a trainer.
 * @param {object} [config] a partial configuration; missing keys take `defaults`
 * @param {{simd?: boolean, gradCheck?: boolean, baseUrl?: string | URL, scriptUrl?: any, wasmUrl?: any, locateFile?: Function}} [options]
 *   engine loading options (see loadEngine)
 */
export async function createTrainer(config = {}, options = {}) {
  const problems = validateConfig(config);
  if (problems.length > 0) throw new ConfigError(problems);
  const { module, info } = await loadEngineModule(options);
  const engineConfig = withDefaults(normalizedCustomData(config));
  if (REGISTRIES.datasets.find((set) => set.name === engineConfig.data.dataset)?.external) {
    await ensureImages(module, engineConfig.data.dataset, options);
  }
  let engine;
  try {
    engine = new module.Engine(JSON.stringify(engineConfig));
  } catch (error) {
    // The engine's own validation (e.g. its memory estimate) has the final word.
    const wrapped = engineError(error, 'createTrainer');
    throw new ConfigError([problemFromEngineMessage(wrapped.message)]);
  }
  return new Trainer(CONSTRUCTION_TOKEN, engine, info, recordsOf(module));
}

export class Trainer {
  #engine;
  #info;
  #config;
  #records;

  /** Use `createTrainer(config)` or `Trainer.fromJSON(json)`. */
  constructor(token, engine, info, records) {
    if (token !== CONSTRUCTION_TOKEN) throw new TypeError('use createTrainer(config) to make a Trainer');
    this.#engine = engine;
    this.#info = info;
    this.#records = records;
    this.#config = parseEngineJson(engine.configJson());
    orphanedEngines?.register(this, engine, this);
  }

  // Runs `action` on the live engine, turning engine exceptions into Errors.
  #call(what, action) {
    if (this.#engine === null) throw new DisposedError(what);
    try {
      return action(this.#engine);
    } catch (error) {
      throw engineError(error, what);
    }
  }

  /** Which engine build runs this trainer ({simd, variant, buildInfo}). */
  get engineInfo() {
    this.#call('engineInfo', () => undefined);
    const { simd, variant, url, gradCheck, buildInfo } = this.#info;
    return { simd, variant, url, gradCheck, buildInfo: { ...buildInfo } };
  }

  /** A deep copy of the full, normalized configuration the engine runs. */
  get config() {
    this.#call('config', () => undefined);
    return deepCopy(this.#config);
  }

  /** Network outputs: classes, or 1 for regression (the last axis of predictGrid). */
  get outputs() {
    return this.#call('outputs', (engine) => engine.outputs());
  }

  /** Training steps completed since construction or the last reset. */
  get stepsDone() {
    return this.#call('stepsDone', (engine) => engine.stepsDone());
  }

  /** {state: 'ok' | 'diverged', step, reason} */
  get status() {
    const status = this.#call('status', (engine) => parseEngineJson(engine.statusJson()));
    return { state: status.diverged ? 'diverged' : 'ok', step: status.step, reason: status.reason };
  }

  /**
   * Trains n steps; returns the last step's metrics. Throws on a diverged run (until reset() or a
   * change of learning rate).
   */
  step(n = 1) {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_STEPS_PER_CALL) {
      throw new RangeError(`step(n): n must be a positive integer; got ${describeValue(n)}`);
    }
    const metrics = this.#call('step', (engine) => {
      try {
        return engine.step(n);
      } catch (error) {
        // The engine refuses to step a diverged run: say so with a typed error.
        const status = parseEngineJson(engine.statusJson());
        if (status.diverged) throw new DivergedError(engineError(error, 'step').message, { step: status.step, reason: status.reason });
        throw error;
      }
    });
    return Object.fromEntries(this.#records.step.map((name) => [name, metrics[name]]));
  }

  /**
   * Columnar metrics history: typed arrays; per-layer series as arrays of typed arrays, plus
   * `version` (incremented whenever the engine thins the history), `layers` (names) and
   * `histograms` (the latest diagnostics event's). With `{since: step}` only the rows after
   * `step`: append them while `version` is the one you hold, else refetch `history()` whole.
   * @param {{since?: number}} [options]
   */
  history(options = undefined) {
    if (options !== undefined && !isPlainObject(options)) {
      throw new RangeError(`history(options): options must be an object like {since: 120}; got ${describeValue(options)}`);
    }
    const since = options?.since;
    if (since !== undefined && (typeof since !== 'number' || Number.isNaN(since))) {
      throw new RangeError(`history({since}): since must be a step number (rows after it are returned); got ${describeValue(since)}`);
    }
    const raw = this.#call('history', (engine) =>
      parseEngineJson(since === undefined ? engine.historyJson() : engine.historySinceJson(since)));
    return historyFromEngine(raw, this.#records);
  }

  /** Per-layer diagnostics computed now (activation statistics, dead units, update ratios). */
  layerStats() {
    return this.#call('layerStats', (engine) => parseEngineJson(engine.layerStatsJson()));
  }

  /** {train: {loss, acc, count}, val: {loss, acc, count}} in evaluation mode. */
  evaluate() {
    return this.#call('evaluate', (engine) => parseEngineJson(engine.evaluateJson()));
  }

  /** Analytic vs numerical gradients: {tensors: [{name, max_rel_error, checked}], max_rel_error, passed}. */
  gradCheck() {
    return this.#call('gradCheck', (engine) => {
      if (!this.#info.gradCheck) {
        throw new Error('gradCheck() is not in the lite engine this trainer was created with ({ gradCheck: false }); ' +
          'create the trainer without that option to load the full engine');
      }
      return parseEngineJson(engine.gradCheckJson());
    });
  }

  /** {expected, measured, explanation}: the loss at initialization against ln(C). */
  initialLossCheck() {
    return this.#call('initialLossCheck', (engine) => parseEngineJson(engine.initialLossCheckJson()));
  }

  /**
   * The architecture layer by layer (model.layers or model.hidden, then the output layer):
   * [{type, path, name, input: [C, H, W], output: [C, H, W], parameters, multiply_adds, ...}].
   */
  summary() {
    return this.#call('summary', (engine) => JSON.parse(engine.summaryJson()));
  }

  /**
   * Class scores (probabilities for softmax) on a resolution x resolution grid over raw input
   * coordinates: row i has y = ymin + (ymax − ymin)·i/(resolution − 1), column j has
   * x = xmin + (xmax − xmin)·j/(resolution − 1); resolution² · outputs values, outputs fastest.
   */
  predictGrid(xmin, xmax, ymin, ymax, resolution) {
    const bounds = { xmin, xmax, ymin, ymax };
    for (const [name, value] of Object.entries(bounds)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new RangeError(`predictGrid: ${name} must be a finite number; got ${describeValue(value)}`);
      }
    }
    if (!(xmin < xmax) || !(ymin < ymax)) {
      throw new RangeError(`predictGrid: needs xmin < xmax and ymin < ymax; got x [${xmin}, ${xmax}], y [${ymin}, ${ymax}]`);
    }
    if (typeof resolution !== 'number' || !Number.isInteger(resolution) || resolution < MIN_GRID_RESOLUTION || resolution > MAX_GRID_RESOLUTION) {
      throw new RangeError(`predictGrid: resolution must be an integer in [${MIN_GRID_RESOLUTION}, ${MAX_GRID_RESOLUTION}]; got ${describeValue(resolution)}`);
    }
    // The view points into the wasm heap and is invalidated by the next allocation: copy at once.
    return this.#call('predictGrid', (engine) => engine.predictGrid(xmin, xmax, ymin, ymax, resolution).slice());
  }

  /**
   * Evaluation-mode outputs (softmax probabilities; raw scores for svm and mse) of raw inputs:
   * `x` holds count rows of dims values (a flat array or typed array, or an array of rows), the
   * training preprocessing is applied; count · outputs values, outputs fastest.
   */
  predict(x) {
    const dims = this.#config.data.dims;
    const flat = Array.isArray(x) && x.length > 0 && (Array.isArray(x[0]) || ArrayBuffer.isView(x[0]))
      ? x.flatMap((row) => Array.from(row)) : x;
    if (!(Array.isArray(flat) || ArrayBuffer.isView(flat)) || flat.length % dims !== 0) {
      throw new RangeError(`predict(x): x must hold rows of data.dims = ${dims} values (flat or as rows); got ${describeValue(x)}`);
    }
    for (let i = 0; i < flat.length; i++) {
      if (typeof flat[i] !== 'number' || !Number.isFinite(flat[i])) {
        throw new RangeError(`predict(x): value ${i} (row ${Math.floor(i / dims)}) must be a finite number; got ${describeValue(flat[i])}`);
      }
    }
    return this.#call('predict', (engine) => engine.predict(flat, flat.length / dims).slice());
  }

  /**
   * The activation maps of every conv and dense block for validation example `index` (evaluation
   * mode): [{name, path, shape: [C, H, W], values: Float32Array}], channel-major.
   */
  featureMaps(index) {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
      throw new RangeError(`featureMaps(index): index must be a validation example's index (an integer >= 0); got ${describeValue(index)}`);
    }
    const maps = this.#call('featureMaps', (engine) => parseEngineJson(engine.featureMapsJson(index)));
    return maps.map((map) => ({ ...map, values: Float32Array.from(map.values) }));
  }

  /** The training and validation points (raw, before preprocessing). */
  data() {
    const raw = this.#call('data', (engine) => parseEngineJson(engine.dataJson()));
    const split = (part) => ({
      x: Float32Array.from(part.x),
      y: Float32Array.from(part.y),
      count: part.count,
      dims: part.dims,
    });
    return { train: split(raw.train), val: split(raw.val) };
  }

  /**
   * Changes live hyperparameters (train.lr, optimizer settings, l1, l2, clip, schedule settings,
   * model.dropout) without a reset. `changes` is a partial config. Structural changes throw.
   */
  set(changes) {
    this.#call('set', () => undefined);
    if (!isPlainObject(changes)) {
      throw new ConfigError([{ path: '', message: `set(changes) needs an object like { train: { lr: 0.01 } }; got ${describeValue(changes)}` }]);
    }
    const current = this.#config;
    const merged = mergeDeep(deepCopy(current), changes);
    const problems = validateConfig(merged);
    if (problems.length > 0) throw new ConfigError(problems);
    const structural = [];
    for (const [path, value] of leafEntries(changes)) {
      if (LIVE_KEYS.includes(path)) continue;
      if (JSON.stringify(valueAt(current, path)) === JSON.stringify(value)) continue;  // unchanged
      structural.push({
        path,
        message: `changing it needs a reset: build a new trainer with the new config (live keys: ${LIVE_KEYS.join(', ')})`,
      });
    }
    if (structural.length > 0) throw new ConfigError(structural);
    this.#call('set', (engine) => engine.setLiveJson(JSON.stringify(merged)));
    this.#config = parseEngineJson(this.#engine.configJson());
  }

  /** Re-initializes parameters, optimizer state, history and data (with `seed`, else config.seed). */
  reset(seed) {
    this.#call('reset', () => undefined);
    const problems = [];
    if (seed !== undefined) checkValue('seed', schema.seed, seed, problems);
    if (problems.length > 0) throw new ConfigError(problems);
    this.#call('reset', (engine) => engine.reset(seed ?? this.#config.seed));
    this.#config = parseEngineJson(this.#engine.configJson());
  }

  /** Every parameter tensor (and BN running statistics): {name, layer, shape, trainable, values}. */
  getParams() {
    return this.#call('getParams', (engine) => {
      const tensors = JSON.parse(engine.tensorsJson());
      return tensors.map((tensor, index) => ({
        name: tensor.name,
        layer: tensor.layer,
        shape: [tensor.rows, tensor.cols],
        trainable: tensor.trainable,
        values: engine.tensorView(index).slice(),
      }));
    });
  }

  /**
   * Overwrites the named tensors (any subset, e.g. the output of getParams or toJSON().params).
   * Everything is checked before anything is written.
   */
  setParams(params) {
    const tensors = this.#call('setParams', (engine) => JSON.parse(engine.tensorsJson()));
    const byName = new Map(tensors.map((tensor, index) => [tensor.name, { ...tensor, index }]));
    const problems = [];
    const writes = [];
    if (!Array.isArray(params)) {
      throw new ConfigError([{ path: 'params', message: `setParams needs an array of {name, values}; got ${describeValue(params)}` }]);
    }
    const seen = new Set();
    params.forEach((param, position) => {
      const at = `params[${position}]`;
      if (!isPlainObject(param)) {
        problems.push({ path: at, message: `must be an object {name, shape?, values}; got ${describeValue(param)}` });
        return;
      }
      const tensor = byName.get(param.name);
      if (!tensor) {
        problems.push({ path: `${at}.name`, message: `unknown tensor ${describeValue(param.name)}`, allowed: [...byName.keys()] });
        return;
      }
      if (seen.has(param.name)) {
        problems.push({ path: `${at}.name`, message: `tensor ${param.name} is given twice` });
        return;
      }
      seen.add(param.name);
      const expected = [tensor.rows, tensor.cols];
      if (param.shape !== undefined) {
        const shapeOk = Array.isArray(param.shape) && param.shape.length === 2 &&
          param.shape[0] === expected[0] && param.shape[1] === expected[1];
        if (!shapeOk) {
          problems.push({ path: `${at}.shape`, message: `${param.name} has shape [${expected.join(', ')}]; got ${Array.isArray(param.shape) ? `[${param.shape.join(', ')}]` : describeValue(param.shape)}` });
          return;
        }
      }
      const values = param.values;
      if (!Array.isArray(values) && !(values instanceof Float32Array) && !(values instanceof Float64Array)) {
        problems.push({ path: `${at}.values`, message: `${param.name}: values must be a Float32Array or an array of numbers; got ${describeValue(values)}` });
        return;
      }
      const size = tensor.rows * tensor.cols;
      if (values.length !== size) {
        problems.push({ path: `${at}.values`, message: `${param.name} needs ${size} values (${tensor.rows} x ${tensor.cols}); got ${values.length}` });
        return;
      }
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          problems.push({ path: `${at}.values[${i}]`, message: `${param.name}: every value must be a finite number; value ${i} is ${describeValue(value)}` });
          return;
        }
      }
      writes.push([tensor.index, values instanceof Float32Array ? values : Float32Array.from(values)]);
    });
    if (problems.length > 0) throw new ConfigError(problems);
    this.#call('setParams', (engine) => {
      for (const [index, values] of writes) engine.setTensor(index, values);
    });
  }

  /**
   * The configuration and every tensor as plain JSON data: JSON.stringify(trainer) and
   * Trainer.fromJSON(...) give back the same model (float32 values round-trip exactly).
   * Optimizer state and the step counter are not included: a restored trainer starts at step 0.
   */
  toJSON() {
    return {
      format: MODEL_FORMAT,
      version: MODEL_FORMAT_VERSION,
      config: this.config,
      params: this.getParams().map(({ name, shape, trainable, values }) => ({
        name, shape, trainable, values: Array.from(values),
      })),
    };
  }

  /**
   * A new trainer from the output of toJSON() (an object, or its JSON text).
   * @param {object | string} json
   * @param {{simd?: boolean, gradCheck?: boolean, baseUrl?: string | URL}} [options]
   */
  static async fromJSON(json, options = {}) {
    let model = json;
    if (typeof json === 'string') {
      try {
        model = JSON.parse(json);
      } catch (error) {
        throw new ConfigError([{ path: '', message: `not valid JSON: ${error.message}` }]);
      }
    }
    if (!isPlainObject(model) || !isPlainObject(model.config) || !Array.isArray(model.params)) {
      throw new ConfigError([{ path: '', message: 'Trainer.fromJSON needs {config, params} as written by trainer.toJSON()' }]);
    }
    if (model.format !== undefined && model.format !== MODEL_FORMAT) {
      throw new ConfigError([{ path: 'format', message: `expected "${MODEL_FORMAT}"; got ${describeValue(model.format)}` }]);
    }
    if (model.version !== undefined && model.version !== MODEL_FORMAT_VERSION) {
      throw new ConfigError([{ path: 'version', message: `this version of trainscope reads model version ${MODEL_FORMAT_VERSION}; got ${describeValue(model.version)}` }]);
    }
    const trainer = await createTrainer(model.config, options);
    try {
      trainer.setParams(model.params);
    } catch (error) {
      trainer.dispose();
      throw error;
    }
    return trainer;
  }

  /** Frees the engine's memory. Any later use throws; calling dispose() again does nothing. */
  dispose() {
    if (this.#engine === null) return;
    orphanedEngines?.unregister(this);
    this.#engine.delete();
    this.#engine = null;
  }

  /** `using trainer = await createTrainer(…)` disposes the trainer at the end of the block. */
  [DISPOSE]() {
    this.dispose();
  }

  /** True after dispose(). */
  get disposed() {
    return this.#engine === null;
  }
}

// [['train.lr', 0.1], ['model.hidden', [10]]] from {train: {lr: 0.1}, model: {hidden: [10]}}
function leafEntries(changes) {
  const entries = [];
  for (const [key, value] of Object.entries(changes)) {
    if (isPlainObject(value)) {
      for (const [inner, innerValue] of Object.entries(value)) entries.push([`${key}.${inner}`, innerValue]);
    } else {
      entries.push([key, value]);
    }
  }
  return entries;
}

function valueAt(object, path) {
  return path.split('.').reduce((node, key) => (node === undefined ? undefined : node[key]), object);
}
