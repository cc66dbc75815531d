// The pages under the strict Content-Security-Policy that scripts/serve.mjs sends (the way course
// platforms serve pages): the playground, the iframe route embed.html and the course page with three
// <train-scope> elements each train, with no `securitypolicyviolation` event and no console error.
// The engine is also created on the page's main thread, where a `new Function` or `eval` in the
// Embind glue would be refused and reported to the document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { CONTENT_SECURITY_POLICY } from '../../scripts/serve.mjs';
import { missingPrerequisite, startSession, waitForReady, waitForStep, PROGRESS_TIMEOUT } from './harness.js';

const skip = missingPrerequisite() || false; // '' would still mark the tests skipped
let session;

before(async () => {
  if (!skip) session = await startSession({ viewport: { width: 1280, height: 2400 } });
});
after(async () => {
  await session?.close();
});

/** A page that records every CSP violation reported to its document, from the first script on. */
async function watchedPage() {
  const page = await session.newPage();
  await page.addInitScript(() => {
    globalThis.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      globalThis.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return page;
}

async function assertClean(page) {
  assert.deepEqual(await page.evaluate(() => globalThis.cspViolations), [], 'securitypolicyviolation events');
  assert.deepEqual(page.consoleErrors, [], 'console errors');
}

test('the server sends the strict policy with every page, script and module', { skip }, async () => {
  for (const path of ['index.html', 'embed.html', 'examples/course.html', 'js/index.js', 'no-such-file']) {
    const response = await fetch(`${session.url}${path}`);
    assert.equal(response.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY, path);
  }
  assert.match(CONTENT_SECURITY_POLICY, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|'unsafe-eval'/);
});

test('the playground trains under the policy', { skip }, async () => {
  const page = await watchedPage();
  await page.goto(`${session.url}index.html`);
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForStep(page, 30);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  // The engine on the main thread too (the playground trains in a worker).
  const loss = await page.evaluate(async () => {
    const { createTrainer } = await import('./js/index.js');
    const trainer = await createTrainer({ model: { hidden: [8] }, data: { samples: 60 } });
    try {
      return trainer.step(5).loss;
    } finally {
      trainer.dispose();
    }
  });
  assert.ok(Number.isFinite(loss), `main-thread step loss ${loss}`);
  await assertClean(page);
  await page.close();
});

test('embed.html trains under the policy', { skip }, async () => {
  const page = await watchedPage();
  await page.goto(`${session.url}embed.html#preset=dead-relu&controls=lr&charts=loss,dead-relu&autoplay=1&steps=100`);
  await page.waitForFunction(() => globalThis.trainscope?.getState().step === 100, null, { timeout: PROGRESS_TIMEOUT });
  await assertClean(page);
  await page.close();
});

test('the course page trains its three demos under the policy', { skip }, async () => {
  const page = await watchedPage();
  await page.goto(`${session.url}examples/course.html`);
  await page.waitForFunction(() => {
    const demos = [...document.querySelectorAll('train-scope:not([view])')];
    return demos.length === 3 && demos.every((demo) => (demo.lastMetrics?.step ?? 0) > 5);
  }, null, { timeout: PROGRESS_TIMEOUT, polling: 200 });
  // The fourth section's optimizer race (view="optimizers") computes its paths under the policy too.
  await page.evaluate(() => document.querySelector('train-scope[view="optimizers"]').scrollIntoView());
  await page.waitForFunction(() => document.querySelector('train-scope[view="optimizers"]').optimizersView?.paths.length === 3, null, { timeout: PROGRESS_TIMEOUT, polling: 200 });
  await assertClean(page);
  // The course's own stylesheet applied (it was an inline <style>, which the policy refuses).
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(251, 250, 247)');
  await page.close();
});
