// The engine-independent hyperparameter search (bindings/js/search/): space validation against the
// schema, log-uniform sampling, grids, Bergstra's property, early stopping, successive halving,
// coarse to fine, the ensemble, determinism across worker counts, pause / cancel / resume.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createTrainer, runTrial, search, SearchSpaceError } from '../../bindings/js/index.js';
import {
  contains, createRandom, gridPoints, normalizeSpace, refineSpace, samplePoint, validationProbabilities,
} from '../../bindings/js/search/index.js';

// A small, quick spiral problem: every engine trial here takes a few milliseconds.
const BASE = { seed: 5, data: { samples: 150 }, model: { hidden: [24] } };

// Kolmogorov–Smirnov statistic of samples in [0, 1] against U(0, 1).
function ksStatistic(unitSamples) {
  const sorted = [...unitSamples].sort((a, b) => a - b);
  let d = 0;
  sorted.forEach((u, i) => { d = Math.max(d, (i + 1) / sorted.length - u, u - i / sorted.length); });
  return d;
}

describe('the search space', () => {
  test('log-uniform sampling is uniform in log10 and stays inside the range (KS at a fixed seed)', () => {
    const dims = normalizeSpace({ 'train.lr': { log: [1e-5, 1e-1] } });
    const random = createRandom(42);
    const n = 2000;
    const values = Array.from({ length: n }, () => samplePoint(dims, random)['train.lr']);
    for (const value of values) assert.ok(value >= 1e-5 && value <= 1e-1, `${value} outside [1e-5, 1e-1]`);
    const critical = 1.36 / Math.sqrt(n);   // 5% level
    const inLog = ksStatistic(values.map((lr) => (Math.log10(lr) + 5) / 4));
    assert.ok(inLog < critical, `KS in log space ${inLog.toFixed(4)} >= ${critical.toFixed(4)}`);
    // The same samples are far from uniform on the linear scale (the test tells the two apart).
    const linear = ksStatistic(values.map((lr) => (lr - 1e-5) / (1e-1 - 1e-5)));
    assert.ok(linear > 10 * critical, `KS on the linear scale only ${linear.toFixed(4)}`);
  });

  test('a grid covers the corners, log-spaced on log dimensions', () => {
    const dims = normalizeSpace({ 'train.lr': { log: [1e-5, 1e-1] }, 'model.dropout': { uniform: [0, 0.6] } });
    const points = gridPoints(dims, 9);
    assert.equal(points.length, 9);
    const lrs = [...new Set(points.map((p) => p['train.lr']))].sort((a, b) => a - b);
    assert.deepEqual(lrs.map((lr) => Math.log10(lr)).map((x) => Math.round(x * 1e9) / 1e9), [-5, -3, -1]);
    const drops = [...new Set(points.map((p) => p['model.dropout']))].sort((a, b) => a - b);
    assert.deepEqual(drops.map((x) => Math.round(x * 1e9) / 1e9), [0, 0.3, 0.6]);
    for (const lr of [1e-5, 1e-1]) {
      for (const dropout of [0, 0.6]) {
        assert.ok(points.some((p) => Math.abs(p['train.lr'] / lr - 1) < 1e-9 && Math.abs(p['model.dropout'] - dropout) < 1e-9), `corner ${lr}, ${dropout}`);
      }
    }
  });

  test('an unknown path, a range outside the key\'s allowed range or a bad choice is an Error naming the key', () => {
    const cases = [
      [{ 'train.learning_rate': { log: [1e-4, 1e-1] } }, 'train.learning_rate'],
      [{ 'model.dropout': { uniform: [0, 1.5] } }, 'model.dropout'],
      [{ 'train.lr': { log: [0, 1] } }, 'train.lr'],
      [{ 'train.l2': { uniform: [-1, 1] } }, 'train.l2'],
      [{ 'model.init': { choice: ['xavier', 'kaiming'] } }, 'model.init'],
      [{ 'model.init': { log: [1, 2] } }, 'model.init'],
      [{ 'train.lr': { between: [1, 2] } }, 'train.lr'],
    ];
    for (const [space, path] of cases) {
      assert.throws(() => search({ space, trials: 1, steps: 1 }), (error) => {
        assert.ok(error instanceof SearchSpaceError, `${path}: ${error}`);
        assert.equal(error.path, path);
        assert.match(error.message, new RegExp(path.replace('.', '\\.')));
        return true;
      });
    }
    // The example space is valid.
    normalizeSpace({
      'train.lr': { log: [1e-5, 1e-1] }, 'train.l2': { log: [1e-6, 1e-1] }, 'model.dropout': { uniform: [0, 0.6] },
      'model.init': { choice: ['xavier', 'he'] }, 'train.batch_size': { choice: [16, 32, 64] },
    });
  });

  test('refine shrinks around the best, in log space, and widens a range whose best sits at an edge', () => {
    const dims = normalizeSpace({ 'train.lr': { log: [1e-5, 1e-1] }, 'model.dropout': { uniform: [0, 0.6] } });
    const inside = refineSpace(dims, [{ params: { 'train.lr': 1e-3, 'model.dropout': 0.3 } }, { params: { 'train.lr': 3e-3, 'model.dropout': 0.2 } }]);
    const [lr, dropout] = inside.dimensions;
    assert.ok(lr.range[0] > 1e-5 && lr.range[1] < 1e-1, `lr ${lr.range}`);
    assert.ok(contains(lr, 1e-3) && contains(lr, 3e-3));
    // Shrunk in log space: centred in decades on the two best (the linear midpoint would be 2e-3).
    const centre = (Math.log10(lr.range[0]) + Math.log10(lr.range[1])) / 2;
    assert.ok(Math.abs(centre - (Math.log10(1e-3) + Math.log10(3e-3)) / 2) < 1e-9, `centre 10^${centre}`);
    assert.ok(dropout.range[0] > 0 && dropout.range[1] < 0.6);
    assert.deepEqual(inside.widened, []);
    const edge = refineSpace(dims, [{ params: { 'train.lr': 0.09, 'model.dropout': 0.01 } }]);
    assert.ok(edge.dimensions[0].range[1] > 0.1, `lr not widened: ${edge.dimensions[0].range}`);
    assert.deepEqual(edge.widened, ['train.lr (high)', 'model.dropout (low)']);
    assert.equal(edge.dimensions[1].range[0], 0, 'dropout cannot go below its allowed 0');
  });
});

