// Strict configuration validation, in plain JS so it runs before (and without) the engine:
// unknown keys, wrong types (no coercion), enums, ranges, cross-field rules, custom data and the
// memory budget. Every problem is {path, message, allowed?}; the engine validates again when a
// trainer is built and its refusal is final.

import { isPlainObject, withDefaults } from './defaults.js';
import {
  FIXED_CLASSES, GROUPS, MEMORY_MODEL, REGISTRIES, TWO_D_DATASETS, describeRange, schema, schemaEntries,
} from './schema.js';

/** The engine's memory budget (engine/config.hpp kMemoryBudgetBytes). */
export const MEMORY_BUDGET_BYTES = MEMORY_MODEL.budget_bytes;

const byName = (list) => new Map(list.map((entry) => [entry.name, entry]));
const DATASET_INFO = byName(REGISTRIES.datasets);
const LOSS_INFO = byName(REGISTRIES.losses);
const ACTIVATION_INFO = byName(REGISTRIES.activations);
const NORM_INFO = byName(REGISTRIES.norms);
const PREPROCESS_INFO = byName(REGISTRIES.preprocess);
const LAYER_TYPES = REGISTRIES.layer_types;

// Real-valued targets (one output): the regression set, or custom rows with a loss that takes them.
function hasRealTargets(data, loss) {
  const dataset = DATASET_INFO.get(data.dataset);
  return Boolean(dataset?.regression || (dataset?.custom && LOSS_INFO.get(loss)?.real_targets));
}

// At most this many problems are listed per custom-data array; the rest are summarized.
const MAX_DATA_PROBLEMS = 10;

/** Thrown by createTrainer and Trainer methods for invalid input; `problems` lists all of them. */
export class ConfigError extends Error {
  constructor(problems) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    super(`${formatProblem(first)}${more}`);
    this.name = 'ConfigError';
    this.code = 'ERR_TRAINSCOPE_CONFIG';
    this.problems = problems;
  }
}

