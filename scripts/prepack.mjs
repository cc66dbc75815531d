#!/usr/bin/env node
// `npm pack` / `npm publish` run this first (package.json "prepack"): the tarball must hold both
// engine builds and the <train-scope> element, none of which is committed.
//
//   1. the engine: bindings/js/engine/trainscope_engine{,_nosimd}.{js,wasm}. Missing files are
//      built (scripts/build.mjs, the two wasm presets; needs Debian's emscripten); when that is
//      impossible the pack fails naming what is missing and how to build it. Present files are
//      checked: a .wasm must be WebAssembly and a .js the Embind factory, so a failed or partial
//      build is not shipped.
//   2. the element: embed/ (package export "trainscope/embed"), built from web/ with esbuild:
//        embed/trainscope-embed.js   the element and the page's UI, uPlot bundled in
//        embed/worker.js             the training worker; imports ../bindings/js/index.js
//        embed/worker-hash-run-*.js  its lazily imported part for the pages (the run an address asks for)
//        embed/search-worker.js      a worker of the Search view's pool (view="search"); imports it too
//        embed/trainscope-embed.css  uPlot's stylesheet + web/style.css (one file: see web/app/embed-styles.js)
//        embed/uPlot-LICENSE
//        embed/trainscope-embed.d.ts
//      Everything is found by relative URLs (new URL('./worker.js', import.meta.url), …), so the
//      same files work from a CDN as one <script type="module"> and inside Vite or webpack.
import { existsSync, mkdirSync, openSync, readSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

import { ENGINE_MODULES, WASM_PRESETS, build, repoRoot } from './build.mjs';

export const ENGINE_DIR = join(repoRoot, 'bindings', 'js', 'engine');
export const ENGINE_FILES = ENGINE_MODULES.flatMap(({ name }) => [`${name}.js`, `${name}.wasm`]);
export const EMBED_DIR = join(repoRoot, 'embed');

function firstBytes(path, count) {
  const buffer = Buffer.alloc(count);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, count, 0);
  } finally {
    closeSync(fd);
  }
  return buffer;
}

// The Emscripten glue, as emcc writes it or minified by scripts/build.mjs (which renames the
// factory): an ES module whose default export is the factory, reading the Module option
// instantiateWasm (a property name, which minification keeps).
function isEngineFactory(source) {
  return /export default createEngineModule|export\s*\{\s*[\w$]+ as default\s*\}/.test(source) &&
    source.includes('instantiateWasm');
}

/** Problems with the placed engine files ([] when all four are there and look right). */
export function engineProblems(directory = ENGINE_DIR) {
  const problems = [];
  for (const file of ENGINE_FILES) {
    const path = join(directory, file);
    const shown = relative(repoRoot, path);
    if (!existsSync(path)) {
      problems.push(`${shown} is missing`);
    } else if (file.endsWith('.wasm') && !firstBytes(path, 4).equals(Buffer.from([0, 0x61, 0x73, 0x6d]))) {
      problems.push(`${shown} is not a WebAssembly module`);
    } else if (file.endsWith('.js') && !isEngineFactory(readFileSync(path, 'utf8'))) {
      problems.push(`${shown} is not the Embind engine factory (no default export that instantiates the engine's wasm)`);
    }
  }
  return problems;
}

/** Makes sure the engine files are there: builds them when missing, fails clearly otherwise. */
export async function ensureEngine() {
  let problems = engineProblems();
  if (problems.length === 0) return;
  console.error(`prepack: ${problems.join('; ')}; building the engine (${WASM_PRESETS.join(', ')})`);
  try {
    await build({ presets: WASM_PRESETS, site: false });
  } catch (error) {
    throw new Error(`the package needs the engine and building it failed (${error.message}).\n` +
      `  ${problems.join('\n  ')}\n` +
      'Build it with `npm run build` (Debian 12: node scripts/ensure-deps.mjs installs emscripten, Eigen, CMake, Ninja), then pack again.');
  }
  problems = engineProblems();
  if (problems.length > 0) throw new Error(`after the build: ${problems.join('; ')}`);
}

