// Entry point of the full playground (index.html): settings come from and go to the URL hash.
// `window.trainscope` is a small hook for tests and curious students in the console.
//
// The Search and Optimizers tabs (22 modules, the JS API's search and validation among them) load
// after the playground's first step, or at once when the address asks for one of them: the first
// step on screen waits only for the playground's own modules.
import { Playground } from './controller.js';
import { opensOptimizers } from './optimizers/opens.js';

const opensTab = opensOptimizers() || new URLSearchParams(location.search).get('view') === 'search';
const tabs = { search: null, optimizers: null };
let tabsLoading = null;

/** Loads and mounts the tab bar's Search and Optimizers tabs (once). */
function loadTabs() {
  tabsLoading ??= Promise.all([import('./search/search-tab.js'), import('./optimizers/optimizers-tab.js')])
    .then(([search, optimizers]) => {
      tabs.search = search.mountSearchTab(playground);
      tabs.optimizers = optimizers.mountOptimizersTab(playground);
    });
  return tabsLoading;
}

const playground = new Playground(document.getElementById('playground'), {
  layout: 'full',
  urlSync: !opensOptimizers(),
  onEvent: (type) => {
    // After the first step (or, for a run that waits for Play, once it is ready and drawn).
    if (type === 'step') loadTabs();
    else if (type === 'ready') setTimeout(loadTabs, 300);
  },
});
if (opensTab) loadTabs();

globalThis.trainscope = {
  playground,
  getState: () => playground.getState(),
  get lastMetrics() {
    return playground.lastMetrics;
  },
  /** A read-only query to the training worker: 'status', 'evaluate', 'layerStats', 'history', 'config', 'running', 'step'. */
  workerCall: (method, ...args) => playground.worker.call(method, ...args),
  /** What chart `id` draws now: {x, series: [{label, values}]} (time-series charts), or null. */
  chartData: (id) => playground.chartData(id),
  /** The Search tab (null until the tabs loaded): select('Search' | 'Playground') returns its view (search.chartData('Search results'), …). */
  get search() {
    return tabs.search;
  },
  /** The Optimizers tab (null until the tabs loaded): select() returns its view (view.drawnData(), view.chartData('Loss surface'), …). */
  get optimizers() {
    return tabs.optimizers;
  },
  /** Resolves once the Search and Optimizers tabs are mounted. */
  tabsReady: () => loadTabs(),
};

// Space toggles training when focus is not in a form control (buttons keep their own Space).
document.addEventListener('keydown', (event) => {
  if (event.code !== 'Space' || event.defaultPrevented || document.getElementById('playground').hidden) return;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest('input, select, textarea, button, a, [contenteditable]')) return;
  event.preventDefault();
  playground.togglePlay();
});