/** "train.lr: must be a finite number > 0; got -1" */
export function formatProblem(problem) {
  return `${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

/** How a received value is shown in messages: strings quoted, types named. */
export function describeValue(value) {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'bigint') return `the bigint ${value}n`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}


/**
 * Lists every problem of `config` (a partial config; missing keys take the defaults).
 * @returns {{path: string, message: string, allowed?: string[]}[]} empty when valid
 */
export function validateConfig(config) {
  const problems = [];
  if (!isPlainObject(config)) {
    problems.push({ path: '', message: `the config must be an object; got ${describeValue(config)}` });
    return problems;
  }
  for (const [key, value] of Object.entries(config)) {
    if (key === 'seed') {
      checkValue('seed', schema.seed, value, problems);
    } else if (GROUPS.includes(key)) {
      if (!isPlainObject(value)) {
        problems.push({ path: key, message: `must be an object of ${key} settings; got ${describeValue(value)}` });
        continue;
      }
      for (const [innerKey, innerValue] of Object.entries(value)) {
        const path = `${key}.${innerKey}`;
        const rule = Object.hasOwn(schema[key], innerKey) ? schema[key][innerKey] : undefined;
        if (!rule) problems.push(unknownKeyProblem(path));
        else if (rule.kind !== 'data') checkValue(path, rule, innerValue, problems);
      }
    } else {
      problems.push(unknownKeyProblem(key));
    }
  }
  if (problems.length > 0) return problems;  // cross-field rules assume well-typed values

  checkCrossField(config, problems);
  if (problems.length > 0) return problems;
  // The JS mirror of the memory estimate covers dense stacks; a layer list is estimated by the
  // engine alone (im2col buffers, feature maps), which refuses at createTrainer.
  const full = withDefaults(normalizedCustomData(config));
  if (full.model.layers.length === 0) checkMemory(full, problems);
  return problems;
}

/** Checks one leaf value against its rule, appending problems. */
export function checkValue(path, rule, value, problems) {
  const range = describeRange(rule);
  switch (rule.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') problems.push({ path, message: `must be true or false; got ${describeValue(value)}` });
      return;
    case 'enum':
      if (typeof value !== 'string' || !rule.values.includes(value)) {
        problems.push({ path, message: `must be one of ${rule.values.join(', ')}; got ${describeValue(value)}`, allowed: rule.values });
      }
      return;
    case 'integer':
    case 'number': {
      const noun = rule.kind === 'integer' ? 'an integer' : 'a finite number';
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        problems.push({ path, message: `must be ${noun}${range ? ` ${inRange(range)}` : ''}; got ${describeValue(value)}` });
      } else if (rule.kind === 'integer' && !Number.isInteger(value)) {
        problems.push({ path, message: `must be an integer${range ? ` ${inRange(range)}` : ''}; got ${value}` });
      } else if (!inRule(rule, value)) {
        problems.push({ path, message: `must be ${inRange(range)}; got ${value}` });
      }
      return;
    }
    case 'widths':
      if (path === 'data.shape') {
        checkShape(path, rule, value, problems);
        return;
      }
      if (!Array.isArray(value)) {
        problems.push({ path, message: `must be an array of layer widths (e.g. [100, 100]); got ${describeValue(value)}` });
        return;
      }
      if (value.length > rule.maxLength) {
        problems.push({ path, message: `has ${value.length} layers; at most ${rule.maxLength} are allowed` });
        return;
      }
      value.forEach((width, index) => {
        if (typeof width !== 'number' || !Number.isInteger(width) || !inRule(rule, width)) {
          problems.push({ path: `${path}[${index}]`, message: `a layer width must be an integer in [${rule.min}, ${rule.max}]; got ${describeValue(width)}` });
        }
      });
      return;
    case 'layers':
      checkLayers(path, rule, value, problems);
      return;
    default:
      throw new Error(`internal: no check for rule kind ${rule.kind}`);
  }
}

// data.shape: [C, H, W] of one custom image.
function checkShape(path, rule, value, problems) {
  if (!Array.isArray(value)) {
    problems.push({ path, message: `must be [C, H, W] (e.g. [1, 28, 28]), three integers; got ${describeValue(value)}` });
    return;
  }
  const before = problems.length;
  value.forEach((size, index) => {  // entries first, as the engine checks them
    if (typeof size !== 'number' || !Number.isInteger(size) || !inRule(rule, size)) {
      problems.push({ path: `${path}[${index}]`, message: `must be an integer in [${rule.min}, ${rule.max}]; got ${describeValue(size)}` });
    }
  });
  if (problems.length === before && value.length !== 0 && value.length !== 3) {
    problems.push({ path, message: `must be [C, H, W] (e.g. [1, 28, 28]), three integers; got ${describeValue(value)}` });
  }
}

// model.layers: each entry by the engine's layer table (REGISTRIES.layer_types), the same rules
// as engine/json_io.cpp and engine/layers/layer_spec.cpp. Shape arithmetic is left to the engine.
function checkLayers(path, rule, value, problems) {
  if (!Array.isArray(value)) {
    problems.push({ path, message: `must be an array of layer objects like {type: 'conv', filters: 8, size: 5}; got ${describeValue(value)}` });
    return;
  }
  if (value.length > rule.maxLength) {
    problems.push({ path, message: `has ${value.length} layers; at most ${rule.maxLength} are allowed` });
    return;
  }
  const typeNames = LAYER_TYPES.map((type) => type.name);
  value.forEach((layer, index) => {
    const at = `${path}[${index}]`;
    if (!isPlainObject(layer)) {
      problems.push({ path: at, message: `must be a layer object like {type: 'conv', filters: 8, size: 5}; got ${describeValue(layer)}` });
      return;
    }
    const type = LAYER_TYPES.find((entry) => entry.name === layer.type);
    if (layer.type === undefined) {
      problems.push({ path: `${at}.type`, message: `is required (${typeNames.join(', ')})`, allowed: typeNames });
      return;
    }
    if (!type) {
      problems.push({ path: `${at}.type`, message: `must be one of ${typeNames.join(', ')}; got ${describeValue(layer.type)}`, allowed: typeNames });
      return;
    }
    const keyNames = type.keys.map((key) => key.name);
    for (const name of Object.keys(layer)) {
      if (name !== 'type' && !keyNames.includes(name)) {
        problems.push({ path: `${at}.${name}`, message: `is not a key of a ${type.name} layer; allowed: type, ${keyNames.join(', ')}`, allowed: ['type', ...keyNames] });
      }
    }
    for (const key of type.keys) {
      const keyPath = `${at}.${key.name}`;
      const given = layer[key.name];
      if (given === undefined) {
        if (key.required) problems.push({ path: keyPath, message: `is required for a ${type.name} layer (${key.doc})` });
        continue;
      }
      checkLayerKey(keyPath, key, given, problems);
    }
  });
}

function checkLayerKey(path, key, value, problems) {
  switch (key.kind) {
    case 'enum':
      if (typeof value !== 'string' || !key.values.includes(value)) {
        problems.push({ path, message: `must be one of ${key.values.join(', ')}; got ${describeValue(value)}`, allowed: key.values });
      }
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < key.min || value >= key.max) {
        problems.push({ path, message: `must be a number in [${key.min}, ${key.max}); got ${describeValue(value)}` });
      }
      return;
    default: {  // integer, pad (an integer or "same")
      if (key.kind === 'pad' && value === 'same') return;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < key.min || value > key.max) {
        const same = key.kind === 'pad' ? ' or "same"' : '';
        problems.push({ path, message: `must be an integer in [${key.min}, ${key.max}]${same}; got ${describeValue(value)}` });
      }
    }
  }
}

function inRange(range) {
  return range.startsWith('[') || range.startsWith('(') ? `in ${range}` : range;
}

function inRule(rule, value) {
  if (rule.min !== undefined && (rule.minExclusive ? value <= rule.min : value < rule.min)) return false;
  if (rule.max !== undefined && (rule.maxExclusive ? value >= rule.max : value > rule.max)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Unknown keys: suggest the intended one.

// Names people commonly write for a key, mapped to its dotted path.
const SYNONYMS = {
  learning_rate: 'train.lr', learningrate: 'train.lr', rate: 'train.lr', step_size: 'train.lr',
  batch: 'train.batch_size', batchsize: 'train.batch_size', minibatch: 'train.batch_size',
  reg: 'train.l2', weight_reg: 'train.l2', lambda: 'train.l2', l2_reg: 'train.l2', regularization: 'train.l2',
  initializer: 'model.init', weight_init: 'model.init', initialization: 'model.init', init_std: 'model.init_scale',
  std: 'model.init_scale', weight_scale: 'model.init_scale', hidden_layers: 'model.hidden',
  units: 'model.hidden', hidden_sizes: 'model.hidden', act: 'model.activation', nonlinearity: 'model.activation',
  normalization: 'model.norm', batchnorm: 'model.norm', batch_norm: 'model.norm', drop: 'model.dropout',
  keep_prob: 'model.dropout', opt: 'train.optimizer', optim: 'train.optimizer', solver: 'train.optimizer',
  n_samples: 'data.samples', num_samples: 'data.samples', examples: 'data.samples', num_classes: 'data.classes',
  n_classes: 'data.classes', name: 'data.dataset', preprocessing: 'data.preprocess', epochs: 'train.decay_steps',
  rho: 'train.momentum', mu: 'train.momentum', beta_1: 'train.beta1', beta_2: 'train.beta2', epsilon: 'train.eps',
  gradient_clip: 'train.clip', clip_norm: 'train.clip', lr_schedule: 'train.schedule', seed_value: 'seed',
};

function snakeCase(key) {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-\s]+/g, '_').toLowerCase();
}

function editDistance(a, b) {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The dotted path the user most likely meant by `path`, or undefined. */
export function suggestKey(path) {
  const parts = path.split('.');
  const leaf = snakeCase(parts[parts.length - 1]);
  const group = parts.length > 1 ? parts[0] : undefined;
  if (SYNONYMS[leaf]) return SYNONYMS[leaf];
  const allPaths = schemaEntries().map(([dotted]) => dotted);
  const leafOf = (dotted) => dotted.split('.').pop();
  // The exact name (after snake-casing), preferably in the same group, else in another group.
  const exact = allPaths.filter((dotted) => leafOf(dotted) === leaf);
  if (exact.length > 0) return exact.find((dotted) => dotted.startsWith(`${group}.`)) ?? exact[0];
  if (GROUPS.includes(leaf)) return leaf;
  // A near spelling: edit distance at most 2 (1 for short names), same group first.
  let best;
  let bestScore = Infinity;
  for (const dotted of allPaths) {
    const candidate = leafOf(dotted);
    const distance = editDistance(leaf, candidate);
    const allowed = candidate.length <= 3 ? 1 : 2;
    if (distance > allowed) continue;
    const score = distance + (dotted.startsWith(`${group}.`) ? 0 : 0.5);
    if (score < bestScore) {
      bestScore = score;
      best = dotted;
    }
  }
  return best;
}

function unknownKeyProblem(path) {
  const suggestion = suggestKey(path);
  return { path, message: `unknown key${suggestion && suggestion !== path ? `; did you mean ${suggestion}?` : ''}` };
}

// ---------------------------------------------------------------------------------------------
// Cross-field rules (the values are already well typed).

function checkCrossField(config, problems) {
  const userData = config.data ?? {};
  const merged = withDefaults(config);
  const { data, model, train } = merged;

  if (DATASET_INFO.get(data.dataset).custom) {
    checkCustomData(userData, train.loss, problems);
  } else {
    for (const key of ['x', 'y']) {
      // The engine's own config lists empty arrays here; only non-empty ones are a mistake.
      if (userData[key] !== undefined && !(isNumberArray(userData[key]) && userData[key].length === 0)) {
        problems.push({ path: `data.${key}`, message: `is only used with data.dataset "custom" (the dataset is "${data.dataset}")` });
      }
    }
  }

  const userModel = isPlainObject(config.model) ? config.model : {};
  if (userModel.hidden !== undefined && userModel.layers?.length > 0) {
    problems.push({ path: 'model.layers', message: 'give either model.hidden (a stack of dense layers) or model.layers, not both' });
  }
  if (data.shape.length > 0 && !DATASET_INFO.get(data.dataset).custom) {
    problems.push({ path: 'data.shape', message: `is only used with data.dataset "custom" (the ${data.dataset} dataset has its own shape)` });
  }

  const dataset = DATASET_INFO.get(data.dataset);
  const realLosses = REGISTRIES.losses.filter((loss) => loss.real_targets).map((loss) => loss.name);
  if (dataset.regression && !LOSS_INFO.get(train.loss).real_targets) {
    problems.push({ path: 'train.loss', message: `the ${data.dataset} dataset has real-valued targets: it needs loss ${realLosses.map((name) => `"${name}"`).join(' or ')}; got "${train.loss}"`, allowed: realLosses });
  }
  if (dataset.dims === '1|2' && data.dims !== 1 && data.dims !== 2) {
    problems.push({ path: 'data.dims', message: `the ${data.dataset} dataset has 1 or 2 dims; got ${data.dims}`, allowed: ['1', '2'] });
  }
  if (TWO_D_DATASETS.includes(data.dataset) && userData.dims !== undefined && userData.dims !== 2) {
    problems.push({ path: 'data.dims', message: `the ${data.dataset} dataset is 2-D; got ${userData.dims}` });
  }
  if (dataset.image && userData.dims !== undefined && userData.dims !== dataset.image[0] * dataset.image[1] * dataset.image[2]) {
    problems.push({ path: 'data.dims', message: `the ${data.dataset} dataset has ${dataset.image.join('x')} = ${dataset.image[0] * dataset.image[1] * dataset.image[2]} features per example (its images); got ${userData.dims}` });
  }
  if (data.val_from === 'test' && !dataset.external) {
    problems.push({ path: 'data.val_from', message: `"test" needs a dataset with an official test file (fashion_mnist); the ${data.dataset} dataset splits its own examples` });
  }
  if (dataset.max_classes > 0 && data.classes > dataset.max_classes) {
    problems.push({ path: 'data.classes', message: `the ${data.dataset} dataset has ${dataset.max_classes} kinds: at most ${dataset.max_classes} classes; got ${data.classes}` });
  }
  const fixedClasses = FIXED_CLASSES[data.dataset];
  if (fixedClasses !== undefined && userData.classes !== undefined && userData.classes !== fixedClasses) {
    problems.push({ path: 'data.classes', message: `the ${data.dataset} dataset has ${fixedClasses} classes; got ${userData.classes}` });
  }
  if (!hasRealTargets(data, train.loss) && data.classes < 2) {
    problems.push({ path: 'data.classes', message: `a classifier needs at least 2 classes; got ${data.classes}` });
  }
  if (!DATASET_INFO.get(data.dataset).custom) {
    // split_dataset holds out round(val_fraction·N) examples; at least one must stay for training.
    if (Math.round(data.val_fraction * data.samples) > data.samples - 1) {
      problems.push({ path: 'data.val_fraction', message: `holds out all ${data.samples} examples; at least one must remain for training` });
    }
  }
  const layerNorms = model.layers.map((layer) => layer.norm ?? model.norm);
  if ([model.norm, ...layerNorms].some((norm) => NORM_INFO.get(norm).batch_statistics)) {
    // The engine's rule (engine/config.cpp): batch statistics need 2 examples per batch.
    const samples = DATASET_INFO.get(data.dataset).custom ? (userData.y?.length ?? 0) : data.samples;
    let rows = samples - Math.round(data.val_fraction * samples);
    if (data.train_limit > 0) rows = Math.min(rows, data.train_limit);
    if (Math.min(rows, train.batch_size) < 2) {
      problems.push({ path: 'train.batch_size', message: `batch norm needs at least 2 examples per batch; use layer or group norm for batch size 1 (batch ${train.batch_size}, training examples ${rows})` });
    }
  }
  if (train.min_lr > train.lr) {
    problems.push({ path: 'train.min_lr', message: `must be at most train.lr (${train.lr}); got ${train.min_lr}` });
  }
  // Instance norm normalizes a channel over its positions: a dense layer has none (the engine's
  // rule in engine/architecture.cpp).
  if (model.layers.length === 0 && model.hidden.length > 0 && NORM_INFO.get(model.norm).needs_channels) {
    problems.push({ path: 'model.norm', message: `${model.norm} norm normalizes each channel over its positions: it needs a conv layer; a dense layer has no channels` });
  }
  model.layers.forEach((layer, index) => {
    if (layer.type === 'dense' && NORM_INFO.get(layer.norm ?? model.norm).needs_channels) {
      problems.push({ path: `model.layers[${index}]`, message: `${layer.norm ?? model.norm} norm normalizes each channel over its positions: it needs a conv layer; a dense layer has no channels` });
    }
  });
  if (NORM_INFO.get(model.norm).uses_groups && model.layers.length === 0) {
    const bad = model.hidden.find((width) => width % model.groups !== 0);
    if (bad !== undefined) {
      problems.push({ path: 'model.groups', message: `group norm needs groups to divide every hidden width; ${model.groups} does not divide ${bad}` });
    }
  }
}

function isNumberArray(value) {
  return Array.isArray(value) || value instanceof Float32Array || value instanceof Float64Array ||
    value instanceof Int32Array || value instanceof Uint8Array || value instanceof Uint16Array ||
    value instanceof Int16Array || value instanceof Int8Array || value instanceof Uint32Array;
}

// x given as rows: an array whose first element is an array or a typed array.
function isRows(x) {
  return Array.isArray(x) && x.length > 0 && (Array.isArray(x[0]) || ArrayBuffer.isView(x[0]));
}

// Custom data: x as rows (array of arrays) or flat (array or typed array of rows·dims numbers),
// y as one label/target per row. Problems name the row and column.
function checkCustomData(data, loss, problems) {
  const { x, y } = data;
  if (x === undefined) problems.push({ path: 'data.x', message: 'a custom dataset needs data.x (an array of rows, or a flat array with data.dims)' });
  if (y === undefined) problems.push({ path: 'data.y', message: 'a custom dataset needs data.y (one label or target per row)' });
  if (x === undefined || y === undefined) return;
  if (!isNumberArray(x)) {
    problems.push({ path: 'data.x', message: `must be an array of rows or a Float32Array; got ${describeValue(x)}` });
    return;
  }
  if (!isNumberArray(y)) {
    problems.push({ path: 'data.y', message: `must be an array or typed array of labels; got ${describeValue(y)}` });
    return;
  }
  if (y.length < 2) {
    problems.push({ path: 'data.y', message: `a custom dataset needs at least 2 examples; got ${y.length}` });
    return;
  }
  let rows;
  let dims;
  let dataProblems = 0;
  const report = (problem) => {
    dataProblems += 1;
    if (dataProblems <= MAX_DATA_PROBLEMS) problems.push(problem);
  };
  if (isRows(x)) {
    rows = x.length;
    dims = x[0].length;
    if (dims === 0) problems.push({ path: 'data.x[0]', message: 'a row needs at least one feature' });
    if (data.dims !== undefined && data.dims !== dims) {
      problems.push({ path: 'data.dims', message: `is ${data.dims} but the rows of data.x have ${dims} values` });
    }
    x.forEach((row, index) => {
      if (!isNumberArray(row)) {
        report({ path: `data.x[${index}]`, message: `must be a row (an array of ${dims} numbers); got ${describeValue(row)}` });
      } else if (row.length !== dims) {
        report({ path: `data.x[${index}]`, message: `row ${index} has ${row.length} values; row 0 has ${dims} (ragged rows)` });
      } else {
        for (let column = 0; column < row.length; column++) {
          const value = row[column];
          if (typeof value !== 'number' || !Number.isFinite(value)) {
            report({ path: `data.x[${index}][${column}]`, message: `row ${index}, feature ${column} must be a finite number; got ${describeValue(value)}` });
          }
        }
      }
    });
  } else {
    dims = data.dims ?? x.length / y.length;
    if (!Number.isInteger(dims) || dims < 1) {
      problems.push({ path: 'data.x', message: `has ${x.length} values, not a whole number of rows for data.y's ${y.length} rows` });
      return;
    }
    if (x.length !== y.length * dims) {
      problems.push({ path: 'data.x', message: `has ${x.length} values; expected data.y's ${y.length} rows x data.dims ${dims} = ${y.length * dims}` });
      return;
    }
    rows = y.length;
    for (let index = 0; index < x.length; index++) {
      const value = x[index];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        const row = Math.floor(index / dims);
        report({ path: `data.x[${index}]`, message: `row ${row}, feature ${index - row * dims} must be a finite number; got ${describeValue(value)}` });
      }
    }
  }
  if (rows !== y.length) {
    problems.push({ path: 'data.y', message: `has ${y.length} labels but data.x has ${rows} rows (lengths must match)` });
  }
  if (data.samples !== undefined && data.samples !== rows) {
    problems.push({ path: 'data.samples', message: `is ${data.samples} but data.x has ${rows} rows; leave it out for custom data` });
  }
  const valFraction = data.val_fraction ?? 0.2;
  if (Math.round(valFraction * rows) > rows - 1) {
    problems.push({ path: 'data.val_fraction', message: `holds out all ${rows} examples; at least one must remain for training` });
  }
  const classes = data.classes;
  const realTargets = LOSS_INFO.get(loss)?.real_targets ?? false;
  for (let index = 0; index < y.length; index++) {
    const label = y[index];
    if (typeof label !== 'number' || !Number.isFinite(label)) {
      report({ path: `data.y[${index}]`, message: `row ${index}: ${realTargets ? 'target' : 'label'} must be a finite number; got ${describeValue(label)}` });
    } else if (!realTargets && !Number.isInteger(label)) {
      report({ path: `data.y[${index}]`, message: `row ${index}: a class label must be an integer; got ${label}` });
    } else if (!realTargets && (label < 0 || (classes !== undefined && label >= classes))) {
      report({ path: `data.y[${index}]`, message: `row ${index}: label ${label} is out of range [0, ${classes ?? 'classes'})` });
    }
  }
  if (dataProblems > MAX_DATA_PROBLEMS) {
    problems.push({ path: 'data', message: `${dataProblems - MAX_DATA_PROBLEMS} more problems in the custom data are not listed` });
  }
}

