// Issue 15 §6 in Chromium: the README's own embed snippets, as written, render without clipping:
// the element's charts fit its height with at least the minimum plot height (or the element grows
// and says how much it needs), and the iframe's only chart is inside the frame. Screenshots go to
// test-output/ (and are the README's pictures of the snippets).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { useSession, repoRoot, outputDir, PROGRESS_TIMEOUT } from './harness.js';
import { MIN_PLOT_AREA } from '../../dist/app/charts/time-series.js';

const browser = useSession();
const skip = browser.skip;
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const elementSnippet = readme.match(/<train-scope preset="he-relu"[^>]*><\/train-scope>/)[0];
const iframeSnippet = readme.match(/<iframe src="https:\/\/your\.site\/trainscope\/embed\.html#[^"]*"[^>]*><\/iframe>/)[0];

/** Layout of every chart inside `root` (a shadow root or a document): plot, legend and body boxes. */
const chartBoxes = (root) => [...root.querySelectorAll('.ts-chart')].map((figure) => {
  const box = (selector) => {
    const r = (selector ? figure.querySelector(selector) : figure)?.getBoundingClientRect();
    return r ? { top: r.top, bottom: r.bottom, height: r.height } : null;
  };
  const canvas = figure.querySelector('.u-over') ?? figure.querySelector('canvas');
  return { id: figure.dataset.chart, figure: box(''), body: box('.ts-chart-body'), plot: canvas ? canvas.getBoundingClientRect().height : 0, legend: box('.u-legend') };
});

test('the README\'s <train-scope> snippet (height 420): charts fit, plots at least the minimum height', { skip }, async () => {
  const page = await browser.session.newPage();
  await page.setViewportSize({ width: 900, height: 900 });
  await page.goto(`${browser.session.url}embed.html`);
  await page.evaluate(async (html) => {
    await import(new URL('trainscope-embed.js', location.href).href);
    document.body.replaceChildren();
    document.body.insertAdjacentHTML('beforeend', html);
  }, elementSnippet);
  await page.waitForFunction(() => document.querySelector('train-scope').getState()?.run >= 0, null, { timeout: PROGRESS_TIMEOUT });
  await page.evaluate(() => document.querySelector('train-scope').shadowRoot.querySelector('.ts-toolbar button:nth-child(2)').click()); // Step
  await page.waitForFunction(() => document.querySelector('train-scope').shadowRoot.querySelectorAll('.uplot').length >= 2, null, { timeout: PROGRESS_TIMEOUT });
  await page.evaluate(() => new Promise((resolve) => setTimeout(() => requestAnimationFrame(resolve), 300))); // ResizeObservers settle
  const layout = await page.evaluate((boxes) => {
    const element = document.querySelector('train-scope');
    const root = element.shadowRoot.querySelector('.ts-app').getBoundingClientRect();
    const own = element.getBoundingClientRect();
    // eslint-disable-next-line no-new-func
    return { element: { top: own.top, height: own.height }, root: { height: root.height }, needed: element.dataset.neededHeight ?? null, note: element.shadowRoot.querySelector('.ts-size')?.textContent ?? '', charts: new Function('root', `return (${boxes})(root)`)(element.shadowRoot) };
  }, chartBoxes.toString());
  await page.locator('train-scope').screenshot({ path: join(outputDir, 'readme-element-snippet.png') });
  const height = layout.needed ? Number(layout.needed) : 420;
  assert.ok(layout.root.height <= layout.element.height + 1, `the content (${layout.root.height} px) fits the element (${layout.element.height} px)`);
  assert.ok(Math.abs(layout.element.height - height) <= 1, `the element is ${layout.element.height} px, expected ${height}`);
  if (layout.needed) assert.match(layout.note, /need more height than height="420"/);
  for (const chart of layout.charts) {
    assert.ok(chart.figure.bottom <= layout.element.top + layout.element.height + 1, `${chart.id} ends inside the element`);
    if (chart.legend) assert.ok(chart.legend.bottom <= chart.body.bottom + 1, `${chart.id}: the legend inside the chart (${JSON.stringify(chart)})`);
    assert.ok(chart.plot >= MIN_PLOT_AREA - 1, `${chart.id}: plot ${chart.plot} px tall`);
  }
  console.log(`# README element snippet: ${layout.element.height} px, plots ${layout.charts.map((c) => `${c.id} ${Math.round(c.plot)} px`).join(', ')}${layout.needed ? `; needs ${layout.needed}` : ''}`);
  await page.close();
});

test('the README\'s iframe snippet (720 × 420, charts=loss): the only chart is inside the frame', { skip }, async () => {
  const page = await browser.session.newPage();
  await page.setViewportSize({ width: 900, height: 700 });
  await page.goto(`${browser.session.url}embed.html`);
  const html = iframeSnippet.replace('https://your.site/trainscope/', browser.session.url);
  await page.evaluate((snippet) => {
    document.body.replaceChildren();
    document.body.insertAdjacentHTML('beforeend', snippet);
  }, html);
  const frame = page.frameLocator('iframe');
  await frame.locator('[data-chart="loss"] .ts-chart-plot').waitFor({ timeout: PROGRESS_TIMEOUT });
  const inner = page.frames().find((f) => f.url().includes('embed.html#'));
  await inner.waitForFunction(() => globalThis.trainscope?.getState().run >= 0, null, { timeout: PROGRESS_TIMEOUT });
  await frame.getByRole('button', { name: 'Step', exact: true }).click();
  await inner.waitForSelector('[data-chart="loss"] .u-over', { timeout: PROGRESS_TIMEOUT });
  await inner.evaluate(() => new Promise((resolve) => setTimeout(() => requestAnimationFrame(resolve), 300)));
  const layout = await inner.evaluate((boxes) => ({
    viewport: innerHeight,
    scroll: document.documentElement.scrollHeight,
    // eslint-disable-next-line no-new-func
    charts: new Function('root', `return (${boxes})(root)`)(document),
  }), chartBoxes.toString());
  await page.locator('iframe').screenshot({ path: join(outputDir, 'readme-iframe-snippet.png') });
  assert.equal(layout.charts.length, 1);
  const [loss] = layout.charts;
  assert.ok(loss.figure.bottom <= layout.viewport + 1, `the Loss chart ends at ${loss.figure.bottom} px in a ${layout.viewport} px frame`);
  assert.ok(loss.plot >= MIN_PLOT_AREA - 1, `plot area ${loss.plot} px`);
  await page.close();
});
