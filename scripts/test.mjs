#!/usr/bin/env node
// `npm test`: every test of the project, from a fresh clone.
//
//   dependencies → build native-debug, wasm-release, wasm-nosimd → place modules, dist/ →
//   engine doctests natively (ASan + UBSan) → the same doctests as wasm under node (SIMD and
//   no-SIMD builds) → node --test tests/js/ → node --test tests/browser/
//
// Output streams live; each runner's summary is counted and the last line is
// `N passed, N failed`. Exit code 1 when any runner fails or reports a failure.
//
//   npm test -- --only=engine          (or js, browser; comma-separated for several)
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { binaryDir, buildPreset, placeEngineModules, assembleSite, generateSchema, repoRoot } from './build.mjs';
import { ensureDeps } from './ensure-deps.mjs';

const SUITES = ['engine', 'js', 'browser'];

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
function doctestCounts(output) {
  const match = /\[doctest\] test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed/.exec(output);
  return match ? { passed: Number(match[2]), failed: Number(match[3]) } : null;
}

// node --test: "# pass 12" / "# fail 0" (TAP) or "ℹ pass 12" / "ℹ fail 0" (spec reporter).
function nodeTestCounts(output) {
  const pass = /^(?:#|ℹ) pass (\d+)/m.exec(output);
  const fail = /^(?:#|ℹ) fail (\d+)/m.exec(output);
  return pass && fail ? { passed: Number(pass[1]), failed: Number(fail[1]) } : null;
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
    note: failedRun ? ` (exit code ${code}${counts ? '' : ', no summary'})` : '',
    seconds,
  };
  results.push(result);
  console.log(`=== ${name}: ${result.passed} passed, ${result.failed} failed${result.note} in ${seconds} s ===`);
}

async function main() {
  const only = parseArguments(process.argv.slice(2));
  ensureDeps();

  // The engine suite needs only the doctest runners; js and browser need the Embind modules
  // and dist/ too.
  const needsModules = only.has('js') || only.has('browser');
  const wasmTargets = needsModules ? [] : ['engine_tests'];
  if (only.has('engine')) await buildPreset('native-debug', ['engine_tests']);
  for (const preset of ['wasm-release', 'wasm-nosimd']) await buildPreset(preset, wasmTargets);
  if (needsModules) {
    placeEngineModules();
    await generateSchema();
    assembleSite();
  }

  if (only.has('engine')) {
    await runRunner('engine (native, ASan+UBSan)', join(binaryDir('native-debug'), 'engine_tests'), ['-nc'], doctestCounts);
    for (const preset of ['wasm-release', 'wasm-nosimd']) {
      await runRunner(`engine (${preset}, node)`, process.execPath,
        [join(binaryDir(preset), 'engine_tests.cjs'), '-nc'], doctestCounts);
    }
  }
  for (const suite of ['js', 'browser']) {
    if (!only.has(suite)) continue;
    const directory = join('tests', suite);
    if (hasTestFiles(join(repoRoot, directory))) {
      await runRunner(`${suite} (node --test)`, process.execPath,
        ['--test', '--test-reporter=spec', `${directory}/`], nodeTestCounts);
    } else {
      console.log(`\n=== ${suite}: no test files in ${directory}/ ===`);
    }
  }

  console.log('\nSummary:');
  for (const { name, passed, failed, note, seconds } of results) {
    console.log(`  ${name.padEnd(32)} ${String(passed).padStart(5)} passed ${String(failed).padStart(4)} failed${note}  ${seconds} s`);
  }
  const passed = results.reduce((sum, result) => sum + result.passed, 0);
  const failed = results.reduce((sum, result) => sum + result.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  // Build or setup failures: nothing was counted.
  console.error(`\ntest: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
}
