// Issue 15 §1 in Chromium: the charts label what they draw exactly. Tick labels are read from
// what uPlot drew (chartData(id).ticks), colours from the series' strokes, the legend from the
// DOM. Progress is awaited, never timed. Screenshots go to test-output/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { useSession, openPlayground, waitForStep, state, outputDir, PROGRESS_TIMEOUT } from './harness.js';

const browser = useSession();
const skip = browser.skip;

const open = (hash = '') => openPlayground(browser.session, hash);

const chartData = (page, id) => page.evaluate((chart) => globalThis.trainscope.chartData(chart), id);
const exact = (value) => Number(value.toPrecision(12));

async function pauseAndSettle(page) {
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForFunction(() => !globalThis.trainscope.getState().running, null, { timeout: PROGRESS_TIMEOUT });
  // Two frames: the last history reaches the charts.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Every label is its tick's value, exactly (a label parsed back gives the tick). */
function assertExactLabels(ticks, what) {
  assert.ok(ticks.values.length >= 2, `${what}: at least two ticks (${JSON.stringify(ticks)})`);
  ticks.values.forEach((value, i) => {
    const label = ticks.labels[i];
    assert.equal(Number(label.replace(/k$/, 'e3')), exact(value), `${what}: tick ${value} is labelled "${label}"`);
  });
}

test('Loss chart: tick labels on quarter values are exact ("0.25", not "0.3")', { skip }, async () => {
  const page = await open('#preset=batchnorm-rescue');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForStep(page, 300);
  await pauseAndSettle(page);
  // uPlot picks the tick increment from the plot's height: try heights until the increment is
  // 0.25 (CSSOM, as the CSP forbids inline style tags), checking every labelling on the way.
  let quarterTicks = null;
  for (let height = 160; height <= 600 && !quarterTicks; height += 20) {
    await page.evaluate((px) => document.querySelector('[data-chart="loss"]').style.setProperty('--ts-chart-height', `${px}px`), height);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const { ticks } = await chartData(page, 'loss');
    assertExactLabels(ticks.y, `loss y axis at ${height} px`);
    assertExactLabels(ticks.x, `step axis at ${height} px`);
    const quarters = ticks.y.values.filter((v) => Math.abs(v * 4 - Math.round(v * 4)) < 1e-9 && Math.abs(v * 2 - Math.round(v * 2)) > 1e-9);
    if (quarters.length) quarterTicks = { ticks, quarters };
  }
  assert.ok(quarterTicks, 'at some height the y ticks fall on quarter values');
  for (const q of quarterTicks.quarters) assert.ok(quarterTicks.ticks.y.labels.includes(String(exact(q))), `quarter ${q} labelled exactly`);
  await page.getByRole('figure', { name: 'Loss', exact: true }).screenshot({ path: join(outputDir, 'charts-quarter-ticks.png') });
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

test('step axes: integer ticks only after 2 steps', { skip }, async () => {
  const page = await open('');
  const stepButton = page.getByRole('button', { name: 'Step', exact: true });
  await stepButton.click();
  await waitForStep(page, 0);
  await stepButton.click();
  await waitForStep(page, 1);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const { ticks, x } = await chartData(page, 'loss');
  assert.deepEqual(x, [1, 2]);
  assert.ok(ticks.x.values.length >= 2, `ticks ${JSON.stringify(ticks.x)}`);
  for (const value of ticks.x.values) assert.ok(Number.isInteger(value), `step tick ${value} is not a whole step`);
  assert.ok(ticks.x.labels.every((label) => /^\d+$/.test(label)), ticks.x.labels.join(', '));
  await page.getByRole('figure', { name: 'Loss', exact: true }).screenshot({ path: join(outputDir, 'charts-two-steps.png') });
  await page.close();
});

test('12 hidden layers: 13 distinct layer colours, legends that do not clip, log axes labelled per power of ten', { skip }, async () => {
  const page = await open('#layers=12&units=16');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => (globalThis.trainscope.chartData('gradient-norm')?.x.length ?? 0) >= 3, null, { timeout: PROGRESS_TIMEOUT, polling: 100 });
  await pauseAndSettle(page);
  for (const id of ['gradient-norm', 'update-ratio']) {
    const drawn = await chartData(page, id);
    assert.equal(drawn.series.length, 13, `${id}: 12 hidden layers + output`);
    const strokes = drawn.series.map((s) => s.stroke.toLowerCase());
    assert.equal(new Set(strokes).size, 13, `${id}: every layer its own colour (${strokes.join(' ')})`);
    assert.ok(drawn.ticks.y.labels.length >= 1);
    drawn.ticks.y.values.forEach((value, i) => {
      const power = Math.round(Math.log10(value));
      assert.ok(Math.abs(value / 10 ** power - 1) < 1e-9, `${id}: a labelled tick (${value}) that is not a power of ten`);
      assert.equal(drawn.ticks.y.labels[i], `1e${power}`);
    });
  }
  // The legend: every entry inside the figure, none scrolled away or cut off.
  const legend = await page.evaluate(() => {
    const figure = document.querySelector('[data-chart="gradient-norm"]');
    const body = figure.querySelector('.ts-chart-plot').getBoundingClientRect();
    const entries = [...figure.querySelectorAll('.u-legend .u-series')].map((row) => row.getBoundingClientRect());
    const table = figure.querySelector('.u-legend');
    const drawn = figure.querySelector('.uplot').getBoundingClientRect();
    return { entries: entries.map((r) => ({ top: r.top, bottom: r.bottom, height: r.height })), bodyTop: body.top, bodyBottom: body.bottom, scroll: table.scrollHeight - table.clientHeight, drawnHeight: drawn.height };
  });
  // The plot takes what the wrapped legend leaves: plot + legend fill the chart's body.
  assert.ok(Math.abs(legend.drawnHeight - (legend.bodyBottom - legend.bodyTop)) <= 1, `plot and legend ${legend.drawnHeight} px in a ${legend.bodyBottom - legend.bodyTop} px body`);
  assert.equal(legend.entries.length, 13, 'one legend entry per layer');
  assert.ok(legend.scroll <= 0, 'the legend does not scroll');
  for (const entry of legend.entries) {
    assert.ok(entry.height > 0 && entry.top >= legend.bodyTop && entry.bottom <= legend.bodyBottom + 0.5, `a legend row outside the plot area (${JSON.stringify(entry)} vs ${legend.bodyTop}…${legend.bodyBottom})`);
  }
  await page.getByRole('figure', { name: 'Gradient norm', exact: true }).screenshot({ path: join(outputDir, 'charts-12-layers.png') });
  await page.getByRole('figure', { name: 'Update ratio', exact: true }).screenshot({ path: join(outputDir, 'charts-update-ratio-log.png') });
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

test('Activations: histograms share one labelled x-range, with a per-layer toggle', { skip }, async () => {
  const page = await open('#preset=xavier-relu&units=100');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await waitForStep(page, 0);
  await page.waitForFunction(() => globalThis.trainscope.chartData('activations')?.layers > 0, null, { timeout: PROGRESS_TIMEOUT, polling: 100 });
  const layers = (await state(page)).layers.filter((l) => l.name !== 'output');
  const low = Math.min(...layers.map((l) => l.act.edges[0]));
  const high = Math.max(...layers.map((l) => l.act.edges.at(-1)));
  const shared = (await chartData(page, 'activations')).sharedRange;
  assert.deepEqual(shared, [low, high], 'one x-range covering every layer');
  const figure = page.getByRole('figure', { name: 'Activations', exact: true });
  await figure.screenshot({ path: join(outputDir, 'charts-histograms-shared.png') });
  await figure.getByLabel('Per-layer ranges').check();
  assert.equal((await chartData(page, 'activations')).sharedRange, null);
  await figure.screenshot({ path: join(outputDir, 'charts-histograms-per-layer.png') });
  await page.close();
});

test('Loss chart with Smooth on: the raw batch losses are drawn under the smoothed curve', { skip }, async () => {
  const page = await open('#preset=relu-fast');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForStep(page, 100);
  await pauseAndSettle(page);
  const drawn = await chartData(page, 'loss');
  const labels = drawn.series.map((s) => s.label);
  assert.ok(labels.includes('train (batch)') && labels.includes('train (smoothed)'), labels.join(', '));
  const raw = drawn.series.find((s) => s.label === 'train (batch)').values;
  const history = await page.evaluate(() => globalThis.trainscope.workerCall('history'));
  const lossAt = new Map(Array.from(history.step, (step, i) => [step, history.loss[i]]));
  let compared = 0;
  drawn.x.forEach((step, i) => {
    if (!lossAt.has(step)) return;
    assert.equal(raw[i], lossAt.get(step), `the faint line at step ${step} is the batch loss itself`);
    compared++;
  });
  assert.ok(compared >= 50, `${compared} steps compared`);
  const smoothed = drawn.series.find((s) => s.label === 'train (smoothed)').values;
  assert.notDeepEqual(smoothed, raw);
  await page.close();
});
