// optimizerPath() and the optimizer-view presets through the public JS API: the engine's own
// optimizers (first steps equal the update rules written out here), each preset's phenomenon as a
// property of the returned trajectories, and errors that name the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ConfigError, SURFACES, getOptimizerPreset, optimizerPath, optimizerPresets, raceOptimizers } from '../../bindings/js/index.js';

const close = (actual, expected, what) =>
  assert.ok(Math.abs(actual - expected) <= 2e-6 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);

// The update rules, in double, for ½(x² + κy²) (gradient (x, κy)); the engine computes in float.
function handSteps(optimizer, { lr, momentum = 0.9, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, decay = 0.99, weight_decay = 0.01 }, kappa, start, steps) {
  const p = [...start];
  const v = [0, 0], c = [0, 0], m = [0, 0], s = [0, 0];
  const points = [[...p]];
  for (let t = 1; t <= steps; t++) {
    const g = [p[0], kappa * p[1]];
    for (let i = 0; i < 2; i++) {
      switch (optimizer) {
        case 'sgd': p[i] -= lr * g[i]; break;
        case 'momentum': v[i] = momentum * v[i] + g[i]; p[i] -= lr * v[i]; break;
        case 'nesterov': {
          const previous = v[i];
          v[i] = momentum * v[i] - lr * g[i];
          p[i] += -momentum * previous + (1 + momentum) * v[i];
          break;
        }
        case 'adagrad': c[i] += g[i] ** 2; p[i] -= lr * g[i] / (Math.sqrt(c[i]) + eps); break;
        case 'rmsprop': c[i] = decay * c[i] + (1 - decay) * g[i] ** 2; p[i] -= lr * g[i] / (Math.sqrt(c[i]) + eps); break;
        case 'adam':
        case 'adamw': {
          if (optimizer === 'adamw') p[i] *= 1 - lr * weight_decay;
          m[i] = beta1 * m[i] + (1 - beta1) * g[i];
          s[i] = beta2 * s[i] + (1 - beta2) * g[i] ** 2;
          p[i] -= lr * (m[i] / (1 - beta1 ** t)) / (Math.sqrt(s[i] / (1 - beta2 ** t)) + eps);
          break;
        }
        default: throw new Error(optimizer);
      }
    }
    points.push([...p]);
  }
  return points;
}

test('the first three steps of every optimizer equal its update rule (the engine\'s optimizers run)', async () => {
  const start = [-3, 1.5];
  for (const optimizer of ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw']) {
    const settings = { lr: 0.05, momentum: 0.8, beta1: 0.85, beta2: 0.99, decay: 0.9, weight_decay: 0.1 };
    const path = await optimizerPath({ surface: 'ill_conditioned', kappa: 10, start, steps: 3, optimizer, ...settings });
    assert.equal(path.steps, 3);
    assert.equal(path.stopped, 'steps');
    assert.equal(path.x.length, 4);
    const expected = handSteps(optimizer, settings, 10, start, 3);
    for (let t = 0; t <= 3; t++) {
      close(path.x[t], expected[t][0], `${optimizer} x${t}`);
      close(path.y[t], expected[t][1], `${optimizer} y${t}`);
      close(path.loss[t], 0.5 * (path.x[t] ** 2 + 10 * path.y[t] ** 2), `${optimizer} loss${t}`);
    }
  }
});

test('every surface is described: formula, explanation, view and a start inside it', () => {
  assert.deepEqual(SURFACES.map((surface) => surface.name),
    ['ill_conditioned', 'rosenbrock', 'saddle', 'monkey_saddle', 'local_minima', 'beale']);
  for (const surface of SURFACES) {
    assert.ok(surface.formula.length > 3 && surface.description.length > 20, surface.name);
    const [xmin, xmax, ymin, ymax] = surface.view;
    assert.ok(surface.start[0] > xmin && surface.start[0] < xmax && surface.start[1] > ymin && surface.start[1] < ymax);
  }
});

const byLabel = (race) => Object.fromEntries(race.map((racer) => [racer.label, racer.path]));
const last = (array) => array[array.length - 1];
const distance = (path) => Math.hypot(last(path.x), last(path.y));
const signChanges = (values) => values.slice(1).filter((value, k) => value * values[k] < 0).length;

test('sgd-zigzag: SGD crosses the valley at most steps; momentum is smoother and ends closer', async () => {
  const preset = getOptimizerPreset('sgd-zigzag');
  const { sgd, momentum } = byLabel(await raceOptimizers(preset));
  assert.ok(signChanges(sgd.y) >= 0.8 * preset.steps, `sgd crossed ${signChanges(sgd.y)} times`);
  assert.ok(signChanges(momentum.y) < 0.6 * signChanges(sgd.y), `momentum crossed ${signChanges(momentum.y)} times`);
  assert.ok(distance(momentum) < 0.5 * distance(sgd), `distances ${distance(momentum)} vs ${distance(sgd)}`);
});

