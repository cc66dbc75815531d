// Pure (node-only, no browser) tests of the playground's URL schema, number formatting, slider
// ladders, babysitting text and series helpers. Expected values are worked out by hand here.
import test from 'node:test';
import assert from 'node:assert/strict';

import { formatNumber, formatRate, formatTicks, logLadder, nearestLadderIndex } from '../../dist/app/format.js';
import {
  settings, settingsById, parseSetting, buildConfig, valuesFromConfig, classifyChange, describeDifference, presetConfig, mergeConfig,
} from '../../dist/app/state-schema.js';
import { parseHash, serializeHash } from '../../dist/app/url-state.js';
import { suggestLearningRate, divergenceAdvice, initialLossSummary } from '../../dist/app/babysit.js';
import { smoothSeries, alignToGrid, scatterToGrid } from '../../dist/app/series.js';

const defaults = {
  seed: 1,
  data: { dataset: 'spiral', classes: 3, samples: 300, noise: 0.2, dims: 2, val_fraction: 0.2, preprocess: 'none', train_limit: 0 },
  model: { hidden: [100, 100], activation: 'relu', init: 'he', init_scale: 0.01, bias_init: 0, norm: 'none', dropout: 0 },
  train: { optimizer: 'sgd', lr: 0.1, momentum: 0.9, batch_size: 32, l2: 0 },
};
const presets = [
  { name: 'deep-tanh-small', title: 'small init', config: { model: { hidden: [50, 40, 30], activation: 'tanh', init: 'normal' }, train: { momentum: 0.5 } } },
];
const context = { presetNames: presets.map((p) => p.name) };

test('every label of issue 4 is in the schema exactly once', () => {
  const labels = ['Learning rate', 'Initializer', 'Init scale', 'Bias init', 'Normalization', 'Activation', 'Optimizer',
    'Batch size', 'Hidden layers', 'Units per layer', 'L2 regularization', 'Dropout', 'Dataset', 'Noise',
    'Preprocessing', 'Seed', 'Preset', 'Layer list'];
  assert.deepEqual(settings.map((s) => s.label).sort(), labels.sort());
  const live = settings.filter((s) => s.live).map((s) => s.id).sort();
  assert.deepEqual(live, ['dropout', 'l2', 'lr']);
});

test('formatNumber and formatRate', () => {
  assert.equal(formatNumber(0.1), '0.1');
  assert.equal(formatNumber(3), '3');
  assert.equal(formatNumber(1024), '1024');
  assert.equal(formatNumber(-5), '-5');
  assert.equal(formatNumber(123.456), '123');
  assert.equal(formatNumber(0.0015), '0.0015');
  assert.equal(formatNumber(1e-6), '1e-6');
  assert.equal(formatNumber(0.000025), '2.5e-5');
  assert.equal(formatNumber(1.0986122886681098), '1.1');
  assert.equal(formatNumber(NaN), '–');
  assert.equal(formatRate(3), '3.0');
  // Issue 15: every tick with the fewest digits that represent it exactly.
  assert.deepEqual(formatTicks([2.3, 2.302, 2.304]), ['2.3', '2.302', '2.304']);
  assert.deepEqual(formatTicks([0, 0.5, 1, 1.5]), ['0', '0.5', '1', '1.5']);
  assert.deepEqual(formatTicks([0.25, 0.5, 0.75, 1, 1.25]), ['0.25', '0.5', '0.75', '1', '1.25']);
  assert.deepEqual(formatTicks([0.1 + 0.2, 0.6000000000000001]), ['0.3', '0.6']);
  assert.deepEqual(formatTicks([0.000125, 250000]), ['1.25e-4', '2.5e5']);
  assert.deepEqual(formatTicks([500, 1000, 1500]), ['500', '1000', '1500']);
  assert.deepEqual(formatTicks([0, 0.0005]), ['0', '5e-4']);
  assert.equal(formatRate(0.1), '0.1');
});

test('log ladder covers 1e-6 … 10 with readable values', () => {
  const ladder = logLadder(1e-6, 10);
  assert.equal(ladder[0], 1e-6);
  assert.equal(ladder[ladder.length - 1], 10);
  // 7 decades × 6 mantissas, plus 10 itself
  assert.equal(ladder.length, 43);
  assert.ok(ladder.includes(3e-7) === false);
  assert.ok(ladder.includes(0.003) && ladder.includes(0.1) && ladder.includes(3));
  for (let i = 1; i < ladder.length; i++) assert.ok(ladder[i] > ladder[i - 1]);
  assert.equal(ladder[nearestLadderIndex(ladder, 0.1)], 0.1);
  assert.equal(ladder[nearestLadderIndex(ladder, 0.0042)], 0.005); // |ln .0042−ln .005| < |ln .0042−ln .003|
  assert.equal(ladder[nearestLadderIndex(ladder, 1e-9)], 1e-6);
  assert.equal(nearestLadderIndex([0, 1e-3, 1e-2], 0), 0);
});

