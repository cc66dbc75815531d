// Every lecture preset runs headless and shows the phenomenon its `explain` promises. Deep-net
// presets are judged at initialization (the lecture's activation statistics) plus a couple of
// steps; the spiral presets train a few hundred steps. Comparisons flip the one setting the preset
// is about and check the difference.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { ConfigError, createTrainer, presets, validateConfig } from '../../bindings/js/index.js';
import { paceFor } from '../../web/app/pace.js';

function configOf(name, changes = {}) {
  const config = structuredClone(presets.byName(name).config);
  for (const [group, values] of Object.entries(changes)) config[group] = { ...config[group], ...values };
  return config;
}

async function withTrainer(config, use) {
  const trainer = await createTrainer(config);
  try {
    return await use(trainer);
  } finally {
    trainer.dispose();
  }
}

const hiddenStats = (trainer) => trainer.layerStats().filter((layer) => layer.name !== 'output');
const LN3 = Math.log(3);

// The step budget the page gives a preset (web/app/pace.js): the conv presets promise their
// result within it.
const budgetOf = (name) => paceFor(name).steps;

const CHECKS = {
  'conv-fashion': () => withTrainer(configOf('conv-fashion'), async (trainer) => {
    const steps = budgetOf('conv-fashion');
    assert.ok(steps > 0 && steps <= 1000, `budget ${steps}`);
    trainer.step(steps);
    const { val } = trainer.evaluate();
    assert.equal(val.count, 2000);  // the official test file's first 2000 images
    assert.ok(val.acc >= 0.85, `validation accuracy ${val.acc} after ${steps} steps`);
  }),
  'mlp-vs-conv': async () => {
    const steps = budgetOf('mlp-vs-conv');
    const measure = (config) => withTrainer(config, (trainer) => {
      trainer.step(steps);
      return { acc: trainer.evaluate().val.acc, parameters: trainer.summary().reduce((total, row) => total + row.parameters, 0) };
    });
    const conv = await measure(configOf('mlp-vs-conv'));
    const mlpConfig = configOf('mlp-vs-conv', { model: { hidden: [5] } });
    delete mlpConfig.model.layers;
    const mlp = await measure(mlpConfig);
    // The same budget to within 2% ...
    assert.ok(Math.abs(conv.parameters - mlp.parameters) < 0.02 * conv.parameters, `${conv.parameters} vs ${mlp.parameters} parameters`);
    // ... and the conv net well ahead.
    assert.ok(conv.acc >= 0.8, `conv validation accuracy ${conv.acc}`);
    assert.ok(conv.acc > mlp.acc + 0.2, `conv ${conv.acc} vs fully connected ${mlp.acc}`);
  },
  'stride-and-padding': async () => {
    const sizes = async (layer) => withTrainer(configOf('stride-and-padding', { model: { layers: [{ type: 'conv', filters: 4, size: 3, ...layer }] } }),
      (trainer) => trainer.summary()[0]);
    const preset = await withTrainer(configOf('stride-and-padding'), (trainer) => {
      trainer.step(budgetOf('stride-and-padding'));
      return { row: trainer.summary()[0], acc: trainer.evaluate().val.acc };
    });
    assert.deepEqual(preset.row.output, [4, 3, 3]);  // (7 − 3)/2 + 1
    assert.equal(preset.row.parameters, 40);
    assert.ok(preset.acc >= 0.9, `bars are told apart: ${preset.acc}`);
    assert.deepEqual((await sizes({ stride: 1 })).output, [4, 5, 5]);
    assert.deepEqual((await sizes({ pad: 'same' })).output, [4, 7, 7]);
    assert.deepEqual((await sizes({ stride: 1, pad: 1 })).output, [4, 7, 7]);
    await assert.rejects(sizes({ stride: 3 }), (error) => error instanceof ConfigError &&
      error.message === 'model.layers[0]: output size (7 − 3 + 2·0)/3 + 1 = 2.33333 is not an integer; change stride or pad');
  },
  'mean-image': async () => {
    const steps = budgetOf('mean-image');
    const measure = (changes) => withTrainer(configOf('mean-image', changes), (trainer) => {
      trainer.step(steps);
      return { acc: trainer.evaluate().val.acc, dead: hiddenStats(trainer)[0].dead_fraction };
    });
    const meanImage = await measure({});  // the preset's own preprocessing
    const channelMean = await measure({ data: { preprocess: 'channel_mean' } });
    const none = await measure({ data: { preprocess: 'none' } });
    const runs = JSON.stringify({ meanImage, channelMean, none });
    // Raw pixels (all positive): nearly every unit dies and the net stays at chance.
    assert.ok(none.dead > 0.8 && none.acc < 0.3, runs);
    // The mean image: no unit dies, it learns.
    assert.ok(meanImage.dead < 0.02 && meanImage.acc > 0.75, runs);
    // One mean for the channel: in between on both counts.
    assert.ok(channelMean.dead > meanImage.dead && channelMean.dead < none.dead, runs);
    assert.ok(channelMean.acc > none.acc + 0.3 && channelMean.acc < meanImage.acc, runs);
  },
  'bn-conv': async () => {
    const steps = budgetOf('bn-conv');
    const lr = configOf('bn-conv').train.lr;
    const measure = (changes) => withTrainer(configOf('bn-conv', changes), (trainer) => {
      trainer.step(steps);
      return trainer.evaluate();
    });
    const batchNorm = await measure({});
    const plain = await measure({ model: { norm: 'none' } });
    const plainTenth = await measure({ model: { norm: 'none' }, train: { lr: lr / 10 } });
    const runs = JSON.stringify({ batchNorm: batchNorm.val, plain: plain.val, plainTenth: plainTenth.val });
    // At the preset's learning rate: batch norm trains, the plain net stays at the uniform guess.
    assert.ok(batchNorm.val.acc > 0.75 && batchNorm.train.loss < 0.6, runs);
    assert.ok(Math.abs(plain.train.loss - Math.log(10)) < 0.05 && plain.val.acc < 0.2, runs);
    // Ten times lower, the plain net trains too (less far).
    assert.ok(plainTenth.val.acc > 0.7 && plainTenth.train.loss < 1, runs);
  },
  'group-norm-small-batch': async () => {
    const steps = budgetOf('group-norm-small-batch');
    const measure = (changes) => withTrainer(configOf('group-norm-small-batch', changes), (trainer) => {
      trainer.step(steps);
      return trainer.evaluate();
    });
    const group = await measure({});
    const batch = await measure({ model: { norm: 'batch' } });
    assert.equal(configOf('group-norm-small-batch').train.batch_size, 2);
    const runs = JSON.stringify({ group: group.val, batch: batch.val });
    assert.ok(group.val.acc > 0.7, runs);
    assert.ok(batch.val.acc < group.val.acc - 0.15, runs);
    assert.ok(batch.train.loss > group.train.loss + 0.5, `in evaluation mode the training set too: ${runs}`);
  },
  'instance-norm': async () => {
    const steps = budgetOf('instance-norm');
    // Accuracy on the validation images and on washed-out copies (0.5·x + 0.3: less contrast,
    // brighter), and the largest change of any predicted probability.
    const measure = (changes) => withTrainer(configOf('instance-norm', changes), (trainer) => {
      trainer.step(steps);
      const { x, y, count } = trainer.data().val;
      const original = trainer.predict(x);
      const washedOut = trainer.predict(x.map((value) => 0.5 * value + 0.3));
      const classes = original.length / count;
      const accuracy = (probabilities) => {
        let right = 0;
        for (let i = 0; i < count; i++) {
          const row = probabilities.subarray(i * classes, (i + 1) * classes);
          if (row.indexOf(Math.max(...row)) === y[i]) right++;
        }
        return right / count;
      };
      let change = 0;
      for (let i = 0; i < original.length; i++) change = Math.max(change, Math.abs(original[i] - washedOut[i]));
      return { acc: accuracy(original), washedOutAcc: accuracy(washedOut), change, count };
    });
    const instance = await measure({});
    const plain = await measure({ model: { norm: 'none' } });
    const runs = JSON.stringify({ instance, plain });
    assert.ok(instance.acc > 0.75, runs);
    assert.ok(instance.change < 2e-3, `the same predictions: ${runs}`);
    // (A probability moving by ε could flip a near-tie: allow one image of the 1,000; counted in
    // images, since 0.82 − 0.819 is a hair above 0.001 in floating point.)
    assert.ok(Math.round(Math.abs(instance.washedOutAcc - instance.acc) * instance.count) <= 1, runs);
    assert.ok(plain.acc > 0.75 && plain.washedOutAcc < plain.acc - 0.1, `without it the washed-out copies lose accuracy: ${runs}`);
  },
  'zero-init': () => withTrainer(configOf('zero-init'), async (trainer) => {
    trainer.step(1000);
    // The weights move (sigmoid units pass gradient at W = 0) ...
    const hiddenWeights = trainer.getParams().filter((p) => p.name.endsWith('.W') && p.name !== 'output.W');
    for (const param of hiddenWeights) {
      const largest = param.values.reduce((most, value) => Math.max(most, Math.abs(value)), 0);
      assert.ok(largest > 1e-2, `${param.name} moved: max |W| = ${largest}`);
    }
    // ... but symmetrically: within each hidden layer every unit (a column of W) equals unit 0.
    for (const param of hiddenWeights) {
      const [rows, cols] = param.shape;
      for (let i = 0; i < rows; i++) {
        for (let j = 1; j < cols; j++) assert.equal(param.values[i * cols + j], param.values[i * cols], `${param.name} unit ${j}`);
      }
    }
    const { train } = trainer.evaluate();
    // One effective unit per layer: the loss stalls near ln 3, far above the same net with Xavier.
    const xavier = await createTrainer({ ...configOf('zero-init'), model: { ...configOf('zero-init').model, init: 'xavier' } });
    xavier.step(1000);
    const xavierLoss = xavier.evaluate().train.loss;
    xavier.dispose();
    assert.ok(train.loss > 1.0 && train.loss > 2 * xavierLoss, `zero init ${train.loss} vs xavier ${xavierLoss}`);
    assert.ok(train.acc < 0.45, `near-chance accuracy: ${train.acc}`);
  }),

  'small-init-deep-tanh': () => withTrainer(configOf('small-init-deep-tanh'), (trainer) => {
    const stds = hiddenStats(trainer).map((layer) => layer.act.std);
    assert.equal(stds.length, 10);
    // Each layer scales the std by about 0.01·√500 ≈ 0.22: it collapses towards 0.
    for (let i = 1; i < stds.length; i++) assert.ok(stds[i] < 0.3 * stds[i - 1], `layer ${i + 1}: ${stds[i]} vs ${stds[i - 1]}`);
    assert.ok(stds[9] < 1e-5, `last hidden std ${stds[9]}`);
    trainer.step(2);
    assert.ok(Math.abs(trainer.evaluate().train.loss - Math.log(10)) < 0.01, 'the loss stays near ln 10');
  }),

  'large-init-deep-tanh': () => withTrainer(configOf('large-init-deep-tanh'), (trainer) => {
    for (const layer of hiddenStats(trainer)) {
      assert.ok(layer.saturated_fraction > 0.85, `${layer.name} saturated ${layer.saturated_fraction}`);
      assert.ok(layer.act.std > 0.95, `${layer.name} std ${layer.act.std}: everything at ±1`);
      // The histogram piles up in the two end bins.
      const { hist } = layer.act;
      const total = hist.reduce((a, b) => a + b, 0);
      assert.ok((hist[0] + hist[hist.length - 1]) / total > 0.8, `${layer.name} end bins`);
    }
  }),

  'xavier-tanh': () => withTrainer(configOf('xavier-tanh'), (trainer) => {
    const stats = hiddenStats(trainer);
    for (const layer of stats) {
      assert.ok(layer.act.std > 0.15 && layer.act.std < 0.9, `${layer.name} std ${layer.act.std}`);
      assert.ok(layer.saturated_fraction < 0.05, `${layer.name} saturated ${layer.saturated_fraction}`);
    }
    assert.ok(stats[9].act.std > 0.25 * stats[0].act.std, 'no collapse across the 10 layers');
  }),

  'xavier-relu': () => withTrainer(configOf('xavier-relu'), (trainer) => {
    const stds = hiddenStats(trainer).map((layer) => layer.act.std);
    // About 1/√2 per layer: (1/√2)^9 ≈ 0.044 from the first hidden layer to the last.
    for (let i = 1; i < stds.length; i++) assert.ok(stds[i] < 0.8 * stds[i - 1], `layer ${i + 1}`);
    assert.ok(stds[9] < 0.1 * stds[0], `${stds[9]} vs ${stds[0]}`);
  }),

  'he-relu': () => withTrainer(configOf('he-relu'), (trainer) => {
    const stds = hiddenStats(trainer).map((layer) => layer.act.std);
    for (const std of stds) assert.ok(std > 0.6 * stds[0] && std < 1.5 * stds[0], `${std} vs ${stds[0]}`);
    // The same net with Xavier (the xavier-relu preset) collapses; He holds the scale.
    const first = trainer.step(2);
    assert.ok(Number.isFinite(first.loss));
  }),

  'batchnorm-rescue': async () => {
    const withBn = await withTrainer(configOf('batchnorm-rescue'), (trainer) => {
      const before = hiddenStats(trainer).map((layer) => layer.act.std);
      trainer.step(300);
      const after = hiddenStats(trainer).map((layer) => layer.act.std);
      assert.ok(after.every((std) => std > 0.3), `healthy statistics in every layer: ${after}`);
      assert.ok(before[before.length - 1] < 1e-6, 'the initialization alone collapses the activations');
      return trainer.evaluate().train;
    });
    const without = await withTrainer(configOf('batchnorm-rescue', { model: { norm: 'none' } }), (trainer) => {
      trainer.step(300);
      return trainer.evaluate().train;
    });
    assert.ok(Math.abs(without.loss - LN3) < 0.01, `without BN the loss sits at ln 3: ${without.loss}`);
    assert.ok(withBn.loss < 0.3, `with BN it trains: ${withBn.loss}`);
    assert.ok(withBn.acc > 0.9, `with BN accuracy ${withBn.acc}`);
  },

  'lr-too-high': () => withTrainer(configOf('lr-too-high'), (trainer) => {
    for (let i = 0; i < 100 && trainer.status.state === 'ok'; i++) trainer.step();
    const status = trainer.status;
    assert.equal(status.state, 'diverged');
    assert.ok(status.step <= 100);
    assert.match(status.reason, /loss|NaN|infinite|exploded/i);
    assert.throws(() => trainer.step(), /diverge/i);
  }),

  'lr-too-low': () => withTrainer(configOf('lr-too-low'), (trainer) => {
    const before = trainer.evaluate().train.loss;
    trainer.step(500);
    const after = trainer.evaluate().train.loss;
    assert.ok(after < before, 'it does go down');
    assert.ok((before - after) / before < 0.02, `but barely: ${before} -> ${after}`);
    for (const layer of trainer.layerStats()) assert.ok(layer.update_ratio < 1e-4, `${layer.name} update ratio ${layer.update_ratio}`);
  }),

  'overfit-20': () => withTrainer(configOf('overfit-20'), (trainer) => {
    trainer.step(300);
    const { train, val } = trainer.evaluate();
    assert.equal(train.count, 20);
    assert.equal(train.acc, 1);
    assert.ok(train.loss < 0.01, `train loss ${train.loss}`);
    assert.ok(val.acc < train.acc, 'validation stays lower');
  }),

  'dead-relu': () => withTrainer(configOf('dead-relu'), (trainer) => {
    const before = hiddenStats(trainer).map((layer) => layer.dead_fraction);
    trainer.step(300);
    const after = hiddenStats(trainer).map((layer) => layer.dead_fraction);
    assert.ok(Math.max(...before) < 0.15, `few dead units at initialization: ${before}`);
    assert.ok(after.every((fraction) => fraction > 0.4), `most units died: ${after}`);
    // A dead first-layer unit gets no gradient from any example, so it never changes again: the
    // first layer's dead fraction can only grow. (Deeper layers' inputs keep changing.)
    trainer.step(200);
    const later = hiddenStats(trainer)[0].dead_fraction;
    assert.ok(later >= after[0], `first layer: ${after[0]} -> ${later}`);
    const history = trainer.history();
    assert.ok(history.dead_fraction[0][history.dead_fraction[0].length - 1] > 0.4, 'the history records it');
  }),

  'sigmoid-slow': () => compareConvergence(),
  'relu-fast': () => compareConvergence(),

  'optimizer-sgd': () => compareOptimizers(),
  'optimizer-momentum': () => compareOptimizers(),
  'optimizer-nesterov': () => compareOptimizers(),
  'optimizer-adagrad': () => compareOptimizers(),
  'optimizer-rmsprop': () => compareOptimizers(),
  'optimizer-adam': () => compareOptimizers(),
  'optimizer-adamw': () => compareOptimizers(),

  dropout: () => compareRegularizer('dropout', { model: { dropout: 0 } }),
  l2: () => compareRegularizer('l2', { train: { l2: 0 } }, (regularized, plain) => {
    assert.ok(regularized.weightNorm < 0.5 * plain.weightNorm, `weights ${regularized.weightNorm} vs ${plain.weightNorm}`);
    assert.ok(regularized.regLoss > 0);
  }),
};

