#!/usr/bin/env node
// libFuzzer over the engine's entry points for hostile input (tests/fuzz/): configuration JSON,
// custom data, tensor loading. Built by the `fuzz` preset (clang, ASan + UBSan).
//
//   npm run fuzz                          every target for 300 s (a long run)
//   npm run fuzz -- --seconds=60 --target=config_json
//
// A long run keeps what it learns in build/fuzz-corpus/<target>/ (not committed) and reads the
// committed seeds in tests/fuzz/corpus/<target>/. A crash, sanitizer report, timeout (> 10 s per
// input) or allocation over the engine's 512 MB budget stops the target and writes the input to
// test-output/fuzz/; add it to tests/fuzz/corpus/<target>/ once fixed. `npm test` runs each target
// over a fixed number of inputs from the seeds (fuzzArguments with `runs`).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { binaryDir, buildPreset, repoRoot } from './build.mjs';

export const FUZZ_TARGETS = ['config_json', 'custom_data', 'set_tensor'];
export const FUZZ_PRESET = 'fuzz';
/** Inputs per target in `npm test` (a few seconds each under the sanitizers). */
export const TEST_RUNS = 1000;
const MEMORY_BUDGET_MB = 512;  // engine/config.hpp kMemoryBudgetBytes

export const fuzzBinary = (target) => join(binaryDir(FUZZ_PRESET), 'tests', 'fuzz', `fuzz_${target}`);
export const seedCorpus = (target) => join(repoRoot, 'tests', 'fuzz', 'corpus', target);
const artifactDir = join(repoRoot, 'test-output', 'fuzz');

export async function buildFuzzTargets() {
  await buildPreset(FUZZ_PRESET, FUZZ_TARGETS.map((target) => `fuzz_${target}`));
}

/**
 * libFuzzer arguments: new inputs go to `workCorpus` (first directory), the seeds are read only.
 * `runs` bounds the number of inputs (npm test), `seconds` the time (npm run fuzz).
 */
export function fuzzArguments(target, { workCorpus, runs, seconds }) {
  mkdirSync(artifactDir, { recursive: true });
  mkdirSync(workCorpus, { recursive: true });
  const dictionary = join(repoRoot, 'tests', 'fuzz', `${target}.dict`);
  return [
    workCorpus, seedCorpus(target),
    ...(existsSync(dictionary) ? [`-dict=${dictionary}`] : []),
    ...(runs !== undefined ? [`-runs=${runs}`] : []),
    ...(seconds !== undefined ? [`-max_total_time=${seconds}`] : []),
    '-seed=1',  // the bounded run in npm test is the same run every time
    '-timeout=10',
    `-malloc_limit_mb=${MEMORY_BUDGET_MB}`,
    '-rss_limit_mb=2560',
    '-max_len=4096',
    '-print_final_stats=1',
    `-artifact_prefix=${join(artifactDir, `${target}-`)}`,
  ];
}

/** From libFuzzer's output: inputs executed, or null when it never finished. */
export function executedInputs(output) {
  const stat = /stat::number_of_executed_units:\s*(\d+)/.exec(output);
  if (stat) return Number(stat[1]);
  const done = /Done (\d+) runs in/.exec(output);
  return done ? Number(done[1]) : null;
}

function run(command, args) {
  return new Promise((resolve) => {
    console.log(`$ ${[command, ...args].join(' ')}`);
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      output += chunk;
    });
    child.on('close', (code, signal) => resolve({ code: code ?? 128, signal, output }));
  });
}

async function main(argv) {
  let seconds = 300;
  let targets = FUZZ_TARGETS;
  for (const argument of argv) {
    if (argument.startsWith('--seconds=')) seconds = Number(argument.slice('--seconds='.length));
    else if (argument.startsWith('--target=')) targets = argument.slice('--target='.length).split(',');
    else throw new Error(`unknown argument ${argument}; usage: npm run fuzz -- [--seconds=N] [--target=${FUZZ_TARGETS.join(',')}]`);
  }
  const unknown = targets.filter((target) => !FUZZ_TARGETS.includes(target));
  if (unknown.length > 0 || !(seconds > 0)) throw new Error(`unknown target ${unknown.join(', ')} or bad --seconds`);
  await buildFuzzTargets();
  const rows = [];
  for (const target of targets) {
    const workCorpus = join(binaryDir(FUZZ_PRESET), '..', 'fuzz-corpus', target);
    const { code, output } = await run(fuzzBinary(target), fuzzArguments(target, { workCorpus, seconds }));
    const corpus = existsSync(workCorpus) ? readdirSync(workCorpus).length : 0;
    const finding = /==\d+==\s*(ERROR: \w+Sanitizer: [^\n]*|ERROR: libFuzzer: [^\n]*)|runtime error: [^\n]*|unexpected exception: [^\n]*/.exec(output);
    rows.push({ target, inputs: executedInputs(output), corpus, code, finding: finding ? finding[0].trim() : '' });
  }
  console.log('\nFuzz summary:');
  for (const { target, inputs, corpus, code, finding } of rows) {
    console.log(`  ${target.padEnd(12)} ${String(inputs ?? '?').padStart(9)} inputs  corpus ${corpus}  ${code === 0 ? 'no finding' : `FINDING: ${finding || `exit code ${code}`}`}`);
  }
  console.log(`artifacts (inputs that failed): ${artifactDir}`);
  return rows.every((row) => row.code === 0) ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    console.error(`fuzz: ${error.message}`);
    process.exitCode = 1;
  }
}
