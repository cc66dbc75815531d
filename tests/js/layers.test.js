// model.layers through the public JS surfaces: validation before the engine (the same messages
// and paths as the engine's), trainer.summary(), the lecture's 760-parameter example, a conv net
// that trains on custom images, and the CLI's `trainscope summary`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { ConfigError, createTrainer, validateConfig } from '../../bindings/js/index.js';
import { architectureLine } from '../../bindings/js/architecture.js';

const CLI = fileURLToPath(new URL('../../bin/trainscope.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'trainscope-layers-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// n custom images C x side x side with labels alternating 0/1 (a vertical or horizontal bar).
function barImages(n, side, channels = 1) {
  const x = new Float32Array(n * channels * side * side);
  const y = new Float32Array(n);
  let state = 7;
  const next = () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 16);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const at = next() % side;
    const base = i * channels * side * side;
    for (let c = 0; c < channels; c++) {
      for (let k = 0; k < side; k++) x[base + c * side * side + (label === 0 ? k * side + at : at * side + k)] = 1;
    }
    y[i] = label;
  }
  return { dataset: 'custom', shape: [channels, side, side], x, y };
}

const problemAt = (config, path) => validateConfig(config).find((problem) => problem.path === path);

describe('model.layers validation in JS', () => {
  test('layer objects are checked against the engine layer table', () => {
    assert.match(problemAt({ model: { layers: [{ type: 'fc', units: 3 }] } }, 'model.layers[0].type').message, /one of conv, pool, dense/);
    assert.match(problemAt({ model: { layers: [{ type: 'conv', size: 3 }] } }, 'model.layers[0].filters').message, /is required for a conv layer/);
    assert.match(problemAt({ model: { layers: [{ type: 'conv', filters: 2, size: 3, units: 4 }] } }, 'model.layers[0].units').message, /not a key of a conv layer/);
    assert.match(problemAt({ model: { layers: [{ type: 'conv', filters: 2, size: 3, pad: 'valid' }] } }, 'model.layers[0].pad').message, /or "same"/);
    assert.match(problemAt({ model: { layers: [{ type: 'pool', mode: 'min' }] } }, 'model.layers[0].mode').message, /max, avg/);
    assert.match(problemAt({ model: { layers: [{ type: 'dense', units: 4, dropout: 1 }] } }, 'model.layers[0].dropout').message, /\[0, 1\)/);
    assert.match(problemAt({ model: { layers: 'conv' } }, 'model.layers').message, /array of layer objects/);
    assert.match(problemAt({ model: { hidden: [8], layers: [{ type: 'dense', units: 8 }] } }, 'model.layers').message, /either model.hidden/);
    assert.match(problemAt({ data: { shape: [1, 28] } }, 'data.shape').message, /\[C, H, W\]/);
    assert.match(problemAt({ data: { shape: [1, 2, 2] } }, 'data.shape').message, /only used with data.dataset "custom"/);
    assert.deepEqual(validateConfig({ model: { layers: [{ type: 'dense', units: 8, norm: 'layer' }] } }), []);
    assert.equal(validateConfig({ model: { layers: [{ type: 'conv', filters: 2, size: 3, pad: 'same' }] }, data: barImages(4, 6) }).length, 0);
  });

  test('a bad stride gives the engine error with the arithmetic, naming the layer', async () => {
    const config = {
      data: barImages(4, 28),
      model: { layers: [{ type: 'conv', filters: 4, size: 3, pad: 'same' }, { type: 'pool' }, { type: 'conv', filters: 4, size: 5, stride: 2 }] },
    };
    await assert.rejects(createTrainer(config), (error) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.message, 'model.layers[2]: output size (14 − 5 + 2·0)/2 + 1 = 5.5 is not an integer; change stride or pad');
      assert.equal(error.problems[0].path, 'model.layers[2]');
      return true;
    });
  });
});

