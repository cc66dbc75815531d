// The iframe route: embed.html#preset=he-relu&controls=lr,init&charts=loss,dead-relu&autoplay=1
// takes the same settings as the playground's hash, plus which controls and charts to show.
import { Playground } from './controller.js';
import { parseHash } from './url-state.js';
import { mountOptimizersEmbedPage } from './optimizers/optimizers-embed.js';
import { opensOptimizers } from './optimizers/optimizers-tab.js';

// Only the view options are needed before the engine loads; settings (and their notices) are
// read by the playground once it knows the presets.
// #view=optimizers: the Optimizers view instead of the playground.
const optimizers = opensOptimizers() ? mountOptimizersEmbedPage(document.getElementById('playground')) : null;
const { view } = optimizers ? { view: {} } : parseHash(location.hash);
const playground = optimizers ? null : new Playground(document.getElementById('playground'), {
  layout: 'embed',
  urlSync: true,
  controls: view.controls ?? ['preset', 'lr', 'init', 'activation', 'norm'],
  charts: view.charts ?? ['loss', 'accuracy', 'decision-boundary', 'dead-relu'],
});

globalThis.trainscope = {
  playground,
  getState: () => playground.getState(),
  get lastMetrics() {
    return playground.lastMetrics;
  },
  workerCall: (method, ...args) => playground.worker.call(method, ...args),
  chartData: (id) => playground.chartData(id),
  optimizers,
};