let convergence;
async function compareConvergence() {
  convergence ??= (async () => {
    const losses = {};
    for (const name of ['sigmoid-slow', 'relu-fast']) {
      losses[name] = await withTrainer(configOf(name), (trainer) => {
        trainer.step(500);
        return trainer.evaluate().train.loss;
      });
    }
    return losses;
  })();
  const losses = await convergence;
  assert.ok(losses['relu-fast'] < 0.25 * losses['sigmoid-slow'], JSON.stringify(losses));
  assert.ok(losses['sigmoid-slow'] < LN3, 'sigmoid does learn, slowly');
}

let optimizerRuns;
async function compareOptimizers() {
  optimizerRuns ??= (async () => {
    const losses = {};
    for (const preset of presets.filter((candidate) => candidate.name.startsWith('optimizer-'))) {
      losses[preset.config.train.optimizer] = await withTrainer(preset.config, (trainer) => {
        const start = trainer.evaluate().train.loss;
        trainer.step(500);
        return { start, end: trainer.evaluate().train.loss };
      });
    }
    return losses;
  })();
  const losses = await optimizerRuns;
  assert.deepEqual(Object.keys(losses).sort(), ['adagrad', 'adam', 'adamw', 'momentum', 'nesterov', 'rmsprop', 'sgd']);
  for (const [optimizer, { start, end }] of Object.entries(losses)) {
    assert.ok(end < 0.2 * start, `${optimizer}: ${start} -> ${end}`);
    // Every adaptive or momentum method beats plain SGD on the same problem and budget.
    if (optimizer !== 'sgd') assert.ok(end < losses.sgd.end, `${optimizer} ${end} vs sgd ${losses.sgd.end}`);
  }
}

