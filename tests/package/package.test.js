// The package as users get it (issue 16): `npm pack` (which runs scripts/prepack.mjs), the tarball
// installed offline into throwaway projects in a temporary directory, and then
//   - Vite (build and dev server), webpack 5 and esbuild builds of one small app (tests/package/fixtures/app: train 100
//     steps in the page and in a module worker; Vite and webpack also `import 'trainscope/embed'`
//     and show a <train-scope>), each served with the strict CSP of scripts/serve.mjs and opened
//     in headless Chromium: every count reaches 100, no console error, no failed request;
//   - the element from a "CDN": the installed package served from another origin (CORS on), the
//     page holding only the README's one <script type="module">;
//   - node consumers: ESM (import) and CommonJS (require, node >= 20.19), and the installed CLI;
//   - TypeScript consumers (tsc --noEmit) under moduleResolution nodenext and bundler;
//   - sideEffects: a bundle importing only validateConfig holds no preset and no engine.
// The fixture files are the README's snippets: a test checks that the README shows each verbatim.
// Bundlers come from the repository's node_modules (devDependencies), linked into each project.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { MIME_TYPES, resolveInside, startServer } from '../../scripts/serve.mjs';
import { CHROMIUM_FLAGS, PROGRESS_TIMEOUT, chromiumPath } from '../browser/harness.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(repoRoot, 'tests', 'package', 'fixtures');
const CDN_PREFIX = 'https://cdn.jsdelivr.net/npm/trainscope@0.1.0/';

const scratch = mkdtempSync(join(tmpdir(), 'trainscope-package-'));
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
let tarball;
let packed;
let browser = null;
let profile = null;
const servers = [];

function npm(args, cwd) {
  // npm's own notices go to stderr; only the exit code and stdout matter.
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A throwaway project: fixture folders copied in, the tarball installed, bundlers linked. */
function project(name, folders, { link = [], files = {} } = {}) {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const folder of folders) cpSync(join(fixtures, folder), dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  // trainscope has no dependencies: nothing is fetched.
  npm(['install', '--offline', '--no-audit', '--no-fund', tarball], dir);
  for (const tool of link) symlinkSync(join(repoRoot, 'node_modules', tool), join(dir, 'node_modules', tool), 'dir');
  return dir;
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} in ${cwd} failed:\n${result.stdout}\n${result.stderr}`);
  return result;
}

async function newPage() {
  const page = await browser.newPage();
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => page.problems.push(`request failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) page.problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return page;
}

/** Opens `url` and waits for the page's counts: #page and #worker texts, and the element's steps. */
async function expectTrained(url, { texts = ['page', 'worker'], element = false }) {
  const page = await newPage();
  try {
    await page.goto(url);
    // Awaited, never timed: the generous timeout only ends a hang. A console error or a failed
    // request ends the wait at once (a broken loader fails in seconds, not minutes).
    const trained = page.waitForFunction(({ texts: ids, element: hasElement }) => {
      const textsDone = ids.every((id) => /^\w+: step 100, loss \d/.test(document.getElementById(id)?.textContent ?? ''));
      const elementDone = !hasElement || document.querySelector('train-scope')?.lastMetrics?.step >= 100;
      return textsDone && elementDone;
    }, { texts, element }, { timeout: PROGRESS_TIMEOUT, polling: 100 });
    let stop;
    const problem = new Promise((resolve) => {
      const check = setInterval(() => page.problems.length > 0 && resolve(page.problems[0]), 100);
      stop = () => clearInterval(check);
    });
    const outcome = await Promise.race([trained.then(() => null), problem]).catch((error) => error.message).finally(stop);
    if (outcome !== null) {
      const seen = await page.evaluate(() => document.body?.innerText).catch(() => '');
      assert.fail(`${url} did not train: ${outcome}\npage text: ${seen}\n${page.problems.join('\n')}`);
    }
    const shown = await page.evaluate((ids) => ids.map((id) => document.getElementById(id).textContent), texts);
    for (const text of shown) {
      const loss = Number(/loss (\S+)$/.exec(text)[1]);
      assert.ok(loss > 0 && loss < Math.log(3), `${text}: the loss fell below ln 3 in 100 steps`);
    }
    if (element) {
      const metrics = await page.evaluate(() => document.querySelector('train-scope').lastMetrics);
      assert.equal(metrics.step, 100, 'the element stops at steps="100"');
      assert.ok(Number.isFinite(metrics.loss));
    }
    assert.deepEqual(page.problems, [], 'no console error and no failed request');
  } finally {
    await page.close();
  }
}

