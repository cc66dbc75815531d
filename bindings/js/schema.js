// One declarative table of every configuration key: its type, allowed values or range, and
// whether the engine can change it on a running trainer (`live`). Validation, `trainer.set`, the
// CLI's help and the TypeScript declarations all follow this table; ranges mirror the engine's
// validate() in engine/config.cpp (the engine checks again and has the final word).

export const DATASETS = ['spiral', 'circles', 'xor', 'gaussians', 'moons', 'gaussian_cloud', 'regression', 'custom'];
export const TWO_D_DATASETS = ['spiral', 'circles', 'xor', 'gaussians', 'moons'];
export const TWO_CLASS_DATASETS = ['circles', 'xor', 'moons'];
export const PREPROCESSING = ['none', 'center', 'standardize', 'pca', 'whiten'];
export const ACTIVATIONS = ['identity', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'prelu', 'elu', 'maxout', 'gelu', 'silu'];
export const INITIALIZERS = [
  'zeros', 'normal', 'uniform', 'xavier', 'glorot_uniform', 'glorot_normal', 'he', 'he_uniform', 'lecun', 'orthogonal',
];
export const NORMS = ['none', 'batch', 'layer', 'group'];
export const NORM_POSITIONS = ['before', 'after'];
export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw'];
export const SCHEDULES = ['constant', 'step', 'exponential', 'cosine'];
export const LOSSES = ['softmax', 'svm', 'mse'];

const UINT32_MAX = 4294967295;
const INT32_MAX = 2147483647;
// The engine's limits (engine/config.cpp); the memory budget catches the rest.
const MAX_SAMPLES = 1_000_000;
const MAX_DIMS = 65_536;
const MAX_CLASSES = 1000;
const MAX_WIDTH = 65_536;
const MAX_LAYERS = 64;
const MAX_PROBE = 1_000_000;
const MAX_HISTORY = 1_000_000;

/**
 * Rule kinds: integer | number | boolean | enum | widths (array of positive integers) | data
 * (custom data arrays, checked by validate.js). Ranges: min/max with minExclusive/maxExclusive.
 */