test('saddle-escape: SGD is still at the saddle; momentum and Adam have left', async () => {
  const { sgd, momentum, adam } = byLabel(await raceOptimizers(getOptimizerPreset('saddle-escape')));
  assert.ok(distance(sgd) < 0.3, `sgd at distance ${distance(sgd)}`);
  assert.ok(Math.abs(last(momentum.y)) > 1, `momentum y ${last(momentum.y)}`);
  assert.ok(Math.abs(last(adam.y)) > 1, `adam y ${last(adam.y)}`);
});

test('momentum-overshoot: momentum passes the minimum and comes back; Nesterov overshoots less', async () => {
  const { momentum, nesterov } = byLabel(await raceOptimizers(getOptimizerPreset('momentum-overshoot')));
  const overshoot = (path) => Math.max(...path.x);  // started at x = -4, minimum at 0
  assert.ok(overshoot(momentum) > 0.5, `momentum overshoot ${overshoot(momentum)}`);
  const peak = momentum.x.indexOf(overshoot(momentum));
  assert.ok(Math.min(...momentum.x.slice(peak)) < 0, 'momentum comes back past the minimum');
  assert.ok(overshoot(nesterov) < 0.8 * overshoot(momentum), `nesterov ${overshoot(nesterov)} vs momentum ${overshoot(momentum)}`);
});

test('adagrad-stalls: AdaGrad\'s steps shrink and it stops short; RMSProp reaches the minimum', async () => {
  const preset = getOptimizerPreset('adagrad-stalls');
  const { adagrad, rmsprop } = byLabel(await raceOptimizers(preset));
  const stepLength = (path, t) => Math.hypot(path.x[t] - path.x[t - 1], path.y[t] - path.y[t - 1]);
  assert.ok(stepLength(adagrad, preset.steps) < 0.1 * stepLength(adagrad, 1), 'adagrad\'s last step is far shorter than its first');
  assert.ok(distance(adagrad) > 1, `adagrad stopped at distance ${distance(adagrad)}`);
  assert.ok(distance(rmsprop) < 0.1, `rmsprop at distance ${distance(rmsprop)}`);
});

test('adam-bias-correction: without the correction the first steps are several times the learning rate', async () => {
  const preset = getOptimizerPreset('adam-bias-correction');
  const race = byLabel(await raceOptimizers(preset));
  const corrected = race.adam, raw = race['adam, no bias correction'];
  const lr = preset.settings.lr;
  for (let t = 1; t <= 3; t++) {
    const step = (path) => Math.abs(path.x[t] - path.x[t - 1]);
    assert.ok(Math.abs(step(corrected) / lr - 1) < 0.05, `corrected step ${t}: ${step(corrected)}`);
    assert.ok(step(raw) > 2.5 * lr, `uncorrected step ${t}: ${step(raw)}`);
  }
});

test('lr-decay: under gradient noise a cosine schedule settles where a constant rate keeps bouncing', async () => {
  const preset = getOptimizerPreset('lr-decay');
  const race = byLabel(await raceOptimizers(preset));
  const tailLoss = (path) => {
    const tail = path.loss.slice(-Math.round(preset.steps / 5));
    return tail.reduce((sum, value) => sum + value, 0) / tail.length;
  };
  const constant = tailLoss(race['sgd, constant lr']), decayed = tailLoss(race['sgd, cosine decay']);
  assert.ok(decayed < constant / 5, `mean loss over the last fifth: cosine ${decayed}, constant ${constant}`);
});

test('every optimizer preset has an explanation and valid settings', async () => {
  assert.equal(optimizerPresets.length, 6);
  for (const preset of optimizerPresets) {
    assert.ok(preset.explain.length > 100, preset.name);
    assert.ok(preset.racers.length >= 2, preset.name);
    assert.equal(new Set(preset.racers.map((racer) => racer.label)).size, preset.racers.length, preset.name);
  }
  assert.throws(() => getOptimizerPreset('zigzag'), /unknown optimizer preset "zigzag"; known: sgd-zigzag/);
});

test('bad options are ConfigErrors naming the field; the engine stays usable', async () => {
  const cases = [
    [{ surface: 'taco' }, /^surface: must be one of ill_conditioned, rosenbrock/],
    [{ optimizer: 'adamx' }, /^optimizer: must be one of sgd, /],
    [{ start: [0, Infinity] }, /^start: must be \[x, y\]/],
    [{ start: [1] }, /^start: /],
    [{ steps: 0 }, /^steps: must be/],
    [{ steps: 2.5 }, /^steps: must be an integer/],
    [{ noise: -1 }, /^noise: /],
    [{ lr: 0 }, /^lr: must be/],
    [{ learning_rate: 0.1 }, /^learning_rate: unknown option; allowed: surface, kappa, start/],
    [{ kappa: 0.5 }, /^kappa: /],
  ];
  for (const [options, message] of cases) {
    await assert.rejects(optimizerPath(options), (error) => error instanceof ConfigError && message.test(error.message),
      JSON.stringify(options));
  }
  await assert.rejects(optimizerPath(null), ConfigError);
  const path = await optimizerPath({ surface: 'rosenbrock', optimizer: 'adam', lr: 0.01, steps: 5 });
  assert.equal(path.steps, 5);
  assert.deepEqual([path.x[0], path.y[0]], SURFACES.find((surface) => surface.name === 'rosenbrock').start);
});
