// Issue 15 §4 (part): a control with no effect for the current settings is disabled, with the
// reason in its description. Init scale only scales "normal" and "uniform" initializations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { inapplicableReason } from '../../dist/app/applicability.js';
import { useSession, waitForReady, outputDir, PROGRESS_TIMEOUT } from './harness.js';

const browser = useSession();
const skip = browser.skip;

test('applicability rules: Init scale applies to normal and uniform only', () => {
  assert.equal(inapplicableReason('init_scale', { init: 'normal' }), '');
  assert.equal(inapplicableReason('init_scale', { init: 'uniform' }), '');
  assert.match(inapplicableReason('init_scale', { init: 'he' }), /No effect with Initializer “he”/);
  assert.match(inapplicableReason('init_scale', { init: 'xavier' }), /fan-in/);
  assert.equal(inapplicableReason('lr', { init: 'he' }), '');
});

test('Init scale is disabled for He, with the reason as its description, and enabled for normal', { skip }, async () => {
  const page = await browser.session.newPage();
  await page.goto(`${browser.session.url}index.html#preset=he-relu`);
  await waitForReady(page);
  const scale = page.getByLabel('Init scale', { exact: true });
  await page.waitForFunction(() => globalThis.trainscope.getState().values.init === 'he', null, { timeout: PROGRESS_TIMEOUT });
  assert.equal(await scale.isDisabled(), true);
  const description = await scale.evaluate((input) => document.getElementById(input.getAttribute('aria-describedby'))?.textContent ?? '');
  assert.match(description, /No effect with Initializer “he”/);
  assert.equal(await page.getByLabel('Learning rate', { exact: true }).first().isDisabled(), false);
  await page.locator('[data-setting="init_scale"]').screenshot({ path: join(outputDir, 'controls-init-scale-disabled.png') });
  await page.getByLabel('Initializer', { exact: true }).selectOption('normal');
  await page.waitForFunction(() => globalThis.trainscope.getState().values.init === 'normal', null, { timeout: PROGRESS_TIMEOUT });
  assert.equal(await scale.isDisabled(), false);
  assert.equal(await scale.getAttribute('aria-describedby'), null);
  await page.close();
});
