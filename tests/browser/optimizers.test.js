// The Optimizers view (issue 13) in headless Chromium: four optimizers animate on each of the six
// surfaces and the Loss surface chart draws exactly optimizerPath's points (run here in node with
// the view's own options); dragging or clicking the start restarts from there; a preset loads its
// racers (two adams); <train-scope view="optimizers"> and embed.html#view=optimizers render; a
// malformed hash gives one notice per bad value. Saves the saddle race as a screenshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';

import { optimizerPath, SURFACES } from '../../bindings/js/index.js';
import { outputDir, repoRoot, PROGRESS_TIMEOUT, useSession } from './harness.js';

const handle = useSession({ viewport: { width: 1280, height: 1100 } });
const skip = handle.skip;

// A learning rate per surface at which the four racers move without all diverging at once.
const LEARNING_RATES = { ill_conditioned: 0.05, rosenbrock: 0.001, saddle: 0.01, monkey_saddle: 0.01, local_minima: 0.02, beale: 0.001 };

async function openOptimizers(page, hash) {
  await page.goto(`${handle.session.url}?view=optimizers${hash}`);
  await page.waitForFunction(() => globalThis.trainscope?.optimizers?.view, null, { timeout: PROGRESS_TIMEOUT });
  await page.evaluate(() => globalThis.trainscope.optimizers.view.ready);
}

const surfaceData = (page) => page.evaluate(() => globalThis.trainscope.optimizers.view.chartData('Loss surface'));
const finished = (page) => page.waitForFunction(() => {
  const view = globalThis.trainscope.optimizers.view;
  return !view.playing && view.paths.length > 0 && view.shown > 0;
}, null, { timeout: PROGRESS_TIMEOUT, polling: 50 });

/** Every racer's drawn points equal optimizerPath's (run in node) for the options the view used. */
async function assertDrawnIsEngine(page) {
  const { options, drawn, losses } = await page.evaluate(() => {
    const view = globalThis.trainscope.optimizers.view;
    return { options: view.pathOptions(), drawn: view.chartData('Loss surface'), losses: view.chartData('Loss per step') };
  });
  assert.equal(drawn.racers.length, options.length);
  for (const [index, { label, options: pathOptions }] of options.entries()) {
    const path = await optimizerPath(pathOptions);
    const racer = drawn.racers[index];
    assert.equal(racer.label, label);
    assert.deepEqual(racer.x, [...path.x], `${label} x`);
    assert.deepEqual(racer.y, [...path.y], `${label} y`);
    assert.deepEqual(losses.racers[index].loss, [...path.loss], `${label} loss`);
  }
  return drawn;
}

for (const surface of SURFACES) {
  test(`four optimizers animate on ${surface.name} and draw optimizerPath's points`, { skip }, async () => {
    const page = await handle.session.newPage();
    await openOptimizers(page, `#view=optimizers&surface=${surface.name}&optimizers=sgd,momentum,rmsprop,adam&lr=${LEARNING_RATES[surface.name]}&steps=150`);
    assert.equal(await page.getByRole('tab', { name: 'Optimizers' }).getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('#playground').isHidden(), true);
    // Points appear over time: an early frame shows part of the run, a later one more.
    const early = await surfaceData(page);
    await page.waitForFunction((count) => globalThis.trainscope.optimizers.view.chartData('Loss surface').racers[0].x.length > count,
      early.racers[0].x.length, { timeout: PROGRESS_TIMEOUT, polling: 20 });
    assert.ok(early.racers[0].x.length < 150, `first frame already showed ${early.racers[0].x.length} points`);
    await finished(page);
    const drawn = await assertDrawnIsEngine(page);
    assert.deepEqual(drawn.racers.map((r) => r.label), ['sgd', 'momentum', 'rmsprop', 'adam']);
    assert.ok(drawn.levels >= 8, `${drawn.levels} contour levels drawn`);
    assert.equal(await page.getByRole('figure', { name: 'Loss surface' }).count(), 1);
    assert.equal(await page.getByRole('figure', { name: 'Loss per step' }).count(), 1);
    assert.equal(await page.locator('.ts-opt-legend').first().locator('li').count(), 4);
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });
}

