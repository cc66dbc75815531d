// Issue 15 §2 in Chromium: after Pause, Step, a step budget and a divergence every chart and
// readout shows the same final step; the divergence alert agrees with the toolbar and the
// preset's text; Play after a divergence says why nothing happens; the boundary's caption goes
// with its placeholder. Progress is awaited, never timed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { presets } from '../../bindings/js/presets.js';
import { divergenceAdvice } from '../../dist/app/babysit.js';
import { useSession, openPlayground, waitForStep, state, outputDir, PROGRESS_TIMEOUT } from './harness.js';

const browser = useSession();
const skip = browser.skip;

const open = (hash = '') => openPlayground(browser.session, hash);

/**
 * Waits until the worker answered a query sent after the stop (messages arrive in order, so every
 * message of the stop has reached the page), then for the frames that draw the charts (a frame
 * over its time budget leaves some charts to the next).
 */
async function drained(page) {
  await page.evaluate(() => globalThis.trainscope.workerCall('step'));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.waitForFunction(() => !globalThis.trainscope.playground.drawPending, null, { timeout: PROGRESS_TIMEOUT, polling: 'raf' });
}

/** Every step the page shows, read from what is drawn and written. */
const readouts = (page) => page.evaluate(() => {
  const ts = globalThis.trainscope;
  const s = ts.getState();
  const text = (id) => document.querySelector(`[data-chart="${id}"] .ts-chart-values`)?.textContent ?? '';
  const stepIn = (value, pattern) => Number(value.match(pattern)?.[1] ?? NaN);
  return {
    toolbar: Number(document.querySelector('.ts-stat').dataset.step),
    lossChart: ts.chartData('loss')?.x.at(-1),
    lossValidation: stepIn(text('loss'), /\(step (\d+)\)/),
    deadRelu: ts.chartData('dead-relu')?.x.at(-1),
    updateRatio: ts.chartData('update-ratio')?.x.at(-1),
    boundary: stepIn(text('decision-boundary'), /boundary at step (\d+)/),
    boundaryEvaluation: stepIn(text('decision-boundary'), /\(step (\d+)\)/),
    worker: s.settledStep,
  };
});

function assertAllAt(values, step, when) {
  for (const [name, value] of Object.entries(values)) assert.equal(value, step, `${when}: ${name} shows step ${value}, the toolbar ${step} (${JSON.stringify(values)})`);
}

/**
 * Play past `after` steps, Pause, then Step once: after each, every readout at the toolbar's step.
 * `onPause(page)` runs after the Pause check (e.g. a screenshot).
 */
async function pauseThenStep(page, after, when, onPause = async () => {}) {
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForStep(page, after);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForFunction(() => !globalThis.trainscope.getState().running, null, { timeout: PROGRESS_TIMEOUT });
  await drained(page);
  const values = await readouts(page);
  assert.ok(values.toolbar > after);
  assertAllAt(values, values.toolbar, `after Pause${when}`);
  await onPause(page);

  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await waitForStep(page, values.toolbar);
  await drained(page);
  const afterStep = await readouts(page);
  assert.equal(afterStep.toolbar, values.toolbar + 1);
  assertAllAt(afterStep, afterStep.toolbar, `after Step${when}`);
}

test('Pause, Step and a step budget: every readout at the same final step', { skip }, async () => {
  const page = await open('#preset=relu-fast');
  await pauseThenStep(page, 137, '', (paused) => paused.screenshot({ path: join(outputDir, 'readouts-after-pause.png'), fullPage: true }));
  await page.close();

  // A 253-step budget (not a multiple of the diagnostics cadence).
  const budget = await open('#preset=relu-fast&steps=253&autoplay=1');
  await budget.waitForFunction(() => globalThis.trainscope.getState().step >= 253 && !globalThis.trainscope.getState().running, null, { timeout: PROGRESS_TIMEOUT, polling: 100 });
  await drained(budget);
  assertAllAt(await readouts(budget), 253, 'at the end of a 253-step budget');
  await budget.close();
});

test('one chart per frame (a frame budget of 0 ms): after Pause and Step every readout still reaches the final step', { skip }, async () => {
  // The controller draws charts until a frame's budget is spent and leaves the rest to the next
  // frame; with no budget every frame draws one chart, so a chart left behind and then dropped
  // would keep an older step.
  const page = await open('#preset=relu-fast');
  await page.evaluate(() => { globalThis.trainscope.playground.frameBudgetMs = 0; });
  await pauseThenStep(page, 60, ', one chart per frame');
  await page.close();
});

test('divergence: the alert, the toolbar and the preset text agree; Play says why nothing happens', { skip }, async () => {
  const page = await open('#preset=lr-too-high');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => globalThis.trainscope.getState().diverged, null, { timeout: PROGRESS_TIMEOUT, polling: 100 });
  await drained(page);
  const { diverged } = await state(page);
  const values = await readouts(page);
  assertAllAt({ ...values, alert: diverged.step }, values.toolbar, 'after the divergence');
  const alert = await page.getByRole('alert').textContent();
  assert.ok(alert.includes(`diverged at step ${values.toolbar}:`), alert);
  const preset = presets.find((p) => p.name === 'lr-too-high');
  const bound = preset.explain.match(/≤ ([\d.]+)/)[1];
  assert.ok(alert.includes(`try ≤ ${bound}`), `the alert (${alert}) and the preset (≤ ${bound}) suggest the same rate`);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  const notice = await page.locator('.ts-restart').textContent();
  assert.match(notice, new RegExp(`diverged at step ${values.toolbar}`));
  assert.equal((await state(page)).step, values.toolbar, 'Play did not train');
  await page.screenshot({ path: join(outputDir, 'readouts-diverged.png'), fullPage: true });
  await page.close();
});

test('every preset that names a safe learning rate names the one the alert suggests', () => {
  for (const preset of presets) {
    const bound = preset.explain.match(/Lower the learning rate \(≤ ([\d.]+)/)?.[1];
    if (!bound) continue;
    assert.equal(String(divergenceAdvice({ step: 1, lr: preset.config.train.lr }).suggestedLr), bound, preset.name);
  }
});

test('the decision boundary: caption hidden with the "Only for 2-D data" placeholder; the toolbar names the batch loss', { skip }, async () => {
  const page = await open('#preset=he-relu');
  const figure = page.getByRole('figure', { name: 'Decision boundary', exact: true });
  await assert.doesNotReject(figure.getByText('Only for 2-D data').waitFor());
  assert.equal(await figure.locator('figcaption').isVisible(), false);
  await page.close();
  const plane = await open('#preset=relu-fast');
  const planeFigure = plane.getByRole('figure', { name: 'Decision boundary', exact: true });
  await planeFigure.locator('figcaption').waitFor();
  assert.equal(await planeFigure.locator('figcaption').isVisible(), true);
  assert.match(await plane.locator('.ts-stat').nth(1).textContent(), /^Batch loss /);
  await plane.close();
});
