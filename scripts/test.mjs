#!/usr/bin/env node
// `npm test`: every test of the project, from a fresh clone.
//
//   dependencies → build native-debug, wasm-release, wasm-nosimd → place modules, dist/ →
//   engine doctests natively (ASan + UBSan) → the same doctests as wasm under node (SIMD and
//   no-SIMD builds) → node --test tests/js/ → node --test tests/browser/ → node --test
//   tests/package/ (the packed tarball as users install it) → build the `fuzz` preset,
//   each libFuzzer target over a fixed number of inputs from its committed seeds (scripts/fuzz.mjs)
//
// Output streams live; each runner's summary is counted and the last line is
// `N passed, N failed, N skipped`. Exit code 1 when any runner fails or reports a failure, and
// when any test was skipped (a missing Chromium or script(1) must not pass silently) unless
// TRAINSCOPE_ALLOW_SKIP=1 is set.
//
//   npm test -- --only=engine          (or js, browser, package, fuzz; comma-separated for several)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { ENGINE_MODULES, binaryDir, buildPreset, placeEngineModules, assembleSite, repoRoot } from './build.mjs';
import { ensureDeps } from './ensure-deps.mjs';
import { FUZZ_TARGETS, TEST_RUNS, buildFuzzTargets, fuzzArguments, fuzzBinary } from './fuzz.mjs';

const SUITES = ['engine', 'js', 'browser', 'package', 'fuzz'];

function parseArguments(argv) {
  let only = SUITES;
  for (const argument of argv) {
    if (argument.startsWith('--only=')) {
      only = argument.slice('--only='.length).split(',').filter(Boolean);
      const unknown = only.filter((suite) => !SUITES.includes(suite));
      if (unknown.length > 0 || only.length === 0) throw new Error(`--only takes ${SUITES.join('|')}; got ${argument}`);
    } else {
      throw new Error(`unknown argument ${argument}; usage: npm test -- [--only=${SUITES.join('|')}]`);
    }
  }
  return new Set(only);
}

// Runs a command, echoing its output live and keeping it for the summary parser.
function runCaptured(command, args) {
  return new Promise((resolve) => {
    console.log(`$ ${[command, ...args].join(' ')}`);
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      output += chunk;
    });
    child.on('error', (error) => resolve({ code: -1, output: `${output}\n${error.message}` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), output }));
  });
}

// doctest: "[doctest] test cases: 19 | 19 passed | 0 failed | 0 skipped"
export function doctestCounts(output) {
  const match = /\[doctest\] test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed(?:\s*\|\s*(\d+) skipped)?/.exec(output);
  return match ? { passed: Number(match[2]), failed: Number(match[3]), skipped: Number(match[4] ?? 0) } : null;
}

// node --test: "# pass 12" / "# fail 0" / "# cancelled 0" / "# skipped 1" / "# todo 0" (TAP) or the
// same after "ℹ" (spec reporter). A cancelled test (its hook failed) did not pass: it counts as
// failed; a todo test did not run as a test either: it counts with the skipped ones.
export function nodeTestCounts(output) {
  const count = (label) => {
    const match = new RegExp(`^(?:#|ℹ) ${label} (\\d+)`, 'm').exec(output);
    return match ? Number(match[1]) : null;
  };
  const passed = count('pass');
  const failed = count('fail');
  if (passed === null || failed === null) return null;
  return { passed, failed: failed + (count('cancelled') ?? 0), skipped: (count('skipped') ?? 0) + (count('todo') ?? 0) };
}

// libFuzzer: "Done 2000 runs in 12 second(s)" only when no input failed; one target = one test.
export function fuzzCounts(output) {
  return /^Done \d+ runs in /m.test(output) ? { passed: 1, failed: 0, skipped: 0 } : null;
}

/** The closing line of `npm test`. */
export function summaryLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}

/** Exit code: 1 on any failure, and on any skipped test unless skipping is allowed. */
export function exitCodeFor({ failed, skipped }, allowSkip = process.env.TRAINSCOPE_ALLOW_SKIP === '1') {
  return failed > 0 || (skipped > 0 && !allowSkip) ? 1 : 0;
}

function hasTestFiles(directory) {
  if (!existsSync(directory)) return false;
  return readdirSync(directory, { recursive: true }).some((file) => /\.test\.(m?js|cjs)$/.test(String(file)));
}

const results = [];