test('parseSetting accepts valid values and explains invalid ones', () => {
  const lr = settingsById.get('lr');
  assert.deepEqual(parseSetting(lr, '0.003'), { ok: true, value: 0.003 });
  assert.deepEqual(parseSetting(lr, '1e-4'), { ok: true, value: 1e-4 });
  assert.match(parseSetting(lr, 'fast').message, /“fast” is not a number/);
  assert.match(parseSetting(lr, '100').message, /outside 1e-6 … 10/);
  assert.match(parseSetting(lr, '').message, /not a number/);
  assert.equal(parseSetting(lr, 'Infinity').ok, false);
  const batch = settingsById.get('batch_size');
  assert.match(parseSetting(batch, '2.5').message, /whole number/);
  const init = settingsById.get('init');
  assert.deepEqual(parseSetting(init, 'Xavier'), { ok: true, value: 'xavier' });
  assert.match(parseSetting(init, 'magic').message, /“magic” is not one of zeros, normal/);
  const preset = settingsById.get('preset');
  assert.deepEqual(parseSetting(preset, 'deep-tanh-small', context), { ok: true, value: 'deep-tanh-small' });
  assert.equal(parseSetting(preset, 'nope', context).ok, false);
});

test('parseHash reads settings, view options, and reports garbage specifically', () => {
  const parsed = parseHash('#preset=deep-tanh-small&lr=0.03&init=xavier&layers=3&units=64&controls=lr,init,bogus&charts=loss,dead-relu&autoplay=1&steps=500', context);
  assert.equal(parsed.preset, 'deep-tanh-small');
  assert.deepEqual(parsed.values, { lr: 0.03, init: 'xavier', layers: 3, units: 64 });
  assert.deepEqual(parsed.view, { controls: ['lr', 'init'], charts: ['loss', 'dead-relu'], autoplay: true, steps: 500 });
  assert.equal(parsed.notices.length, 1);
  assert.match(parsed.notices[0], /Unknown control “bogus”/);

  const garbage = parseHash('#lr=banana&dataset=%3Cscript%3Ealert(1)%3C%2Fscript%3E&wat=1&seed=7&lr=%zz', context);
  assert.deepEqual(garbage.values, { seed: 7 });
  assert.equal(garbage.notices.length, 5);
  assert.ok(garbage.notices.some((n) => n.includes('Learning rate: “banana” is not a number; using the default.')));
  assert.ok(garbage.notices.some((n) => n.includes('Dataset: “<script>alert(1)</script>” is not one of')));
  assert.ok(garbage.notices.some((n) => n.includes('Unknown setting “wat”')));
  assert.ok(garbage.notices.some((n) => n.includes('more than once')));
  assert.ok(garbage.notices.some((n) => n.includes('“%zz” is not a number')));
});

