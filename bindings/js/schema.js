// The configuration schema for JS: every key's type, allowed values or range, default, unit, doc
// and whether the engine can change it on a running trainer (`live`). All of it comes from the
// engine's configuration table through the generated module schema.generated.js (written by
// scripts/build.mjs from engine/config_fields.hpp and the engine's registries); this file only
// reshapes it. Validation, defaults, `trainer.set`, the CLI's help and the page's option lists
// read it from here.

import { engineSchema } from './schema.generated.js';

const registries = engineSchema.registries;

/** The engine's registries by kind: activations (with their traits), datasets, losses, norms, ... */
export const REGISTRIES = deepFreeze(structuredClone(registries));

/** The config groups, in order. */
export const GROUPS = Object.freeze([...engineSchema.groups]);

const fieldByPath = new Map(engineSchema.fields.map((field) => [field.path, field]));
const namesOf = (path) => Object.freeze(fieldByPath.get(path).values.map((value) => value.name));

export const DATASETS = namesOf('data.dataset');
export const TWO_D_DATASETS = Object.freeze(registries.datasets.filter((set) => set.dims === '2').map((set) => set.name));
/** Datasets with a fixed class count, name → count. */
export const FIXED_CLASSES = Object.freeze(Object.fromEntries(
  registries.datasets.filter((set) => set.fixed_classes > 0).map((set) => [set.name, set.fixed_classes])));
export const PREPROCESSING = namesOf('data.preprocess');
export const ACTIVATIONS = namesOf('model.activation');
export const INITIALIZERS = namesOf('model.init');
export const NORMS = namesOf('model.norm');
export const NORM_POSITIONS = namesOf('model.norm_position');
export const OPTIMIZERS = namesOf('train.optimizer');
export const SCHEDULES = namesOf('train.schedule');
export const LOSSES = namesOf('train.loss');

/** The engine's memory model: budget and the coefficients of its estimate. */
export const MEMORY_MODEL = Object.freeze({ ...engineSchema.memory });

const INT32_MAX = 2147483647;

/**
 * A rule per key: {kind: integer | number | boolean | enum | widths | data, min, max,
 * minExclusive, maxExclusive, values (enum names), descriptions (enum name → line), maxLength,
 * live, default, unit, help}.
 */
function ruleOf(field) {
  const rule = { kind: field.kind, live: field.live, default: field.default, unit: field.unit, help: field.doc };
  for (const key of ['min', 'max', 'minExclusive', 'maxExclusive', 'maxLength']) {
    if (field[key] !== undefined) rule[key] = field[key];
  }
  // Exclusive flags are only meaningful beside their bound.
  if (!rule.minExclusive) delete rule.minExclusive;
  if (!rule.maxExclusive) delete rule.maxExclusive;
  if (field.values) {
    rule.values = field.values.map((value) => value.name);
    rule.descriptions = Object.fromEntries(field.values.map((value) => [value.name, value.description]));
  }
  return rule;
}

export const schema = deepFreeze((() => {
  const table = {};
  for (const field of engineSchema.fields) {
    if (field.group === null) table[field.key] = ruleOf(field);
    else (table[field.group] ??= {})[field.key] = ruleOf(field);
  }
  return table;
})());

/** Every leaf key as [dottedPath, rule], in table order. */
export function schemaEntries() {
  return engineSchema.fields.map((field) => [field.path, ruleFor(field.path)]);
}

/** Dotted paths of the keys `trainer.set()` may change without a reset. */
export const LIVE_KEYS = Object.freeze(engineSchema.fields.filter((field) => field.live).map((field) => field.path));

/** The rule of a dotted path, or undefined. */
export function ruleFor(path) {
  const [first, second, ...rest] = path.split('.');
  if (rest.length > 0) return undefined;
  if (second === undefined) return Object.hasOwn(schema, first) && !GROUPS.includes(first) ? schema[first] : undefined;
  return Object.hasOwn(schema, first) && GROUPS.includes(first) && Object.hasOwn(schema[first], second)
    ? schema[first][second] : undefined;
}

/** A human description of a rule's range, e.g. "[0, 1)" or "> 0". */
export function describeRange(rule) {
  const { min, max, minExclusive, maxExclusive } = rule;
  if (min === undefined && max === undefined) return '';
  if (max === undefined || max === INT32_MAX) return `${minExclusive ? '>' : '>='} ${min}`;
  return `${minExclusive ? '(' : '['}${min}, ${max}${maxExclusive ? ')' : ']'}`;
}

function deepFreeze(value) {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
