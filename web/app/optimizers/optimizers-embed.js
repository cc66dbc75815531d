// <train-scope view="optimizers"> and embed.html#view=optimizers: the Optimizers view alone.
// The element's attributes (preset, surface, optimizers, lr, momentum, beta1, beta2, schedule,
// noise, steps, start, kappa, seed) are read as the view's hash, so they are checked by the same
// parser and a bad one gives the same notice as in a link; controls / charts pick what is shown.
import { OptimizerView } from './optimizer-view.js';
import { OPTIMIZER_CHARTS, OPTIMIZER_CONTROL_IDS, OPTIMIZER_FIELDS, parseOptimizerHash, parseOptimizerIdList } from './optimizer-state.js';

const DEFAULT_CONTROLS = ['preset', 'optimizers', 'lr'];
const DEFAULT_CHARTS = OPTIMIZER_CHARTS.map((chart) => chart.id);

/** Mounts the view for an element: `element` gives the attributes. */
export function mountOptimizersElement(element, container) {
  const notices = [];
  const list = (name, allowed, fallback, what) => {
    const text = element.getAttribute(name);
    if (text === null) return fallback;
    const parsed = parseOptimizerIdList(text, allowed, what);
    notices.push(...parsed.notices);
    return parsed.ids;
  };
  const controls = list('controls', OPTIMIZER_CONTROL_IDS, DEFAULT_CONTROLS, 'control');
  const charts = list('charts', DEFAULT_CHARTS, DEFAULT_CHARTS, 'chart');
  const parts = [];
  for (const field of OPTIMIZER_FIELDS) {
    const value = element.getAttribute(field.id);
    if (value !== null) parts.push(`${field.id}=${encodeURIComponent(value)}`);
  }
  const autoplay = element.hasAttribute('autoplay') && element.getAttribute('autoplay') !== 'false';
  return new OptimizerView(container, { controls, charts, hash: parts.join('&'), autoplay, notices });
}

/** embed.html#view=optimizers&…: controls and charts from the hash, the state synced with it. */
export function mountOptimizersEmbedPage(main) {
  const { view } = parseOptimizerHash(location.hash);
  return new OptimizerView(main, {
    urlSync: true,
    controls: view.controls ?? DEFAULT_CONTROLS,
    charts: view.charts ?? DEFAULT_CHARTS,
    autoplay: view.autoplay ?? true,
  });
}
