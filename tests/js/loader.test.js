// Engine loading: SIMD detection, the forced scalar build, one module per realm shared by trainers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { EngineLoadError, createTrainer, loadEngine, simdSupported } from '../../bindings/js/index.js';

const engineDir = new URL('../../bindings/js/engine/', import.meta.url);

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
    await assert.rejects(loadEngine({ gpu: true }), /unknown engine option gpu; allowed: simd, gradCheck, baseUrl, scriptUrl, wasmUrl, locateFile/);
    await assert.rejects(loadEngine({ wasmUrl: 3 }), /engine option wasmUrl must be a URL string, a URL or \{ simd, nosimd \}; got number 3/);
    await assert.rejects(loadEngine({ wasmUrl: { avx: 'x.wasm' } }), /engine option wasmUrl: unknown build avx; allowed: simd, nosimd/);
    await assert.rejects(loadEngine({ locateFile: 'engine/' }), /engine option locateFile must be a function/);
    await assert.rejects(createTrainer({}, { baseURL: '/engine/' }), /unknown engine option baseURL; allowed: simd, gradCheck, baseUrl/);
  });
});

describe('engine files somewhere else', () => {
  const isLoadError = (url, what) => (error) => {
    assert.ok(error instanceof EngineLoadError, `${error}`);
    assert.equal(error.code, 'ERR_TRAINSCOPE_ENGINE_LOAD');
    assert.equal(error.name, 'EngineLoadError');
    assert.equal(error.url, url);
    assert.match(error.message, new RegExp(`^cannot load the trainscope engine \\((simd|nosimd) build\\): ${what}`));
    assert.ok(error.message.includes(url), 'the message names the URL');
    assert.match(error.message, /baseUrl/);
    assert.match(error.message, /\{ scriptUrl, wasmUrl \}/);
    assert.doesNotMatch(error.message, /npm run build/);
    return true;
  };

  test('a baseUrl without the files: an EngineLoadError naming the script URL and the options', async () => {
    await assert.rejects(loadEngine({ baseUrl: 'file:///nonexistent/' }),
      isLoadError('file:///nonexistent/trainscope_engine.js', 'importing the engine script'));
  });

  test('a wasmUrl that does not exist, or is not WebAssembly: EngineLoadError naming it', async () => {
    const missing = new URL('missing.wasm', engineDir).href;
    await assert.rejects(loadEngine({ simd: false, wasmUrl: missing }), isLoadError(missing, 'reading'));
    const notWasm = new URL('trainscope_engine_nosimd.js', engineDir).href;
    await assert.rejects(loadEngine({ simd: false, wasmUrl: { nosimd: notWasm } }), isLoadError(notWasm, 'compiling'));
  });

  test('scriptUrl and wasmUrl per file, and per build, load the engine from where they point', async () => {
    const script = new URL('trainscope_engine_nosimd.js', engineDir);
    const wasm = new URL('trainscope_engine_nosimd.wasm', engineDir);
    const engine = await loadEngine({ simd: false, scriptUrl: script, wasmUrl: { nosimd: wasm.href, simd: 'file:///unused.wasm' } });
    assert.equal(engine.variant, 'nosimd');
    assert.equal(engine.url, wasm.href);
    const trainer = await createTrainer({ model: { hidden: [4] } }, { simd: false, scriptUrl: script.href, wasmUrl: wasm.href });
    assert.equal(trainer.step(3).step, 3);
    trainer.dispose();
  });

  test('locateFile(name, variant) is asked for each file; undefined keeps the default', async () => {
    const asked = [];
    const engine = await loadEngine({
      locateFile: (name, variant) => {
        asked.push([name, variant]);
        return name.endsWith('.wasm') ? new URL(name, engineDir) : undefined;
      },
    });
    assert.deepEqual(asked, [['trainscope_engine.js', 'simd'], ['trainscope_engine.wasm', 'simd']]);
    assert.equal(engine.url, new URL('trainscope_engine.wasm', engineDir).href);
  });
});
