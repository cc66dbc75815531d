// The one declarative list of playground settings: what is the page's own business (URL name,
// label, control kind, slider ladder, hint). What a setting MEANS comes from the engine's
// configuration table through the JS API's schema (../js/schema.js, generated from the engine):
// the options of every select over an enumerated key, and whether a key is live or restarts the
// run. Pure module: no DOM, testable in node (from dist/app/, where ../js/ is the JS API).

import { formatNumber, logLadder } from './format.js';
import { FIXED_CLASSES, REGISTRIES, ruleFor } from '../js/schema.js';
import { mergeDeep } from './objects.js';
import { layerListText, parseLayerList } from './layer-list.js';

const option = (value, text = value, title = '') => ({ value, text, title });

// The options of a select over an enumerated config key: the engine's names (in registry order),
// labelled by the registry's label where it has one, described by its description.
function engineOptions(path, keep = () => true) {
  const kinds = {
    'data.dataset': REGISTRIES.datasets, 'data.preprocess': REGISTRIES.preprocess,
    'model.activation': REGISTRIES.activations, 'model.norm': REGISTRIES.norms,
    'train.optimizer': REGISTRIES.optimizers,
  };
  const rule = ruleFor(path);
  const rows = kinds[path] ?? rule.values.map((name) => ({ name, description: rule.descriptions[name] }));
  return rows.filter(keep).map((row) => option(row.name, row.label ?? row.name.replaceAll('_', ' '), row.description));
}

// Whether a key applies to a running model: the engine's table says.
const liveOf = (path) => ruleFor(path).live;

const LEARNING_RATE_LADDER = logLadder(1e-6, 10);
const L2_LADDER = [0, ...logLadder(1e-6, 1)];
const INIT_SCALE_LADDER = logLadder(1e-3, 10);

function getPath(object, path) {
  return path.split('.').reduce((node, key) => (node == null ? undefined : node[key]), object);
}

function setPath(object, path, value) {
  const keys = path.split('.');
  let node = object;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === undefined || node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key];
  }
  node[keys[keys.length - 1]] = value;
}

/** Hidden widths as (layers, units): the playground offers uniform stacks. */
function readHidden(config) {
  const hidden = getPath(config, 'model.hidden');
  return Array.isArray(hidden) ? hidden : [];
}

/** The layer list as its URL text ("conv:filters=8:size=5,pool"), or undefined for a hidden stack. */
function readLayers(config) {
  const layers = getPath(config, 'model.layers');
  return Array.isArray(layers) && layers.length > 0 ? layerListText(layers) : undefined;
}

/** Writes the layer list's text as model.layers (which replaces a model.hidden stack). */
function writeLayers(config, text) {
  const parsed = parseLayerList(text);
  if (!parsed.ok) throw new Error(`model.layers: ${parsed.message}`);
  setPath(config, 'model.layers', parsed.value);
  delete config.model.hidden;
}

/**
 * @typedef {object} Setting
 * @property {string} id        URL name, control id, and name in an embed's `controls` list
 * @property {string} label     exact visible label of the form control
 * @property {string} group     section of the control panel
 * @property {'select'|'slider'|'log-slider'|'number'|'layer-list'} control
 * @property {'enum'|'number'|'integer'|'layer-list'} type
 * @property {boolean} live     applied to the running model (trainer.set) instead of a restart
 * @property {string} [path]    dotted config path
 * @property {boolean} [optional]  only some configs have it (read gives undefined: not in the values)
 */