export const schema = {
  seed: { kind: 'integer', min: 0, max: UINT32_MAX, help: 'random seed (data, split, initialization, batches, dropout)' },
  data: {
    dataset: { kind: 'enum', values: DATASETS, help: 'which dataset to generate, or custom' },
    classes: { kind: 'integer', min: 1, max: MAX_CLASSES, help: 'number of classes (spiral arms, blobs, cloud labels)' },
    samples: { kind: 'integer', min: 2, max: MAX_SAMPLES, help: 'examples before the validation split' },
    noise: { kind: 'number', min: 0, help: 'dataset spread' },
    dims: { kind: 'integer', min: 1, max: MAX_DIMS, help: 'input dimensions (gaussian_cloud, regression, custom)' },
    val_fraction: { kind: 'number', min: 0, max: 1, maxExclusive: true, help: 'share held out for validation' },
    preprocess: { kind: 'enum', values: PREPROCESSING, help: 'preprocessing fitted on the training split' },
    train_limit: { kind: 'integer', min: 0, max: INT32_MAX, help: '> 0: keep only the first N training examples' },
    x: { kind: 'data', help: 'custom features: array of rows, or a flat array / Float32Array with data.dims' },
    y: { kind: 'data', help: 'custom labels (0..classes-1) or regression targets for loss mse' },
  },
  model: {
    hidden: { kind: 'widths', min: 1, max: MAX_WIDTH, maxLength: MAX_LAYERS, help: 'hidden layer widths' },
    activation: { kind: 'enum', values: ACTIVATIONS, help: 'hidden activation' },
    alpha: { kind: 'number', help: 'leaky_relu / elu / prelu slope; < 0 means the activation default' },
    init: { kind: 'enum', values: INITIALIZERS, help: 'weight initializer' },
    init_scale: { kind: 'number', min: 0, help: 'std for normal, bound for uniform' },
    bias_init: { kind: 'number', help: 'initial bias value' },
    norm: { kind: 'enum', values: NORMS, help: 'normalization layer in each hidden block' },
    groups: { kind: 'integer', min: 1, max: MAX_WIDTH, help: 'group norm groups (must divide every hidden width)' },
    norm_position: { kind: 'enum', values: NORM_POSITIONS, help: 'normalization before or after the activation' },
    bn_momentum: { kind: 'number', min: 0, max: 1, maxExclusive: true, help: 'running-statistics momentum' },
    norm_eps: { kind: 'number', min: 0, minExclusive: true, help: 'normalization epsilon' },
    dropout: { kind: 'number', min: 0, max: 1, maxExclusive: true, live: true, help: 'drop probability' },
    gain: { kind: 'number', min: 0, minExclusive: true, help: 'orthogonal init gain' },
  },
  train: {
    optimizer: { kind: 'enum', values: OPTIMIZERS, help: 'update rule' },
    lr: { kind: 'number', min: 0, minExclusive: true, live: true, help: 'learning rate' },
    momentum: { kind: 'number', min: 0, max: 1, maxExclusive: true, live: true, help: 'momentum / nesterov friction' },
    beta1: { kind: 'number', min: 0, max: 1, maxExclusive: true, live: true, help: 'adam first-moment decay' },
    beta2: { kind: 'number', min: 0, max: 1, maxExclusive: true, live: true, help: 'adam second-moment decay' },
    eps: { kind: 'number', min: 0, minExclusive: true, live: true, help: 'adaptive optimizers epsilon' },
    decay: { kind: 'number', min: 0, max: 1, maxExclusive: true, live: true, help: 'rmsprop decay' },
    weight_decay: { kind: 'number', min: 0, live: true, help: 'adamw decoupled weight decay' },
    schedule: { kind: 'enum', values: SCHEDULES, live: true, help: 'learning-rate schedule' },
    decay_steps: { kind: 'integer', min: 1, max: INT32_MAX, live: true, help: 'schedule period in steps' },
    gamma: { kind: 'number', min: 0, minExclusive: true, max: 1, live: true, help: 'step / exponential decay factor' },
    min_lr: { kind: 'number', min: 0, live: true, help: 'cosine floor (at most train.lr)' },
    warmup: { kind: 'integer', min: 0, max: INT32_MAX, live: true, help: 'linear warm-up steps' },
    batch_size: { kind: 'integer', min: 1, max: INT32_MAX, help: 'mini-batch size (clamped to the training set)' },
    l1: { kind: 'number', min: 0, live: true, help: 'L1 strength on weights' },
    l2: { kind: 'number', min: 0, live: true, help: 'L2 strength on weights' },
    loss: { kind: 'enum', values: LOSSES, help: 'loss function' },
    clip: { kind: 'number', min: 0, live: true, help: '> 0: clip the global gradient norm' },
    shuffle: { kind: 'boolean', help: 'shuffle the training set every epoch' },
  },
  diagnostics: {
    cadence: { kind: 'integer', min: 0, max: INT32_MAX, help: 'per-layer diagnostics every N steps (0 = never)' },
    probe_size: { kind: 'integer', min: 1, max: MAX_PROBE, help: 'examples in the dead-unit probe' },
    bins: { kind: 'integer', min: 2, max: 200, help: 'histogram bins' },
    history: { kind: 'integer', min: 16, max: MAX_HISTORY, help: 'points kept per history series' },
  },
};

export const GROUPS = ['data', 'model', 'train', 'diagnostics'];

/** Every leaf key as [dottedPath, rule]. */
export function schemaEntries() {
  const entries = [['seed', schema.seed]];
  for (const group of GROUPS) {
    for (const [key, rule] of Object.entries(schema[group])) entries.push([`${group}.${key}`, rule]);
  }
  return entries;
}

/** Dotted paths of the keys `trainer.set()` may change without a reset. */
export const LIVE_KEYS = schemaEntries()
  .filter(([, rule]) => rule.live)
  .map(([path]) => path);

/** The rule of a dotted path, or undefined. */
export function ruleFor(path) {
  const [first, second, ...rest] = path.split('.');
  if (rest.length > 0) return undefined;
  if (second === undefined) return first === 'seed' ? schema.seed : undefined;
  return Object.hasOwn(schema, first) && GROUPS.includes(first) ? schema[first][second] : undefined;
}

/** A human description of a rule's range, e.g. "[0, 1)" or "> 0". */
export function describeRange(rule) {
  const { min, max, minExclusive, maxExclusive } = rule;
  if (min === undefined && max === undefined) return '';
  if (max === undefined || max === INT32_MAX) return `${minExclusive ? '>' : '>='} ${min}`;
  return `${minExclusive ? '(' : '['}${min}, ${max}${maxExclusive ? ')' : ']'}`;
}