test('dragging the start, or clicking the surface, restarts from there', { skip }, async () => {
  const page = await handle.session.newPage();
  await openOptimizers(page, '#view=optimizers&surface=ill_conditioned&optimizers=sgd,adam&steps=40');
  await finished(page);
  const pixel = (point) => page.evaluate((p) => globalThis.trainscope.optimizers.view.pixelOf(p), point);
  const [sx, sy] = await pixel([-4.5, 2]);
  const [tx, ty] = await pixel([2, -1]);
  await page.mouse.move(sx, sy);
  await page.mouse.down();
  const [mx, my] = await pixel([-1.25, 0.5]);
  await page.mouse.move(mx, my, { steps: 5 });
  // While dragging, the start follows the pointer.
  const dragging = (await surfaceData(page)).start;
  assert.ok(Math.abs(dragging[0] + 1.25) < 0.05 && Math.abs(dragging[1] - 0.5) < 0.05, `start while dragging ${dragging}`);
  await page.mouse.move(tx, ty, { steps: 5 });
  await page.mouse.up();
  await page.evaluate(() => globalThis.trainscope.optimizers.view.ready);
  await finished(page);
  let drawn = await assertDrawnIsEngine(page);
  assert.ok(Math.abs(drawn.start[0] - 2) < 0.05 && Math.abs(drawn.start[1] + 1) < 0.05, `start ${drawn.start}`);
  assert.deepEqual([drawn.racers[0].x[0], drawn.racers[0].y[0]].map((v) => Math.fround(v)), drawn.start.map((v) => Math.fround(v)));
  assert.match(page.url(), new RegExp(`start=${drawn.start.join(',')}`));

  const [cx, cy] = await pixel([-3, 1.5]);
  await page.mouse.click(cx, cy);
  await page.evaluate(() => globalThis.trainscope.optimizers.view.ready);
  await finished(page);
  drawn = await assertDrawnIsEngine(page);
  assert.ok(Math.abs(drawn.start[0] + 3) < 0.05 && Math.abs(drawn.start[1] - 1.5) < 0.05, `start ${drawn.start}`);
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

test('a preset loads its racers and explain; the saddle race is saved as a screenshot', { skip }, async () => {
  const page = await handle.session.newPage();
  await openOptimizers(page, '');
  await page.locator('#optimizers').getByLabel('Preset', { exact: true }).selectOption('adam-bias-correction');
  await page.evaluate(() => globalThis.trainscope.optimizers.view.ready);
  await finished(page);
  let drawn = await assertDrawnIsEngine(page);
  assert.deepEqual(drawn.racers.map((r) => r.label), ['adam', 'adam, no bias correction']);
  assert.notDeepEqual(drawn.racers[0].x, drawn.racers[1].x);
  assert.match(await page.locator('.ts-opt-explain').textContent(), /bias correction/);
  assert.match(page.url(), /preset=adam-bias-correction/);

  await page.locator('#optimizers').getByLabel('Preset', { exact: true }).selectOption('saddle-escape');
  await page.evaluate(() => globalThis.trainscope.optimizers.view.ready);
  await finished(page);
  drawn = await assertDrawnIsEngine(page);
  assert.deepEqual(drawn.racers.map((r) => r.label), ['sgd', 'momentum', 'adam']);
  assert.equal(await page.locator('#optimizers').getByLabel('Surface', { exact: true }).inputValue(), 'saddle');
  assert.deepEqual(await page.locator('.ts-opt-racers input:checked').evaluateAll((boxes) => boxes.map((b) => b.value)), ['sgd', 'momentum', 'adam']);
  const file = join(outputDir, 'optimizers-saddle.png');
  await page.locator('#optimizers').screenshot({ path: file });
  if (process.env.TRAINSCOPE_UPDATE_PICTURES) copyFileSync(file, join(repoRoot, 'docs', 'optimizers.png'));
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

test('<train-scope view="optimizers"> on the course page and embed.html#view=optimizers render', { skip }, async () => {
  const page = await handle.session.newPage();
  await page.goto(`${handle.session.url}examples/course.html`);
  const element = page.locator('train-scope[view="optimizers"]');
  await element.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('train-scope[view="optimizers"]')?.optimizersView?.paths.length > 0, null, { timeout: PROGRESS_TIMEOUT });
  const racers = await page.evaluate(() => document.querySelector('train-scope[view="optimizers"]').optimizersView.paths.map((p) => p.label));
  assert.deepEqual(racers, ['sgd', 'momentum', 'adam']);
  assert.equal(await element.getByRole('figure', { name: 'Loss surface' }).count(), 1);
  assert.equal(await element.getByRole('figure', { name: 'Loss per step' }).count(), 1);
  assert.equal(await element.getByRole('button', { name: 'Play' }).count() + await element.getByRole('button', { name: 'Pause' }).count(), 1);
  assert.deepEqual(page.consoleErrors, []);

  await page.goto(`${handle.session.url}embed.html#view=optimizers&preset=momentum-overshoot&controls=lr,optimizers&charts=loss-surface`);
  await page.waitForFunction(() => globalThis.trainscope?.optimizers?.paths.length > 0, null, { timeout: PROGRESS_TIMEOUT });
  assert.equal(await page.getByRole('figure', { name: 'Loss surface' }).count(), 1);
  assert.equal(await page.getByRole('figure', { name: 'Loss per step' }).count(), 0);
  assert.equal(await page.getByLabel('Learning rate', { exact: true }).count(), 1);
  assert.equal(await page.getByLabel('Surface', { exact: true }).count(), 0);
  assert.deepEqual(await page.evaluate(() => globalThis.trainscope.optimizers.paths.map((p) => p.label)), ['momentum', 'nesterov']);
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

test('a malformed hash gives one readable notice per bad value, and the view runs on defaults', { skip }, async () => {
  const page = await handle.session.newPage();
  await openOptimizers(page, '#view=optimizers&surface=volcano&lr=abc&optimizers=%E0%A4%A&steps=-3&<img src=x onerror=alert(1)>=1');
  await finished(page);
  const notices = await page.locator('.ts-opt-notices li').allTextContents();
  assert.equal(notices.length, 5, notices.join('\n'));
  assert.match(notices.join('\n'), /Surface: “volcano” is not a surface/);
  assert.match(notices.join('\n'), /Learning rate: .*“abc”/);
  assert.equal(await page.locator('.ts-opt-notices img').count(), 0);
  await assertDrawnIsEngine(page);
  assert.deepEqual(page.dialogs, []);
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

test("the tabs: the playground's link is not read as the view's, and leaving gives the playground's back", { skip }, async () => {
  const page = await handle.session.newPage();
  await page.goto(`${handle.session.url}#preset=he-relu&lr=0.3`);
  await page.waitForFunction(() => globalThis.trainscope?.getState().run >= 0, null, { timeout: PROGRESS_TIMEOUT });
  await page.getByRole('tab', { name: 'Optimizers' }).click();
  await page.evaluate(() => globalThis.trainscope.optimizers.view.ready);
  assert.deepEqual(await page.locator('.ts-opt-notices li').allTextContents(), []);
  assert.equal(await page.locator('#playground').isHidden(), true);
  await page.locator('#optimizers').getByLabel('Surface', { exact: true }).selectOption('rosenbrock');
  assert.match(page.url(), /#view=optimizers&surface=rosenbrock/);
  await page.getByRole('tab', { name: 'Playground' }).click();
  assert.equal(await page.locator('#optimizers').isHidden(), true);
  assert.equal(await page.getByRole('tab', { name: 'Optimizers' }).getAttribute('aria-selected'), 'false');
  assert.match(page.url(), /#preset=he-relu&.*lr=0\.3/);
  assert.doesNotMatch(page.url(), /optimizers/);
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});