/** @type {Setting[]} */
export const settings = [
  {
    id: 'preset',
    label: 'Preset',
    group: 'Experiment',
    control: 'select',
    type: 'enum',
    live: false,
    hint: 'A lecture experiment: sets every other control and explains what to look for.',
    // Allowed values come from the JS API's presets at run time (context.presetNames).
  },
  {
    id: 'dataset',
    label: 'Dataset',
    group: 'Data',
    control: 'select',
    type: 'enum',
    path: 'data.dataset',
    live: liveOf('data.dataset'),
    options: engineOptions('data.dataset', (set) => !set.regression && !set.custom),
    hint: 'The points to classify; 2-D datasets also show a decision boundary.',
  },
  {
    id: 'noise',
    label: 'Noise',
    group: 'Data',
    control: 'slider',
    type: 'number',
    path: 'data.noise',
    live: liveOf('data.noise'),
    min: 0,
    max: 1,
    step: 0.05,
    hint: 'How much the classes overlap.',
  },
  {
    id: 'preprocess',
    label: 'Preprocessing',
    group: 'Data',
    control: 'select',
    type: 'enum',
    path: 'data.preprocess',
    live: liveOf('data.preprocess'),
    options: engineOptions('data.preprocess'),
    hint: 'Statistics come from the training set once and are reused for validation.',
  },
  {
    id: 'layers',
    label: 'Hidden layers',
    group: 'Network',
    control: 'select',
    type: 'integer',
    live: liveOf('model.hidden'),
    min: 0,
    max: 12,
    options: Array.from({ length: 13 }, (_, n) => option(String(n))),
    read: (config) => readHidden(config).length,
    hint: 'Depth: number of hidden blocks (dense → norm → activation → dropout).',
  },
  {
    id: 'units',
    label: 'Units per layer',
    group: 'Network',
    control: 'select',
    type: 'integer',
    live: liveOf('model.hidden'),
    min: 1,
    max: 1024,
    options: [2, 4, 8, 16, 32, 64, 100, 128, 256, 500].map((n) => option(String(n))),
    read: (config) => readHidden(config)[0] ?? 100,
    hint: 'Width of every hidden layer.',
  },
  {
    id: 'net',
    label: 'Layer list',
    group: 'Network',
    control: 'layer-list',
    type: 'layer-list',
    path: 'model.layers',
    live: liveOf('model.layers'),
    optional: true,
    read: readLayers,
    write: writeLayers,
    hint: 'The network as conv, pool and dense layers in order (model.layers); the output layer follows them.',
  },
  {
    id: 'activation',
    label: 'Activation',
    group: 'Network',
    control: 'select',
    type: 'enum',
    path: 'model.activation',
    live: liveOf('model.activation'),
    options: engineOptions('model.activation'),
    hint: 'The hidden layers’ nonlinearity.',
  },
  {
    id: 'init',
    label: 'Initializer',
    group: 'Network',
    control: 'select',
    type: 'enum',
    path: 'model.init',
    live: liveOf('model.init'),
    options: engineOptions('model.init'),
    hint: 'How the weights start; the lecture compares zeros, small, large, Xavier and He.',
  },
  {
    id: 'init_scale',
    label: 'Init scale',
    group: 'Network',
    control: 'log-slider',
    type: 'number',
    path: 'model.init_scale',
    live: liveOf('model.init_scale'),
    min: 1e-3,
    max: 10,
    ladder: INIT_SCALE_LADDER,
    hint: 'The std of “normal” and the bound of “uniform” (0.01 small, 1.0 large).',
  },
  {
    id: 'bias_init',
    label: 'Bias init',
    group: 'Network',
    control: 'slider',
    type: 'number',
    path: 'model.bias_init',
    live: liveOf('model.bias_init'),
    min: -1,
    max: 1,
    step: 0.01,
    hint: 'A slightly positive bias (0.01) keeps more ReLUs alive at the start.',
  },
  {
    id: 'norm',
    label: 'Normalization',
    group: 'Network',
    control: 'select',
    type: 'enum',
    path: 'model.norm',
    live: liveOf('model.norm'),
    options: engineOptions('model.norm'),
    hint: 'Inserted after each dense layer, before the activation.',
  },
  {
    id: 'dropout',
    label: 'Dropout',
    group: 'Network',
    control: 'slider',
    type: 'number',
    path: 'model.dropout',
    live: liveOf('model.dropout'),
    min: 0,
    max: 0.9,
    step: 0.05,
    hint: 'Probability of dropping a hidden unit during training (inverted dropout).',
  },
  {
    id: 'optimizer',
    label: 'Optimizer',
    group: 'Training',
    control: 'select',
    type: 'enum',
    path: 'train.optimizer',
    live: liveOf('train.optimizer'),
    options: engineOptions('train.optimizer'),
    hint: 'The update rule; switching restarts with fresh optimizer state.',
  },
  {
    id: 'lr',
    label: 'Learning rate',
    group: 'Training',
    control: 'log-slider',
    type: 'number',
    path: 'train.lr',
    live: liveOf('train.lr'),
    min: 1e-6,
    max: 10,
    ladder: LEARNING_RATE_LADDER,
    hint: 'Step size; changes apply to the running model.',
  },
  {
    id: 'batch_size',
    label: 'Batch size',
    group: 'Training',
    control: 'select',
    type: 'integer',
    path: 'train.batch_size',
    live: liveOf('train.batch_size'),
    min: 1,
    max: 4096,
    options: [1, 4, 8, 16, 32, 64, 128, 256].map((n) => option(String(n))),
    hint: 'Examples per step.',
  },
  {
    id: 'l2',
    label: 'L2 regularization',
    group: 'Training',
    control: 'log-slider',
    type: 'number',
    path: 'train.l2',
    live: liveOf('train.l2'),
    min: 0,
    max: 1,
    ladder: L2_LADDER,
    hint: 'Weight decay strength λ (loss += ½λ‖W‖²); applies to the running model.',
  },
  {
    id: 'seed',
    label: 'Seed',
    group: 'Training',
    control: 'number',
    type: 'integer',
    path: 'seed',
    live: liveOf('seed'),
    min: 0,
    max: 4294967295,
    hint: 'Same seed, same run: data, initial weights and batches.',
  },
];

