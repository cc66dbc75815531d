// The front end's plain-object test and deep merge: the JS API's (../js/defaults.js, the one
// implementation), plus a merge that copies instead of writing into its base. Pure module.
import { deepCopy, isPlainObject, mergeDeep as mergeInto } from '../js/defaults.js';

export { isPlainObject };

/** `base` with `overrides` merged in, plain objects key by key; anything else replaces. Copies, never mutates. */
export function mergeDeep(base, overrides) {
  return mergeInto(isPlainObject(base) ? deepCopy(base) : {}, overrides);
}