/**
 * Custom data in the engine's shape: x flattened to row-major numbers, dims and (for classifiers
 * without an explicit data.classes) classes = the largest label + 1, at least 2. Other configs are
 * returned unchanged. Assumes the config is valid.
 */
export function normalizedCustomData(config) {
  const data = config.data;
  if (!data || !DATASET_INFO.get(data.dataset)?.custom || data.x === undefined || data.y === undefined) return config;
  const normalized = { ...config, data: { ...data } };
  const x = data.x;
  if (isRows(x)) {
    normalized.data.dims = x[0].length;
    normalized.data.x = x.flatMap((row) => Array.from(row));
  } else {
    normalized.data.dims = data.dims ?? x.length / data.y.length;
    normalized.data.x = Array.from(x);
  }
  normalized.data.y = Array.from(data.y);
  const loss = config.train?.loss ?? schema.train.loss.default;
  if (data.classes === undefined && !LOSS_INFO.get(loss)?.real_targets) {
    let largest = 0;
    for (const label of normalized.data.y) largest = Math.max(largest, label);
    normalized.data.classes = Math.max(2, largest + 1);
  }
  return normalized;
}

// ---------------------------------------------------------------------------------------------
// Memory budget: a rough mirror of engine/config.cpp estimate_memory_bytes (the engine refuses
// with its own estimate when a trainer is built; this catches the obvious cases without it).

