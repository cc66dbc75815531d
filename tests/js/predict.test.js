// trainer.predict(x): evaluation-mode outputs of raw rows, with the training preprocessing,
// checked against evaluate() (the same forward pass over the validation split) and against the
// decision-boundary grid on 2-D data; bad input is a RangeError naming the problem.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createTrainer } from '../../bindings/js/index.js';

test('predict agrees with evaluate() on the validation split and with predictGrid on 2-D points', async () => {
  const trainer = await createTrainer({ data: { dataset: 'shapes', classes: 4, samples: 120, preprocess: 'channel_mean' }, model: { layers: [{ type: 'conv', filters: 4, size: 3 }, { type: 'pool' }] }, train: { optimizer: 'adam', lr: 0.01 } });
  try {
    trainer.step(50);
    const { val } = trainer.data();
    const scores = trainer.predict(val.x);
    assert.equal(scores.length, val.count * 4);
    let right = 0;
    let loss = 0;
    for (let row = 0; row < val.count; row++) {
      const p = scores.subarray(row * 4, row * 4 + 4);
      const best = p.indexOf(Math.max(...p));
      right += best === val.y[row] ? 1 : 0;
      loss -= Math.log(p[val.y[row]]);
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5, 'softmax rows sum to 1');
    }
    const evaluation = trainer.evaluate();
    assert.equal(right / val.count, evaluation.val.acc);
    assert.ok(Math.abs(loss / val.count - evaluation.val.loss) < 1e-4 * Math.max(1, evaluation.val.loss), `${loss / val.count} vs ${evaluation.val.loss}`);
    // Rows given as arrays give the same numbers.
    const rows = [Array.from(val.x.subarray(0, 768)), Array.from(val.x.subarray(768, 1536))];
    assert.deepEqual(trainer.predict(rows), scores.slice(0, 8));
    assert.throws(() => trainer.predict(new Float32Array(100)), /rows of data.dims = 768/);
    assert.throws(() => trainer.predict([NaN, ...new Array(767).fill(0)]), /value 0 \(row 0\) must be a finite number/);
  } finally {
    trainer.dispose();
  }
  const points = await createTrainer({ data: { dataset: 'moons', samples: 60 }, model: { hidden: [8] } });
  try {
    points.step(20);
    const grid = points.predictGrid(-1, 1, -1, 1, 2);  // corners: (−1,−1), (1,−1), (−1,1), (1,1)
    const direct = points.predict([[-1, -1], [1, -1], [-1, 1], [1, 1]]);
    for (let i = 0; i < 8; i++) assert.ok(Math.abs(grid[i] - direct[i]) < 1e-6);
  } finally {
    points.dispose();
  }
});

test('featureMaps(index): each block\'s maps for one validation image; bad indices are refused', async () => {
  const trainer = await createTrainer({ data: { dataset: 'shapes', classes: 3, samples: 60 }, model: { layers: [{ type: 'conv', filters: 4, size: 3, pad: 'same' }, { type: 'pool' }, { type: 'dense', units: 5 }] } });
  try {
    trainer.step(3);
    const maps = trainer.featureMaps(2);
    assert.deepEqual(maps.map((map) => map.shape), [[4, 16, 16], [5, 1, 1]]);
    assert.deepEqual(maps.map((map) => map.path), ['model.layers[0]', 'model.layers[2]']);
    assert.equal(maps[0].values.length, 4 * 256);
    assert.ok(maps[0].values.every((v) => v >= 0), 'after ReLU');
    assert.notDeepEqual(trainer.featureMaps(3)[0].values, maps[0].values);
    assert.throws(() => trainer.featureMaps(12), /index must be in \[0, 12\)/);
    assert.throws(() => trainer.featureMaps(-1), RangeError);
    assert.throws(() => trainer.featureMaps('1'), RangeError);
    assert.equal(trainer.step(1).step, 4);  // the trainer goes on
  } finally {
    trainer.dispose();
  }
});
