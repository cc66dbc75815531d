// Round trips: toJSON/fromJSON and getParams/setParams reproduce the model exactly (same next-step
// loss, bit for bit); the same seed gives identical histories in two trainers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Trainer, createTrainer } from '../../bindings/js/index.js';

// Full-batch plain SGD without shuffling or dropout: the next step depends only on the parameters,
// the data and the config, so a restored model must produce exactly the same losses.
const DETERMINISTIC = {
  seed: 11,
  data: { samples: 120, val_fraction: 0.25 },
  model: { hidden: [20, 20], norm: 'batch' },
  train: { optimizer: 'sgd', lr: 0.3, batch_size: 90, shuffle: false },
};

describe('toJSON / fromJSON', () => {
  test('JSON text round trip gives the same config, parameters and next-step losses', async () => {
    const original = await createTrainer(DETERMINISTIC);
    original.step(30);
    const text = JSON.stringify(original);
    const restored = await Trainer.fromJSON(text);
    assert.deepEqual(restored.config, original.config);
    const originalParams = original.getParams();
    const restoredParams = restored.getParams();
    assert.deepEqual(restoredParams.map((p) => p.name), originalParams.map((p) => p.name));
    originalParams.forEach((param, index) => assert.deepEqual(restoredParams[index].values, param.values, param.name));
    // Batch-norm running statistics travel too (trainable: false), so evaluation matches exactly.
    assert.ok(originalParams.some((param) => !param.trainable));
    assert.deepEqual(restored.evaluate(), original.evaluate());
    for (let i = 0; i < 3; i++) assert.equal(restored.step().loss, original.step().loss, `step ${i + 1} after the round trip`);
    original.dispose();
    restored.dispose();
  });

  test('float32 values survive JSON.stringify exactly', async () => {
    const trainer = await createTrainer({ model: { hidden: [7] }, data: { samples: 30 } });
    trainer.step(3);
    const json = JSON.parse(JSON.stringify(trainer.toJSON()));
    const params = trainer.getParams();
    json.params.forEach((param, index) => {
      assert.deepEqual(Float32Array.from(param.values), params[index].values);
      assert.ok(param.values.every((value) => Math.fround(value) === value));
    });
    assert.equal(json.format, 'trainscope-model');
    trainer.dispose();
  });

  test('custom data round-trips with the model', async () => {
    const trainer = await createTrainer({ data: { dataset: 'custom', x: [[1, 2], [3, 4], [5, 6], [7, 8.5]], y: [0, 1, 2, 1], val_fraction: 0 }, model: { hidden: [3] } });
    const restored = await Trainer.fromJSON(JSON.stringify(trainer));
    assert.deepEqual(restored.data(), trainer.data());
    assert.deepEqual(restored.config.data.x, [1, 2, 3, 4, 5, 6, 7, 8.5]);
    trainer.dispose();
    restored.dispose();
  });

  test('fromJSON refuses broken input with clear errors', async () => {
    const trainer = await createTrainer({ model: { hidden: [5] }, data: { samples: 30 } });
    const good = trainer.toJSON();
    trainer.dispose();
    await assert.rejects(Trainer.fromJSON('{not json'), /not valid JSON/);
    await assert.rejects(Trainer.fromJSON({ params: [] }), /needs \{config, params\}/);
    await assert.rejects(Trainer.fromJSON({ ...good, version: 99 }), /version/);
    await assert.rejects(Trainer.fromJSON({ ...good, config: { ...good.config, train: { ...good.config.train, lr: -1 } } }), /train\.lr/);
    const shrunk = structuredClone(good);
    shrunk.params[0].values.pop();
    await assert.rejects(Trainer.fromJSON(shrunk), /hidden1\.W needs 10 values/);
  });
});

describe('getParams / setParams', () => {
  test('copying parameters into a fresh trainer reproduces the next-step loss exactly', async () => {
    const trained = await createTrainer(DETERMINISTIC);
    trained.step(40);
    const fresh = await createTrainer(DETERMINISTIC);
    assert.notEqual(fresh.evaluate().train.loss, trained.evaluate().train.loss);
    fresh.setParams(trained.getParams());
    assert.deepEqual(fresh.evaluate(), trained.evaluate());
    assert.equal(fresh.step().loss, trained.step().loss);
    trained.dispose();
    fresh.dispose();
  });

  test('setParams writes exactly the given values (plain arrays too)', async () => {
    const trainer = await createTrainer({ model: { hidden: [3] }, data: { samples: 30 } });
    const values = [0.5, -0.25, 1e-3, 3, -7.125, 0];
    trainer.setParams([{ name: 'hidden1.W', shape: [2, 3], values }]);
    assert.deepEqual(Array.from(trainer.getParams().find((param) => param.name === 'hidden1.W').values), values.map(Math.fround));
    trainer.dispose();
  });
});

describe('seeds', () => {
  test('the same seed gives identical histories; another seed does not', async () => {
    const config = { seed: 21, model: { hidden: [30, 30], dropout: 0.2 }, train: { optimizer: 'adam', lr: 0.01 }, diagnostics: { cadence: 5 } };
    const runs = [];
    for (const seed of [21, 21, 22]) {
      const trainer = await createTrainer({ ...config, seed });
      trainer.step(60);
      runs.push(trainer.history());
      trainer.dispose();
    }
    assert.deepEqual(runs[1], runs[0]);
    assert.notDeepEqual(runs[2].loss, runs[0].loss);
  });
});
