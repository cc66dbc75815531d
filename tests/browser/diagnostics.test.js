// One diagnostics stream: the charts draw the engine's history (trainer.history(), forwarded by
// the worker as new rows), not a second store of the page. Checked through the test hook
// (`trainscope.chartData(id)`: what a chart draws) against the worker's own trainer.history().
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useSession, waitForReady, waitForStep, state, PROGRESS_TIMEOUT } from './harness.js';

const browser = useSession();
const { skip } = browser;

/** Trains the page's default run past `steps`, pauses, and waits until the charts drew the last diagnostics row. */
async function trainAndSettle(page, steps) {
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForStep(page, steps);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForFunction(() => !globalThis.trainscope.getState().running, null, { timeout: PROGRESS_TIMEOUT });
  const history = await page.evaluate(async () => {
    const h = await globalThis.trainscope.workerCall('history');
    return { diag_step: Array.from(h.diag_step), grad_norm: h.grad_norm.map((layer) => Array.from(layer)), layers: h.layers };
  });
  const last = history.diag_step.at(-1);
  assert.ok(last > 0, 'the engine recorded diagnostics');
  await page.waitForFunction((step) => ['dead-relu'].every((id) => globalThis.trainscope.chartData(id)?.x.at(-1) === step), last, { timeout: PROGRESS_TIMEOUT });
  return history;
}

test('default run: the Dead ReLU fraction gets a point at least every 10 steps', { skip }, async () => {
  const page = await browser.session.newPage();
  await page.goto(`${browser.session.url}index.html`);
  await waitForReady(page);
  await trainAndSettle(page, 300);
  const trained = (await state(page)).step;

  const dead = await page.evaluate(() => globalThis.trainscope.chartData('dead-relu'));
  assert.deepEqual(dead.series.map((s) => s.label), ['hidden1', 'hidden2'], 'one line per hidden layer');
  assert.ok(dead.x.length >= trained / 10, `${dead.x.length} points for ${trained} steps`);
  const gaps = dead.x.slice(1).map((step, i) => step - dead.x[i]);
  assert.ok(Math.max(...gaps) <= 10, `steps between Dead ReLU points: at most ${Math.max(...gaps)} (${dead.x.slice(0, 12).join(', ')}, …)`);
  for (const line of dead.series) {
    assert.ok(line.values.every((v) => Number.isFinite(v) && v >= 0 && v <= 1), `${line.label}: a fresh fraction at every point`);
  }

  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});