async function compareRegularizer(name, without, extra) {
  const measure = (config) => withTrainer(config, (trainer) => {
    const last = trainer.step(500);
    const { train, val } = trainer.evaluate();
    const weightNorm = hiddenStats(trainer).reduce((sum, layer) => sum + layer.weight_norm, 0);
    return { gap: train.acc - val.acc, valLoss: val.loss, trainLoss: train.loss, weightNorm, regLoss: last.reg_loss };
  });
  const regularized = await measure(configOf(name));
  const plain = await measure(configOf(name, without));
  assert.ok(plain.trainLoss < regularized.trainLoss, `without it the training loss goes lower: ${plain.trainLoss} vs ${regularized.trainLoss}`);
  assert.ok(regularized.gap < plain.gap, `smaller train/val gap: ${regularized.gap} vs ${plain.gap}`);
  assert.ok(regularized.valLoss < plain.valLoss, `lower validation loss: ${regularized.valLoss} vs ${plain.valLoss}`);
  extra?.(regularized, plain);
}

describe('lecture presets', () => {
  test('each preset is documented and valid', () => {
    assert.ok(presets.length >= 20);
    const names = new Set();
    for (const preset of presets) {
      assert.match(preset.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case');
      assert.ok(!names.has(preset.name), `duplicate ${preset.name}`);
      names.add(preset.name);
      assert.ok(preset.title.length > 10, preset.name);
      assert.ok(preset.explain.length > 150 && !preset.explain.includes('\n'), `${preset.name}: one paragraph`);
      assert.deepEqual(validateConfig(preset.config), [], preset.name);
      assert.equal(presets.byName(preset.name), preset);
    }
    assert.equal(presets.byName('no-such-preset'), undefined);
  });

  test('every preset has a check below', () => {
    assert.deepEqual(presets.map((preset) => preset.name).sort(), Object.keys(CHECKS).sort());
  });

  for (const preset of presets) {
    test(`${preset.name}: ${preset.title}`, () => CHECKS[preset.name]());
  }
});
