// The Optimizers view's state and its URL hash: one list of fields (OPTIMIZER_FIELDS) drives the
// controls, reading and writing "#view=optimizers&surface=saddle&optimizers=sgd,adam&lr=0.01…",
// and the optimizerPath options of each racer. Pure module: no DOM, testable in node.
//
// Values come from the engine's schema (ruleFor, REGISTRIES): the optimizer and schedule names and
// the ranges of lr, momentum, beta1 and beta2 are not written here.
import { REGISTRIES, ruleFor } from '../../js/schema.js';
import { checkValue } from '../../js/validate.js';
import { optimizerPresets } from '../../js/optimizer-presets.js';
import { SURFACES, surfaceNamed } from './surface-values.js';

export const OPTIMIZER_NAMES = REGISTRIES.optimizers.map((row) => row.name);
export const SCHEDULE_NAMES = REGISTRIES.schedules.map((row) => row.name);
/** The page animates a path point by point: a few thousand steps at most. */
export const MAX_VIEW_STEPS = 2000;
export const MAX_NOISE = 100;

/** Chart ids (for charts="…") and their exact titles. */
export const OPTIMIZER_CHARTS = Object.freeze([
  { id: 'loss-surface', title: 'Loss surface' },
  { id: 'loss-per-step', title: 'Loss per step' },
]);

/**
 * The fields, in URL order. `control` fields are what controls="…" accepts. `parse(text)` returns
 * {value} or {message}.
 */
export const OPTIMIZER_FIELDS = Object.freeze([
  { id: 'preset', label: 'Preset', control: true, parse: (text) => (text === '' || optimizerPresets.some((p) => p.name === text)
    ? { value: text } : { message: `“${clip(text)}” is not a preset (known: ${optimizerPresets.map((p) => p.name).join(', ')})` }) },
  { id: 'surface', label: 'Surface', control: true, parse: (text) => (SURFACES.some((s) => s.name === text)
    ? { value: text } : { message: `“${clip(text)}” is not a surface (known: ${SURFACES.map((s) => s.name).join(', ')})` }) },
  { id: 'kappa', label: 'Curvature ratio κ', control: false, parse: numberParser('kappa', { kind: 'number', min: 1, max: 1e4 }) },
  { id: 'start', label: 'Start', control: false, parse: parseStart },
  { id: 'optimizers', label: 'Optimizers', control: true, parse: parseOptimizerList },
  { id: 'lr', label: 'Learning rate', control: true, parse: numberParser('lr', ruleFor('train.lr')) },
  { id: 'momentum', label: 'Momentum', control: true, parse: numberParser('momentum', ruleFor('train.momentum')) },
  { id: 'beta1', label: 'Beta1', control: true, parse: numberParser('beta1', ruleFor('train.beta1')) },
  { id: 'beta2', label: 'Beta2', control: true, parse: numberParser('beta2', ruleFor('train.beta2')) },
  { id: 'schedule', label: 'Schedule', control: true, parse: (text) => (SCHEDULE_NAMES.includes(text)
    ? { value: text } : { message: `“${clip(text)}” is not a schedule (known: ${SCHEDULE_NAMES.join(', ')})` }) },
  { id: 'noise', label: 'Gradient noise', control: true, parse: numberParser('noise', { kind: 'number', min: 0, max: MAX_NOISE }) },
  { id: 'steps', label: 'Steps', control: true, parse: numberParser('steps', { kind: 'integer', min: 1, max: MAX_VIEW_STEPS }) },
  { id: 'seed', label: 'Seed', control: false, parse: numberParser('seed', ruleFor('seed')) },
]);
export const OPTIMIZER_CONTROL_IDS = OPTIMIZER_FIELDS.filter((field) => field.control).map((field) => field.id);
const fieldsById = new Map(OPTIMIZER_FIELDS.map((field) => [field.id, field]));
// Hash keys that are not state: which view, and the embed's options.
const VIEW_KEYS = ['view', 'controls', 'charts', 'autoplay'];

function numberParser(path, rule) {
  return (text) => {
    const value = text.trim() === '' ? NaN : Number(text);
    const problems = [];
    checkValue(path, rule, value, problems);
    return problems.length ? { message: problems[0].message.replace(/; got .*$/s, `; got “${clip(text)}”`) } : { value };
  };
}

