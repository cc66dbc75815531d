// The full default configuration, taken from the engine's configuration table (through
// schema.generated.js): a test builds a trainer from {} and compares this object with the engine's
// own normalized config.
//
// Some defaults depend on other fields, exactly as in the engine's JSON reader (engine/json_io.cpp):
//   - data.dims absent and an image dataset (the registry's image [C, H, W]) -> C·H·W
//   - model.layers given and model.hidden absent -> no model.hidden (the two exclude each other)
//   - data.classes absent and a dataset with a fixed class count (circles, xor, moons: the
//     registry's fixed_classes) -> that count
//   - data.dataset custom: data.samples absent -> number of rows; data.dims absent -> row length
// `withDefaults` applies them.

import { engineSchema } from './schema.generated.js';
import { FIXED_CLASSES, REGISTRIES } from './schema.js';

// Image datasets: name → [C, H, W] of one example (data.dims defaults to C·H·W).
const IMAGE_SHAPES = new Map(REGISTRIES.datasets.filter((set) => set.image).map((set) => [set.name, set.image]));

/** @type {import('../trainscope').Config} */
export const defaults = deepFreeze((() => {
  const config = {};
  for (const field of engineSchema.fields) {
    const value = field.default === null ? NaN : field.default;
    if (field.group === null) config[field.key] = value;
    else (config[field.group] ??= {})[field.key] = value;
  }
  return config;
})());

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

/**
 * True for plain objects (object literals, JSON.parse output, Object.create(null)); false for
 * arrays, typed arrays, Maps, class instances and null. The one definition the JS API and the page use.
 */
export function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * The user's (already validated) config with every missing key filled from `defaults`, including
 * the engine's data-dependent defaults. Does not modify its argument.
 */
export function withDefaults(config = {}) {
  const merged = mergeDeep(deepCopy(defaults), config);
  const userData = isPlainObject(config.data) ? config.data : {};
  if (userData.classes === undefined && Object.hasOwn(FIXED_CLASSES, merged.data.dataset)) {
    merged.data.classes = FIXED_CLASSES[merged.data.dataset];
  }
  const image = IMAGE_SHAPES.get(merged.data.dataset);
  if (image && userData.dims === undefined) merged.data.dims = image[0] * image[1] * image[2];
  // model.layers replaces model.hidden: the default hidden stack is not sent beside a layer list.
  const userModel = isPlainObject(config.model) ? config.model : {};
  if (merged.model.layers.length > 0 && userModel.hidden === undefined) delete merged.model.hidden;
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
