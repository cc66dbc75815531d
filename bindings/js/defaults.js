// The full default configuration, mirroring engine/config.hpp key for key (a test builds a trainer
// from {} and compares this object with the engine's own normalized config).
//
// Two defaults depend on other fields, exactly as in the engine's JSON reader (engine/json_io.hpp):
//   - data.classes absent and data.dataset circles | xor | moons  -> 2
//   - data.dataset custom: data.samples absent -> number of rows; data.dims absent -> row length
// `withDefaults` applies them.

/** @type {import('../trainscope').Config} */
export const defaults = deepFreeze({
  seed: 1,
  data: {
    dataset: 'spiral',
    classes: 3,
    samples: 300,
    noise: 0.2,
    dims: 2,
    val_fraction: 0.2,
    preprocess: 'none',
    train_limit: 0,
    x: [],
    y: [],
  },
  model: {
    hidden: [100, 100],
    activation: 'relu',
    alpha: -1,
    init: 'he',
    init_scale: 0.01,
    bias_init: 0,
    norm: 'none',
    groups: 4,
    norm_position: 'before',
    bn_momentum: 0.9,
    norm_eps: 1e-5,
    dropout: 0,
    gain: 1,
  },
  train: {
    optimizer: 'sgd',
    lr: 0.1,
    momentum: 0.9,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    decay: 0.99,
    weight_decay: 0.01,
    schedule: 'constant',
    decay_steps: 1000,
    gamma: 0.5,
    min_lr: 0,
    warmup: 0,
    batch_size: 32,
    l1: 0,
    l2: 0,
    loss: 'softmax',
    clip: 0,
    shuffle: true,
  },
  diagnostics: {
    cadence: 10,
    probe_size: 1024,
    bins: 20,
    history: 4096,
  },
});

const TWO_CLASS_DATASETS = new Set(['circles', 'xor', 'moons']);

/** A deep, mutable copy of a plain JSON-like value (typed arrays are copied as typed arrays). */
export function deepCopy(value) {
  if (ArrayBuffer.isView(value)) return value.slice();
  if (Array.isArray(value)) return value.map(deepCopy);
  if (value !== null && typeof value === 'object') {
    const copy = {};
    for (const [key, item] of Object.entries(value)) copy[key] = deepCopy(item);
    return copy;
  }
  return value;
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/**
 * The user's (already validated) config with every missing key filled from `defaults`, including
 * the engine's data-dependent defaults. Does not modify its argument.
 */
export function withDefaults(config = {}) {
  const merged = mergeDeep(deepCopy(defaults), config);
  const userData = isPlainObject(config.data) ? config.data : {};
  if (userData.classes === undefined && TWO_CLASS_DATASETS.has(merged.data.dataset)) merged.data.classes = 2;
  if (merged.data.dataset === 'custom') {
    const rows = customRowCount(userData);
    if (userData.samples === undefined && rows !== undefined) merged.data.samples = rows;
    if (userData.dims === undefined && Array.isArray(userData.x) && userData.x.length > 0 &&
        (Array.isArray(userData.x[0]) || ArrayBuffer.isView(userData.x[0]))) {
      merged.data.dims = userData.x[0].length;
    }
  }
  return merged;
}

function customRowCount(data) {
  if (Array.isArray(data.y) || ArrayBuffer.isView(data.y)) return data.y.length;
  return undefined;
}

/** Recursively overlays `overlay` onto `base` (objects merge, everything else replaces). */
export function mergeDeep(base, overlay) {
  if (!isPlainObject(overlay)) return base;
  for (const [key, value] of Object.entries(overlay)) {
    if (value === undefined) continue;
    if (isPlainObject(value) && isPlainObject(base[key])) mergeDeep(base[key], value);
    else base[key] = deepCopy(value);
  }
  return base;
}

function deepFreeze(value) {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
