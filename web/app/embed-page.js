// The iframe route: embed.html#preset=he-relu&controls=lr,init&charts=loss,dead-relu&autoplay=1
// takes the same settings as the playground's hash, plus which controls and charts to show.
import { Playground } from './controller.js';
import { parseHash } from './url-state.js';
import { fitChartsToHeight } from './fit.js';
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
  onEvent: (type) => {
    if (type === 'layout' || type === 'ready') requestAnimationFrame(fit);
  },
});

// The frame's height is the iframe's: the charts share what the rest leaves (fit.js); a frame too
// short for the minimum plots scrolls and says how tall it needs to be.
function fit() {
  const app = document.querySelector('.ts-app');
  if (!app) return;
  // Measured without the note (it is there only because of the shortage it reports).
  playground.view.setSizeNotice('');
  // What the page adds around the app (body margins, padding) is not the charts' to share.
  const overhead = Math.max(0, document.documentElement.scrollHeight - app.getBoundingClientRect().height);
  const needed = fitChartsToHeight(app, document.documentElement, innerHeight - overhead);
  playground.view.setSizeNotice(needed ? `These charts need a frame height of ${needed} px (this one is ${innerHeight}).` : '');
}
new ResizeObserver(() => requestAnimationFrame(fit)).observe(document.documentElement);
// A chart's legend gains rows with its data: its height counts towards the fit.
document.addEventListener('ts-legend-resize', () => requestAnimationFrame(fit));

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