const EMBED_TYPES = `// Types of 'trainscope/embed': importing it defines the <train-scope> custom element.
export declare class TrainScopeElement extends HTMLElement {
  play(): void;
  pause(): void;
  reset(): void;
  /** The configuration the element trains (null until the engine has loaded). */
  readonly config: object | null;
  /** The latest step's metrics (null before the first step). */
  readonly lastMetrics: { step: number; loss: number; data_loss: number; reg_loss: number; batch_acc: number; lr: number; grad_norm: number } | null;
  /** True while the worker is training. */
  readonly running: boolean;
  /** True when training stopped because the element scrolled out of view. */
  readonly pausedOutOfView: boolean;
}

declare global {
  interface HTMLElementTagNameMap {
    'train-scope': TrainScopeElement;
  }
}
`;

/** Bundles web/trainscope-embed.js and the training worker into embed/ (see the header). */
export async function buildEmbed() {
  const esbuild = await import('esbuild');
  const web = join(repoRoot, 'web');
  const uplotDir = join(repoRoot, 'node_modules', 'uplot', 'dist');
  const uplotLicense = readFileSync(join(repoRoot, 'node_modules', 'uplot', 'LICENSE'), 'utf8');
  rmSync(EMBED_DIR, { recursive: true, force: true });
  mkdirSync(EMBED_DIR, { recursive: true });

  // web/ imports the JS API as ../js/*.js (the dist/ layout) and uPlot from vendor/: in the package
  // the API stays a separate module graph (../bindings/js/, shared with `import 'trainscope'`)
  // and uPlot is bundled.
  const layout = {
    name: 'trainscope-package-layout',
    setup(build) {
      build.onResolve({ filter: /\/js\/[\w.-]+\.js$/ }, ({ path, resolveDir }) => {
        const target = join(resolveDir, path);
        const fromWeb = relative(web, target).split(sep).join('/');
        if (!fromWeb.startsWith('js/')) return undefined;
        return { path: `../bindings/${fromWeb}`, external: true };
      });
      build.onResolve({ filter: /vendor\/uplot\/uPlot\.esm\.js$/ }, () => ({ path: join(uplotDir, 'uPlot.esm.js') }));
      build.onResolve({ filter: /\/embed-styles\.js$/ }, () => ({ path: 'embed-styles', namespace: 'trainscope-package' }));
      build.onLoad({ filter: /.*/, namespace: 'trainscope-package' }, () => ({
        contents: "export const EMBED_STYLESHEETS = [new URL('./trainscope-embed.css', import.meta.url)];\n",
        loader: 'js',
      }));
    },
  };
  const banner = `// trainscope <train-scope> element, bundled from web/ by scripts/prepack.mjs.\n`;
  const common = { outdir: EMBED_DIR, bundle: true, format: 'esm', target: 'es2022', platform: 'browser', plugins: [layout], legalComments: 'inline', logLevel: 'warning' };
  await esbuild.build({
    ...common,
    entryPoints: { 'trainscope-embed': join(web, 'trainscope-embed.js'), 'search-worker': join(web, 'app', 'search', 'search-worker.js') },
    banner: { js: `${banner}// Includes uPlot (https://github.com/leeoniya/uPlot), MIT License: embed/uPlot-LICENSE.` },
  });
  // The training worker with its lazily imported part (the run an address asks for, which the
  // pages use and the element never does) as a chunk of its own, not inlined.
  await esbuild.build({
    ...common,
    entryPoints: { worker: join(web, 'app', 'worker.js') },
    splitting: true,
    chunkNames: 'worker-[name]-[hash]',
    banner: { js: banner },
  });
  writeFileSync(join(EMBED_DIR, 'trainscope-embed.css'),
    `${readFileSync(join(uplotDir, 'uPlot.min.css'), 'utf8')}\n${readFileSync(join(web, 'style.css'), 'utf8')}`);
  writeFileSync(join(EMBED_DIR, 'uPlot-LICENSE'), uplotLicense);
  writeFileSync(join(EMBED_DIR, 'trainscope-embed.d.ts'), EMBED_TYPES);
  console.error(`prepack: ${relative(repoRoot, EMBED_DIR)}/ built (trainscope-embed.js, worker.js, styles)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await ensureEngine();
    await buildEmbed();
  } catch (error) {
    console.error(`prepack: ${error.message}`);
    process.exit(1);
  }
}
