// Issue 15 §6 in Chromium: six <train-scope> demos visible and training on one page
// (examples/six-demos.html). The page shares the machine between them (app/share.js: each
// worker gets a fraction of the cores); the test reports the page's median frame time and how
// many frames a demo's Pause needs to show, and checks only what does not depend on the clock:
// all six visible and training, frames measured, Pause stops one demo while the others go on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { shareOf, trainingCores } from '../../dist/app/share.js';
import { useSession, openPlayground, outputDir, PROGRESS_TIMEOUT } from './harness.js';

const browser = useSession({ viewport: { width: 1440, height: 1000 } });
const skip = browser.skip;

const steps = (page) => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('train-scope')].map((el) => [el.id, el.lastMetrics?.step ?? 0])));

function waitForSteps(page, floor) {
  return page.waitForFunction((targets) => Object.entries(targets).every(([id, min]) => (document.getElementById(id).lastMetrics?.step ?? 0) > min), floor, { timeout: PROGRESS_TIMEOUT, polling: 200 });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};

test('the share of a core per training demo: all cores but one, divided evenly', () => {
  assert.equal(trainingCores(2), 1);
  assert.equal(trainingCores(8), 7);
  assert.equal(trainingCores(1), 1);
  assert.equal(shareOf(1, 1), 1);
  assert.equal(shareOf(6, 1), 1 / 6);
  assert.equal(shareOf(3, 7), 1);
  assert.equal(shareOf(0, 1), 1);
});

test('six demos on one page: all visible and training, median frame time reported, Pause stops one within frames', { skip }, async () => {
  const page = await openPlayground(browser.session, '', { path: 'examples/six-demos.html', ready: false });
  const ids = await page.evaluate(() => [...document.querySelectorAll('train-scope')].map((el) => el.id));
  assert.equal(ids.length, 6);
  await waitForSteps(page, Object.fromEntries(ids.map((id) => [id, 5])));
  const visible = await page.evaluate(() => [...document.querySelectorAll('train-scope')].map((el) => {
    const rect = el.getBoundingClientRect();
    return rect.top >= 0 && rect.bottom <= innerHeight && rect.left >= 0 && rect.right <= innerWidth;
  }));
  assert.deepEqual(visible, [true, true, true, true, true, true], 'all six inside the viewport');
  assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('train-scope')].map((el) => el.running)), ids.map(() => true));
  // The page's share registry (the same module instance the demos use) counts six training demos.
  const trainingCount = () => page.evaluate(() => import(new URL('../app/share.js', location.href).href).then((share) => share.trainingCount()));
  assert.equal(await trainingCount(), 6, 'six demos share the cores');

  // 240 frames while all six train: the frame times (rAF to rAF).
  const before = await steps(page);
  const frames = await page.evaluate(() => new Promise((resolve) => {
    const times = [];
    let last = 0;
    const tick = (now) => {
      if (last) times.push(now - last);
      last = now;
      if (times.length < 240) requestAnimationFrame(tick);
      else resolve(times);
    };
    requestAnimationFrame(tick);
  }));
  const after = await steps(page);
  assert.equal(frames.length, 240);
  assert.ok(frames.every((time) => Number.isFinite(time) && time > 0));
  for (const id of ids) assert.ok(after[id] > before[id], `${id} trained while measured (${before[id]} → ${after[id]})`);
  const sorted = [...frames].sort((a, b) => a - b);
  console.log(`# six demos: median frame ${median(frames).toFixed(1)} ms, 90th percentile ${sorted[Math.floor(0.9 * sorted.length)].toFixed(1)} ms over ${frames.length} frames; steps in that time: ${ids.map((id) => after[id] - before[id]).join(', ')}`);
  await page.screenshot({ path: join(outputDir, 'six-demos.png') });

  // Pause demo-1: count the frames in which its step counter still moved after the click.
  const pauseFrames = await page.evaluate(() => new Promise((resolve) => {
    const element = document.getElementById('demo-1');
    const button = [...element.shadowRoot.querySelectorAll('button')].find((b) => b.textContent === 'Pause');
    button.click();
    let shown = element.lastMetrics?.step ?? 0;
    let lastChange = 0;
    let frame = 0;
    const tick = () => {
      frame++;
      const step = element.lastMetrics?.step ?? 0;
      if (step !== shown) {
        shown = step;
        lastChange = frame;
      }
      if (frame < 60) requestAnimationFrame(tick);
      else resolve({ lastChange, running: element.running });
    };
    requestAnimationFrame(tick);
  }));
  console.log(`# six demos: Pause showed its final step ${pauseFrames.lastChange} frame(s) after the click`);
  assert.equal(pauseFrames.running, false, 'demo-1 stopped');
  assert.equal(await trainingCount(), 5, 'the paused demo gives its share back');
  const paused = await steps(page);
  await waitForSteps(page, { 'demo-2': paused['demo-2'] + 20 });
  assert.equal((await steps(page))['demo-1'], paused['demo-1'], 'the paused demo stays paused');
  await page.close();
});