test('serializeHash round-trips through parseHash', () => {
  const values = valuesFromConfig(defaults);
  values.lr = 1.1 * 3e-6; // 3.3000000000000003e-6: binary noise must round-trip too
  values.init = 'glorot_uniform';
  const hash = serializeHash('deep-tanh-small', values, { controls: ['lr', 'init'], autoplay: true });
  assert.match(hash, /^#preset=deep-tanh-small&dataset=spiral&noise=0.2&/);
  assert.match(hash, /controls=lr,init/);
  const back = parseHash(hash, context);
  assert.deepEqual(back.notices, []);
  assert.equal(back.preset, 'deep-tanh-small');
  assert.deepEqual(back.values, values);
});

test('buildConfig writes only what differs from the base, hidden from layers × units', () => {
  const own = presetConfig(presets, 'deep-tanh-small');
  const values = valuesFromConfig(mergeConfig(defaults, own));
  assert.equal(values.layers, 3);
  assert.equal(values.units, 50);
  assert.equal(values.lr, 0.1);
  // untouched: the preset's config comes back unchanged (non-uniform widths survive, no defaults added)
  assert.deepEqual(buildConfig(defaults, own, values), presets[0].config);
  const changed = buildConfig(defaults, own, { ...values, units: 20, lr: 0.5 });
  assert.deepEqual(changed.model.hidden, [20, 20, 20]);
  assert.equal(changed.train.lr, 0.5);
  assert.equal(changed.train.momentum, 0.5);
  assert.equal(presets[0].config.train.lr, undefined, 'the preset is not mutated');
  // switching spiral (3 classes) to circles drops the class count so circles gets its 2
  const spiral3 = { data: { dataset: 'spiral', classes: 3 } };
  const circles = buildConfig(defaults, spiral3, { ...valuesFromConfig(mergeConfig(defaults, spiral3)), dataset: 'circles' });
  assert.deepEqual(circles.data, { dataset: 'circles' });
  assert.deepEqual(presetConfig(presets, ''), {});
});

test('classifyChange separates live from structural changes', () => {
  const a = valuesFromConfig(defaults);
  const live = classifyChange(a, { ...a, lr: 0.01, l2: 1e-3 });
  assert.equal(live.live, true);
  assert.deepEqual(live.liveChanges, { train: { lr: 0.01, l2: 1e-3 } });
  const structural = classifyChange(a, { ...a, lr: 0.01, init: 'zeros' });
  assert.equal(structural.live, false);
  assert.deepEqual(structural.changed.sort(), ['init', 'lr']);
  assert.equal(classifyChange(a, { ...a }).live, false);
  assert.equal(describeDifference({ ...a, init: 'xavier' }, a, '', ''), 'init = xavier');
  assert.equal(describeDifference({ ...a, lr: 0.003 }, a, 'x', ''), 'preset = x, lr = 0.003');
});

test('babysitting: suggestion ladder and messages', () => {
  assert.equal(suggestLearningRate(3), 0.1);
  assert.equal(suggestLearningRate(1), 0.03);
  assert.equal(suggestLearningRate(0.5), 0.01);
  assert.equal(suggestLearningRate(10), 0.3);
  assert.equal(suggestLearningRate(1e-5), 1e-6);
  const advice = divergenceAdvice({ step: 412, lr: 3, reason: 'loss became NaN' });
  assert.equal(advice.text, 'diverged at step 412: learning rate 3.0 is too high, try ≤ 0.1');
  assert.equal(advice.suggestedLr, 0.1);
  const initial = initialLossSummary({ expected: Math.log(3), measured: 1.0987, classes: 3 });
  assert.equal(initial.text, 'Initial loss 1.1 · expected ln(3) = 1.1');
  assert.equal(initial.warning, '');
  assert.notEqual(initialLossSummary({ expected: Math.log(3), measured: 9, classes: 3 }).warning, '');
  // Each loss is labelled by what its expectation is (the engine's loss registry).
  assert.equal(initialLossSummary({ expected: 2, measured: 2, classes: 3, label: 'C - 1' }).text, 'Initial loss 2 · expected 3 - 1 = 2');
  assert.equal(initialLossSummary({ expected: 0.5, measured: 0.5, classes: 3, label: '0.5' }).text, 'Initial loss 0.5 · expected 0.5 = 0.5');
});

test('smoothing, grid alignment and scatter', () => {
  const smoothed = smoothSeries([2, 4, NaN, 4], 0.5);
  // s1 = 1 → 1/(1−.5) = 2; s2 = .5 + 2 = 2.5 → 2.5/.75 = 3.333…; NaN → null and the average starts
  // over (never smooth across a divergence): 4.
  assert.equal(smoothed[0], 2);
  assert.ok(Math.abs(smoothed[1] - 10 / 3) < 1e-12);
  assert.equal(smoothed[2], null);
  assert.equal(smoothed[3], 4);
  // A loss that blows up past its start (2.3 → … → 97,100) is drawn at its true height.
  const blowUp = smoothSeries([2.3, 2.1, 2.0, 1.9, 40, 900, 97100], 0.9);
  assert.equal(blowUp.at(-1), 97100);
  assert.equal(blowUp[4], 40);
  // Batch noise below the starting loss is smoothed (0.05 is 5 × the average 0.01, but below 2.3).
  const noisy = smoothSeries([2.3, ...new Array(80).fill(0.01), 0.05], 0.9);
  assert.ok(noisy.at(-1) < 0.05 && noisy.at(-1) > 0.01, `smoothed ${noisy.at(-1)}`);
  assert.deepEqual(alignToGrid([1, 2, 3, 4, 5, 6], [2, 4], [20, 40]), [null, 20, 20, 40, null, null]);
  assert.deepEqual(scatterToGrid([1, 3, 5, 7], [4, 7], [0.4, 0.7]), [null, 0.4, null, 0.7]);
});