function parseStart(text) {
  const parts = text.split(',');
  const numbers = parts.map((part) => (part.trim() === '' ? NaN : Number(part)));
  if (numbers.length !== 2 || !numbers.every((n) => Number.isFinite(n) && Math.abs(n) <= 1000)) {
    return { message: `must be two numbers “x,y” in [-1000, 1000]; got “${clip(text)}”` };
  }
  return { value: numbers };
}

function parseOptimizerList(text) {
  const names = text.split(',').map((part) => part.trim()).filter(Boolean);
  const unknown = names.filter((name) => !OPTIMIZER_NAMES.includes(name));
  if (unknown.length || names.length === 0) {
    return { message: `“${clip(unknown[0] ?? text)}” is not an optimizer (known: ${OPTIMIZER_NAMES.join(', ')})` };
  }
  return { value: OPTIMIZER_NAMES.filter((name) => names.includes(name)) };
}

function clip(text, length = 40) {
  const plain = String(text);
  return plain.length > length ? `${plain.slice(0, length)}…` : plain;
}

/** The state with no preset and nothing in the link. */
export function defaultOptimizerState() {
  const surface = surfaceNamed('ill_conditioned');
  return {
    preset: '',
    surface: surface.name,
    kappa: undefined,
    start: [...surface.start],
    lr: 0.05,
    momentum: ruleFor('train.momentum').default,
    beta1: ruleFor('train.beta1').default,
    beta2: ruleFor('train.beta2').default,
    schedule: 'constant',
    noise: 0,
    steps: 100,
    seed: undefined,
    // Settings a preset adds that have no control (decay, decay_steps, …).
    extra: {},
    racers: plainRacers(['sgd', 'momentum', 'rmsprop', 'adam']),
    racersFromPreset: false,
  };
}

export function plainRacers(names) {
  return names.map((optimizer) => ({ optimizer, label: optimizer }));
}

/** The state a preset sets: its surface, start, steps, settings and racers. */
export function applyPreset(state, name) {
  const preset = optimizerPresets.find((p) => p.name === name);
  if (!preset) return { ...defaultOptimizerState(), preset: '' };
  const base = defaultOptimizerState();
  const next = {
    ...base,
    preset: name,
    surface: preset.surface,
    kappa: preset.kappa,
    start: [...preset.start],
    steps: preset.steps,
    noise: preset.noise ?? 0,
    seed: preset.seed,
    extra: {},
    racers: preset.racers.map((racer) => ({ ...racer })),
    racersFromPreset: true,
  };
  for (const [key, value] of Object.entries(preset.settings)) {
    if (fieldsById.get(key)?.control) next[key] = value;
    else next.extra[key] = value;
  }
  return next;
}

/** A control changed, as a user would change it. */
export function withControl(state, id, value) {
  if (id === 'preset') return applyPreset(state, value);
  if (id === 'optimizers') return { ...state, racers: plainRacers(value), racersFromPreset: false };
  if (id === 'surface') {
    const surface = surfaceNamed(value);
    return { ...state, surface: value, start: [...surface.start], kappa: value === state.surface ? state.kappa : undefined };
  }
  return { ...state, [id]: value };
}

/** The optimizers ticked: the racers' optimizers, each once. */
export function selectedOptimizers(state) {
  return OPTIMIZER_NAMES.filter((name) => state.racers.some((racer) => racer.optimizer === name));
}

/**
 * Parse a hash. Returns {state, view: {name, controls, charts, autoplay}, notices}: every bad value
 * gives one readable notice and keeps the default (or the preset's value).
 */