describe('search() on a synthetic objective', () => {
  // Only lr matters (peak at 10^-2.3); l2 is ignored. Accuracy in (0, 1].
  const onlyLrMatters = async (spec) => {
    const lr = spec.config.train.lr;
    const acc = Math.exp(-((Math.log10(lr) + 2.3) ** 2));
    return { index: spec.index, status: 'ok', reason: '', stopped_at: null, steps: spec.steps, initial_loss: 1, final_loss: 1 - acc, train_loss: 1 - acc, train_acc: acc, val_loss: 1 - acc, val_acc: acc, curve: { step: [], loss: [] }, probabilities: null };
  };
  const space = { 'train.lr': { log: [1e-5, 1e-1] }, 'train.l2': { log: [1e-6, 1e-1] } };

  test("Bergstra's property: with 9 trials random tries 9 distinct lr values, grid 3, and random finds a better best", async () => {
    const random = await search({ space, method: 'random', trials: 9, steps: 1, seed: 1, runTrial: onlyLrMatters }).results;
    const grid = await search({ space, method: 'grid', trials: 9, steps: 1, seed: 1, runTrial: onlyLrMatters }).results;
    const distinct = (result) => new Set(result.trials.map((trial) => trial.params['train.lr'])).size;
    assert.equal(random.trials.length, 9);
    assert.equal(grid.trials.length, 9);
    assert.equal(distinct(random), 9);
    assert.equal(distinct(grid), 3);
    assert.ok(random.best.val_acc > grid.best.val_acc, `random ${random.best.val_acc} vs grid ${grid.best.val_acc}`);
  });

  test('the same seed plans the same trials; another seed other ones', async () => {
    const a = await search({ space, trials: 5, steps: 1, seed: 9, runTrial: onlyLrMatters }).results;
    const b = await search({ space, trials: 5, steps: 1, seed: 9, runTrial: onlyLrMatters }).results;
    const c = await search({ space, trials: 5, steps: 1, seed: 10, runTrial: onlyLrMatters }).results;
    assert.deepEqual(a.trials, b.trials);
    assert.notDeepEqual(a.trials.map((t) => t.params), c.trials.map((t) => t.params));
  });

  test('successive halving gives the full budget only to the promising trials', async () => {
    const calls = [];
    const runner = async (spec) => { calls.push(spec.steps); return onlyLrMatters(spec); };
    const result = await search({ space, trials: 9, steps: 90, seed: 2, halving: { eta: 3, minSteps: 10 }, runTrial: runner }).results;
    assert.deepEqual(calls.filter((s) => s === 10).length, 9);
    assert.deepEqual(calls.filter((s) => s === 30).length, 3);
    assert.deepEqual(calls.filter((s) => s === 90).length, 1);
    assert.equal(result.trials.length, 9);
    assert.equal(result.trials.filter((t) => t.status === 'pruned').length, 8);
    const best = result.trials.filter((t) => t.status === 'ok');
    assert.equal(best.length, 1);
    assert.equal(best[0].steps, 90);
    // The one that got the budget is the best of the first rung.
    const firstRung = Math.max(...result.trials.map((t) => t.val_acc));
    assert.equal(best[0].val_acc, firstRung);
  });

  test('resume: trials given as completed (same index and hash) are not run again', async () => {
    const first = await search({ space, trials: 6, steps: 1, seed: 4, runTrial: onlyLrMatters }).results;
    let runs = 0;
    const counting = async (spec) => { runs++; return onlyLrMatters(spec); };
    const again = await search({ space, trials: 6, steps: 1, seed: 4, runTrial: counting, completed: first.trials.slice(0, 4) }).results;
    assert.equal(runs, 2);
    assert.deepEqual(again.trials.map(({ resumed, ...t }) => t), first.trials);
    // A changed step budget changes the hash: everything runs.
    runs = 0;
    await search({ space, trials: 6, steps: 2, seed: 4, runTrial: counting, completed: first.trials }).results;
    assert.equal(runs, 6);
  });

  test('pause holds new trials, resume continues, cancel keeps the finished ones', async () => {
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    let started = 0;
    const slow = async (spec, { signal }) => {
      started++;
      if (spec.index >= 2) { await gate; if (signal.aborted) return { index: spec.index, status: 'cancelled' }; }
      return onlyLrMatters(spec);
    };
    const handle = search({ space, trials: 6, steps: 1, seed: 3, runTrial: slow });
    const progress = [];
    handle.on('progress', (p) => progress.push(p.done));
    handle.pause();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(started, 0, 'nothing starts while paused');
    handle.resume();
    while (handle.trials.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    handle.cancel();
    release();
    const result = await handle.results;
    assert.equal(result.cancelled, true);
    assert.deepEqual(result.trials.map((t) => t.index), [0, 1]);
    assert.deepEqual(progress, [1, 2]);
    assert.equal(started, 3, 'no trial starts after cancel');
  });
});

describe('search() training real trainscope models', () => {
  const space = { 'train.lr': { log: [1e-3, 1] }, 'train.l2': { log: [1e-6, 1e-2] } };

  test('the same seed gives identical trials and results for 1 and 4 workers', async () => {
    const run = (workers, runTrial) => search({ base: BASE, space, trials: 6, steps: 60, seed: 11, workers, runTrial }).results;
    const one = await run(1);
    // Four workers, and the later trials finish first.
    const finishOrder = [];
    const four = await run(4, async (spec, context) => {
      await new Promise((resolve) => setTimeout(resolve, (6 - spec.index) * 15));
      const result = await runTrial(spec, context);
      finishOrder.push(spec.index);
      return result;
    });
    assert.notDeepEqual(finishOrder, [0, 1, 2, 3, 4, 5]);
    assert.equal(one.trials.length, 6);
    assert.deepEqual(four.trials, one.trials);
    assert.deepEqual(four.best, one.best);
    for (const trial of one.trials) {
      assert.equal(trial.seed, BASE.seed);
      assert.ok(trial.curve.step.length > 1 && trial.curve.step.length <= 65);
      assert.equal(trial.curve.step[trial.curve.step.length - 1], trial.steps);
    }
  });

  test('early stopping stops a diverging trial (lr 10) with its reason and step, and never a healthy one', async () => {
    const result = await search({ base: BASE, space: { 'train.lr': { choice: [10, 0.05, 0.3, 1] } }, method: 'grid', trials: 4, steps: 150, earlyStop: { factor: 3 } }).results;
    const [diverging, ...healthy] = result.trials;
    assert.equal(diverging.params['train.lr'], 10);
    assert.equal(diverging.status, 'stopped');
    assert.ok(diverging.stopped_at >= 1 && diverging.stopped_at < 150);
    assert.equal(diverging.steps, diverging.stopped_at);
    assert.match(diverging.reason, new RegExp(`at step ${diverging.stopped_at}: loss .* > 3 × the initial`));
    assert.equal(diverging.val_acc, null);
    for (const trial of healthy) {
      assert.equal(trial.status, 'ok', `lr ${trial.params['train.lr']}: ${trial.reason}`);
      assert.equal(trial.steps, 150);
      assert.ok(Math.max(...trial.curve.loss) <= 3 * trial.initial_loss);
    }
    // Without early stopping the lr-10 trial runs on (until the engine's own divergence check).
    const unchecked = await search({ base: BASE, space: { 'train.lr': { choice: [10] } }, trials: 1, steps: 150, earlyStop: false }).results;
    assert.notEqual(unchecked.trials[0].status, 'stopped');
  });

  test('coarse to fine on the spiral: after two refine rounds the best is at least round one\'s, inside the final ranges', async () => {
    const handle = search({ base: BASE, space, trials: 6, steps: 150, seed: 2, refine: { rounds: 2, keep: 3 } });
    const rounds = [];
    handle.on('round', (summary) => rounds.push(summary));
    const result = await handle.results;
    assert.equal(rounds.length, 3);
    assert.equal(result.trials.length, 18);
    assert.deepEqual([...new Set(result.trials.map((t) => t.round))], [0, 1, 2]);
    const roundOne = rounds[0].best.val_acc;
    assert.ok(result.best.val_acc >= roundOne, `${result.best.val_acc} < ${roundOne}`);
    const finalDims = normalizeSpace(rounds[2].space);
    for (const dim of finalDims) assert.ok(contains(dim, result.best.params[dim.path]), `${dim.path} ${dim.range} misses ${result.best.params[dim.path]}`);
    // The ranges did narrow (in decades) unless a best at an edge widened them.
    const width = (s, path) => Math.log10(s[path].log[1]) - Math.log10(s[path].log[0]);
    for (const path of Object.keys(space)) {
      if (!rounds[0].widened.some((w) => w.startsWith(path))) assert.ok(width(rounds[1].space, path) < width(space, path), path);
    }
  });

  test('validation probabilities reproduce evaluate(), and the ensemble averages the k best', async () => {
    const trainer = await createTrainer({ ...BASE, data: { ...BASE.data, preprocess: 'standardize' }, train: { lr: 0.3 } });
    trainer.step(120);
    const table = validationProbabilities(trainer);
    const { val } = trainer.evaluate();
    let correct = 0;
    let loss = 0;
    for (let i = 0; i < table.count; i++) {
      const row = table.values.slice(i * table.classes, (i + 1) * table.classes);
      if (row.indexOf(Math.max(...row)) === table.labels[i]) correct++;
      loss -= Math.log(row[table.labels[i]]);
    }
    trainer.dispose();
    assert.equal(table.count, val.count);
    assert.equal(correct / table.count, val.acc);
    assert.ok(Math.abs(loss / table.count - val.loss) < 1e-4, `${loss / table.count} vs ${val.loss}`);

    const result = await search({ base: BASE, space, trials: 6, steps: 150, seed: 7, ensemble: { k: 3 } }).results;
    const ranked = result.trials.filter((t) => t.status === 'ok').sort((a, b) => b.val_acc - a.val_acc || a.val_loss - b.val_loss);
    assert.deepEqual(result.ensemble.members, ranked.slice(0, 3).map((t) => t.index));
    // Independently: retrain the members, average their probabilities here.
    const tables = [];
    for (const member of ranked.slice(0, 3)) {
      const model = await createTrainer(member.config);
      model.step(member.steps);
      tables.push(validationProbabilities(model));
      model.dispose();
    }
    const { count, classes, labels } = tables[0];
    let hits = 0;
    let nll = 0;
    for (let i = 0; i < count; i++) {
      const mean = Array.from({ length: classes }, (_, c) => tables.reduce((sum, t) => sum + t.values[i * classes + c], 0) / tables.length);
      if (mean.indexOf(Math.max(...mean)) === labels[i]) hits++;
      nll -= Math.log(mean[labels[i]]);
    }
    assert.equal(result.ensemble.val_acc, hits / count);
    assert.ok(Math.abs(result.ensemble.val_loss - nll / count) < 1e-9);
    assert.notEqual(result.ensemble.val_loss, ranked[0].val_loss);
    assert.ok(!('probabilities' in result.trials[0]), 'records stay small');
  });

  test('a runner that fails marks its trial failed without stopping the search', async () => {
    const flaky = async (spec, context) => { if (spec.index === 1) throw new Error('worker crashed'); return runTrial(spec, context); };
    const result = await search({ base: BASE, space, trials: 3, steps: 20, runTrial: flaky }).results;
    assert.deepEqual(result.trials.map((t) => t.status), ['ok', 'failed', 'ok']);
    assert.match(result.trials[1].reason, /worker crashed/);
  });
});
