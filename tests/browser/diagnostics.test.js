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
  // Paused, the charts end at the paused step (issue 15 §2: the worker adds a diagnostics row for
  // it when the engine's cadence left none), after every row of the engine's history.
  await page.waitForFunction(() => {
    const paused = globalThis.trainscope.getState().step;
    return ['dead-relu', 'gradient-norm'].every((id) => globalThis.trainscope.chartData(id)?.x.at(-1) === paused);
  }, null, { timeout: PROGRESS_TIMEOUT });
  assert.ok((await state(page)).step >= last);
  return history;
}

test('default run: the Dead ReLU fraction gets a point at least every 10 steps, and Gradient norm draws trainer.history().grad_norm', { skip }, async () => {
  const page = await browser.session.newPage();
  await page.goto(`${browser.session.url}index.html`);
  await waitForReady(page);
  assert.equal(await page.getByRole('figure', { name: 'Gradient norm', exact: true }).count(), 1);
  const history = await trainAndSettle(page, 300);
  const trained = (await state(page)).step;

  const dead = await page.evaluate(() => globalThis.trainscope.chartData('dead-relu'));
  assert.deepEqual(dead.series.map((s) => s.label), ['hidden1', 'hidden2'], 'one line per hidden layer');
  assert.ok(dead.x.length >= trained / 10, `${dead.x.length} points for ${trained} steps`);
  const gaps = dead.x.slice(1).map((step, i) => step - dead.x[i]);
  assert.ok(Math.max(...gaps) <= 10, `steps between Dead ReLU points: at most ${Math.max(...gaps)} (${dead.x.slice(0, 12).join(', ')}, …)`);
  for (const line of dead.series) {
    assert.ok(line.values.every((v) => Number.isFinite(v) && v >= 0 && v <= 1), `${line.label}: a fresh fraction at every point`);
  }

  const drawn = await page.evaluate(() => globalThis.trainscope.chartData('gradient-norm'));
  assert.deepEqual(drawn.series.map((s) => s.label), history.layers, 'one line per layer, hidden layers then output');
  const rowOf = new Map(history.diag_step.map((step, row) => [step, row]));
  let compared = 0;
  for (const [layer, line] of drawn.series.entries()) {
    drawn.x.forEach((step, i) => {
      if (line.values[i] === null || !rowOf.has(step)) return;
      assert.equal(line.values[i], history.grad_norm[layer][rowOf.get(step)], `${line.label} at step ${step}`);
      compared++;
    });
  }
  const trainedRows = history.diag_step.filter((step) => step > 0);
  assert.ok(trainedRows.every((step) => drawn.x.includes(step)), 'every diagnostics row of the history is drawn');
  assert.ok(compared >= trainedRows.length * history.layers.length, `${compared} values compared`);
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

test('the iframe route and <train-scope charts> accept gradient-norm', { skip }, async () => {
  const page = await browser.session.newPage();
  await page.goto(`${browser.session.url}embed.html#charts=loss,gradient-norm&controls=lr&autoplay=1&steps=60`);
  await page.waitForFunction(() => globalThis.trainscope?.getState().step === 60 && !globalThis.trainscope.getState().running, null, { timeout: PROGRESS_TIMEOUT });
  assert.deepEqual(await page.locator('figure').evaluateAll((figures) => figures.map((f) => f.getAttribute('aria-label'))), ['Loss', 'Gradient norm']);
  await page.waitForFunction(() => globalThis.trainscope.chartData('gradient-norm')?.x.length > 0, null, { timeout: PROGRESS_TIMEOUT });
  await page.evaluate(async () => {
    await import(new URL('trainscope-embed.js', location.href).href);
    const element = document.createElement('train-scope');
    element.id = 'demo';
    element.setAttribute('charts', 'gradient-norm');
    element.setAttribute('controls', 'none');
    document.body.append(element);
  });
  const titles = page.locator('#demo').locator('figure');
  await titles.first().waitFor();
  assert.deepEqual(await titles.evaluateAll((figures) => figures.map((f) => f.getAttribute('aria-label'))), ['Gradient norm']);
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});
