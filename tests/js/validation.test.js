// Bad input: a table of invalid configurations, each refused with an Error naming the field, by
// validateConfig, by createTrainer and (for JSON-expressible ones) by the engine's own validator;
// bad setParams input; and the module still training normally afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ConfigError, createTrainer, presets, validateConfig } from '../../bindings/js/index.js';
import { loadEngineModule } from '../../bindings/js/loader.js';

const twoRows = { x: [[0, 0], [1, 1], [2, 2]], y: [0, 1, 0] };

// [description, config, path the first problem must name, what its message must say]
const INVALID = [
  ['lr as a string', { train: { lr: '0.1' } }, 'train.lr', /number.*string "0\.1"/],
  ['lr NaN', { train: { lr: NaN } }, 'train.lr', /finite.*NaN/],
  ['lr Infinity', { train: { lr: Infinity } }, 'train.lr', /finite.*Infinity/],
  ['lr negative', { train: { lr: -0.1 } }, 'train.lr', /> 0.*-0\.1/],
  ['lr zero', { train: { lr: 0 } }, 'train.lr', /> 0/],
  ['batch norm, batch size 1', { model: { norm: 'batch' }, train: { batch_size: 1 } }, 'train.batch_size', /batch norm needs at least 2 examples per batch/],
  ['batch norm, one training example', { model: { norm: 'batch' }, data: { train_limit: 1 } }, 'train.batch_size', /layer or group norm/],
  ['typo learning_rate', { train: { learning_rate: 0.1 } }, 'train.learning_rate', /unknown key; did you mean train\.lr\?/],
  ['lr at the top level', { lr: 0.1 }, 'lr', /unknown key; did you mean train\.lr\?/],
  ['misspelt activation key', { model: { activaton: 'relu' } }, 'model.activaton', /did you mean model\.activation\?/],
  ['camelCase batchSize', { train: { batchSize: 32 } }, 'train.batchSize', /did you mean train\.batch_size\?/],
  ['dropout in the wrong group', { train: { dropout: 0.5 } }, 'train.dropout', /did you mean model\.dropout\?/],
  ['unknown group', { optimizer: { name: 'adam' } }, 'optimizer', /did you mean train\.optimizer\?/],
  ['batch size 3.5', { train: { batch_size: 3.5 } }, 'train.batch_size', /integer.*3\.5/],
  ['batch size 0', { train: { batch_size: 0 } }, 'train.batch_size', />= 1.*0/],
  ['batch size "32"', { train: { batch_size: '32' } }, 'train.batch_size', /integer.*string "32"/],
  ['hidden as a string', { model: { hidden: '100,100' } }, 'model.hidden', /array of layer widths/],
  ['negative width', { model: { hidden: [100, -1] } }, 'model.hidden[1]', /integer in \[1, 65536\].*-1/],
  ['zero width', { model: { hidden: [0] } }, 'model.hidden[0]', /layer width/],
  ['too many layers', { model: { hidden: Array(65).fill(2) } }, 'model.hidden', /at most 64/],
  ['unknown activation', { model: { activation: 'relu6' } }, 'model.activation', /one of .*relu.*leaky_relu.*; got the string "relu6"/],
  ['unknown init', { model: { init: 'kaiming' } }, 'model.init', /one of .*he_uniform/],
  ['unknown optimizer', { train: { optimizer: 'adamax' } }, 'train.optimizer', /one of .*adamw/],
  ['unknown dataset', { data: { dataset: 'mnist' } }, 'data.dataset', /one of .*gaussian_cloud/],
  ['unknown norm', { model: { norm: 'batchnorm' } }, 'model.norm', /one of none, batch, layer, group/],
  ['unknown loss', { train: { loss: 'hinge' } }, 'train.loss', /one of softmax, svm, mse/],
  ['val_fraction 1', { data: { val_fraction: 1 } }, 'data.val_fraction', /\[0, 1\).*1/],
  ['val_fraction -0.1', { data: { val_fraction: -0.1 } }, 'data.val_fraction', /\[0, 1\)/],
  ['val_fraction leaving no training data', { data: { samples: 2, val_fraction: 0.9 } }, 'data.val_fraction', /at least one must remain/],
  ['dropout 1', { model: { dropout: 1 } }, 'model.dropout', /\[0, 1\).*1/],
  ['dropout -0.5', { model: { dropout: -0.5 } }, 'model.dropout', /\[0, 1\)/],
  ['momentum 1', { train: { momentum: 1 } }, 'train.momentum', /\[0, 1\)/],
  ['beta2 1.5', { train: { beta2: 1.5 } }, 'train.beta2', /\[0, 1\).*1\.5/],
  ['gamma 0', { train: { gamma: 0 } }, 'train.gamma', /\(0, 1\]/],
  ['min_lr above lr', { train: { lr: 0.1, min_lr: 1 } }, 'train.min_lr', /at most train\.lr/],
  ['seed -1', { seed: -1 }, 'seed', /\[0, 4294967295\].*-1/],
  ['seed 2^32', { seed: 2 ** 32 }, 'seed', /4294967295/],
  ['seed 1.5', { seed: 1.5 }, 'seed', /integer/],
  ['shuffle "yes"', { train: { shuffle: 'yes' } }, 'train.shuffle', /true or false.*"yes"/],
  ['group that is not an object', { data: 'spiral' }, 'data', /must be an object/],
  ['config null', null, '', /must be an object.*null/],
  ['config array', [], '', /must be an object/],
  ['one class', { data: { classes: 1 } }, 'data.classes', /at least 2 classes/],
  ['moons with 3 classes', { data: { dataset: 'moons', classes: 3 } }, 'data.classes', /2 classes/],
  ['3-D spiral', { data: { dims: 3 } }, 'data.dims', /2-D/],
  ['regression with softmax', { data: { dataset: 'regression' } }, 'train.loss', /mse/],
  ['mse on class labels with dims 3', { train: { loss: 'mse' }, data: { dims: 3 } }, 'data.dims', /2-D/],
  ['groups not dividing widths', { model: { hidden: [100], norm: 'group', groups: 3 } }, 'model.groups', /3 does not divide 100/],
  ['bins 1', { diagnostics: { bins: 1 } }, 'diagnostics.bins', /\[2, 200\]/],
  ['history 8', { diagnostics: { history: 8 } }, 'diagnostics.history', />= 16|\[16/],
  ['samples 1', { data: { samples: 1 } }, 'data.samples', /\[2, 1000000\]/],
  ['negative noise', { data: { noise: -1 } }, 'data.noise', />= 0/],
  ['init_scale NaN', { model: { init_scale: NaN } }, 'model.init_scale', /finite.*NaN/],
  ['clip Infinity', { train: { clip: Infinity } }, 'train.clip', /finite/],
  ['norm_eps 0', { model: { norm_eps: 0 } }, 'model.norm_eps', /> 0/],
  ['huge hidden layers over the memory budget', { model: { hidden: [20000, 20000] } }, 'model.hidden', /memory budget/],
  ['huge data over the memory budget', { data: { dataset: 'gaussian_cloud', samples: 1000000, dims: 500 } }, 'data.dims', /memory budget/],
  ['huge batch over the memory budget', { model: { hidden: [4096, 4096, 4096] }, train: { batch_size: 100000 }, data: { dataset: 'gaussian_cloud', samples: 200000, dims: 2 } }, 'train.batch_size', /memory budget/],
  ['custom: ragged rows', { data: { dataset: 'custom', x: [[0, 0], [1], [2, 2]], y: [0, 1, 0] } }, 'data.x[1]', /row 1 has 1 values; row 0 has 2/],
  ['custom: NaN feature', { data: { dataset: 'custom', x: [[0, 0], [1, NaN], [2, 2]], y: [0, 1, 0] } }, 'data.x[1][1]', /row 1, feature 1.*NaN/],
  ['custom: string feature', { data: { dataset: 'custom', x: [[0, 0], [1, '1'], [2, 2]], y: [0, 1, 0] } }, 'data.x[1][1]', /finite number.*string/],
  ['custom: label out of range', { data: { dataset: 'custom', classes: 2, ...twoRows, y: [0, 1, 2] } }, 'data.y[2]', /label 2 is out of range \[0, 2\)/],
  ['custom: negative label', { data: { dataset: 'custom', ...twoRows, y: [0, -1, 0] } }, 'data.y[1]', /out of range/],
  ['custom: fractional label', { data: { dataset: 'custom', ...twoRows, y: [0, 0.5, 1] } }, 'data.y[1]', /integer.*0\.5/],
  ['custom: lengths differ', { data: { dataset: 'custom', x: twoRows.x, y: [0, 1] } }, 'data.y', /2 labels but data\.x has 3 rows/],
  ['custom: flat x not a whole number of rows', { data: { dataset: 'custom', x: new Float32Array(7), y: [0, 1, 0] } }, 'data.x', /7 values/],
  ['custom: dims disagree with rows', { data: { dataset: 'custom', dims: 3, ...twoRows } }, 'data.dims', /rows of data\.x have 2/],
  ['custom: no x', { data: { dataset: 'custom', y: [0, 1] } }, 'data.x', /needs data\.x/],
  ['custom arrays on a generated dataset', { data: { x: [[1, 2]], y: [0] } }, 'data.x', /only used with data\.dataset "custom"/],
];

describe('invalid configurations', () => {
  let engineModule;
  before(async () => {
    ({ module: engineModule } = await loadEngineModule());
  });

  test('the table has at least 40 cases', () => {
    assert.ok(INVALID.length >= 40, `${INVALID.length} cases`);
  });

  for (const [description, config, path, message] of INVALID) {
    test(`${description}: ${path || '(whole config)'}`, async () => {
      const problems = validateConfig(config);
      assert.ok(problems.length > 0, 'validateConfig found no problem');
      assert.equal(problems[0].path, path, JSON.stringify(problems));
      assert.match(problems[0].message, message);

      const error = await createTrainer(config).then(
        (trainer) => { trainer.dispose(); return null; },
        (thrown) => thrown,
      );
      assert.ok(error instanceof ConfigError, `createTrainer did not throw a ConfigError: ${error}`);
      assert.equal(error.code, 'ERR_TRAINSCOPE_CONFIG');
      assert.ok(error instanceof Error);
      assert.ok(error.message.startsWith(path ? `${path}: ` : ''), error.message);
      assert.deepEqual(error.problems, problems);

      // The engine's own validator agrees that the config is invalid (JSON cannot carry NaN or
      // typed arrays, which the JS layer alone handles).
      const text = JSON.stringify(config);
      if (text !== undefined && !/NaN|Infinity/.test(description) && !(config?.data?.x instanceof Float32Array)) {
        const engineMessage = engineModule.validateConfigJson(text);
        assert.notEqual(engineMessage, '', `the engine accepts ${text}`);
      }
    });
  }

  test('validateConfig never throws and never builds anything, whatever it is given', () => {
    for (const value of [undefined, 0, 'spiral', true, () => {}, new Map(), { train: null }, { model: { hidden: [null] } }]) {
      const problems = validateConfig(value);
      assert.ok(Array.isArray(problems) && problems.length > 0, String(value));
    }
  });
});

describe('valid configurations are accepted by both validators', () => {
  const VALID = [
    {},
    { train: { lr: 1e-9, optimizer: 'adamw', schedule: 'cosine', min_lr: 1e-10 } },
    { model: { hidden: [] } },
    { model: { hidden: [12, 12], norm: 'group', groups: 4, dropout: 0.99 } },
    { data: { dataset: 'moons' } },
    { data: { dataset: 'regression', dims: 1 }, train: { loss: 'mse' } },
    { data: { val_fraction: 0 }, seed: 4294967295 },
    { data: { dataset: 'gaussian_cloud', dims: 50, classes: 1000, samples: 2000 } },
    ...presets.map((preset) => preset.config),
  ];
  test('each is valid for validateConfig and for the engine', async () => {
    const { module } = await loadEngineModule();
    for (const config of VALID) {
      assert.deepEqual(validateConfig(config), [], JSON.stringify(config));
      assert.equal(module.validateConfigJson(JSON.stringify(config)), '', JSON.stringify(config));
    }
  });
});

describe('setParams refuses bad tensors without writing anything', () => {
  let trainer;
  before(async () => {
    trainer = await createTrainer({ model: { hidden: [8] }, data: { samples: 60 } });
  });
  after(() => trainer.dispose());

  const BAD_PARAMS = [
    ['not an array', () => ({ name: 'x' }), /array of \{name, values\}/],
    ['unknown tensor', () => [{ name: 'layer9.W', values: [] }], /unknown tensor.*layer9\.W/],
    ['wrong shape', (params) => [{ ...params[0], shape: [8, 2] }], /has shape \[2, 8\]; got \[8, 2\]/],
    ['too few values', (params) => [{ name: params[0].name, values: params[0].values.slice(1) }], /needs 16 values \(2 x 8\); got 15/],
    ['too many values', (params) => [{ name: params[0].name, values: [...params[0].values, 0] }], /needs 16 values.*got 17/],
    ['a NaN value', (params) => [{ name: params[0].name, values: params[0].values.map((v, i) => (i === 3 ? NaN : v)) }], /value 3 is NaN/],
    ['an Infinity value', (params) => [{ name: params[1].name, values: Array(params[1].values.length).fill(Infinity) }], /finite/],
    ['values as a string', (params) => [{ name: params[0].name, values: 'zeros' }], /Float32Array or an array of numbers/],
    ['the same tensor twice', (params) => [params[0], params[0]], /given twice/],
    ['a good tensor then a bad one', (params) => [{ name: params[0].name, values: new Float32Array(16) }, { name: params[1].name, values: [1] }], /needs 8 values/],
  ];
  for (const [description, make, message] of BAD_PARAMS) {
    test(description, () => {
      const before = trainer.getParams();
      assert.throws(() => trainer.setParams(make(before)), (error) => error instanceof ConfigError && message.test(error.message));
      assert.deepEqual(trainer.getParams(), before, 'nothing was written');
    });
  }
});

describe('the module still trains normally after all those errors', () => {
  test('a fresh spiral trainer learns', async () => {
    const trainer = await createTrainer({ seed: 3 });
    const first = trainer.step();
    trainer.step(400);
    const evaluation = trainer.evaluate();
    trainer.dispose();
    assert.ok(Number.isFinite(first.loss));
    assert.ok(evaluation.train.loss < first.loss * 0.7, `${evaluation.train.loss} vs ${first.loss}`);
    assert.ok(evaluation.train.acc > 0.7, `train accuracy ${evaluation.train.acc}`);
  });
});