describe('trainer.summary()', () => {
  test('the lecture example: 10 filters 5x5 on [3, 32, 32] have exactly 760 parameters', async () => {
    const trainer = await createTrainer({ data: { ...barImages(4, 32, 3), val_fraction: 0.25 }, model: { layers: [{ type: 'conv', filters: 10, size: 5 }] } });
    try {
      const [convRow, output] = trainer.summary();
      assert.deepEqual(convRow.input, [3, 32, 32]);
      assert.deepEqual(convRow.output, [10, 28, 28]);
      assert.equal(convRow.parameters, 760);
      assert.equal(convRow.multiply_adds, 28 * 28 * 10 * 5 * 5 * 3);
      assert.equal(output.type, 'output');
      assert.equal(output.parameters, 10 * 28 * 28 * 2 + 2);
      const conv = trainer.getParams().filter((param) => param.name.startsWith(`${convRow.name}.`) && param.trainable);
      assert.equal(conv.reduce((total, param) => total + param.values.length, 0), 760);
      assert.equal(trainer.config.model.hidden, undefined);  // model.layers replaces it
      assert.equal(architectureLine(trainer.summary()), 'input 3×32×32 → conv 10@5×5 → 10×28×28 → output 2');
    } finally {
      trainer.dispose();
    }
  });

  test('a conv net learns bars; the config round-trips through toJSON', async () => {
    const layers = [{ type: 'conv', filters: 4, size: 3, pad: 'same' }, { type: 'pool', size: 2 }, { type: 'dense', units: 8, dropout: 0.1 }];
    const trainer = await createTrainer({
      data: { ...barImages(120, 8), val_fraction: 0.25 },
      model: { layers, norm: 'batch' },
      train: { optimizer: 'adam', lr: 0.01, batch_size: 16 },
    });
    try {
      const first = trainer.step(1).loss;
      trainer.step(249);
      const { train, val } = trainer.evaluate();
      assert.ok(train.loss < first / 2, `loss ${first} -> ${train.loss}`);
      assert.ok(val.acc >= 0.9, `val acc ${val.acc}`);
      assert.deepEqual(trainer.config.model.layers, layers);
      assert.deepEqual(trainer.summary().map((row) => row.output), [[4, 8, 8], [4, 4, 4], [8, 1, 1], [2, 1, 1]]);
    } finally {
      trainer.dispose();
    }
  });
});

describe('trainscope summary (CLI)', () => {
  const cli = (...args) => spawnSync(process.execPath, [CLI, ...args], { cwd: scratch, encoding: 'utf8' });

  test('prints the architecture of a config file as a table and as JSON', () => {
    const config = join(scratch, 'conv.json');
    const { x, y, shape } = barImages(4, 32, 3);
    writeFileSync(config, JSON.stringify({ data: { dataset: 'custom', shape, x: Array.from(x), y: Array.from(y), val_fraction: 0.25 }, model: { layers: [{ type: 'conv', filters: 10, size: 5 }] } }));
    const table = cli('summary', '--config', config);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /input 3×32×32 → conv 10@5×5 → 10×28×28 → output 2/);
    assert.match(table.stdout, /model\.layers\[0\]\s+conv 10@5×5\s+3×32×32\s+10×28×28\s+760\s+588,000/);
    const json = cli('summary', '--config', config, '--format', 'json');
    assert.equal(json.status, 0, json.stderr);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.layers[0].parameters, 760);
    assert.equal(parsed.parameters, 760 + 10 * 28 * 28 * 2 + 2);
  });

  test('the default MLP and a bad layer list', () => {
    const plain = cli('summary', '--format', 'json');
    assert.equal(plain.status, 0, plain.stderr);
    assert.deepEqual(JSON.parse(plain.stdout).layers.map((row) => row.path), ['model.hidden[0]', 'model.hidden[1]', 'output']);
    const bad = cli('summary', '--set', 'model.layers=[{"type":"conv","filters":2,"size":3}]');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^trainscope: model\.layers\[0\]: /);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  });
});
