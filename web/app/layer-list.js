// model.layers in the page: the text form the URL keeps ("conv:filters=8:size=5:pad=2,pool,
// dense:units=32"), and what the layer-list editor may change. Every type, key, kind and range is
// the engine's (registries.layer_types of the generated schema), so a key added to the engine's
// layer table appears here without an edit. Pure: no DOM, testable in node.

import { REGISTRIES, schema } from '../js/schema.js';

/** The engine's layer types: [{name, description, keys: [{name, kind, min, max, values, required, doc}]}]. */
export const LAYER_TYPES = REGISTRIES.layer_types;

const typeNamed = (name) => LAYER_TYPES.find((type) => type.name === name);

/**
 * The keys of layer type `type` the editor offers: its shape (filters, size, stride, pad, mode,
 * units). A key that overrides a model-level setting (activation, norm, init, dropout: there is a
 * model.<key> field) stays as the config has it.
 */
export function editableKeys(type) {
  return (typeNamed(type)?.keys ?? []).filter((key) => schema.model[key.name] === undefined);
}

/** "(default 1)" at the end of a key's doc: what the engine uses when the key is left out. */
export function defaultText(key) {
  return /\(default ([^)]+)\)$/.exec(key.doc)?.[1] ?? '';
}

const rangeText = (key) => `${key.min} … ${key.max}`;

/**
 * One key's value from text (a field of the editor, or the URL): {ok, value} or {ok: false,
 * message}. Empty text leaves an optional key out.
 */
export function parseKeyValue(key, text) {
  const raw = String(text).trim();
  if (raw === '') return key.required ? { ok: false, message: `${key.name} is required` } : { ok: true, value: undefined };
  if (key.kind === 'enum') {
    return key.values.includes(raw) ? { ok: true, value: raw } : { ok: false, message: `${key.name} “${raw}” is not one of ${key.values.join(', ')}` };
  }
  if (key.kind === 'pad' && raw === 'same') return { ok: true, value: 'same' };
  const value = Number(raw);
  const integer = key.kind === 'integer' || key.kind === 'pad';
  const inRange = value >= key.min && (key.maxExclusive ? value < key.max : value <= key.max);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || !inRange) {
    const what = integer ? `a whole number in ${rangeText(key)}` : `a number in ${key.min} … ${key.max}${key.maxExclusive ? ' (exclusive)' : ''}`;
    return { ok: false, message: `${key.name} must be ${what}${key.kind === 'pad' ? ' or same' : ''}; got “${raw}”` };
  }
  return { ok: true, value };
}

/** [{type: 'conv', filters: 8, size: 5, pad: 2}, {type: 'pool'}] -> "conv:filters=8:size=5:pad=2,pool" (keys in the engine's order). */
export function layerListText(layers) {
  return layers.map((layer) => {
    const keys = typeNamed(layer.type)?.keys ?? [];
    const parts = keys.filter((key) => layer[key.name] !== undefined).map((key) => `${key.name}=${layer[key.name]}`);
    return [layer.type, ...parts].join(':');
  }).join(',');
}

/** The text form back to layers: {ok, value: layers} or {ok: false, message} naming the layer. */
export function parseLayerList(text) {
  const entries = String(text).split(',').map((entry) => entry.trim());
  const layers = [];
  for (const [index, entry] of entries.entries()) {
    const [typeName, ...pairs] = entry.split(':');
    const type = typeNamed(typeName);
    if (!type) return { ok: false, message: `layer ${index + 1}: “${typeName}” is not a layer type (${LAYER_TYPES.map((t) => t.name).join(', ')})` };
    const layer = { type: type.name };
    for (const pair of pairs) {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      const key = type.keys.find((candidate) => candidate.name === name);
      if (!key) return { ok: false, message: `layer ${index + 1}: ${type.name} has no key “${name}” (keys: ${type.keys.map((k) => k.name).join(', ')})` };
      const parsed = parseKeyValue(key, equals < 0 ? '' : pair.slice(equals + 1));
      if (!parsed.ok) return { ok: false, message: `layer ${index + 1}: ${parsed.message}` };
      if (parsed.value !== undefined) layer[key.name] = parsed.value;
    }
    const missing = type.keys.find((key) => key.required && layer[key.name] === undefined);
    if (missing) return { ok: false, message: `layer ${index + 1}: ${type.name} needs ${missing.name}` };
    layers.push(layer);
  }
  return { ok: true, value: layers };
}

// What a required key of a new layer starts at (the schema says only its range): a small, common
// choice, moved into the key's range.
const STARTING_VALUES = { filters: 8, size: 3, units: 32 };

/**
 * A new layer of type `type` to append to `layers`: its required keys copied from the last layer
 * of that type, else small starting values; optional keys left to the engine's defaults.
 */
export function newLayer(type, layers) {
  const previous = [...layers].reverse().find((layer) => layer.type === type);
  const layer = { type };
  for (const key of typeNamed(type)?.keys ?? []) {
    if (!key.required) continue;
    const start = previous?.[key.name] ?? STARTING_VALUES[key.name] ?? key.min;
    layer[key.name] = Math.min(Math.max(start, key.min), key.max);
  }
  return layer;
}