export function parseOptimizerHash(hash) {
  const notices = [];
  const pairs = new Map();
  for (const part of String(hash ?? '').replace(/^#/, '').split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const key = decode(equals < 0 ? part : part.slice(0, equals));
    const value = decode(equals < 0 ? '' : part.slice(equals + 1));
    if (pairs.has(key)) notices.push(`“${clip(key)}” appears more than once in the link; using the last value.`);
    pairs.set(key, value);
  }
  const view = {};
  let state = defaultOptimizerState();
  const parsedValues = {};
  for (const [key, text] of pairs) {
    const field = fieldsById.get(key);
    if (field) {
      const parsed = field.parse(text);
      if ('message' in parsed) notices.push(`${field.label}: ${parsed.message}; using the default.`);
      else parsedValues[key] = parsed.value;
    } else if (VIEW_KEYS.includes(key)) {
      parseViewKey(key, text, view, notices);
    } else {
      notices.push(`Unknown setting “${clip(key)}” in the link was ignored.`);
    }
  }
  // The preset first, then the surface (which resets the start), then the other fields.
  if (parsedValues.preset) state = applyPreset(state, parsedValues.preset);
  if (parsedValues.surface !== undefined) state = withControl(state, 'surface', parsedValues.surface);
  for (const field of OPTIMIZER_FIELDS) {
    if (field.id === 'preset' || field.id === 'surface' || !(field.id in parsedValues)) continue;
    state = withControl(state, field.id, parsedValues[field.id]);
  }
  return { state, view, notices };
}

function parseViewKey(key, text, view, notices) {
  if (key === 'view') {
    if (text === 'optimizers') view.name = text;
    else notices.push(`view: “${clip(text)}” is not a view here (optimizers); ignored.`);
  } else if (key === 'autoplay') {
    if (['', '1', 'true', 'yes'].includes(text)) view.autoplay = true;
    else if (['0', 'false', 'no'].includes(text)) view.autoplay = false;
    else notices.push(`autoplay: “${clip(text)}” is not true or false; ignored.`);
  } else {
    const allowed = key === 'controls' ? OPTIMIZER_CONTROL_IDS : OPTIMIZER_CHARTS.map((chart) => chart.id);
    const parsed = parseOptimizerIdList(text, allowed, key === 'controls' ? 'control' : 'chart');
    view[key] = parsed.ids;
    notices.push(...parsed.notices);
  }
}

/** controls="…" / charts="…": a comma list of ids, `all` or `none`. */
export function parseOptimizerIdList(text, allowed, what) {
  const trimmed = String(text ?? '').trim();
  if (trimmed === 'all') return { ids: [...allowed], notices: [] };
  if (trimmed === 'none' || trimmed === '') return { ids: [], notices: [] };
  const ids = [];
  const notices = [];
  for (const part of trimmed.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (allowed.includes(part)) ids.push(part);
    else notices.push(`Unknown ${what} “${clip(part)}” ignored (known: ${allowed.join(', ')}).`);
  }
  return { ids, notices };
}

function decode(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The hash for a state: the preset, then every field in order (racers only when not the preset's). */
export function serializeOptimizerHash(state, view = {}) {
  const parts = ['view=optimizers'];
  if (state.preset) parts.push(`preset=${encodeURIComponent(state.preset)}`);
  parts.push(`surface=${state.surface}`);
  if (state.kappa !== undefined) parts.push(`kappa=${state.kappa}`);
  parts.push(`start=${state.start.map((v) => Number(v.toPrecision(6))).join(',')}`);
  if (!state.racersFromPreset) parts.push(`optimizers=${selectedOptimizers(state).join(',')}`);
  for (const id of ['lr', 'momentum', 'beta1', 'beta2', 'schedule', 'noise', 'steps']) parts.push(`${id}=${state[id]}`);
  if (state.seed !== undefined) parts.push(`seed=${state.seed}`);
  for (const key of ['controls', 'charts']) if (view[key]) parts.push(`${key}=${view[key].join(',')}`);
  return `#${parts.join('&')}`;
}

/** optimizerPath options for one racer of the state. */
export function racerPathOptions(state, racer) {
  const { label, ...overrides } = racer;
  const options = {
    surface: state.surface,
    start: [...state.start],
    steps: state.steps,
    noise: state.noise,
    lr: state.lr,
    momentum: state.momentum,
    beta1: state.beta1,
    beta2: state.beta2,
    schedule: state.schedule,
    // A schedule decays over the run shown unless the preset says otherwise.
    decay_steps: state.steps,
    ...state.extra,
    ...overrides,
  };
  if (state.kappa !== undefined) options.kappa = state.kappa;
  if (state.seed !== undefined) options.seed = state.seed;
  return options;
}
