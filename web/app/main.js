// Entry point of the full playground (index.html): settings come from and go to the URL hash.
// `window.trainscope` is a small hook for tests and curious students in the console.
import { Playground } from './controller.js';
import { mountSearchTab } from './search/search-tab.js';
import { mountOptimizersTab, opensOptimizers } from './optimizers/optimizers-tab.js';

const playground = new Playground(document.getElementById('playground'), { layout: 'full', urlSync: !opensOptimizers() });
const searchTab = mountSearchTab(playground);
const optimizersTab = mountOptimizersTab(playground);

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
  /** The Search tab: select('Search' | 'Playground') returns its view (search.chartData('Search results'), …). */
  search: searchTab,
  /** The Optimizers tab: select() returns its view (view.drawnData(), view.chartData('Loss surface'), …). */
  optimizers: optimizersTab,
};

// Space toggles training when focus is not in a form control (buttons keep their own Space).
document.addEventListener('keydown', (event) => {
  if (event.code !== 'Space' || event.defaultPrevented || document.getElementById('playground').hidden) return;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest('input, select, textarea, button, a, [contenteditable]')) return;
  event.preventDefault();
  playground.togglePlay();
});
