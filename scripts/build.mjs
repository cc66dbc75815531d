#!/usr/bin/env node
// Builds the engine with CMake presets, places the Embind modules next to the JS API and
// assembles the static site dist/.
//
//   node scripts/build.mjs                      wasm-release + wasm-nosimd, then dist/
//   node scripts/build.mjs --presets=native-debug,wasm-release --no-site
//
// Presets build one after the other with -j2 (env TRAINSCOPE_JOBS overrides): the machine has
// two cores and other work runs beside the build.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WASM_PRESETS = ['wasm-release', 'wasm-nosimd'];

// Where each Embind module is built, and the base name the JS loader expects for it.
const ENGINE_MODULES = [
  { preset: 'wasm-release', name: 'trainscope_engine' },
  { preset: 'wasm-nosimd', name: 'trainscope_engine_nosimd' },
];

/** Runs a command with live output; resolves on exit code 0, rejects otherwise. */
export function runLive(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    console.log(`$ ${[command, ...args].join(' ')}`);
    const child = spawn(command, args, { stdio: 'inherit', cwd: repoRoot, ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

export function binaryDir(preset) {
  return join(repoRoot, 'build', preset);
}

// Ninja re-runs CMake by itself when a CMakeLists.txt or a globbed directory changes; only a
// missing build tree or an edited CMakePresets.json needs an explicit configure.
function needsConfigure(preset) {
  const cache = join(binaryDir(preset), 'CMakeCache.txt');
  if (!existsSync(cache) || !existsSync(join(binaryDir(preset), 'build.ninja'))) return true;
  return statSync(join(repoRoot, 'CMakePresets.json')).mtimeMs > statSync(cache).mtimeMs;
}

/** cmake --preset <preset> when needed, then cmake --build (all targets, or only `targets`). */
export async function buildPreset(preset, targets = []) {
  const jobs = process.env.TRAINSCOPE_JOBS ?? '2';
  const started = Date.now();
  if (needsConfigure(preset)) await runLive('cmake', ['--preset', preset, '--log-level=WARNING']);
  const targetArguments = targets.length > 0 ? ['--target', ...targets] : [];
  await runLive('cmake', ['--build', binaryDir(preset), `-j${jobs}`, ...targetArguments]);
  console.log(`build: ${preset} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Copies the built modules to bindings/js/engine/, where bindings/js/loader.js finds them. */
export function placeEngineModules() {
  const destination = join(repoRoot, 'bindings', 'js', 'engine');
  mkdirSync(destination, { recursive: true });
  for (const { preset, name } of ENGINE_MODULES) {
    for (const extension of ['js', 'wasm']) {
      const source = join(binaryDir(preset), `${name}.${extension}`);
      if (!existsSync(source)) {
        throw new Error(`${source} does not exist: build the ${preset} preset first`);
      }
      cpSync(source, join(destination, `${name}.${extension}`));
    }
  }
}

/** dist/ = web/ + bindings/js/ (as js/, engine included) + uPlot (as vendor/uplot/). */
export function assembleSite() {
  const dist = join(repoRoot, 'dist');
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const web = join(repoRoot, 'web');
  if (existsSync(web)) cpSync(web, dist, { recursive: true });
  cpSync(join(repoRoot, 'bindings', 'js'), join(dist, 'js'), { recursive: true });
  const uplot = join(repoRoot, 'node_modules', 'uplot', 'dist');
  const vendor = join(dist, 'vendor', 'uplot');
  mkdirSync(vendor, { recursive: true });
  for (const file of ['uPlot.esm.js', 'uPlot.min.css']) cpSync(join(uplot, file), join(vendor, file));
  console.log(`build: dist/ assembled (${readdirSync(dist).join(', ')})`);
}

/** Builds `presets` in order; when they include both wasm presets, also places the modules and
 *  (unless site is false) assembles dist/. */
export async function build({ presets = WASM_PRESETS, site = true } = {}) {
  for (const preset of presets) await buildPreset(preset);
  if (WASM_PRESETS.every((preset) => presets.includes(preset))) {
    placeEngineModules();
    if (site) assembleSite();
  }
}

function parseArguments(argv) {
  const options = { presets: WASM_PRESETS, site: true };
  for (const argument of argv) {
    if (argument.startsWith('--presets=')) options.presets = argument.slice('--presets='.length).split(',').filter(Boolean);
    else if (argument === '--no-site') options.site = false;
    else throw new Error(`unknown argument ${argument}; usage: build.mjs [--presets=a,b] [--no-site]`);
  }
  return options;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const { ensureDeps } = await import('./ensure-deps.mjs');
    ensureDeps();
    await build(parseArguments(process.argv.slice(2)));
  } catch (error) {
    console.error(`build: ${error.message}`);
    process.exit(1);
  }
}