/** Serves `root` with scripts/serve.mjs (strict CSP, as in tests/browser). */
async function serve(root) {
  const { server, url } = await startServer({ root, port: 0 });
  servers.push(server);
  return url;
}

/** A CDN stand-in: static files from another origin with CORS, as jsdelivr serves npm packages. */
async function serveCdn(root) {
  const server = createServer((request, response) => {
    const file = resolveInside(root, new URL(request.url, 'http://localhost').pathname);
    if (file === null || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'Access-Control-Allow-Origin': '*' });
      response.end('not found');
      return;
    }
    response.writeHead(200, {
      'Content-Type': MIME_TYPES[extname(file)] ?? 'application/octet-stream',
      'Access-Control-Allow-Origin': '*',
    });
    createReadStream(file).pipe(response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}/`;
}

before(async () => {
  // --ignore-scripts is not given: packing runs prepack, which checks the engine and builds embed/.
  // (A build that prepack had to run prints to stdout before npm's JSON.)
  const output = npm(['pack', '--json', '--pack-destination', scratch], repoRoot);
  [packed] = JSON.parse(output.slice(output.search(/^\[/m)));
  tarball = join(scratch, packed.filename);
  profile = mkdtempSync(join(tmpdir(), 'trainscope-chromium-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: CHROMIUM_FLAGS });
});

after(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  if (profile) rmSync(profile, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('holds the three engine builds, the element, the types and the license, and nothing else', () => {
    const files = packed.files.map((entry) => entry.path).sort();
    for (const required of [
      'LICENSE', 'README.md', 'package.json', 'bin/trainscope.js', 'bindings/js/index.js', 'bindings/js/errors.js',
      'bindings/trainscope.d.ts',
      'bindings/js/engine/trainscope_engine.js', 'bindings/js/engine/trainscope_engine.wasm',
      'bindings/js/engine/trainscope_engine_nosimd.js', 'bindings/js/engine/trainscope_engine_nosimd.wasm',
      'bindings/js/engine/trainscope_engine_lite.js', 'bindings/js/engine/trainscope_engine_lite.wasm',
      'embed/trainscope-embed.js', 'embed/worker.js', 'embed/trainscope-embed.css', 'embed/trainscope-embed.d.ts',
      'embed/uPlot-LICENSE',
    ]) assert.ok(files.includes(required), `the tarball lacks ${required}`);
    const stray = files.filter((file) => !/^(LICENSE|README\.md|package\.json|bin\/|bindings\/|embed\/)/.test(file));
    assert.deepEqual(stray, []);
    // Every path package.json points at is in the tarball.
    const targets = [packageJson.main, packageJson.types, ...Object.values(packageJson.bin),
      ...Object.values(packageJson.exports).flatMap((entry) => (typeof entry === 'string' ? [entry] : Object.values(entry)))];
    for (const target of targets.filter((path) => !path.includes('*'))) {
      assert.ok(files.includes(target.replace(/^\.\//, '')), `package.json names ${target}, which is not packed`);
    }
    assert.equal(packageJson.dependencies, undefined, 'no runtime dependency: uPlot is bundled into embed/');
  });

  test('the README states the packed size', () => {
    const kB = (packed.size / 1000).toFixed(1);
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    assert.ok(/npm pack`? gives a (\d+\.\d) kB tarball/.test(readme), "README.md states the tarball size (`npm pack` gives a N kB tarball)");
    const stated = Number(/npm pack`? gives a (\d+\.\d) kB tarball/.exec(readme)[1]);
    // The engine is rebuilt by others: a few kB either way is the same package.
    assert.ok(Math.abs(stated - Number(kB)) <= 20, `README says ${stated} kB, npm pack gives ${kB} kB`);
  });

  test('the README shows each fixture exactly', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const file of ['app/main.js', 'app/worker.js', 'app/element.js', 'vite/index.html', 'webpack/webpack.config.js',
      'esbuild/build.mjs', 'cdn/index.html', 'node/train.cjs']) {
      const text = readFileSync(join(fixtures, file), 'utf8');
      assert.ok(readme.includes(text), `README.md does not show tests/package/fixtures/${file} verbatim`);
    }
  });
});

describe('bundlers: a page and a module worker train 100 steps', () => {
  let viteProject;
  test('Vite', async () => {
    viteProject = project('vite', ['app', 'vite'], { link: ['vite'] });
    run(process.execPath, [join(viteProject, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], viteProject);
    await expectTrained(`${await serve(join(viteProject, 'dist'))}index.html`, { element: true });
  });

  test('Vite dev server (dependency pre-bundling, no configuration)', async () => {
    const { createServer } = await import('vite');
    const server = await createServer({ root: viteProject, configFile: false, logLevel: 'silent', server: { host: '127.0.0.1', port: 0 } });
    await server.listen();
    try {
      await expectTrained(server.resolvedUrls.local[0], { element: true });
    } finally {
      await server.close();
    }
  });

  test('webpack 5', async () => {
    const dir = project('webpack', ['app', 'webpack'], { link: ['webpack'] });
    run(process.execPath, ['build.mjs'], dir);
    await expectTrained(`${await serve(join(dir, 'dist'))}index.html`, { element: true });
  });

  test('esbuild', async () => {
    const dir = project('esbuild', ['app', 'esbuild'], { link: ['esbuild'] });
    run(process.execPath, ['build.mjs'], dir);
    await expectTrained(`${await serve(join(dir, 'dist'))}index.html`, {});
  });

  test('the element from a CDN: one <script type="module"> on a page of another origin', async () => {
    const dir = project('cdn', ['cdn']);
    const cdn = await serveCdn(join(dir, 'node_modules', 'trainscope'));
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    assert.ok(html.includes(CDN_PREFIX));
    writeFileSync(join(dir, 'index.html'), html.replaceAll(CDN_PREFIX, cdn));
    const site = await serveCdn(dir);
    assert.notEqual(new URL(site).origin, new URL(cdn).origin);
    await expectTrained(`${site}index.html`, { texts: [], element: true });
  });

  test('sideEffects: importing validateConfig alone bundles no preset and no engine', async () => {
    const dir = project('side-effects', [], { link: ['esbuild'], files: { 'entry.js': "import { validateConfig } from 'trainscope';\nconsole.log(validateConfig({}));\n" } });
    const esbuild = await import('esbuild');
    const result = await esbuild.build({ entryPoints: [join(dir, 'entry.js')], bundle: true, format: 'esm', write: false, absWorkingDir: dir, logLevel: 'silent' });
    const code = result.outputFiles[0].text;
    assert.ok(code.includes('validateConfig'), 'the bundle has validateConfig');
    assert.ok(!code.includes('batchnorm-rescue'), 'the presets were dropped');
    assert.ok(!code.includes('createEngineModule'), 'the engine glue was dropped');
  });
});

describe('node consumers', () => {
  let dir;
  before(() => {
    dir = project('node', ['node']);
  });

  test('ESM: import { createTrainer } from "trainscope"', () => {
    assert.match(run(process.execPath, ['train.mjs'], dir).stdout, /^step 100, loss \d/);
  });

  test('CommonJS: require("trainscope")', () => {
    assert.match(run(process.execPath, ['train.cjs'], dir).stdout, /^step 100, loss \d/);
  });

  test('the installed CLI runs', () => {
    const result = run(join(dir, 'node_modules', '.bin', 'trainscope'), ['run', '--steps', '5', '--every', '5', '--format', 'csv'], dir);
    assert.match(result.stdout, /^step,loss,/);
  });
});

describe('TypeScript consumers (tsc --noEmit against the installed declarations)', () => {
  let dir;
  before(() => {
    dir = project('typescript', ['typescript']);
  });
  for (const resolution of ['nodenext', 'bundler']) {
    test(`moduleResolution ${resolution}`, () => {
      run(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', `tsconfig.${resolution}.json`], dir);
    });
  }
});
