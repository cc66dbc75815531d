// The lite engine ({ gradCheck: false }: the SIMD build without the gradient check, which the pages
// load): it trains exactly like the full engine, says what it lacks, and refuses gradCheck() with
// an error that names the option, leaving the trainer usable.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createTrainer, loadEngine } from '../../bindings/js/index.js';
import { simdSupported } from '../../bindings/js/loader.js';

const skip = simdSupported() ? false : 'this runtime has no WebAssembly SIMD';
const config = { seed: 7, data: { dataset: 'spiral', samples: 120 }, model: { hidden: [16, 16], norm: 'batch' } };

test('{ gradCheck: false } loads the lite SIMD engine; without it, the full one', { skip }, async () => {
  const lite = await loadEngine({ gradCheck: false });
  assert.equal(lite.variant, 'simd');
  assert.equal(lite.gradCheck, false);
  assert.equal(lite.buildInfo.grad_check, false);
  assert.match(lite.url, /\/trainscope_engine_lite\.wasm$/);
  const full = await loadEngine();
  assert.equal(full.gradCheck, true);
  assert.match(full.url, /\/trainscope_engine\.wasm$/);
});

test('the lite engine trains step for step like the full engine', { skip }, async () => {
  const [lite, full] = await Promise.all([createTrainer(config, { gradCheck: false }), createTrainer(config)]);
  assert.equal(lite.engineInfo.gradCheck, false);
  for (let slice = 0; slice < 4; slice++) {
    const a = lite.step(25);
    const b = full.step(25);
    assert.equal(a.loss, b.loss, `loss after ${a.step} steps`);
  }
  assert.deepEqual(lite.evaluate(), full.evaluate());
  lite.dispose();
  full.dispose();
});

test('gradCheck() on a lite trainer: an error naming the option; the trainer goes on', { skip }, async () => {
  const trainer = await createTrainer(config, { gradCheck: false });
  assert.throws(() => trainer.gradCheck(), /gradCheck\(\) is not in the lite engine.*\{ gradCheck: false \}/);
  assert.equal(trainer.step(2).step, 2);
  assert.equal(typeof trainer.initialLossCheck().measured, 'number');
  trainer.dispose();
  const full = await createTrainer(config);
  assert.equal(full.gradCheck().passed, true);
  full.dispose();
});

test('without SIMD, { gradCheck: false } gets the full scalar engine (there is no scalar lite build)', async () => {
  const engine = await loadEngine({ simd: false, gradCheck: false });
  assert.equal(engine.variant, 'nosimd');
  assert.equal(engine.gradCheck, true);
  assert.match(engine.url, /\/trainscope_engine_nosimd\.wasm$/);
});

test('locateFile is asked for the lite files; a non-boolean gradCheck is refused', { skip }, async () => {
  const asked = [];
  await loadEngine({ gradCheck: false, locateFile: (name, variant) => { asked.push([name, variant]); } });
  assert.deepEqual(asked, [['trainscope_engine_lite.js', 'simd'], ['trainscope_engine_lite.wasm', 'simd']]);
  await assert.rejects(loadEngine({ gradCheck: 'no' }), /engine option gradCheck must be true or false; got the string "no"/);
});
