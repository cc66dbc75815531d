// Loads the Emscripten/Embind engine once per realm (window, worker or node process) and shares
// it between trainers. Handles the Emscripten 3.1.6 traps (docs: /work/shared/TOOLCHAIN.md):
//   - in node the generated loader would call fetch() on a file path, so the .wasm bytes are read
//     with node:fs and handed over as `wasmBinary` (node:fs is imported dynamically, only in node,
//     so this file also works in a page and in a module worker);
//   - in browsers the .wasm is located relative to this module's URL.
// Picks the SIMD build when the runtime validates a SIMD module, the scalar build otherwise.

const ENGINE_FILES = {
  simd: 'trainscope_engine',
  nosimd: 'trainscope_engine_nosimd',
};

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)): valid only with SIMD.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** True when this runtime can run WebAssembly SIMD (128-bit) code. */
export function simdSupported() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

function isNode() {
  return typeof process === 'object' && process !== null && typeof process.versions?.node === 'string' &&
    typeof window === 'undefined' && typeof importScripts === 'undefined';
}

// key -> Promise<{module, info}>
const loaded = new Map();

/**
 * The engine module and its public description. Internal: trainers use the module; users get only
 * `loadEngine()`'s description.
 * @param {{simd?: boolean, baseUrl?: string | URL}} [options]
 */
export function loadEngineModule(options = {}) {
  if (options === null || typeof options !== 'object') throw new TypeError('loadEngine options must be an object');
  const unknown = Object.keys(options).filter((key) => !['simd', 'baseUrl'].includes(key));
  if (unknown.length > 0) throw new TypeError(`unknown engine option ${unknown[0]}; allowed: simd, baseUrl`);
  if (options.simd !== undefined && typeof options.simd !== 'boolean') {
    throw new TypeError(`engine option simd must be true or false; got ${String(options.simd)}`);
  }
  const supported = simdSupported();
  if (options.simd === true && !supported) {
    throw new Error('this runtime does not support WebAssembly SIMD; load the engine with { simd: false }');
  }
  const simd = options.simd ?? supported;
  const variant = simd ? 'simd' : 'nosimd';
  const baseUrl = new URL(options.baseUrl ?? './engine/', import.meta.url);
  if (!baseUrl.href.endsWith('/')) baseUrl.href += '/';
  const key = `${variant} ${baseUrl.href}`;
  if (!loaded.has(key)) {
    const promise = instantiate(variant, baseUrl);
    // A failed load may be retried (e.g. after the build finished), so it is not cached.
    promise.catch(() => loaded.delete(key));
    loaded.set(key, promise);
  }
  return loaded.get(key);
}

async function instantiate(variant, baseUrl) {
  const name = ENGINE_FILES[variant];
  const scriptUrl = new URL(`${name}.js`, baseUrl);
  const wasmUrl = new URL(`${name}.wasm`, baseUrl);
  let factory;
  try {
    ({ default: factory } = await import(/* @vite-ignore */ scriptUrl.href));
  } catch (error) {
    throw new Error(`cannot load the trainscope engine from ${scriptUrl.href} (run \`npm run build\` first?): ${error.message}`);
  }
  const moduleOptions = {
    // Emscripten prints aborts here; keep them but mark their origin.
    printErr: (text) => console.error(`[trainscope engine] ${text}`),
  };
  if (isNode()) {
    const { readFile } = await import('node:fs/promises');
    moduleOptions.wasmBinary = await readFile(wasmUrl);
  } else {
    moduleOptions.locateFile = (path) => new URL(path, baseUrl).href;
  }
  const module = await factory(moduleOptions);
  const buildInfo = JSON.parse(module.buildInfo());
  const info = Object.freeze({
    simd: variant === 'simd',
    variant,
    url: scriptUrl.href,
    buildInfo: Object.freeze(buildInfo),
    /** Current size of the engine's linear memory in bytes (it grows, never shrinks). */
    heapBytes: () => heapBytes(module),
    /** Bytes the engine's allocator has handed out and not freed (mallinfo().uordblks). */
    allocatedBytes: () => module.allocatedBytes(),
  });
  return { module, info };
}

function heapBytes(module) {
  if (module.HEAP8) return module.HEAP8.buffer.byteLength;
  if (module.wasmMemory) return module.wasmMemory.buffer.byteLength;
  throw new Error('the engine module exposes no memory to measure');
}

/**
 * Loads (once per realm and variant) the engine and describes it: which build runs, what the
 * engine reports about its vectorization, and a heap-size probe for leak tests.
 * @param {{simd?: boolean, baseUrl?: string | URL}} [options]
 */
export async function loadEngine(options = {}) {
  const { info } = await loadEngineModule(options);
  return info;
}
