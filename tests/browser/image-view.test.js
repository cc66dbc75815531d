// Issue 11, the page's image view: an image preset shows its architecture line (the engine's
// summary) and the Filters, Predictions and Confusion matrix charts draw what the run holds; on 2-D
// data the image charts say why they are empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { useSession, openPlayground, outputDir, PROGRESS_TIMEOUT } from './harness.js';

const browser = useSession();
const skip = browser.skip;

test('mlp-vs-conv in the page: architecture line, filters, feature maps, predictions and confusion matrix', { skip }, async () => {
  const page = await openPlayground(browser.session, '#preset=mlp-vs-conv&speed=max');
  const architecture = page.locator('.ts-architecture');
  await architecture.waitFor({ state: 'visible', timeout: PROGRESS_TIMEOUT });
  assert.equal(await architecture.textContent(),
    'input 3×16×16 → conv 8@3×3 p1 → 8×16×16 → pool max 2×2 → 8×8×8 → conv 16@3×3 p1 → 16×8×8 → pool max 2×2 → 16×4×4 → output 10 · 3,962 parameters');
  // The hidden-stack controls do not apply to a layer list: disabled, saying why.
  for (const label of ['Hidden layers', 'Units per layer']) {
    const control = page.getByLabel(label, { exact: true });
    assert.equal(await control.isDisabled(), true, label);
  }
  assert.match(await page.locator('.ts-control-reason:not([hidden])').first().textContent(), /layer list \(model\.layers/);
  const chart = (id) => page.evaluate((name) => globalThis.trainscope.chartData(name), id);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => globalThis.trainscope.chartData('filters')?.filters > 0, null, { timeout: PROGRESS_TIMEOUT });
  const filters = await chart('filters');
  assert.equal(filters.filters, 8);
  assert.equal(filters.size, 3);
  assert.equal(filters.channels, 3);
  await page.waitForFunction(() => globalThis.trainscope.chartData('predictions')?.shown > 0 &&
    globalThis.trainscope.chartData('confusion-matrix')?.total > 0, null, { timeout: PROGRESS_TIMEOUT });
  const predictions = await chart('predictions');
  assert.equal(predictions.shown, 40);
  assert.equal(predictions.mistakes, predictions.predicted.filter((p, i) => p !== predictions.truth[i]).length);
  assert.ok(predictions.truth.every((label) => label >= 0 && label < 10));
  const confusion = await chart('confusion-matrix');
  assert.equal(confusion.classes, 10);
  assert.equal(confusion.total, 400);  // 20 % of 2000
  assert.equal(confusion.counts.reduce((a, b) => a + b, 0), 400);
  // Feature maps: the two conv blocks' maps for validation image 1, then image 2 after ›.
  await page.waitForFunction(() => globalThis.trainscope.chartData('feature-maps')?.layers > 0, null, { timeout: PROGRESS_TIMEOUT });
  const maps = await chart('feature-maps');
  assert.equal(maps.index, 0);
  assert.equal(maps.layers, 2);
  assert.deepEqual(maps.shapes, [[8, 16, 16], [16, 8, 8]]);
  await page.locator('figure[aria-label="Feature maps"] button[aria-label="next validation image"]').click();
  await page.waitForFunction(() => globalThis.trainscope.chartData('feature-maps')?.index === 1, null, { timeout: PROGRESS_TIMEOUT });
  // The figures are on screen with their titles.
  for (const title of ['Filters', 'Feature maps', 'Predictions', 'Confusion matrix']) {
    assert.ok(await page.locator(`figure[aria-label="${title}"]`).isVisible(), title);
  }
  // The pictures once the net has learned something (the preset's budget is 600 steps).
  await page.waitForFunction(() => globalThis.trainscope.chartData('predictions')?.step >= 400 &&
    globalThis.trainscope.chartData('confusion-matrix')?.step >= 400, null, { timeout: PROGRESS_TIMEOUT });
  const later = await chart('confusion-matrix');
  let right = 0;
  for (let k = 0; k < 10; k++) right += later.counts[k * 10 + k];
  assert.ok(right / later.total > 0.5, `after ${later.step} steps the diagonal holds ${right} of ${later.total}`);
  await page.locator('.ts-main, main, body').first().screenshot({ path: join(outputDir, 'image-view.png') });
  await page.locator('figure[aria-label="Predictions"]').screenshot({ path: join(outputDir, 'image-view-predictions.png') });
  await page.locator('figure[aria-label="Filters"]').screenshot({ path: join(outputDir, 'image-view-filters.png') });
  await page.locator('figure[aria-label="Feature maps"]').screenshot({ path: join(outputDir, 'image-view-feature-maps.png') });
  await page.locator('figure[aria-label="Confusion matrix"]').screenshot({ path: join(outputDir, 'image-view-confusion.png') });
  await page.close();
});

test('on 2-D points the image charts explain themselves; the architecture line stays hidden', { skip }, async () => {
  const page = await openPlayground(browser.session, '#preset=relu-fast');
  const empty = (title) => page.locator(`figure[aria-label="${title}"] .ts-chart-empty`).textContent();
  await page.waitForFunction(() => document.querySelector('figure[aria-label="Filters"] .ts-chart-empty')?.textContent?.length > 0, null, { timeout: PROGRESS_TIMEOUT });
  assert.match(await empty('Filters'), /Only for conv nets/);
  assert.match(await empty('Predictions'), /Only for image data/);
  assert.equal(await page.locator('.ts-architecture').isVisible(), false);
  assert.equal(await page.getByLabel('Hidden layers', { exact: true }).isDisabled(), false);
  await page.close();
});
