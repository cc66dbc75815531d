// Loads the Emscripten/Embind engine once per realm (window, worker or node process) and shares
// it between trainers. Picks the SIMD build when the runtime validates a SIMD module, the scalar
// build otherwise.
//
// Written for bundlers (docs/notes/package.md): each engine file is named by a literal, the
// script as `import('./engine/<name>.js')` (a chunk) and the wasm as
// `new URL('./engine/<name>.wasm', import.meta.url)` (an emitted asset), and that URL is what the
// Emscripten loader gets, through `locateFile` and our own `instantiateWasm`. Nothing here
// imports a node module where a bundler could see it: on node the .wasm bytes are read with
// fs/promises from `process.getBuiltinModule` (node >= 20.16), so the Emscripten 3.1.6 trap of
// fetch() on a file path (TOOLCHAIN.md) never happens either.
//
// Hosts that move the files say where they are: `baseUrl` (the folder), or `scriptUrl` / `wasmUrl`
// (one file each, or `{simd, nosimd}`), or `locateFile(name, variant)`.

import { EngineLoadError } from './errors.js';

const ENGINES = {
  simd: {
    name: 'trainscope_engine',
    importScript: () => import('./engine/trainscope_engine.js'),
    wasmUrl: () => new URL('./engine/trainscope_engine.wasm', import.meta.url),
  },
  nosimd: {
    name: 'trainscope_engine_nosimd',
    importScript: () => import('./engine/trainscope_engine_nosimd.js'),
    wasmUrl: () => new URL('./engine/trainscope_engine_nosimd.wasm', import.meta.url),
  },
  // The SIMD engine without the gradient check and the schema export (a quarter smaller): loaded
  // for { gradCheck: false }, which the pages' workers ask for. There is no scalar lite build: a
  // runtime without SIMD gets the full scalar engine.
  'simd-lite': {
    name: 'trainscope_engine_lite',
    importScript: () => import('./engine/trainscope_engine_lite.js'),
    wasmUrl: () => new URL('./engine/trainscope_engine_lite.wasm', import.meta.url),
  },
};
const VARIANTS = ['simd', 'nosimd'];

// dataUrl: the folder of an image dataset's IDX files (bindings/js/images.js), not an engine file.
const OPTION_KEYS = ['simd', 'gradCheck', 'baseUrl', 'scriptUrl', 'wasmUrl', 'locateFile', 'dataUrl'];

const MOVED_FILES_HINT = 'If a bundler or server moved the engine files, tell trainscope where they are: ' +
  "loadEngine()/createTrainer(config, options) take { baseUrl: 'https://…/folder/' } (the folder holding " +
  'trainscope_engine*.js and .wasm), or { scriptUrl, wasmUrl } per file (a URL, or { simd, nosimd }), or ' +
  'locateFile(name, variant). The files are in the package under bindings/js/engine/ (exported as ' +
  "'trainscope/engine/*').";

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

export function isNode() {
  return typeof process === 'object' && process !== null && typeof process.versions?.node === 'string' &&
    typeof window === 'undefined' && typeof importScripts === 'undefined';
}

// A node built-in without an import statement a bundler would try to resolve.
export async function nodeBuiltin(name) {
  if (typeof process.getBuiltinModule === 'function') return process.getBuiltinModule(name);
  const specifier = name;
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}

// What a relative URL given by the user is relative to: the page or worker, else (node) the
// current directory.
export async function relativeBase() {
  if (typeof location === 'object' && location !== null && typeof location.href === 'string') return location.href;
  if (isNode()) {
    const { pathToFileURL } = await nodeBuiltin('node:url');
    return pathToFileURL(`${process.cwd()}/`).href;
  }
  return import.meta.url;
}

function isUrlLike(value) {
  return typeof value === 'string' || value instanceof URL;
}

function checkUrlOption(options, key) {
  const value = options[key];
  if (value === undefined || isUrlLike(value)) return;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [variant, url] of Object.entries(value)) {
      if (!VARIANTS.includes(variant)) throw new TypeError(`engine option ${key}: unknown build ${variant}; allowed: simd, nosimd`);
      if (url !== undefined && !isUrlLike(url)) throw new TypeError(`engine option ${key}.${variant} must be a URL string or a URL`);
    }
    return;
  }
  throw new TypeError(`engine option ${key} must be a URL string, a URL or { simd, nosimd }; got ${describe(value)}`);
}

