// Pure (node) tests of the Optimizers view's parts: the page's surface formulas against the
// engine's values (optimizerPath(...).loss[0] is the engine's loss at the start), contours, the
// hash state, and the racers' optimizerPath options.
import test from 'node:test';
import assert from 'node:assert/strict';

import { optimizerPath, SURFACES } from '../../bindings/js/index.js';
import { SURFACE_VALUES, contourSegments, logLevels, sampleSurface, signedLogLevels, surfaceValue } from '../../dist/app/optimizers/surface-values.js';
import {
  OPTIMIZER_NAMES, applyPreset, defaultOptimizerState, parseOptimizerHash, racerPathOptions, serializeOptimizerHash, withControl,
} from '../../dist/app/optimizers/optimizer-state.js';
import { axisValue, lossAxis } from '../../dist/app/optimizers/optimizer-charts.js';

test('the page has a formula for exactly the engine\'s surfaces', () => {
  assert.deepEqual(Object.keys(SURFACE_VALUES).sort(), SURFACES.map((s) => s.name).sort());
});

test('each surface formula equals the engine\'s value at 200 points of its view (and beyond it)', async () => {
  let worst = 0;
  for (const surface of SURFACES) {
    const [xmin, xmax, ymin, ymax] = surface.view;
    for (let k = 0; k < 200; k++) {
      // A low-discrepancy walk over the view, widened by 20 % each side.
      const u = (k * 0.618034) % 1;
      const v = (k * 0.754878 + 0.1) % 1;
      const x = xmin - 0.2 * (xmax - xmin) + 1.4 * (xmax - xmin) * u;
      const y = ymin - 0.2 * (ymax - ymin) + 1.4 * (ymax - ymin) * v;
      const kappa = 1 + (k % 7) * 7;
      const options = { surface: surface.name, start: [x, y], steps: 1, lr: 1e-9 };
      if (surface.name === 'ill_conditioned') options.kappa = kappa;
      const engine = (await optimizerPath(options)).loss[0];
      // The engine's parameters are float32 (the flat parameter buffer), so the start is rounded to float.
      const page = surfaceValue(surface.name, Math.fround(x), Math.fround(y), kappa);
      const difference = Math.abs(engine - page) / Math.max(1, Math.abs(engine));
      worst = Math.max(worst, difference);
      assert.ok(difference <= 1e-12, `${surface.name} at (${x}, ${y}): engine ${engine}, page ${page}`);
    }
  }
  console.log(`# worst relative difference page vs engine: ${worst.toExponential(2)}`);
});

test('log-spaced levels and marching squares: the circles of ½(x² + y²)', () => {
  const levels = logLevels(0, 100, { count: 5, decades: 4 });
  assert.deepEqual(levels.map((l) => Number(l.toPrecision(6))), [0.01, 0.1, 1, 10, 100]);
  const sample = sampleSurface('ill_conditioned', { kappa: 1, columns: 201, rows: 201, view: [-2, 2, -2, 2] });
  const segments = contourSegments(sample, 1); // the circle of radius √2
  assert.ok(segments.length > 100);
  for (const [x1, y1, x2, y2] of segments) {
    assert.ok(Math.abs(Math.hypot(x1, y1) - Math.SQRT2) < 1e-3);
    assert.ok(Math.abs(Math.hypot(x2, y2) - Math.SQRT2) < 1e-3);
  }
});

test('the loss axis: log of loss − minimum where there is a minimum, symlog on the saddles', () => {
  const surface = (name) => SURFACES.find((s) => s.name === name);
  const log = lossAxis(surface('ill_conditioned'), 10);
  assert.equal(log.kind, 'log');
  assert.equal(axisValue(log, 100), 2);
  assert.ok(Number.isNaN(axisValue(log, 0)));
  const well = lossAxis(surface('local_minima'), 10);
  assert.ok(well.floor < 0 && /the minimum/.test(well.label));
  const sym = lossAxis(surface('saddle'), 10);
  assert.equal(sym.kind, 'symlog');
  assert.ok(axisValue(sym, -5) < axisValue(sym, -1) && axisValue(sym, -1) < axisValue(sym, 0) && axisValue(sym, 0) === 0);
  assert.match(sym.label, /symlog/);
});

test('the hash round-trips, a preset brings its racers, bad values each give one notice', () => {
  const state = withControl(withControl(defaultOptimizerState(), 'surface', 'beale'), 'lr', 0.003);
  const again = parseOptimizerHash(serializeOptimizerHash(state));
  assert.deepEqual(again.notices, []);
  assert.deepEqual(again.state, state);

  const preset = parseOptimizerHash('#view=optimizers&preset=adam-bias-correction');
  assert.deepEqual(preset.state.racers.map((r) => [r.optimizer, r.bias_correction, r.label]),
    [['adam', undefined, 'adam'], ['adam', false, 'adam, no bias correction']]);
  assert.deepEqual(parseOptimizerHash(serializeOptimizerHash(preset.state)).state, preset.state);
  assert.deepEqual(racerPathOptions(preset.state, preset.state.racers[1]), {
    surface: 'ill_conditioned', start: [-4.5, 2], steps: 10, noise: 0, lr: 0.05, momentum: 0.9, beta1: 0.9, beta2: 0.999,
    schedule: 'constant', decay_steps: 10, optimizer: 'adam', bias_correction: false, kappa: 10,
  });
  assert.deepEqual(applyPreset(defaultOptimizerState(), 'lr-decay').extra, { decay_steps: 300 });

  const bad = parseOptimizerHash('#view=optimizers&surface=volcano&lr=-1&optimizers=sgd,lion&steps=1e9&start=1,&bogus=2');
  assert.equal(bad.notices.length, 6, bad.notices.join('\n'));
  assert.deepEqual(bad.state, defaultOptimizerState());
  for (const text of ['volcano', 'Learning rate', 'lion', 'Steps', 'Start', 'bogus']) assert.ok(bad.notices.some((n) => n.includes(text)), text);
  assert.deepEqual(OPTIMIZER_NAMES, ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw']);
});

test('on the saddles the levels are log-spaced in |f| on both sides of 0', () => {
  assert.deepEqual(signedLogLevels(-4, 4, { count: 3, decades: 2 }).map((l) => Number(l.toPrecision(6))), [-4, -0.4, -0.04, 0, 0.04, 0.4, 4]);
  assert.deepEqual(signedLogLevels(-1, 4, { count: 2, decades: 1 }).map((l) => Number(l.toPrecision(6))), [-0.4, 0, 0.4, 4]);
});
