// The Trainer API: metrics, history, diagnostics, evaluation, checks, prediction, data, live
// settings, reset, status, dispose. Numbers are checked against an independent forward pass
// written here in plain JS (from getParams() and data()), not against the engine itself.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ConfigError, DisposedError, DivergedError, Trainer, createTrainer, defaults } from '../../bindings/js/index.js';

// ---- an independent reference: dense layers, ReLU, softmax cross-entropy, in float64 ----------
function forward(params, x, dims, hiddenCount) {
  const byName = new Map(params.map((param) => [param.name, param]));
  let activations = [];
  for (let row = 0; row < x.length / dims; row++) activations.push(Array.from(x.slice(row * dims, (row + 1) * dims)));
  for (let block = 0; block <= hiddenCount; block++) {
    const prefix = block === hiddenCount ? 'output' : `hidden${block + 1}`;
    const W = byName.get(`${prefix}.W`);
    const b = byName.get(`${prefix}.b`);
    const [fanIn, fanOut] = W.shape;
    activations = activations.map((input) => {
      const output = new Array(fanOut).fill(0);
      for (let j = 0; j < fanOut; j++) {
        let sum = b.values[j];
        for (let i = 0; i < fanIn; i++) sum += input[i] * W.values[i * fanOut + j];
        output[j] = block === hiddenCount ? sum : Math.max(0, sum);
      }
      return output;
    });
  }
  return activations;  // scores
}

