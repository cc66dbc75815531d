// Pure (node-only, no browser) tests of the page's run store: worker messages in the JS API's
// history shape → the columns the charts read. Hand-written histories with known values.
import test from 'node:test';
import assert from 'node:assert/strict';

import { RunStore, latestLayers } from '../../dist/app/run-store.js';
import { isPlainObject, mergeDeep } from '../../dist/app/objects.js';
import { PinnedRuns } from '../../dist/app/pins.js';
import { HistoryFeed, buffersOf } from '../../dist/app/history-feed.js';

const f64 = (...values) => Float64Array.from(values);

/** A history as trainer.history({since}) returns it: two layers (hidden1, output). */
function history({ steps, diagSteps, version = 0, histogramStep }) {
  const perLayer = (scale) => [f64(...diagSteps.map((s) => s * scale)), f64(...diagSteps.map((s) => s * scale * 10))];
  return {
    step: f64(...steps),
    loss: f64(...steps.map((s) => 1 / s)),
    data_loss: f64(...steps.map((s) => 1 / s)),
    reg_loss: f64(...steps.map(() => 0)),
    batch_acc: f64(...steps.map((s) => s / 100)),
    lr: f64(...steps.map(() => 0.1)),
    diag_step: f64(...diagSteps),
    dead_fraction: perLayer(0.001),
    grad_norm: perLayer(0.01),
    act_mean: perLayer(0),
    act_std: perLayer(0.1),
    version,
    layers: ['hidden1', 'output'],
    histograms: histogramStep === undefined ? undefined : {
      step: histogramStep,
      layers: [{ name: 'hidden1', pre: { hist: f64(1), edges: f64(0, 1) }, act: { hist: f64(histogramStep), edges: f64(0, 1) } }],
    },
  };
}

const ready = { type: 'ready', run: 3, config: { model: { hidden: [8] } }, outputs: 3, initialLoss: null, data: null, bounds: null };

test('history rows are appended as columns; the store does not list the metric names', () => {
  const store = new RunStore();
  assert.deepEqual(store.apply(ready), ['run']);
  assert.equal(store.data.run, 3);
  const changed = store.apply({ type: 'history', replace: true, history: history({ steps: [1, 2, 3], diagSteps: [], histogramStep: undefined }), last: { step: 3, loss: 1 / 3 } });
  assert.deepEqual(changed, ['steps', 'diagnostics'], 'a replace renews both');
  assert.deepEqual(store.data.steps.step, [1, 2, 3]);
  assert.deepEqual(store.data.steps.batch_acc, [0.01, 0.02, 0.03]);
  assert.equal(store.data.lastMetrics.step, 3);

  const next = store.apply({ type: 'history', history: history({ steps: [4, 5], diagSteps: [5], histogramStep: 5 }), last: { step: 5 } });
  assert.deepEqual(next, ['steps', 'diagnostics']);
  assert.deepEqual(store.data.steps.step, [1, 2, 3, 4, 5]);
  assert.deepEqual(store.data.steps.loss, [1, 1 / 2, 1 / 3, 1 / 4, 1 / 5]);
  assert.deepEqual(store.data.diagnostics.step, [5]);
  assert.deepEqual(store.data.diagnostics.layers, ['hidden1', 'output']);
  // grad_norm: layer 0 = 0.01·step, layer 1 = 0.1·step
  assert.deepEqual(store.data.diagnostics.series.grad_norm, [[0.05], [0.5]]);
  assert.ok(store.data.diagnostics.series.dead_fraction[0][0] - 0.005 < 1e-15);
  assert.ok(!('diag_step' in store.data.steps), 'diag_step is the diagnostics x, not a step column');
});

test('a repeated row is not appended twice; a new version replaces everything', () => {
  const store = new RunStore();
  store.apply(ready);
  store.apply({ type: 'history', replace: true, history: history({ steps: [10, 20], diagSteps: [10, 20] }) });
  store.apply({ type: 'history', history: history({ steps: [20, 30], diagSteps: [20, 30] }) });
  assert.deepEqual(store.data.steps.step, [10, 20, 30]);
  assert.deepEqual(store.data.diagnostics.step, [10, 20, 30]);
  assert.deepEqual(store.data.diagnostics.series.grad_norm[1], [1, 2, 3]);
  // The engine thinned its history (every other point dropped): the worker sends all of it.
  store.apply({ type: 'history', replace: true, history: history({ steps: [10, 30, 40], diagSteps: [10, 30, 40], version: 1 }) });
  assert.deepEqual(store.data.steps.step, [10, 30, 40]);
  assert.deepEqual(store.data.diagnostics.step, [10, 30, 40]);
  assert.deepEqual(store.data.diagnostics.series.grad_norm[0], [0.1, 0.3, 0.4]);
  assert.equal(store.data.version, 1);
});