export const settingsById = new Map(settings.map((setting) => [setting.id, setting]));

/** The setting's value in a full config. */
export function readSetting(setting, config) {
  if (setting.read) return setting.read(config);
  return getPath(config, setting.path);
}

/** Options of a select, including the run-time preset list. */
export function settingOptions(setting, context = {}) {
  if (setting.id === 'preset') {
    return [option('', 'custom (no preset)'), ...(context.presets ?? []).map((p) => option(p.name, p.title ?? p.name))];
  }
  return setting.options ?? [];
}

/**
 * Parse URL text for one setting. Returns {ok: true, value} or {ok: false, message}; the message
 * quotes the offending text (the caller shows it with textContent, never as HTML).
 */
export function parseSetting(setting, text, context = {}) {
  const raw = String(text).trim();
  if (setting.type === 'layer-list') {
    const parsed = parseLayerList(raw);
    return parsed.ok ? { ok: true, value: layerListText(parsed.value) } : { ok: false, message: parsed.message };
  }
  if (setting.type === 'enum') {
    const allowed = setting.id === 'preset' ? ['', ...(context.presetNames ?? [])] : settingOptions(setting).map((o) => o.value);
    if (allowed.includes(raw)) return { ok: true, value: raw };
    const lower = raw.toLowerCase();
    if (allowed.includes(lower)) return { ok: true, value: lower };
    const shown = allowed.filter((v) => v !== '');
    return { ok: false, message: `“${clip(raw)}” is not one of ${shown.join(', ')}` };
  }
  const value = raw === '' ? NaN : Number(raw);
  if (!Number.isFinite(value)) return { ok: false, message: `“${clip(raw)}” is not a number` };
  if (setting.type === 'integer' && !Number.isInteger(value)) {
    return { ok: false, message: `“${clip(raw)}” is not a whole number` };
  }
  if (value < setting.min || value > setting.max) {
    return { ok: false, message: `${formatNumber(value)} is outside ${formatNumber(setting.min)} … ${formatNumber(setting.max)}` };
  }
  return { ok: true, value };
}

/** URL text for a value: readable, and parsed back to the same value. */
export function serializeSetting(setting, value) {
  if (setting.type === 'enum') return String(value);
  return String(value); // shortest round-trip form: 0.1, 1e-7, 300
}

