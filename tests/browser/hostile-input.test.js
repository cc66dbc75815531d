// A bad URL or attribute never breaks a page: 50 malformed hashes on the playground and a dozen
// malformed <train-scope> attributes each give one readable notice, no console error, and the
// page (or element) still trains afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { missingPrerequisite, startSession, waitForReady, waitForStep, PROGRESS_TIMEOUT } from './harness.js';

const skip = missingPrerequisite() || false;
let session;

before(async () => {
  if (!skip) session = await startSession();
});
after(async () => {
  await session?.close();
});

const long = 'x'.repeat(5000);
// Each hash has exactly one bad setting.
const HASHES = [
  'lr=NaN', 'lr=1e308', 'lr=-1', 'lr=', 'lr=0x10', 'lr=Infinity', 'lr=%3Cb%3Ehi%3C%2Fb%3E', `lr=${long}`,
  'units=-5', 'units=0', 'units=1e308', 'units=3.5', 'units=NaN', `units=${long}`,
  'layers=-1', 'layers=13', 'layers=1e9', 'layers=two',
  'batch_size=0', 'batch_size=-32', 'batch_size=1e308', 'batch_size=2.5',
  'seed=-1', 'seed=4294967296', 'seed=1.5', 'seed=abc',
  'noise=-0.1', 'noise=NaN', 'noise=1e308',
  'dropout=1', 'dropout=-0.5', 'dropout=NaN',
  'l2=-1', 'l2=1e308',
  'init_scale=0', 'init_scale=-3',
  'bias_init=1e308',
  'activation=relu6', 'activation=%3Cscript%3Ealert(1)%3C%2Fscript%3E', `activation=${long}`,
  'init=kaiming', 'norm=instance', 'optimizer=lbfgs', 'dataset=mnist', 'preprocess=zca',
  'preset=nope', `preset=${long}`,
  'frobnicate=1', '%3Cimg%20src%3Dx%3E=1',
  'layers=12&units=1024&batch_size=256', // valid values, but over the engine's memory budget
];

test('50 malformed hashes: one readable notice each, no console error, the page still trains', { skip }, async () => {
  assert.equal(HASHES.length, 50);
  const page = await session.newPage();
  for (const hash of HASHES) {
    await page.goto(`${session.url}index.html#${hash}`);
    const notices = page.locator('.ts-notice-list li');
    await notices.first().waitFor({ timeout: PROGRESS_TIMEOUT });
    await page.waitForFunction(() => globalThis.trainscope?.getState(), null, { timeout: PROGRESS_TIMEOUT });
    const texts = await notices.allTextContents();
    assert.equal(texts.length, 1, `#${hash.slice(0, 60)}: ${texts.join(' | ')}`);
    // Readable: a sentence, with any long value clipped (a 5,000-character value must not be echoed).
    assert.ok(texts[0].length > 10 && texts[0].length < 1000, `readable: ${texts[0].slice(0, 120)}`);
    assert.deepEqual(page.dialogs, [], 'no alert ran');
    assert.deepEqual(page.consoleErrors, [], `#${hash.slice(0, 60)}`);
  }
  // The last one (over budget) recovers on the next change, and the page trains.
  await page.getByLabel('Units per layer', { exact: true }).selectOption('32');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForStep(page, 20);
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

const ATTRIBUTES = [
  'preset="nope"', 'steps="-5"', 'steps="1e308"', 'steps="NaN"', 'charts="loss,frobnicate"',
  'controls="lr,&lt;b&gt;x&lt;/b&gt;"', "config='{not json'", "config='[1,2]'", "config='null'",
  `config='{"train":{"lr":-1}}'`, `config='{"model":{"hidden":[4096,4096,4096,4096,4096,4096,4096,4096,4096,4096]}}'`,
  `config='{"model":{"activation":"relu6"}}'`,
];

test('malformed <train-scope> attributes: a notice each, no console error, the element still trains', { skip }, async () => {
  const page = await session.newPage();
  await page.goto(`${session.url}examples/course.html`);
  await page.evaluate((attributes) => {
    document.body.innerHTML = attributes.map((attribute, index) => `<train-scope id="bad${index}" ${attribute} height="420"></train-scope>`).join('');
  }, ATTRIBUTES);
  for (let index = 0; index < ATTRIBUTES.length; index++) {
    const notices = page.locator(`#bad${index} .ts-notice-list li`);
    await notices.first().waitFor({ timeout: PROGRESS_TIMEOUT });
    const texts = await notices.allTextContents();
    assert.ok(texts.length >= 1 && texts.every((t) => t.length > 10 && t.length < 1000), `${ATTRIBUTES[index]}: ${texts.join(' | ')}`);
  }
  // Every element still runs: play the first one.
  await page.evaluate(() => document.getElementById('bad0').play());
  await page.waitForFunction(() => (document.getElementById('bad0').lastMetrics?.step ?? 0) > 10, null, { timeout: PROGRESS_TIMEOUT });
  assert.deepEqual(page.dialogs, []);
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});