test('latest layers join the last diagnostics row with the latest histograms; ready starts over', () => {
  const store = new RunStore();
  store.apply(ready);
  assert.equal(latestLayers(store.data.diagnostics), null);
  store.apply({ type: 'history', replace: true, history: history({ steps: [1, 2], diagSteps: [0, 2], histogramStep: 2 }) });
  const [hidden, output] = latestLayers(store.data.diagnostics);
  assert.equal(hidden.name, 'hidden1');
  assert.equal(hidden.grad_norm, 0.02);
  assert.equal(output.grad_norm, 0.2);
  assert.ok(Math.abs(hidden.act.std - 0.2) < 1e-15);
  assert.deepEqual(Array.from(hidden.act.hist), [2]);
  assert.deepEqual(output.act.hist, [], 'no histogram for the output layer');
  // An older histogram does not replace a newer one.
  store.apply({ type: 'history', history: { ...history({ steps: [], diagSteps: [], histogramStep: 1 }), layers: [] } });
  assert.deepEqual(Array.from(store.data.diagnostics.histograms.layers[0].act.hist), [2]);
  // Nor does "no histogram recorded yet" (the API's {step: 0, layers: []}).
  store.apply({ type: 'history', history: { ...history({ steps: [], diagSteps: [] }), histograms: { step: 9, layers: [] } } });
  assert.deepEqual(Array.from(store.data.diagnostics.histograms.layers[0].act.hist), [2]);

  store.apply({ type: 'eval', step: 2, train: { acc: 0.5, loss: 1 }, val: { acc: 0.25, loss: 2 } });
  assert.deepEqual(store.data.evals, { step: [2], valLoss: [2], valAcc: [0.25], trainAcc: [0.5] });
  const pinned = store.pinSnapshot();
  pinned.metrics.step.push(99);
  assert.deepEqual(store.data.steps.step, [1, 2], 'a pin is a copy');

  store.apply({ ...ready, run: 4 });
  assert.equal(store.data.run, 4);
  assert.deepEqual(store.data.steps.step, []);
  assert.deepEqual(store.data.diagnostics.step, []);
  assert.deepEqual(store.data.evals.step, []);
});

test('isPlainObject and mergeDeep (the front end\'s one deep merge)', () => {
  assert.equal(isPlainObject({}), true);
  assert.equal(isPlainObject(Object.create(null)), true);
  for (const value of [null, [], f64(1), new Date(0), 'x', 3]) assert.equal(isPlainObject(value), false);
  const base = { train: { lr: 0.1, momentum: 0.9 }, model: { hidden: [100, 100] } };
  const merged = mergeDeep(base, { train: { lr: 0.3 }, model: { hidden: [8] } });
  assert.deepEqual(merged, { train: { lr: 0.3, momentum: 0.9 }, model: { hidden: [8] } });
  assert.equal(base.train.lr, 0.1, 'the base is not mutated');
  assert.deepEqual(mergeDeep(undefined, { a: { b: 1 } }), { a: { b: 1 } });
});

test('pinned runs: at most five, labelled with what differs from the current settings', () => {
  const pins = new PinnedRuns();
  const snapshot = { metrics: { step: [1] }, evals: {} };
  for (let i = 1; i <= 6; i++) pins.add({ preset: '', values: { lr: i / 10, init: 'he' }, ...snapshot });
  assert.deepEqual(pins.list.map((pin) => pin.number), [2, 3, 4, 5, 6]);
  pins.relabel({ lr: 0.3, init: 'xavier' }, '');
  assert.equal(pins.labels[0], 'pinned 2: init = he, lr = 0.2'); // in the order of the settings
  assert.equal(pins.labels[1], 'pinned 3: init = he');
  pins.relabel({ lr: 0.3, init: 'he' }, '');
  assert.equal(pins.labels[1], 'pinned 3: same settings');
  pins.clear();
  assert.deepEqual(pins.labels, []);
});

test('the worker\'s history feed: new rows since the last slice; all of it on a new run or a new version', () => {
  // A fake trainer with the JS API's history contract: rows at steps 1..n, diagnostics every 2.
  const engine = { steps: 0, version: 0, calls: [] };
  const trainer = {
    history(options) {
      engine.calls.push(options?.since ?? 'all');
      const since = options?.since ?? -Infinity;
      const steps = Array.from({ length: engine.steps }, (_, i) => i + 1).filter((s) => s > since);
      return history({ steps, diagSteps: steps.filter((s) => s % 2 === 0), version: engine.version });
    },
  };
  const feed = new HistoryFeed();
  engine.steps = 3;
  const first = feed.next(trainer, 3, { step: 3 });
  assert.equal(first.replace, true);
  assert.deepEqual(Array.from(first.history.step), [1, 2, 3]);
  engine.steps = 6;
  const second = feed.next(trainer, 6, { step: 6 });
  assert.equal(second.replace, false);
  assert.deepEqual(Array.from(second.history.step), [4, 5, 6]);
  assert.deepEqual(Array.from(second.history.diag_step), [4, 6]);
  assert.equal(feed.next(trainer, 6, null), null, 'nothing new, nothing sent');
  engine.steps = 8;
  engine.version = 1; // the engine thinned its history
  const third = feed.next(trainer, 8, { step: 8 });
  assert.equal(third.replace, true);
  assert.deepEqual(Array.from(third.history.step), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(engine.calls, ['all', 3, 6, 6, 'all']);
  feed.reset();
  assert.equal(feed.next(trainer, 8, null).replace, true, 'a new run starts with all of it');
  // Every typed array's buffer, once.
  const shared = new Float64Array(4);
  assert.equal(buffersOf({ a: shared.subarray(0, 2), b: [shared.subarray(2)], c: { d: new Float64Array(1) }, e: 'x' }).length, 2);
});
