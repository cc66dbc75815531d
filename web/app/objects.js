// The front end's one notion of "a plain object" and its one deep merge (config overrides,
// <train-scope config='…'>). Pure module.
//
// Why not bindings/js/defaults.js's mergeDeep: the page's modules are served from dist/app/ and
// tested from web/app/, and the JS API sits at a different relative path in each (dist/js/ vs
// bindings/js/), so web/app cannot import it; only the worker loads the API.

/** A JSON-style object: not null, not an array, not a typed array or other class instance. */
export function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** `base` with `overrides` merged in, plain objects key by key; anything else replaces. Copies, never mutates. */
export function mergeDeep(base, overrides) {
  const result = isPlainObject(base) ? structuredClone(base) : {};
  for (const [key, value] of Object.entries(isPlainObject(overrides) ? overrides : {})) {
    result[key] = isPlainObject(value) ? mergeDeep(result[key], value) : structuredClone(value);
  }
  return result;
}
