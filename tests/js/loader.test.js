// Engine loading: SIMD detection, the forced scalar build, one module per realm shared by trainers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createTrainer, loadEngine, simdSupported } from '../../bindings/js/index.js';

describe('loadEngine', () => {
  test('node 20 supports wasm SIMD, and the SIMD build is the one that loads by default', async () => {
    assert.equal(simdSupported(), true);
    const engine = await loadEngine();
    assert.equal(engine.simd, true);
    assert.equal(engine.variant, 'simd');
    assert.equal(engine.buildInfo.simd, true, 'the binary itself was compiled with SIMD');
    assert.ok(engine.heapBytes() > 0);
  });

  test('{ simd: false } loads the scalar build', async () => {
    const engine = await loadEngine({ simd: false });
    assert.equal(engine.simd, false);
    assert.equal(engine.variant, 'nosimd');
    assert.equal(engine.buildInfo.simd, false);
  });

  test('the module is loaded once and shared', async () => {
    assert.equal(await loadEngine(), await loadEngine());
    const a = await createTrainer({ model: { hidden: [4] } });
    const b = await createTrainer({ model: { hidden: [4] } });
    assert.equal(a.engineInfo.url, b.engineInfo.url);
    a.dispose();
    b.dispose();
  });

  test('both builds train the same model to the same losses (within float rounding)', async () => {
    const config = { seed: 4, model: { hidden: [32, 32] }, train: { optimizer: 'adam', lr: 0.01 } };
    const simd = await createTrainer(config);
    const scalar = await createTrainer(config, { simd: false });
    assert.equal(scalar.engineInfo.variant, 'nosimd');
    const a = simd.step(50);
    const b = scalar.step(50);
    assert.ok(Math.abs(a.loss - b.loss) < 1e-3 * Math.abs(a.loss), `${a.loss} vs ${b.loss}`);
    simd.dispose();
    scalar.dispose();
  });

  test('bad options are clear errors', async () => {
    await assert.rejects(loadEngine({ simd: 'yes' }), /simd must be true or false/);
    await assert.rejects(loadEngine({ gpu: true }), /unknown engine option gpu/);
    await assert.rejects(loadEngine({ baseUrl: 'file:///nonexistent/' }), /cannot load the trainscope engine/);
  });
});