function softmax(scores) {
  const top = Math.max(...scores);
  const exps = scores.map((score) => Math.exp(score - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / total);
}

function referenceEvaluation(params, split, hiddenCount) {
  const scores = forward(params, split.x, split.dims, hiddenCount);
  let loss = 0;
  let correct = 0;
  scores.forEach((row, index) => {
    const label = split.y[index];
    loss -= Math.log(softmax(row)[label]);
    if (row.indexOf(Math.max(...row)) === label) correct += 1;
  });
  return { loss: loss / scores.length, acc: correct / scores.length };
}

// Every value returned to users must be plain data: no Embind handle may escape.
function assertPlain(value, where = 'result') {
  if (value === null || ['number', 'string', 'boolean', 'undefined'].includes(typeof value)) return;
  if (ArrayBuffer.isView(value)) {
    assert.ok(value instanceof Float32Array || value instanceof Float64Array, `${where} is a ${value.constructor.name}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertPlain(item, `${where}[${index}]`));
    return;
  }
  assert.equal(Object.getPrototypeOf(value), Object.prototype, `${where} is not a plain object`);
  assert.equal(typeof value.delete, 'undefined', `${where} looks like an Embind object`);
  for (const [key, item] of Object.entries(value)) assertPlain(item, `${where}.${key}`);
}

const CONFIG = { seed: 5, data: { samples: 240 }, model: { hidden: [16, 16] }, train: { lr: 0.2 }, diagnostics: { cadence: 10 } };

describe('a trainer on the spiral', () => {
  let trainer;
  before(async () => {
    trainer = await createTrainer(CONFIG);
  });
  after(() => trainer.dispose());

  test('createTrainer({}) trains the default spiral', async () => {
    const plain = await createTrainer({});
    assert.deepEqual(plain.config.data.dataset, 'spiral');
    assert.deepEqual(plain.config.model.hidden, defaults.model.hidden);
    const metrics = plain.step();
    plain.dispose();
    assert.equal(metrics.step, 1);
  });

  test('initialLossCheck: expected is ln(3), measured is the training split\'s loss', () => {
    const check = trainer.initialLossCheck();
    assertPlain(check);
    assert.ok(Math.abs(check.expected - Math.log(3)) < 1e-12, `${check.expected}`);
    assert.equal(typeof check.explanation, 'string');
    assert.ok(check.explanation.length > 10);
    // Measured independently: the mean loss of the training split under the current parameters.
    const reference = referenceEvaluation(trainer.getParams(), trainer.data().train, 2);
    assert.ok(Math.abs(check.measured - reference.loss) < 1e-4, `${check.measured} vs ${reference.loss}`);
  });

  test('with weights near 0 the measured initial loss is ln(3)', async () => {
    // Scores ≈ 0 give uniform probabilities 1/3: loss ln 3 = 1.0986123 to about 1e-6 (weights 1e-4).
    const small = await createTrainer({ ...CONFIG, model: { ...CONFIG.model, init: 'normal', init_scale: 1e-4 } });
    try {
      const check = small.initialLossCheck();
      assert.ok(Math.abs(check.measured - Math.log(3)) < 1e-4 * Math.log(3), `measured ${check.measured}, ln 3 = ${Math.log(3)}`);
      assert.ok(Math.abs(check.expected - Math.log(3)) < 1e-12, `${check.expected}`);
    } finally {
      small.dispose();
    }
  });

  test('step(n) returns the last step\'s metrics as a plain object', () => {
    const first = trainer.step();
    assertPlain(first);
    assert.deepEqual(Object.keys(first).sort(), ['batch_acc', 'data_loss', 'grad_norm', 'loss', 'lr', 'reg_loss', 'step']);
    assert.equal(first.step, 1);
    assert.equal(first.lr, 0.2);
    assert.equal(first.reg_loss, 0);
    assert.ok(Math.abs(first.loss - first.data_loss) < 1e-12);
    const later = trainer.step(24);
    assert.equal(later.step, 25);
    assert.equal(trainer.stepsDone, 25);
  });

  test('step(n) refuses anything but a positive integer', () => {
    for (const n of [0, -1, 1.5, '2', NaN, Infinity, null]) {
      assert.throws(() => trainer.step(n), /n must be a positive integer/, String(n));
    }
    assert.equal(trainer.stepsDone, 25);
  });

  test('history() is columnar: one entry per step, diagnostics every cadence steps', () => {
    const history = trainer.history();
    assertPlain(history);
    assert.deepEqual(Array.from(history.step), Array.from({ length: 25 }, (_, i) => i + 1));
    for (const column of ['loss', 'data_loss', 'reg_loss', 'batch_acc', 'lr']) {
      assert.ok(history[column] instanceof Float64Array, column);
      assert.equal(history[column].length, 25, column);
    }
    assert.deepEqual(Array.from(history.diag_step), [10, 20]);
    for (const series of ['dead_fraction', 'zero_fraction', 'saturated_fraction', 'act_mean', 'act_std', 'weight_norm', 'grad_norm', 'update_ratio']) {
      assert.equal(history[series].length, 3, `${series}: two hidden layers and the output`);
      for (const layer of history[series]) assert.equal(layer.length, 2, series);
    }
    assert.ok(history.lr.every((lr) => lr === 0.2));
  });

  test('layerStats() describes every layer with histograms', () => {
    const stats = trainer.layerStats();
    assertPlain(stats);
    assert.deepEqual(stats.map((layer) => layer.name), ['hidden1', 'hidden2', 'output']);
    assert.deepEqual(stats.map((layer) => layer.units), [16, 16, 3]);
    assert.equal(stats[0].activation, 'relu');
    for (const layer of stats) {
      for (const part of [layer.pre, layer.act]) {
        assert.equal(part.hist.length, defaults.diagnostics.bins);
        assert.equal(part.edges.length, defaults.diagnostics.bins + 1);
        for (let i = 1; i < part.edges.length; i++) assert.ok(part.edges[i] >= part.edges[i - 1]);
        assert.ok(part.std >= 0);
      }
      for (const fraction of ['dead_fraction', 'zero_fraction', 'saturated_fraction']) {
        assert.ok(layer[fraction] >= 0 && layer[fraction] <= 1, fraction);
      }
    }
    // ReLU outputs are never negative; their weight norm is the Frobenius norm of W.
    assert.ok(stats[0].act.edges[0] >= 0);
    const W = trainer.getParams().find((param) => param.name === 'hidden1.W').values;
    const norm = Math.sqrt(W.reduce((sum, value) => sum + value * value, 0));
    assert.ok(Math.abs(stats[0].weight_norm - norm) < 1e-4 * norm, `${stats[0].weight_norm} vs ${norm}`);
  });

  test('evaluate() matches an independent forward pass over both splits', () => {
    const evaluation = trainer.evaluate();
    assertPlain(evaluation);
    const data = trainer.data();
    const params = trainer.getParams();
    for (const split of ['train', 'val']) {
      const reference = referenceEvaluation(params, data[split], 2);
      assert.equal(evaluation[split].count, data[split].count);
      assert.ok(Math.abs(evaluation[split].loss - reference.loss) < 1e-5, `${split} loss ${evaluation[split].loss} vs ${reference.loss}`);
      assert.equal(evaluation[split].acc, reference.acc, `${split} accuracy`);
    }
  });

  test('data() returns both splits as Float32Arrays', () => {
    const { train, val } = trainer.data();
    assert.equal(train.count + val.count, 240);
    assert.equal(val.count, Math.round(0.2 * 240));
    for (const split of [train, val]) {
      assert.ok(split.x instanceof Float32Array && split.y instanceof Float32Array);
      assert.equal(split.dims, 2);
      assert.equal(split.x.length, split.count * 2);
      assert.equal(split.y.length, split.count);
      // The spiral lies in the unit disc (radius r in [0, 1)) up to float rounding.
      for (let k = 0; k < split.count; k++) assert.ok(Math.hypot(split.x[2 * k], split.x[2 * k + 1]) < 1 + 1e-6);
      assert.ok(split.y.every((label) => label === 0 || label === 1 || label === 2));
    }
  });

  test('predictGrid() gives softmax probabilities that match the reference forward pass', () => {
    const resolution = 5;
    const grid = trainer.predictGrid(-1, 1, -2, 2, resolution);
    assert.ok(grid instanceof Float32Array);
    assert.equal(trainer.outputs, 3);
    assert.equal(grid.length, resolution * resolution * 3);
    const params = trainer.getParams();
    for (let i = 0; i < resolution; i++) {
      for (let j = 0; j < resolution; j++) {
        const x = -1 + (2 * j) / (resolution - 1);
        const y = -2 + (4 * i) / (resolution - 1);
        const expected = softmax(forward(params, [x, y], 2, 2)[0]);
        const cell = (i * resolution + j) * 3;
        const sum = grid[cell] + grid[cell + 1] + grid[cell + 2];
        assert.ok(Math.abs(sum - 1) < 1e-5, `probabilities sum to ${sum}`);
        for (let c = 0; c < 3; c++) assert.ok(Math.abs(grid[cell + c] - expected[c]) < 1e-5, `cell (${i}, ${j}) class ${c}`);
      }
    }
  });

  test('predictGrid() checks its arguments', () => {
    assert.throws(() => trainer.predictGrid(1, -1, 0, 1, 10), /xmin < xmax/);
    assert.throws(() => trainer.predictGrid(0, 1, 0, 1, 1), /resolution/);
    assert.throws(() => trainer.predictGrid(0, 1, 0, NaN, 10), /ymax must be a finite number/);
    assert.throws(() => trainer.predictGrid(0, 1, 0, 1, 10.5), /resolution/);
  });

  test('gradCheck() passes: analytic and numerical gradients agree', () => {
    const check = trainer.gradCheck();
    assertPlain(check);
    assert.equal(check.passed, true);
    assert.ok(check.max_rel_error < 1e-5, `${check.max_rel_error}`);
    assert.deepEqual(check.tensors.map((tensor) => tensor.name).sort(), trainer.getParams().map((param) => param.name).sort());
    assert.ok(check.tensors.every((tensor) => tensor.checked > 0));
  });

  test('getParams() lists every tensor with its shape', () => {
    const params = trainer.getParams();
    assertPlain(params);
    const shapes = Object.fromEntries(params.map((param) => [param.name, param.shape]));
    assert.deepEqual(shapes, {
      'hidden1.W': [2, 16], 'hidden1.b': [1, 16], 'hidden2.W': [16, 16], 'hidden2.b': [1, 16], 'output.W': [16, 3], 'output.b': [1, 3],
    });
    for (const param of params) assert.equal(param.values.length, param.shape[0] * param.shape[1]);
  });
});

describe('set(): live hyperparameters', () => {
  test('changes lr, l2 and dropout without a reset', async () => {
    const trainer = await createTrainer(CONFIG);
    trainer.step(5);
    trainer.set({ train: { lr: 0.05, l2: 0.01 }, model: { dropout: 0.25 } });
    const metrics = trainer.step();
    assert.equal(metrics.step, 6, 'no reset');
    assert.equal(metrics.lr, 0.05);
    assert.ok(metrics.reg_loss > 0, 'the L2 term is now part of the loss');
    assert.equal(trainer.config.model.dropout, 0.25);
    assert.equal(trainer.config.train.l2, 0.01);
    trainer.dispose();
  });

  test('refuses structural changes, saying a reset is needed, and leaves the trainer as it was', async () => {
    const trainer = await createTrainer(CONFIG);
    for (const changes of [{ model: { hidden: [8] } }, { train: { optimizer: 'adam' } }, { data: { samples: 100 } }, { seed: 9 }, { train: { batch_size: 8 } }]) {
      assert.throws(() => trainer.set(changes), (error) => error instanceof ConfigError && /needs a reset/.test(error.message), JSON.stringify(changes));
    }
    // Restating a structural value unchanged is fine.
    trainer.set({ model: { hidden: [16, 16] }, train: { lr: 0.3 } });
    assert.equal(trainer.config.train.lr, 0.3);
    assert.equal(trainer.step().step, 1);
    trainer.dispose();
  });

  test('validates the new values like createTrainer does', async () => {
    const trainer = await createTrainer(CONFIG);
    assert.throws(() => trainer.set({ train: { lr: -1 } }), /train\.lr: .*> 0/);
    assert.throws(() => trainer.set({ train: { learning_rate: 0.1 } }), /did you mean train\.lr/);
    assert.throws(() => trainer.set({ model: { dropout: '0.5' } }), /model\.dropout/);
    assert.throws(() => trainer.set('lr=0.1'), /needs an object/);
    assert.equal(trainer.config.train.lr, 0.2);
    trainer.dispose();
  });
});

describe('reset() and seeds', () => {
  test('reset(seed) restarts from step 0; the same seed reproduces the run', async () => {
    const trainer = await createTrainer(CONFIG);
    const firstRun = [trainer.step().loss, trainer.step().loss];
    trainer.reset();
    assert.equal(trainer.stepsDone, 0);
    assert.equal(trainer.history().step.length, 0);
    assert.deepEqual([trainer.step().loss, trainer.step().loss], firstRun);
    trainer.reset(6);
    assert.notEqual(trainer.step().loss, firstRun[0]);
    assert.throws(() => trainer.reset(-3),
      (error) => error instanceof ConfigError && /^seed: must be in \[0, 4294967295\]; got -3$/.test(error.message));
    trainer.dispose();
  });
});

describe('divergence', () => {
  test('a huge learning rate diverges; step() then throws until the learning rate changes', async () => {
    const trainer = await createTrainer({ ...CONFIG, train: { lr: 1e4 } });
    for (let i = 0; i < 50 && trainer.status.state === 'ok'; i++) trainer.step();
    const status = trainer.status;
    assertPlain(status);
    assert.equal(status.state, 'diverged');
    assert.ok(status.step >= 1);
    assert.ok(status.reason.length > 0);
    assert.throws(() => trainer.step(), (error) => error instanceof DivergedError && error.code === 'ERR_TRAINSCOPE_DIVERGED' &&
      error.step === status.step && error.reason === status.reason && /diverge/i.test(error.message));
    trainer.set({ train: { lr: 0.01 } });
    assert.equal(trainer.status.state, 'ok');
    trainer.dispose();
  });
});

describe('custom data', () => {
  const rows = [[0, 0], [0, 1], [1, 0], [1, 1], [0.2, 0.1], [0.9, 0.8]];
  const labels = [0, 1, 1, 0, 0, 0];
  test('rows and a flat Float32Array give the same trainer', async () => {
    const base = { seed: 2, data: { val_fraction: 0 }, model: { hidden: [4] }, train: { batch_size: 6 } };
    const fromRows = await createTrainer({ ...base, data: { ...base.data, dataset: 'custom', x: rows, y: labels } });
    const fromFlat = await createTrainer({ ...base, data: { ...base.data, dataset: 'custom', x: new Float32Array(rows.flat()), dims: 2, y: new Float32Array(labels) } });
    const data = fromRows.data();
    assert.deepEqual(Array.from(data.train.x), rows.flat().map(Math.fround));
    assert.deepEqual(Array.from(data.train.y), labels);
    assert.equal(fromRows.config.data.classes, 2, 'classes = largest label + 1');
    assert.equal(fromRows.config.data.samples, 6);
    const fromTypedRows = await createTrainer({ ...base, data: { ...base.data, dataset: 'custom', x: rows.map((row) => Float32Array.from(row)), y: labels } });
    assert.deepEqual(fromTypedRows.data(), data);
    assert.equal(fromRows.step().loss, fromFlat.step().loss);
    fromRows.dispose();
    fromFlat.dispose();
    fromTypedRows.dispose();
  });

  test('regression targets with loss mse', async () => {
    const trainer = await createTrainer({
      data: { dataset: 'custom', x: [[0], [0.5], [1], [1.5]], y: [0.1, -2.5, 3.25, 7], val_fraction: 0 },
      train: { loss: 'mse', batch_size: 4 }, model: { hidden: [4] },
    });
    assert.equal(trainer.outputs, 1);
    assert.deepEqual(Array.from(trainer.data().train.y), [0.1, -2.5, 3.25, 7].map(Math.fround));
    assert.ok(Number.isFinite(trainer.step().loss));
    trainer.dispose();
  });
});

describe('dispose()', () => {
  test('every later use is a clear error; dispose() twice is harmless', async () => {
    const trainer = await createTrainer(CONFIG);
    trainer.dispose();
    trainer.dispose();
    assert.equal(trainer.disposed, true);
    const uses = [
      () => trainer.step(), () => trainer.history(), () => trainer.layerStats(), () => trainer.evaluate(),
      () => trainer.gradCheck(), () => trainer.initialLossCheck(), () => trainer.predictGrid(0, 1, 0, 1, 4),
      () => trainer.data(), () => trainer.set({ train: { lr: 1 } }), () => trainer.reset(), () => trainer.getParams(),
      () => trainer.setParams([]), () => trainer.toJSON(), () => trainer.status, () => trainer.config, () => trainer.outputs,
    ];
    for (const use of uses) {
      assert.throws(use, (error) => error instanceof DisposedError && error.code === 'ERR_TRAINSCOPE_DISPOSED' &&
        /^trainer has been disposed \(called \w+\)$/.test(error.message), use.toString());
    }
  });

  test('Symbol.dispose disposes (so `using trainer = await createTrainer(…)` works)', async () => {
    const symbol = Symbol.dispose ?? Symbol.for('nodejs.dispose');
    const trainer = await createTrainer(CONFIG);
    assert.equal(typeof trainer[symbol], 'function');
    trainer[symbol]();
    assert.equal(trainer.disposed, true);
    assert.throws(() => trainer.step(), DisposedError);
  });

  test('the Trainer constructor is not public', () => {
    assert.throws(() => new Trainer({}), /use createTrainer/);
  });
});