/**
 * Estimated bytes a trainer built from the full config `config` would hold, split by what drives
 * each part (the same terms as the engine's estimate in engine/config.cpp).
 */
export function estimateMemoryBytes(config) {
  const { data, model, train, diagnostics } = config;
  const m = MEMORY_MODEL;
  const custom = DATASET_INFO.get(data.dataset)?.custom ?? false;
  const samples = custom ? data.y.length : Math.max(data.samples, 0);
  const dims = Math.max(data.dims, 1);
  const fixedClasses = FIXED_CLASSES[data.dataset];
  const outputs = Math.max(hasRealTargets(data, train.loss) ? 1 : fixedClasses ?? data.classes, 1);
  const trainRows = Math.max(1, samples - Math.round(Math.max(0, Math.min(data.val_fraction, 1)) * samples));
  const batch = Math.min(Math.max(train.batch_size, 1), trainRows);
  const FLOAT = 4;
  const DOUBLE = 8;

  let dataBytes = m.data_copies * samples * (dims + outputs) * FLOAT;
  if (PREPROCESS_INFO.get(data.preprocess)?.rotates) dataBytes += m.pca_matrices * dims * dims * DOUBLE;

  const activation = ACTIVATION_INFO.get(model.activation);
  const normParameters = NORM_INFO.get(model.norm).parameters_per_unit;
  let parameters = 0;
  let widths = 0;
  let fanIn = dims;
  for (const width of model.hidden) {
    const units = Math.max(width, 1);
    parameters += activation.width_factor * (fanIn * units + units);
    parameters += normParameters * units + activation.params_per_unit * units;
    widths += units;
    fanIn = units;
  }
  parameters += fanIn * outputs + outputs;
  const parameterBytes = parameters * m.bytes_per_parameter;

  const perUnit = m.floats_per_batch_unit + 2 * (activation.width_factor - 1);
  const activationBytes = batch * (perUnit * widths + m.floats_per_batch_io * (dims + outputs)) * FLOAT;

  const layers = model.hidden.length + 1;
  const probe = Math.min(Math.max(diagnostics.probe_size, 0), trainRows);
  const diagnosticBytes = Math.max(diagnostics.history, 0) * (m.history_step_series + m.history_layer_series * layers) * DOUBLE +
    probe * dims * FLOAT + widths * DOUBLE * 2;
  const total = dataBytes + parameterBytes + activationBytes + diagnosticBytes;
  return { total, dataBytes, parameterBytes, activationBytes, diagnosticBytes };
}

function formatBytes(bytes) {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}

function checkMemory(config, problems) {
  const estimate = estimateMemoryBytes(config);
  if (estimate.total <= MEMORY_BUDGET_BYTES) return;
  const parts = [
    [config.data.dims > 64 ? 'data.dims' : 'data.samples', estimate.dataBytes, 'data'],
    ['model.hidden', estimate.parameterBytes, 'parameters'],
    ['train.batch_size', estimate.activationBytes, 'activations'],
    ['diagnostics.history', estimate.diagnosticBytes, 'diagnostics'],
  ].sort((a, b) => b[1] - a[1]);
  const [path] = parts[0];
  const detail = parts.map(([, bytes, label]) => `${label} ${formatBytes(bytes)}`).join(', ');
  problems.push({
    path,
    message: `this configuration needs about ${formatBytes(estimate.total)}, over the ${formatBytes(MEMORY_BUDGET_BYTES)} memory budget (${detail}); make it smaller`,
  });
}
