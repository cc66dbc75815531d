// Fitting an embed's charts into a given height (the <train-scope height> attribute, or the
// iframe's viewport): the charts share what the header, toolbar, controls and notices leave, with
// at least the minimum plot plus its legend each. Below that nothing is clipped: the result says
// how much height the embed needs.

import { MIN_PLOT_HEIGHT } from './charts/time-series.js';

const MAX_CHART_HEIGHT = 600;

/**
 * @param {Element} app        the playground's root (.ts-app)
 * @param {Element} host       where --ts-chart-height is set
 * @param {number} given       the height to fit, in CSS pixels
 * @returns {number} 0 when the charts fit, else the height the embed needs
 */
export function fitChartsToHeight(app, host, given) {
  const needed = fitOnce(app, host, given);
  if (needed === 0 || app.classList.contains('ts-compact')) return needed;
  // Short of room: the charts' one-line explanations become their headings' tooltips (compact).
  app.classList.add('ts-compact');
  for (const figure of app.querySelectorAll('.ts-chart')) {
    const title = figure.querySelector('.ts-chart-title');
    if (title) title.title = figure.querySelector('.ts-chart-explain')?.textContent ?? '';
  }
  return fitOnce(app, host, given);
}

function fitOnce(app, host, given) {
  const bodies = [...app.querySelectorAll('.ts-chart-body')];
  if (bodies.length === 0 || !(given > 0)) return 0;
  const rows = new Set(bodies.map((body) => Math.round(body.getBoundingClientRect().top))).size;
  const current = bodies[0].clientHeight;
  const excess = app.getBoundingClientRect().height - given;
  // The smallest body a chart can use: the minimum plot plus its legend's rows.
  const minimum = Math.max(...bodies.map((body) => MIN_PLOT_HEIGHT + (body.querySelector('.u-legend')?.offsetHeight ?? 0)));
  const wanted = Math.floor(current - excess / rows);
  const next = Math.max(minimum, Math.min(MAX_CHART_HEIGHT, wanted));
  if (Math.abs(next - current) >= 2) host.style.setProperty('--ts-chart-height', `${next}px`);
  return wanted < minimum ? Math.ceil(given + (minimum - wanted) * rows) : 0;
}
