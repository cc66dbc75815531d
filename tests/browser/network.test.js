// Issue 15 §4, the Network view: one row per layer, each unit a small heatmap of what it computes
// over the plane, weights as lines by sign and size, live. Its forward pass (network-forward.js)
// is checked against the engine's own predictions under node; in Chromium the view draws every
// row, caps wide layers, follows training, and says when a network cannot be drawn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { createTrainer } from '../../bindings/js/index.js';
import { networkSupport, denseLayers, unitOutputs } from '../../dist/app/network-forward.js';
import { useSession, openPlayground, waitForStep, outputDir, PROGRESS_TIMEOUT } from './harness.js';

const browser = useSession();
const skip = browser.skip;

test('the view\'s forward pass gives the engine\'s predictions (softmax of the output row)', async () => {
  for (const activation of ['relu', 'leaky_relu', 'elu', 'gelu', 'silu', 'tanh', 'sigmoid']) {
    const trainer = await createTrainer({ data: { dataset: 'spiral', classes: 3 }, model: { hidden: [6, 5], activation } });
    try {
      trainer.step(30);
      assert.equal(networkSupport(trainer.config), '');
      const resolution = 7;
      const bounds = [-1.2, 1.1, -0.9, 1.3];
      const grid = trainer.predictGrid(...bounds, resolution);
      const scores = unitOutputs(denseLayers(trainer.getParams()), activation, trainer.config.model.alpha, bounds, resolution).at(-1);
      const cells = resolution * resolution;
      let worst = 0;
      for (let cell = 0; cell < cells; cell++) {
        const row = [0, 1, 2].map((k) => scores[k * cells + cell]);
        const top = Math.max(...row);
        const exps = row.map((v) => Math.exp(v - top));
        const sum = exps.reduce((a, b) => a + b);
        row.forEach((_, k) => { worst = Math.max(worst, Math.abs(exps[k] / sum - grid[cell * 3 + k])); });
      }
      assert.ok(worst < 1e-5, `${activation}: worst probability difference ${worst}`);
    } finally {
      trainer.dispose();
    }
  }
});

test('networks the view cannot draw say why', () => {
  assert.match(networkSupport({ data: { dims: 500 }, model: { activation: 'relu' } }), /Only for 2-D data/);
  assert.match(networkSupport({ data: { dims: 2 }, model: { activation: 'maxout' } }), /Not for maxout/);
  assert.match(networkSupport({ data: { dims: 2 }, model: { activation: 'relu', norm: 'batch' } }), /normalization/);
  assert.match(networkSupport({ data: { dims: 2, preprocess: 'standardize' }, model: { activation: 'relu' } }), /preprocessing/);
});

test('the Network view: a row per layer, wide layers capped, weight lines, live with training', { skip }, async () => {
  const page = await openPlayground(browser.session, '#preset=relu-fast&speed=max');
  const drawn = () => page.evaluate(() => globalThis.trainscope.chartData('network'));
  await page.waitForFunction(() => globalThis.trainscope.chartData('network')?.rows.length > 0, null, { timeout: PROGRESS_TIMEOUT });
  const first = await drawn();
  const hidden = (await page.evaluate(() => globalThis.trainscope.getState().config.model.hidden));
  assert.deepEqual(first.rows.map((row) => row.name), ['input', ...hidden.map((_, i) => `hidden${i + 1}`), 'output']);
  assert.deepEqual(first.rows.map((row) => row.units), [2, ...hidden, 3]);
  assert.ok(first.rows.every((row) => row.shown === Math.min(row.units, 12)), JSON.stringify(first.rows));
  const shown = first.rows.map((row) => row.shown);
  const expectedLines = shown.slice(1).reduce((sum, count, i) => sum + shown[i] * count, 0);
  assert.equal(first.lines, expectedLines, 'a line for every pair of shown units in adjacent rows');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForStep(page, 300);
  await page.waitForFunction((step) => (globalThis.trainscope.chartData('network')?.step ?? 0) > step, first.step ?? 0, { timeout: PROGRESS_TIMEOUT });
  await page.getByRole('figure', { name: 'Network', exact: true }).screenshot({ path: join(outputDir, 'network-view.png') });
  await page.close();

  // A 500-D dataset: the view says why it shows nothing.
  const deep = await openPlayground(browser.session, '#preset=he-relu');
  const figure = deep.getByRole('figure', { name: 'Network', exact: true });
  await deep.waitForFunction(() => globalThis.trainscope.getState().run >= 0, null, { timeout: PROGRESS_TIMEOUT });
  await assert.doesNotReject(figure.getByText(/Only for 2-D data/).waitFor({ timeout: PROGRESS_TIMEOUT }));
  await deep.close();
});
