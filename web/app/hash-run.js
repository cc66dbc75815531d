// The run an address asks for (#preset=…&lr=…&autoplay=1): its preset, setting values, the config
// to build, the pace and the step budget. One function, so that the playground (controller.js, on
// load and on every hash change) and the training worker (worker.js, which starts that run itself
// while the page's UI is still loading) cannot disagree about it. Pure: no DOM.
import { buildConfig, mergeConfig, presetConfig, valuesFromConfig } from './state-schema.js';
import { parseHash } from './url-state.js';
import { paceWith } from './pace.js';

/**
 * @param {string} hash  location.hash
 * @param {{name: string, config: object}[]} presets  the JS API's presets
 * @param {object} defaults  the JS API's defaults
 * @returns {{preset: string, values: object, view: object, notices: string[], config: object,
 *            speed: number, budget: number}}
 */
export function runFromHash(hash, presets, defaults) {
  const parsed = parseHash(hash, { presetNames: presets.map((p) => p.name) });
  const base = presetConfig(presets, parsed.preset);
  const values = { ...valuesFromConfig(mergeConfig(defaults, base)), ...parsed.values };
  const pace = paceWith(parsed.preset, parsed.view);
  return {
    preset: parsed.preset,
    values,
    view: parsed.view,
    notices: parsed.notices,
    config: buildConfig(defaults, base, values),
    speed: pace.speed,
    budget: pace.steps,
  };
}