async function runRunner(name, command, args, countsOf) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const { code, output } = await runCaptured(command, args);
  const counts = countsOf(output);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // A crash before the summary (abort, sanitizer report) counts as one failure.
  const failedRun = code !== 0 && (counts === null || counts.failed === 0);
  const result = {
    name,
    passed: counts?.passed ?? 0,
    failed: (counts?.failed ?? 0) + (failedRun ? 1 : 0),
    skipped: counts?.skipped ?? 0,
    note: failedRun ? ` (exit code ${code}${counts ? '' : ', no summary'})` : '',
    seconds,
  };
  results.push(result);
  console.log(`=== ${name}: ${summaryLine(result)}${result.note} in ${seconds} s ===`);
}

async function main() {
  const only = parseArguments(process.argv.slice(2));
  ensureDeps();

  // The engine suite needs only the doctest runners; js and browser only the Embind modules
  // (and dist/).
  const needsModules = only.has('js') || only.has('browser') || only.has('package');
  if (only.has('engine')) await buildPreset('native-debug', ['engine_tests']);
  for (const preset of ['wasm-release', 'wasm-nosimd']) {
    const moduleTargets = ENGINE_MODULES.filter((module) => module.preset === preset).map((module) => module.target);
    const targets = [...(only.has('engine') ? ['engine_tests'] : []), ...(needsModules ? moduleTargets : [])];
    if (targets.length > 0) await buildPreset(preset, targets);
  }
  if (needsModules) {
    await placeEngineModules();
    await assembleSite();
  }

  if (only.has('engine')) {
    await runRunner('engine (native, ASan+UBSan)', join(binaryDir('native-debug'), 'engine_tests'), ['-nc'], doctestCounts);
    for (const preset of ['wasm-release', 'wasm-nosimd']) {
      await runRunner(`engine (${preset}, node)`, process.execPath,
        [join(binaryDir(preset), 'engine_tests.cjs'), '-nc'], doctestCounts);
    }
  }
  // package: npm pack, the tarball in Vite/webpack/esbuild/CDN pages, node and TypeScript consumers.
  for (const suite of ['js', 'browser', 'package']) {
    if (!only.has(suite)) continue;
    const directory = join('tests', suite);
    if (hasTestFiles(join(repoRoot, directory))) {
      await runRunner(`${suite} (node --test)`, process.execPath,
        ['--test', '--test-reporter=spec', `${directory}/`], nodeTestCounts);
    } else {
      console.log(`\n=== ${suite}: no test files in ${directory}/ ===`);
    }
  }

  if (only.has('fuzz')) {
    await buildFuzzTargets();
    for (const target of FUZZ_TARGETS) {
      const workCorpus = mkdtempSync(join(tmpdir(), `trainscope-fuzz-${target}-`));
      try {
        await runRunner(`fuzz ${target} (${TEST_RUNS} inputs)`, fuzzBinary(target),
          fuzzArguments(target, { workCorpus, runs: TEST_RUNS }), fuzzCounts);
      } finally {
        rmSync(workCorpus, { recursive: true, force: true });
      }
    }
  }

  console.log('\nSummary:');
  for (const { name, passed, failed, skipped, note, seconds } of results) {
    console.log(`  ${name.padEnd(32)} ${String(passed).padStart(5)} passed ${String(failed).padStart(4)} failed ` +
      `${String(skipped).padStart(4)} skipped${note}  ${seconds} s`);
  }
  const total = (key) => results.reduce((sum, result) => sum + result[key], 0);
  const totals = { passed: total('passed'), failed: total('failed'), skipped: total('skipped') };
  if (totals.skipped > 0) {
    console.log(process.env.TRAINSCOPE_ALLOW_SKIP === '1'
      ? `${totals.skipped} skipped (allowed by TRAINSCOPE_ALLOW_SKIP=1)`
      : `${totals.skipped} skipped: a skipped test is a test that did not run; install what it needs ` +
        '(node scripts/ensure-deps.mjs) or set TRAINSCOPE_ALLOW_SKIP=1');
  }
  console.log(summaryLine(totals));
  return exitCodeFor(totals);
}

// Run only as a script: tests/js/test-summary.test.js imports the counting functions.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.exitCode = await main();
  } catch (error) {
    // Build or setup failures: nothing was counted.
    console.error(`\ntest: ${error.message}`);
    console.log(summaryLine({ passed: 0, failed: 1, skipped: 0 }));
    process.exitCode = 1;
  }
}
