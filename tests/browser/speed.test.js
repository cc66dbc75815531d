// Issue 15 §3 in Chromium: the "Speed" control (steps per second 1, 10, 100, 1000, max), the
// presets' own pace and step budget, and the Loss chart's log step axis. A pace is a lower bound
// on the time between steps, so the tests check only that training is never faster than the
// chosen pace (and report the rates); nothing waits on a clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { presets } from '../../bindings/js/presets.js';
import { presetPace, SPEEDS } from '../../dist/app/pace.js';
import { useSession, openPlayground, stepTime, waitForStep, state, outputDir, PROGRESS_TIMEOUT } from './harness.js';

const browser = useSession();
const skip = browser.skip;

const open = (hash = '') => openPlayground(browser.session, hash);

test('every preset has a pace and a budget, every paced entry is a preset', () => {
  const names = presets.map((p) => p.name);
  assert.deepEqual(Object.keys(presetPace).sort(), [...names].sort());
  for (const [name, pace] of Object.entries(presetPace)) {
    assert.ok(SPEEDS.includes(pace.speed), `${name}: speed ${pace.speed}`);
    assert.ok(Number.isInteger(pace.steps) && pace.steps >= 0, `${name}: steps ${pace.steps}`);
  }
});

test('the Speed control: the preset\'s pace, 1 … max, never faster than chosen, and the step budget', { skip }, async () => {
  const page = await open('#preset=dead-relu');
  const speed = page.getByLabel('Speed');
  assert.deepEqual(await speed.locator('option').allTextContents(), ['1 step/s', '10 steps/s', '100 steps/s', '1,000 steps/s', 'max']);
  assert.equal(await speed.inputValue(), String(presetPace['dead-relu'].speed), 'the preset\'s pace');
  assert.equal((await state(page)).budget, presetPace['dead-relu'].steps);

  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForStep(page, 2);
  const report = [];
  const budget = presetPace['dead-relu'].steps;
  for (const [value, steps] of [['10', 12], ['100', 60], ['0', 150]]) {
    await speed.selectOption(value);
    // On a busy machine the phases before may have used much of the budget: measure up to it.
    const current = (await state(page)).step;
    if (current >= budget - 1) continue;
    const from = await stepTime(page, current);
    if (from.step >= budget) continue;
    const to = await stepTime(page, Math.min(from.step + steps, budget) - 1);
    const rate = ((to.step - from.step) / (to.time - from.time)) * 1000;
    report.push(`${value === '0' ? 'max' : value}/s: ${rate.toFixed(1)} steps/s`);
    // The page sees steps in batches, a frame late: allow 50 ms and two steps of slack on top of
    // the pace (max, unpaced, runs thousands a second).
    if (value !== '0') assert.ok(to.step - from.step <= (Number(value) * (to.time - from.time + 50)) / 1000 + 2, `faster than ${value}/s: ${rate.toFixed(1)}`);
  }
  console.log(`# Speed (dead-relu): ${report.join(', ')}`);
  assert.match(await page.evaluate(() => location.hash), /speed=max/, 'the URL keeps the chosen speed');
  // The budget: the preset's 400 steps, then the run stops with every readout at 400.
  await page.waitForFunction((budget) => !globalThis.trainscope.getState().running && globalThis.trainscope.getState().step === budget, presetPace['dead-relu'].steps, { timeout: PROGRESS_TIMEOUT, polling: 100 });
  await page.getByRole('toolbar', { name: 'Training' }).screenshot({ path: join(outputDir, 'speed-control.png') });
  // Play goes on past the budget, and says so.
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForStep(page, presetPace['dead-relu'].steps + 5);
  assert.match(await page.locator('.ts-restart').textContent(), /Step budget reached/);
  await page.close();
});

test('speed=1 from the URL: one step a second, a pace a student can follow', { skip }, async () => {
  const page = await open('#preset=relu-fast&speed=1');
  assert.equal(await page.getByLabel('Speed').inputValue(), '1');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  const from = await stepTime(page, 0);
  const to = await stepTime(page, from.step + 2);
  assert.ok(to.time - from.time >= 1000, `two steps at 1/s took ${(to.time - from.time).toFixed(0)} ms`);
  await page.close();
});

test('the Loss chart\'s log step axis labels powers of ten', { skip }, async () => {
  const page = await open('#preset=relu-fast&speed=max');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForStep(page, 1500);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const figure = page.getByRole('figure', { name: 'Loss', exact: true });
  await figure.getByLabel('Log steps').check();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const { ticks } = await page.evaluate(() => globalThis.trainscope.chartData('loss'));
  assert.ok(ticks.x.values.length >= 3, JSON.stringify(ticks.x));
  ticks.x.values.forEach((value, i) => {
    const power = Math.round(Math.log10(value));
    assert.equal(value, 10 ** power, `step tick ${value} is a power of ten`);
    assert.equal(ticks.x.labels[i], String(10 ** power).replace(/^10000$/, '10k'));
  });
  await figure.screenshot({ path: join(outputDir, 'speed-log-steps.png') });
  await page.close();
});

test('a first visit loads the bundled page: no module from app/, the engine loader and the lite engine once, and the page trains', { skip }, async () => {
  // dist/index.html and its workers run dist/bundle/ (scripts/bundle-site.mjs): one import level
  // instead of ~60 modules fetched level by level. Requests are counted from a fresh page.
  const page = await browser.session.newPage();
  const requested = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await page.goto(`${browser.session.url}index.html#autoplay=1`);
  await waitForStep(page, 3);
  const scripts = requested.filter((path) => path.endsWith('.js'));
  const unbundled = scripts.filter((path) => path.startsWith('/app/'));
  assert.deepEqual(unbundled, [], `modules loaded unbundled: ${unbundled.join(', ')}`);
  assert.ok(scripts.includes('/bundle/main.js') && scripts.includes('/bundle/worker.js'), scripts.join(', '));
  // The worker's bundles share one engine loader and one copy of the error classes. The page
  // imports both too once its Search and Optimizers tabs load (after the first step, which may
  // come before this check): once each, in the page's own realm (its resource entries).
  await page.evaluate(() => globalThis.trainscope.tabsReady());
  const pageCount = (path) => page.evaluate((wanted) => performance.getEntriesByType('resource')
    .filter((entry) => new URL(entry.name).pathname === wanted).length, path);
  const count = (path) => requested.filter((entry) => entry === path).length;
  for (const path of ['/js/loader.js', '/js/errors.js']) {
    const inPage = await pageCount(path);
    assert.ok(inPage <= 1, `the page imported ${path} ${inPage} times`);
    assert.equal(count(path) - inPage, 1, `one ${path}, shared by the worker's bundles`);
  }
  // The page's engine is the lite SIMD build (web/app/page-engine.js), fetched once; the full one never.
  const engines = requested.filter((path) => path.startsWith('/js/engine/'));
  assert.deepEqual(engines.sort(), ['/js/engine/trainscope_engine_lite.js', '/js/engine/trainscope_engine_lite.wasm'],
    'the lite engine, fetched once, and no other');
  // The API modules are inside the bundles; only the loader (which finds ./engine/ beside it),
  // its error classes and the engine itself come from js/.
  const apiModules = scripts.filter((path) => path.startsWith('/js/') && !path.startsWith('/js/engine/'));
  assert.deepEqual([...new Set(apiModules)].sort(), ['/js/errors.js', '/js/loader.js']);
  console.log(`# first visit: ${requested.length} requests, ${scripts.length} scripts`);
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});
