// defaults mirrors the engine: a trainer built from {} runs exactly `defaults`; the schema and the
// defaults list the same keys; the engine's data-dependent defaults are reproduced by withDefaults.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { LIVE_KEYS, createTrainer, defaults, schema, withDefaults } from '../../bindings/js/index.js';
import { schemaEntries } from '../../bindings/js/schema.js';

describe('defaults', () => {
  test('equal the engine\'s normalized config of a trainer built from {}', async () => {
    const trainer = await createTrainer({});
    assert.deepEqual(trainer.config, defaults);
    trainer.dispose();
  });

  test('the data-dependent defaults match the engine\'s', async () => {
    for (const config of [
      { data: { dataset: 'moons' } },
      { data: { dataset: 'xor', samples: 50 } },
      { data: { dataset: 'custom', x: [1, 2, 3, 4, 5, 6], y: [0, 1, 1] } },
      { data: { dataset: 'regression', dims: 1 }, train: { loss: 'mse' } },
    ]) {
      const trainer = await createTrainer(config);
      const engineConfig = trainer.config;
      trainer.dispose();
      const expected = withDefaults(config);
      if (config.data.dataset === 'custom') {
        // createTrainer fixes classes from the labels (largest + 1, at least 2).
        expected.data.classes = 2;
      }
      assert.deepEqual(engineConfig, expected, JSON.stringify(config));
    }
  });

  test('withDefaults fills nested groups without touching its argument', () => {
    const config = { model: { hidden: [5] }, train: { lr: 0.5 } };
    const frozen = structuredClone(config);
    const full = withDefaults(config);
    assert.deepEqual(config, frozen);
    assert.deepEqual(full.model.hidden, [5]);
    assert.equal(full.model.activation, 'relu');
    assert.equal(full.train.lr, 0.5);
    assert.equal(full.train.optimizer, 'sgd');
    assert.equal(withDefaults({ data: { dataset: 'circles' } }).data.classes, 2);
    assert.equal(withDefaults({ data: { dataset: 'circles', classes: 2 } }).data.classes, 2);
  });

  test('are frozen, so nobody changes them by accident', () => {
    assert.ok(Object.isFrozen(defaults) && Object.isFrozen(defaults.train) && Object.isFrozen(defaults.model.hidden));
  });

  test('every default has a schema rule and every rule a default', () => {
    const paths = schemaEntries().map(([path]) => path).sort();
    const defaultPaths = ['seed', ...['data', 'model', 'train', 'diagnostics'].flatMap((group) => Object.keys(defaults[group]).map((key) => `${group}.${key}`))].sort();
    assert.deepEqual(paths, defaultPaths);
    assert.equal(schema.train.lr.live, true);
  });

  test('the live keys are the ones the engine documents as live', () => {
    assert.deepEqual([...LIVE_KEYS].sort(), [
      'model.dropout', 'train.beta1', 'train.beta2', 'train.bias_correction', 'train.clip', 'train.decay', 'train.decay_steps', 'train.eps',
      'train.gamma', 'train.l1', 'train.l2', 'train.lr', 'train.min_lr', 'train.momentum', 'train.schedule',
      'train.warmup', 'train.weight_decay',
    ]);
  });
});