function describe(value) {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return typeof value === 'object' ? (Array.isArray(value) ? 'an array' : 'an object') : `${typeof value} ${String(value)}`;
}

/** Checks loadEngine()/createTrainer() options; throws a TypeError naming the allowed keys. */
export function checkEngineOptions(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`engine options must be an object with some of ${OPTION_KEYS.join(', ')}; got ${describe(options)}`);
  }
  const unknown = Object.keys(options).filter((key) => !OPTION_KEYS.includes(key));
  if (unknown.length > 0) throw new TypeError(`unknown engine option ${unknown[0]}; allowed: ${OPTION_KEYS.join(', ')}`);
  for (const key of ['simd', 'gradCheck']) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') {
      throw new TypeError(`engine option ${key} must be true or false; got ${describe(options[key])}`);
    }
  }
  if (options.baseUrl !== undefined && !isUrlLike(options.baseUrl)) {
    throw new TypeError(`engine option baseUrl must be a URL string or a URL; got ${describe(options.baseUrl)}`);
  }
  if (options.dataUrl !== undefined && !isUrlLike(options.dataUrl)) {
    throw new TypeError(`option dataUrl must be a URL string or a URL (the folder of the image files); got ${describe(options.dataUrl)}`);
  }
  checkUrlOption(options, 'scriptUrl');
  checkUrlOption(options, 'wasmUrl');
  if (options.locateFile !== undefined && typeof options.locateFile !== 'function') {
    throw new TypeError(`engine option locateFile must be a function (name, variant) => URL; got ${describe(options.locateFile)}`);
  }
}

// The URL a user option gives for one file of `variant`, or null to use the built-in one.
async function userUrl(options, key, variant, file) {
  const value = options[key];
  let url = isUrlLike(value) ? value : value?.[variant];
  if (url === undefined && options.locateFile) url = options.locateFile(file, variant);
  if ((url === undefined || url === null) && options.baseUrl !== undefined) {
    const base = new URL(options.baseUrl, await relativeBase());
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    url = new URL(file, base);
  }
  if (url === undefined || url === null) return null;
  if (!isUrlLike(url)) throw new TypeError(`locateFile(${JSON.stringify(file)}) must return a URL string, a URL or undefined; got ${describe(url)}`);
  return new URL(url, await relativeBase());
}

// key -> Promise<{module, info}>
const loaded = new Map();

/**
 * The engine module and its public description. Internal: trainers use the module; users get only
 * `loadEngine()`'s description.
 * @param {{simd?: boolean, gradCheck?: boolean, baseUrl?: string | URL, scriptUrl?: any, wasmUrl?: any, locateFile?: Function}} [options]
 */
export async function loadEngineModule(options = {}) {
  checkEngineOptions(options);
  const supported = simdSupported();
  if (options.simd === true && !supported) {
    throw new Error('this runtime does not support WebAssembly SIMD; load the engine with { simd: false }');
  }
  const variant = (options.simd ?? supported) ? 'simd' : 'nosimd';
  // User URLs are per variant (simd, nosimd); the file names, and so baseUrl/locateFile, per build.
  const build = variant === 'simd' && options.gradCheck === false ? 'simd-lite' : variant;
  const { name } = ENGINES[build];
  const scriptUrl = await userUrl(options, 'scriptUrl', variant, `${name}.js`);
  const wasmUrl = (await userUrl(options, 'wasmUrl', variant, `${name}.wasm`)) ?? ENGINES[build].wasmUrl();
  const key = `${build} ${scriptUrl?.href ?? 'packaged'} ${wasmUrl.href}`;
  if (!loaded.has(key)) {
    const promise = instantiate(variant, build, scriptUrl, wasmUrl);
    // A failed load may be retried (e.g. once the files are in place), so it is not cached.
    promise.catch(() => loaded.delete(key));
    loaded.set(key, promise);
  }
  return loaded.get(key);
}

function loadError(variant, what, url, cause) {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new EngineLoadError(
    `cannot load the trainscope engine (${variant} build): ${what} ${url} failed: ${reason}. ${MOVED_FILES_HINT}`,
    { url, variant, cause });
}

