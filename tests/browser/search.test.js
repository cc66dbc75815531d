// The Search view (issue 12) in headless Chromium: a 12-trial search completes in the playground's
// Search tab, both charts get 12 points and the table 12 sortable rows; Cancel keeps the finished
// trials; "Random vs grid", "Refine" and "Ensemble"; <train-scope view="search">.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { planRound, normalizeOptions } from '../../bindings/js/search.js';
import { outputDir, PROGRESS_TIMEOUT, useSession } from './harness.js';

const handle = useSession({ viewport: { width: 1280, height: 1800 } });
const skip = handle.skip;

async function openSearch(page) {
  await page.goto(`${handle.session.url}?view=search`);
  await page.waitForFunction(() => globalThis.trainscope?.search?.view, null, { timeout: PROGRESS_TIMEOUT });
}

async function setSearch(page, { trials, steps }) {
  await page.getByLabel('Trials').fill(String(trials));
  await page.getByLabel('Steps per trial').fill(String(steps));
}

const finishedTrials = (page) => page.evaluate(() => globalThis.trainscope.search.view.trials.length);
const status = (page) => page.locator('.ts-search-status').textContent();

test('a 12-trial search completes in the Search view: both charts get 12 points, the table 12 sortable rows', { skip }, async () => {
  const page = await handle.session.newPage();
  await openSearch(page);
  assert.equal(await page.locator('#playground').isHidden(), true);
  assert.equal(await page.getByRole('tab', { name: 'Search' }).getAttribute('aria-selected'), 'true');
  assert.match(await page.locator('.ts-search-workers').textContent(), /^\d+ workers?$/);
  await setSearch(page, { trials: 12, steps: 80 });
  // Up to lr 30: some trials blow up and are stopped early (marked ×).
  await page.getByLabel('Hyperparameter 1 to').fill('30');
  await page.getByRole('button', { name: 'Run search' }).click();
  await page.waitForFunction(() => /^Finished round 1: 12 trials/.test(document.querySelector('.ts-search-status').textContent), null, { timeout: PROGRESS_TIMEOUT, polling: 200 });

  const data = await page.evaluate(() => {
    const view = globalThis.trainscope.search.view;
    return { results: view.chartData('Search results'), space: view.chartData('Search space'), ensemble: view.chartData('Ensemble'), trials: view.trials };
  });
  assert.deepEqual(data.results.map((dim) => [dim.path, dim.log, dim.points.length]), [['train.lr', true, 12], ['train.l2', true, 12]]);
  assert.equal(data.space.points.length, 12);
  assert.deepEqual([data.space.x.path, data.space.y.path], ['train.lr', 'train.l2']);
  for (const point of data.space.points) {
    const trial = data.trials.find((t) => t.index === point.index);
    assert.equal(point.x, trial.params['train.lr']);
    assert.equal(point.acc, trial.val_acc);
    assert.ok(point.x >= 1e-4 && point.x <= 30);
  }
  // The page plans exactly the trials search() plans in node for the same space and seed.
  const options = normalizeOptions({ space: { 'train.lr': { log: [1e-4, 30] }, 'train.l2': { log: [1e-6, 0.1] } }, trials: 12, steps: 80, seed: 1 });
  const planned = planRound(options, options.dimensions, 0, 0);
  assert.deepEqual(data.trials.map((t) => t.params), planned.map((plan) => plan.params));
  const stopped = data.trials.filter((t) => t.status === 'stopped');
  assert.ok(stopped.length > 0 && stopped.length < 12, `${stopped.length} stopped`);
  assert.equal(await page.locator('figure[data-chart="search-results"] svg path[data-status="stopped"]').count(), 2 * stopped.length);
  assert.equal(await page.locator('.ts-search-table tbody tr[data-status="stopped"]').count(), stopped.length);
  // Drawn: one mark per trial and panel, titles named exactly.
  assert.equal(await page.locator('figure[data-chart="search-results"] h3').textContent(), 'Search results');
  assert.equal(await page.locator('figure[data-chart="search-space"] h3').textContent(), 'Search space');
  assert.equal(await page.locator('figure[data-chart="search-results"] svg [data-index]').count(), 24);
  assert.equal(await page.locator('figure[data-chart="search-space"] svg [data-index]').count(), 12);
  assert.ok(data.ensemble && data.ensemble.members === 3 && data.ensemble.ensemble > 0, JSON.stringify(data.ensemble));
  assert.match(await page.locator('figure[data-chart="ensemble"]').textContent(), /average of the best 3/);
  assert.match(await page.locator('.ts-search-rate').textContent(), /^[\d.]+ trials\/s$/);

  // The table: 12 rows, sorted by validation accuracy (best first), then by lr ascending after two clicks.
  const rows = page.locator('.ts-search-table tbody tr');
  assert.equal(await rows.count(), 12);
  const column = async (n) => (await rows.evaluateAll((trs, i) => trs.map((tr) => tr.children[i].textContent), n));
  const accuracies = (await column(5)).map(Number);   // #, round, status, lr, l2, val acc
  assert.deepEqual(accuracies, [...accuracies].sort((a, b) => b - a));
  await page.getByRole('button', { name: /^train\.lr/ }).click();
  await page.getByRole('button', { name: /^train\.lr/ }).click();
  const lrs = data.trials.map((t) => t.params['train.lr']).sort((a, b) => a - b);
  const shownOrder = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.index)));
  assert.deepEqual(shownOrder.map((i) => data.trials.find((t) => t.index === i).params['train.lr']), lrs);
  // A trial opens in the playground: its link carries its settings.
  const href = await rows.first().locator('a').getAttribute('href');
  assert.match(href, /#.*lr=/);
  const firstIndex = Number(await rows.first().getAttribute('data-index'));
  const lrInLink = Number(new URLSearchParams(href.split('#')[1]).get('lr'));
  const lrOfTrial = data.trials.find((t) => t.index === firstIndex).params['train.lr'];
  assert.ok(Math.abs(lrInLink / lrOfTrial - 1) < 1e-3, `${lrInLink} vs ${lrOfTrial}`);
  await page.screenshot({ path: join(outputDir, 'search.png'), fullPage: true });
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

test('Cancel keeps the finished trials (charts and table), and Pause holds new trials', { skip }, async () => {
  const page = await handle.session.newPage();
  await openSearch(page);
  await setSearch(page, { trials: 12, steps: 2500 });
  await page.getByRole('button', { name: 'Run search' }).click();
  await page.waitForFunction(() => globalThis.trainscope.search.view.trials.length >= 2, null, { timeout: PROGRESS_TIMEOUT, polling: 100 });
  // The trials run in the pool's Web Workers, and the page keeps painting meanwhile.
  assert.ok(await page.evaluate(() => globalThis.trainscope.search.view.pool.busy.size) >= 1);
  assert.equal(await page.evaluate(() => new Promise((resolve) => {
    let frames = 0;
    const tick = () => (++frames === 10 ? resolve(frames) : requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  })), 10);
  // Pause: the trials in flight finish, then no worker is busy and no trial arrives.
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.equal(await page.getByRole('button', { name: 'Resume' }).count(), 1);
  await page.waitForFunction(() => globalThis.trainscope.search.view.pool.busy.size === 0, null, { timeout: PROGRESS_TIMEOUT, polling: 50 });
  const whilePaused = await finishedTrials(page);
  await page.evaluate(() => new Promise((resolve) => {
    let frames = 0;
    const tick = () => (++frames === 30 ? resolve() : requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  }));
  assert.equal(await page.evaluate(() => globalThis.trainscope.search.view.pool.busy.size), 0);
  assert.equal(await finishedTrials(page), whilePaused);
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.waitForFunction((n) => globalThis.trainscope.search.view.pool.busy.size > 0 || globalThis.trainscope.search.view.trials.length > n, whilePaused, { timeout: PROGRESS_TIMEOUT, polling: 20 });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForFunction(() => /^Cancelled/.test(document.querySelector('.ts-search-status').textContent), null, { timeout: PROGRESS_TIMEOUT, polling: 100 });
  const kept = await finishedTrials(page);
  assert.ok(kept >= 2 && kept < 12, `${kept} trials kept`);
  assert.equal(await page.locator('figure[data-chart="search-space"] svg [data-index]').count(), kept);
  assert.equal(await page.locator('.ts-search-table tbody tr').count(), kept);
  assert.match(await status(page), new RegExp(`^Cancelled round 1: ${kept} trials`));
  // Nothing more arrives after the cancel.
  assert.equal(await page.getByRole('button', { name: 'Run search' }).isEnabled(), true);
  assert.equal(await finishedTrials(page), kept);
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

test('"Random vs grid" tries 9 learning rates at random and 3 on the grid; "Refine" runs a narrower second round', { skip }, async () => {
  const page = await handle.session.newPage();
  await openSearch(page);
  await setSearch(page, { trials: 6, steps: 60 });
  await page.getByRole('button', { name: 'Random vs grid' }).click();
  await page.waitForFunction(() => globalThis.trainscope.search.view.chartData('Random vs grid'), null, { timeout: PROGRESS_TIMEOUT, polling: 200 });
  const demo = await page.evaluate(() => globalThis.trainscope.search.view.chartData('Random vs grid'));
  assert.equal(demo.random.distinctLr, 9);
  assert.equal(demo.grid.distinctLr, 3);
  assert.equal(demo.random.marginals[0].points.length, 9);
  assert.equal(await page.locator('figure[data-chart="random-vs-grid"] svg').count(), 2);

  await page.getByRole('button', { name: 'Run search' }).click();
  await page.waitForFunction(() => /^Finished round 1/.test(document.querySelector('.ts-search-status').textContent), null, { timeout: PROGRESS_TIMEOUT, polling: 200 });
  const before = await page.evaluate(() => globalThis.trainscope.search.view.space);
  await page.getByRole('button', { name: 'Refine' }).click();
  await page.waitForFunction(() => /^Finished round 2/.test(document.querySelector('.ts-search-status').textContent), null, { timeout: PROGRESS_TIMEOUT, polling: 200 });
  const after = await page.evaluate(() => ({ space: globalThis.trainscope.search.view.space, rounds: globalThis.trainscope.search.view.trials.map((t) => t.round) }));
  assert.deepEqual(after.rounds.filter((r) => r === 1).length, 6);
  const decades = (space) => Math.log10(space['train.lr'].log[1]) - Math.log10(space['train.lr'].log[0]);
  const caption = await page.locator('figure[data-chart="refine"]').textContent();
  if (!/widened train\.lr/.test(caption)) assert.ok(decades(after.space) < decades(before), caption);
  assert.match(caption, /Best validation accuracy/);
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

test('<train-scope view="search"> runs a search in its shadow root', { skip }, async () => {
  const page = await handle.session.newPage();
  await page.goto(`${handle.session.url}examples/course.html`);
  await page.evaluate(async () => {
    const element = document.createElement('train-scope');
    element.id = 'search-demo';
    element.setAttribute('view', 'search');
    element.setAttribute('config', JSON.stringify({ data: { samples: 150 }, model: { hidden: [16] } }));
    document.body.prepend(element);
  });
  const search = page.locator('#search-demo');
  await search.getByLabel('Trials').fill('4');
  await search.getByLabel('Steps per trial').fill('40');
  await search.getByRole('button', { name: 'Run search' }).click();
  await page.waitForFunction(() => document.getElementById('search-demo').searchView?.trials.length === 4 && !document.getElementById('search-demo').searchView.handle, null, { timeout: PROGRESS_TIMEOUT, polling: 200 });
  const data = await page.evaluate(() => document.getElementById('search-demo').searchView.chartData('Search space'));
  assert.equal(data.points.length, 4);
  assert.equal(await search.locator('figure[data-chart="search-results"] svg [data-index]').count(), 8);
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});