function clip(text, length = 40) {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** All setting values (preset excluded) read from a full config. */
export function valuesFromConfig(config) {
  const values = {};
  for (const setting of settings) {
    if (setting.id === 'preset') continue;
    const value = readSetting(setting, config);
    if (value === undefined && setting.optional) continue;
    values[setting.id] = value;
  }
  return values;
}

/**
 * The config to run: the preset's own (partial) config with every setting whose value differs
 * from the full base (defaults merged with the preset) written in. Fields nobody touched (e.g. a
 * preset's non-uniform widths or its momentum) stay as the preset has them, and fields the preset
 * leaves out stay out, so the JS API applies its dependent defaults (circles, xor and moons have
 * 2 classes).
 */
export function buildConfig(defaults, presetConfig, values) {
  const config = structuredClone(presetConfig ?? {});
  const baseValues = valuesFromConfig(mergeConfig(defaults, presetConfig));
  let hiddenChanged = false;
  for (const setting of settings) {
    if (setting.id === 'preset' || !(setting.id in values)) continue;
    if (baseValues[setting.id] === values[setting.id]) continue;
    if (setting.id === 'layers' || setting.id === 'units') {
      hiddenChanged = true;
      continue;
    }
    if (setting.write) setting.write(config, values[setting.id]);
    else setPath(config, setting.path, values[setting.id]);
  }
  // A layer list is the network: the hidden-stack controls do not apply to it.
  if (hiddenChanged && !(config.model?.layers?.length > 0)) {
    const layers = values.layers ?? baseValues.layers;
    const units = values.units ?? baseValues.units;
    setPath(config, 'model.hidden', Array.from({ length: layers }, () => units));
  }
  // A class count chosen for another dataset must not follow the switch to a 2-class one.
  if (values.dataset !== baseValues.dataset && Object.hasOwn(FIXED_CLASSES, values.dataset) && config.data) {
    delete config.data.classes;
  }
  return config;
}

/** Deep merge of plain objects (arrays and typed arrays replace): the front end's one, in objects.js. */
export const mergeConfig = mergeDeep;

/** The preset's own config ({} when `presetName` is empty or unknown). */
export function presetConfig(presets, presetName) {
  const preset = presetName ? (presets ?? []).find((p) => p.name === presetName) : undefined;
  return preset ? structuredClone(preset.config) : {};
}

/**
 * Classify a change between two value sets: the ids that changed, whether all of them are live,
 * and the partial nested config for trainer.set() (live ids only).
 */
export function classifyChange(previous, next) {
  const changed = settings.filter((s) => s.id !== 'preset' && s.id in next && previous[s.id] !== next[s.id]);
  const live = changed.length > 0 && changed.every((s) => s.live);
  const liveChanges = {};
  for (const setting of changed) if (setting.live) setPath(liveChanges, setting.path, next[setting.id]);
  return { changed: changed.map((s) => s.id), live, liveChanges };
}

/** The settings whose value differs from `reference`: [{id, label, from, to}] (values as shown). */
export function settingChanges(values, reference) {
  const shown = (value) => (typeof value === 'number' ? formatNumber(value) : String(value));
  return settings
    .filter((setting) => setting.id !== 'preset' && setting.id in values && values[setting.id] !== reference[setting.id])
    .map((setting) => ({ id: setting.id, label: setting.label, from: shown(reference[setting.id]), to: shown(values[setting.id]) }));
}

/** Short "key = value" description of how `values` differ from `reference` (pinned-run labels). */
export function describeDifference(values, reference, presetName, referencePreset) {
  const parts = [];
  if ((presetName ?? '') !== (referencePreset ?? '')) parts.push(`preset = ${presetName || 'custom'}`);
  for (const setting of settings) {
    if (setting.id === 'preset') continue;
    if (values[setting.id] !== reference[setting.id]) {
      const value = values[setting.id];
      parts.push(`${setting.id} = ${typeof value === 'number' ? formatNumber(value) : value}`);
    }
  }
  return parts.join(', ');
}

// ---- Embed view options (embed.html hash, <train-scope> attributes) ---------------------------

export const chartCatalog = [
  { id: 'loss', title: 'Loss', explain: 'Training loss per step and validation loss at each evaluation; the dashed line is ln(C), the loss of a network that guesses uniformly.' },
  { id: 'accuracy', title: 'Accuracy', explain: 'Share of correct predictions on the training batches and on the held-out validation set; a growing gap means overfitting.' },
  { id: 'decision-boundary', title: 'Decision boundary', explain: 'Which class the network predicts at each point of the plane, with the training points (filled) and validation points (rings).' },
  { id: 'activations', title: 'Activations', explain: 'Per hidden layer: the mean and spread of its activations, and their histogram. Healthy nets keep a similar spread in every layer.' },
  { id: 'dead-relu', title: 'Dead ReLU fraction', explain: 'Share of units that never fire on a fixed probe set of training points; dead units get no gradient and never recover.' },
  { id: 'update-ratio', title: 'Update ratio', explain: 'Size of each weight update relative to the weights, ‖ΔW‖/‖W‖, per layer. Around 1e-3 (shaded band) is healthy.' },
  { id: 'gradient-norm', title: 'Gradient norm', explain: 'Size of each layer’s weight gradient, ‖∂L/∂W‖, on a log scale. Lines far below the others mean vanishing gradients: those layers barely learn.' },
  { id: 'network', title: 'Network', explain: 'One row per layer: each unit as a small map of what it computes over the plane (blue positive, orange negative), weights as lines coloured by sign, wider when larger.' },
  { id: 'filters', title: 'Filters', explain: 'The first conv layer’s filters as small images (colour for RGB input), each on its own grey scale; random noise at first, edge and blob detectors as the net learns.' },
  { id: 'feature-maps', title: 'Feature maps', explain: 'What each conv layer computes for one validation image (‹ › picks it): one small map per channel, bright where the channel’s filter matches.' },
  { id: 'predictions', title: 'Predictions', explain: 'Validation images with the label the network predicts; mistakes are framed and marked ✗.' },
  { id: 'confusion-matrix', title: 'Confusion matrix', explain: 'Validation examples counted by true class (rows) and predicted class (columns); the diagonal is what it gets right, bright cells off it are the classes it confuses.' },
];

export const chartIds = chartCatalog.map((chart) => chart.id);

/** Parse a comma list of ids against the allowed ones; unknown ids become notices. */
export function parseIdList(text, allowed, what) {
  const ids = [];
  const notices = [];
  for (const part of String(text).split(',').map((s) => s.trim()).filter(Boolean)) {
    if (allowed.includes(part)) ids.push(part);
    else notices.push(`Unknown ${what} “${clip(part)}” ignored (known: ${allowed.join(', ')}).`);
  }
  return { ids, notices };
}
