// Embedding: the example course page runs three <train-scope> elements at once, each in its own
// worker; one scrolled out of view pauses and resumes when seen again; elements dispatch `step`
// events and expose play/pause/config/lastMetrics; the iframe route shows only what its hash
// asks for. Writes the course page screenshot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { presets } from '../../bindings/js/presets.js';
import { missingPrerequisite, startSession, outputDir, PROGRESS_TIMEOUT } from './harness.js';

const skip = missingPrerequisite() || false; // '' would still mark the tests skipped
let session;

before(async () => {
  // Tall enough that all three demos are in view at the top of the page.
  if (!skip) session = await startSession({ viewport: { width: 1280, height: 2400 } });
});
after(async () => {
  await session?.close();
});

const presetLr = (name) => presets.find((p) => p.name === name).config.train.lr;
const steps = (page) => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('train-scope')].map((el) => [el.id, el.lastMetrics?.step ?? 0])));

/** Waits until every listed element has trained more than `floor[id]` steps. */
function waitForSteps(page, floor) {
  return page.waitForFunction((targets) => Object.entries(targets).every(([id, min]) => (document.getElementById(id).lastMetrics?.step ?? 0) > min), floor, { timeout: PROGRESS_TIMEOUT, polling: 200 });
}

test('the course page runs three demos at once, and one scrolled out of view pauses', { skip }, async () => {
  const page = await session.newPage();
  await page.goto(`${session.url}examples/course.html`);
  assert.equal(await page.locator('train-scope:not([view])').count(), 3);
  await page.evaluate(() => {
    globalThis.stepEvents = 0;
    document.getElementById('demo-dead').addEventListener('step', (event) => {
      if (Number.isInteger(event.detail.step) && Number.isFinite(event.detail.loss)) globalThis.stepEvents++;
    });
  });
  // All three autoplay and train concurrently (each in its own worker).
  await waitForSteps(page, { 'demo-init': 1, 'demo-dead': 20, 'demo-bn': 20 });
  const running = await page.evaluate(() => [...document.querySelectorAll('train-scope:not([view])')].map((el) => el.running));
  assert.deepEqual(running, [true, true, true]);
  assert.ok(await page.evaluate(() => globalThis.stepEvents) > 0, 'step events carry metrics');
  assert.equal((await page.evaluate(() => document.getElementById('demo-dead').config)).train.lr, presetLr('dead-relu'));

  // Shadow DOM: the page's `button { background: hotpink }` does not reach the element's buttons.
  const play = page.locator('#demo-dead').getByRole('button', { name: /^(Play|Pause)$/ });
  assert.notEqual(await play.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(255, 105, 180)');

  await page.screenshot({ path: join(outputDir, 'course.png'), fullPage: true });

  // Scroll the first demo out of view: it pauses, the others keep training.
  await page.evaluate(() => window.scrollTo(0, document.getElementById('demo-bn').getBoundingClientRect().top + window.scrollY - 10));
  await page.waitForFunction(() => document.getElementById('demo-init').pausedOutOfView && !document.getElementById('demo-init').running, null, { timeout: PROGRESS_TIMEOUT });
  const paused = await steps(page);
  await waitForSteps(page, { 'demo-bn': paused['demo-bn'] + 50 });
  const later = await steps(page);
  assert.equal(later['demo-init'], paused['demo-init'], 'the out-of-view demo did not train');
  assert.ok(later['demo-bn'] > paused['demo-bn']);

  // Back in view: it resumes by itself.
  await page.evaluate(() => window.scrollTo(0, 0));
  await waitForSteps(page, { 'demo-init': later['demo-init'] });
  assert.equal(await page.evaluate(() => document.getElementById('demo-init').pausedOutOfView), false);

  // Scripting: pause() stops it, play() resumes it.
  await page.evaluate(() => document.getElementById('demo-dead').pause());
  await page.waitForFunction(() => !document.getElementById('demo-dead').running, null, { timeout: PROGRESS_TIMEOUT });
  await page.evaluate(() => document.getElementById('demo-dead').play());
  await page.waitForFunction(() => document.getElementById('demo-dead').running, null, { timeout: PROGRESS_TIMEOUT });
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

test('a <train-scope> reports divergence with a `diverged` event', { skip }, async () => {
  const page = await session.newPage();
  // Any page of the site will do as a host; embed.html's own (idle) playground is removed.
  await page.goto(`${session.url}embed.html`);
  await page.evaluate(async () => {
    await import(new URL('trainscope-embed.js', location.href).href);
    document.body.replaceChildren();
    const element = document.createElement('train-scope');
    element.setAttribute('preset', 'lr-too-high');
    element.setAttribute('config', JSON.stringify({ train: { lr: 20 } })); // config overrides the preset
    element.setAttribute('charts', 'loss');
    element.setAttribute('controls', 'lr,bogus');
    element.setAttribute('height', '360');
    element.addEventListener('diverged', (event) => { globalThis.divergedDetail = event.detail; });
    document.body.append(element);
  });
  await page.waitForFunction(() => document.querySelector('train-scope').getState()?.run >= 0, null, { timeout: PROGRESS_TIMEOUT });
  await page.evaluate(() => document.querySelector('train-scope').play());
  await page.waitForFunction(() => globalThis.divergedDetail, null, { timeout: PROGRESS_TIMEOUT });
  const detail = await page.evaluate(() => globalThis.divergedDetail);
  assert.match(detail.text, /^diverged at step \d+: learning rate 20\.0 is too high, try ≤ 0\.3$/);
  assert.equal(detail.suggestedLr, 0.3);
  const notices = await page.locator('train-scope').locator('.ts-notice-list li').allTextContents();
  assert.ok(notices.some((t) => t.startsWith('Unknown control “bogus” ignored')), notices.join('\n'));
  await page.close();
});

test('the iframe route embed.html shows only the controls and charts its hash names', { skip }, async () => {
  const page = await session.newPage();
  await page.goto(`${session.url}embed.html#preset=dead-relu&controls=lr&charts=loss,dead-relu&autoplay=1&steps=300`);
  // autoplay starts it; steps=300 stops it exactly there.
  await page.waitForFunction(() => globalThis.trainscope?.getState().step === 300 && !globalThis.trainscope.getState().running, null, { timeout: PROGRESS_TIMEOUT });
  assert.equal(await page.evaluate(() => globalThis.trainscope.workerCall('step')), 300);
  assert.deepEqual(await page.locator('figure').evaluateAll((figures) => figures.map((f) => f.getAttribute('aria-label'))), ['Loss', 'Dead ReLU fraction']);
  assert.equal(await page.getByLabel('Learning rate', { exact: true }).count(), 1);
  assert.equal(await page.getByLabel('Initializer', { exact: true }).count(), 0);
  assert.equal((await page.evaluate(() => globalThis.trainscope.getState())).config.train.lr, presetLr('dead-relu'));
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});
