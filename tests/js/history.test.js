// trainer.history({since}): the incremental read of the engine's one diagnostics stream, through
// the public API only. The rows after `since` must be exactly the tail of the whole history, and
// appending them to what a reader holds must give the whole history while `version` is unchanged.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createTrainer } from '../../bindings/js/index.js';

const CONFIG = {
  seed: 5,
  data: { dataset: 'spiral', samples: 120, classes: 3, val_fraction: 0 },
  model: { hidden: [10, 6] },
  train: { batch_size: 16, lr: 0.05 },
  diagnostics: { cadence: 4, history: 64, bins: 8 },
};

function concat(a, b) {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

describe('trainer.history({since})', () => {
  let trainer;
  before(async () => {
    trainer = await createTrainer(CONFIG);
  });
  after(() => trainer?.dispose());

  test('returns exactly the rows after `since`, in the shape of history()', () => {
    trainer.step(12);
    const held = trainer.history();
    trainer.step(8);
    const whole = trainer.history();
    const tail = trainer.history({ since: 12 });
    assert.equal(tail.version, whole.version);
    assert.deepEqual(Object.keys(tail).sort(), Object.keys(whole).sort());
    assert.deepEqual([...tail.step], [13, 14, 15, 16, 17, 18, 19, 20]);
    assert.deepEqual([...tail.diag_step], [16, 20]);
    assert.deepEqual(tail.layers, ['hidden1', 'hidden2', 'output']);
    assert.equal(tail.dead_fraction.length, 3);
    // Appending the tail to what was held gives the whole history, column by column.
    for (const name of ['step', 'loss', 'data_loss', 'reg_loss', 'batch_acc', 'lr', 'diag_step']) {
      assert.deepEqual(concat(held[name], tail[name]), whole[name], name);
    }
    for (const name of ['dead_fraction', 'zero_fraction', 'weight_norm', 'grad_norm', 'update_ratio']) {
      whole[name].forEach((series, layer) => assert.deepEqual(concat(held[name][layer], tail[name][layer]), series, `${name}[${layer}]`));
    }
    assert.equal(trainer.history({ since: 20 }).step.length, 0);
  });

  test('the latest histograms come with every read', () => {
    const { histograms } = trainer.history({ since: 1e9 });
    assert.equal(histograms.step, 20);
    assert.deepEqual(histograms.layers.map((layer) => layer.name), ['hidden1', 'hidden2', 'output']);
    for (const layer of histograms.layers) {
      assert.ok(layer.pre.hist instanceof Float64Array);
      assert.equal(layer.pre.hist.length, 8);
      assert.equal(layer.act.edges.length, 9);
      // Each event histograms one chunk of B = 16 probe rows.
      assert.equal(layer.act.hist.reduce((a, b) => a + b, 0), 16 * (layer.name === 'hidden1' ? 10 : layer.name === 'hidden2' ? 6 : 3));
    }
  });

  test('version changes when the engine thins the history', () => {
    const before = trainer.history().version;
    trainer.step(60);  // 80 steps > capacity 64: thinned
    assert.ok(trainer.history().version > before);
  });

  test('refuses a malformed argument with a RangeError naming `since`', () => {
    assert.throws(() => trainer.history({ since: '12' }), (error) => error instanceof RangeError && /since/.test(error.message));
    assert.throws(() => trainer.history({ since: NaN }), RangeError);
    assert.throws(() => trainer.history(12), RangeError);
  });
});