async function importFactory(variant, build, scriptUrl) {
  try {
    const exports = scriptUrl === null
      ? await ENGINES[build].importScript()
      : await import(/* webpackIgnore: true */ /* @vite-ignore */ scriptUrl.href);
    if (typeof exports.default !== 'function') throw new Error('the script does not export the engine factory');
    return exports.default;
  } catch (error) {
    const where = scriptUrl?.href ?? `./engine/${ENGINES[build].name}.js next to trainscope's loader.js`;
    throw loadError(variant, 'importing the engine script', where, error);
  }
}

// The engine's compiled WebAssembly module from `url`: file: URLs are read from disk on node;
// anything else is fetched, with streaming compilation when the server says application/wasm.
async function compileFrom(url, variant) {
  if (url.protocol === 'file:' && isNode()) {
    let bytes;
    try {
      const { readFile } = await nodeBuiltin('node:fs/promises');
      bytes = await readFile(url);
    } catch (error) {
      throw loadError(variant, 'reading', url.href, error);
    }
    return compile(WebAssembly.compile(bytes), url, variant);
  }
  let response;
  try {
    response = await fetch(url.href, { credentials: 'same-origin' });
  } catch (error) {
    throw loadError(variant, 'fetching', url.href, error);
  }
  if (!response.ok) throw loadError(variant, 'fetching', url.href, new Error(`HTTP ${response.status} ${response.statusText}`.trim()));
  const type = response.headers.get('content-type') ?? '';
  if (typeof WebAssembly.compileStreaming === 'function' && type.startsWith('application/wasm')) {
    return compile(WebAssembly.compileStreaming(response), url, variant);
  }
  const bytes = await response.arrayBuffer();
  return compile(WebAssembly.compile(bytes), url, variant, type);
}

async function compile(pending, url, variant, type = '') {
  try {
    return await pending;
  } catch (error) {
    const served = type && !type.startsWith('application/wasm') ? ` (the server sent ${type.split(';')[0]}, not application/wasm)` : '';
    throw loadError(variant, 'compiling', url.href, new Error(`${error.message}${served}`));
  }
}

async function instantiate(variant, build, scriptUrl, wasmUrl) {
  // The .wasm download and its (streaming) compilation start now, while the engine's script is
  // still being imported: on a first visit they overlap instead of running one after the other.
  const compiled = compileFrom(wasmUrl, variant);
  compiled.catch(() => {}); // reported through instantiateWasm below, or superseded by a failed import
  const factory = await importFactory(variant, build, scriptUrl);
  let failLoad;
  const failed = new Promise((resolve, reject) => { failLoad = reject; });
  const moduleOptions = {
    // Emscripten prints aborts here; keep them but mark their origin.
    printErr: (text) => console.error(`[trainscope engine] ${text}`),
    // The Emscripten loader asks for its .wasm here (and would otherwise use its own
    // new URL(…, import.meta.url)); instantiateWasm below then does the loading.
    locateFile: (path) => (path.endsWith('.wasm') ? wasmUrl.href : path),
    instantiateWasm(imports, receiveInstance) {
      compiled
        .then((wasmModule) => compile(WebAssembly.instantiate(wasmModule, imports), wasmUrl, variant)
          .then((instance) => receiveInstance(instance, wasmModule)))
        .catch(failLoad);
      return {};
    },
  };
  let module;
  try {
    module = await Promise.race([factory(moduleOptions), failed]);
  } catch (error) {
    if (error instanceof EngineLoadError) throw error;
    throw loadError(variant, 'starting the engine from', wasmUrl.href, error);
  }
  const buildInfo = JSON.parse(module.buildInfo());
  const info = Object.freeze({
    simd: variant === 'simd',
    variant,
    /** Whether this engine has gradCheck() (false for the lite build that { gradCheck: false } loads). */
    gradCheck: buildInfo.grad_check !== false,
    url: wasmUrl.href,
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
 * @param {{simd?: boolean, gradCheck?: boolean, baseUrl?: string | URL, scriptUrl?: any, wasmUrl?: any, locateFile?: Function}} [options]
 */
export async function loadEngine(options = {}) {
  const { info } = await loadEngineModule(options);
  return info;
}
