#!/usr/bin/env node
// `npm run bench`: the performance benchmark of issue 5 on the workloads of BENCHMARKS.md.
//
//   npm run bench                       full run (about 10–15 minutes on 2 cores)
//   npm run bench -- --quick            one repetition, 1 s warm-up and 1 s timed per measurement
//   npm run bench -- --only=W1,W3       only these workloads (W1 W2 W3 W4; all by default)
//   options: --reps=N --warmup=S --time=S --engines=a,b --skip-build --no-chromium --no-heap
//            --first-step-loads=N
//   engines: native-release native-march plain-eigen trainscope-simd trainscope-nosimd tfjs-wasm
//            tfjs-cpu convnetjs (all by default; each workload runs the engines that can run it:
//            W4, the conv net of bench/w4.mjs, has no plain-eigen runner, TF.js's wasm backend
//            cannot train it (tried once per run, its error printed under the W4 table), and
//            convnetjs runs W4 only)
//
// Every measurement is a fresh process (bench/measure.mjs for JS engines, the native runner built
// from bench/native_bench.cpp) that first checks the reference losses, then steps untimed for
// --warmup seconds and timed for at least --time seconds. Engines run in alternation
// (A B C … A B C …) and medians are compared. Prints Markdown tables and writes the whole run,
// every raw measurement included, to bench/results/<timestamp>.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { measureFirstStep, measureWorker, startStaticServer } from '../bench/chromium.mjs';
import {
  BASELINE_ENGINE,
  CONVNETJS_ENGINE,
  ENGINES,
  SUBJECT_ENGINE,
  TFJS_ENGINE,
  chromiumTable,
  diagnosticsTable,
  engineLabel,
  formatNumber,
  targetsTable,
  throughputTable,
  w4Table,
} from '../bench/report.mjs';
import { fileSizes } from '../bench/sizes.mjs';
import { runMeasurementProcess } from '../bench/spawn.mjs';
import { median, minMax, ratio } from '../bench/stats.mjs';
import { W4, writeW4NativeInput } from '../bench/w4.mjs';
import { WORKLOADS, WORKLOAD_IDS } from '../bench/workloads.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Native runners: which CMake preset and target (bench/CMakeLists.txt) each engine id runs.
const NATIVE_RUNNERS = {
  'native-release': { preset: 'native-release', target: 'trainscope_native_bench' },
  'native-march': { preset: 'native-march', target: 'trainscope_native_bench' },
  'plain-eigen': { preset: 'native-release', target: 'trainscope_plain_eigen_reference' },
};
const ENGINE_DIR = path.join(ROOT, 'bindings', 'js', 'engine');
const ENGINE_FILES = {
  simd: ['trainscope_engine.js', 'trainscope_engine.wasm'],
  nosimd: ['trainscope_engine_nosimd.js', 'trainscope_engine_nosimd.wasm'],
  // What the pages load (web/app/page-engine.js): the SIMD engine without the gradient check.
  lite: ['trainscope_engine_lite.js', 'trainscope_engine_lite.wasm'],
};
const HEAP_STEPS = [1000, 100000];
// W4 (bench/w4.mjs): the engines with a W4 runner; the native runner reads data and weights from
// this file, written by the JS side so every engine gets the same bytes.
const W4_ENGINES = ['native-release', 'native-march', 'trainscope-simd', 'trainscope-nosimd', 'convnetjs', 'tfjs-cpu'];
const W4_INPUT = path.join(ROOT, 'build', 'w4-input.bin');
const ALL_WORKLOADS = { ...WORKLOADS, W4 };

/** The engines of `engines` that have a runner for `workloadId`. */
function enginesFor(workloadId, engines) {
  if (workloadId === 'W4') return engines.filter((id) => W4_ENGINES.includes(id));
  return engines.filter((id) => id !== CONVNETJS_ENGINE);
}

// Issue 5's targets.
const TARGET = {
  wasmVsNativeW1: 0.8,
  wasmVsNativeW2W3: 0.85,
  vsTfjsWasm: 10,
  diagnosticsSlowdown: 0.1,
  workerVsNode: 0.85,
  heapGrowthBytes: 0,
  // Issue 11: W4, wasm SIMD against ConvNetJS and against the native baseline.
  w4VsConvnetjs: 15,
  w4VsNative: 0.7,
  engineGzipBytes: 200 * 1000,
  firstStepMs: 400,
};

function parseOptions(argv) {
  const options = {};
  for (const arg of argv) {
    const match = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unexpected argument ${arg} (see the header of scripts/bench.mjs)`);
    options[match[1]] = match[2] ?? true;
  }
  const quick = Boolean(options.quick);
  const only = options.only ? String(options.only).toUpperCase().split(',') : [...WORKLOAD_IDS, 'W4'];
  for (const id of only) if (!ALL_WORKLOADS[id]) throw new Error(`--only: unknown workload ${id}`);
  const engines = options.engines ? String(options.engines).split(',') : ENGINES.map((engine) => engine.id);
  for (const id of engines) if (!ENGINES.some((engine) => engine.id === id)) throw new Error(`--engines: unknown engine ${id}`);
  return {
    quick,
    only,
    engines,
    reps: Number(options.reps ?? (quick ? 1 : 3)),
    warmup: Number(options.warmup ?? (quick ? 1 : 2)),
    time: Number(options.time ?? (quick ? 1 : 2)),
    firstStepLoads: Number(options['first-step-loads'] ?? (quick ? 2 : 5)),
    build: !options['skip-build'],
    chromium: !options['no-chromium'],
    heap: !options['no-heap'],
  };
}

function log(message) {
  process.stderr.write(`${message}\n`);
}

function concurrentCompiles() {
  const result = spawnSync('pgrep', ['-af', 'cc1plus|clang|ninja|emcc'], { encoding: 'utf8' });
  return (result.stdout || '')
    .split('\n')
    .filter((line) => line && !line.includes('pgrep'))
    .map((line) => line.slice(0, 160));
}

function run(command, args) {
  log(`$ ${command} ${args.join(' ')}`);
  // Build logs go to stderr: stdout carries only the report (npm run bench > table.md).
  execFileSync(command, args, { cwd: ROOT, stdio: ['ignore', process.stderr, process.stderr] });
}

function nativeRunnerPath({ preset, target }) {
  return path.join(ROOT, 'build', preset, 'bench', target);
}

// Native runners: configure the preset if needed, then build only the bench targets (and the
// engine library they link). Incremental: cheap when nothing changed.
function buildNative(options) {
  const targetsByPreset = new Map();
  for (const engine of options.engines.filter((id) => NATIVE_RUNNERS[id])) {
    const { preset, target } = NATIVE_RUNNERS[engine];
    targetsByPreset.set(preset, [...(targetsByPreset.get(preset) ?? []), target]);
  }
  for (const [preset, targets] of targetsByPreset) {
    if (!existsSync(path.join(ROOT, 'build', preset, 'build.ninja'))) run('cmake', ['--preset', preset]);
    run('cmake', ['--build', path.join('build', preset), '--target', ...targets, '-j', '2']);
  }
}

// The wasm engine (both variants) is built, copied next to the JS API and assembled into dist/ by
// `npm run build` (scripts/build.mjs); run it every time (incremental) so nothing stale is timed.
function ensureWasmEngines(options) {
  const missing = () =>
    Object.values(ENGINE_FILES).flat().filter((file) => !existsSync(path.join(ENGINE_DIR, file)));
  const needsWasm = options.engines.some((id) => id.startsWith('trainscope')) || options.chromium || options.heap;
  if (!needsWasm) return;
  if (options.build) run(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')]);
  if (missing().length > 0) throw new Error(`missing engine files in ${ENGINE_DIR}: ${missing().join(', ')} (npm run build)`);
}

/** One measurement in a fresh process. */
function measure(engine, workloadId, options, extra = []) {
  if (NATIVE_RUNNERS[engine]) {
    return runMeasurementProcess(
      nativeRunnerPath(NATIVE_RUNNERS[engine]),
      [
        `--workload=${workloadId}`,
        `--warmup=${options.warmup}`,
        `--time=${options.time}`,
        ...(workloadId === 'W4' ? [`--w4-input=${W4_INPUT}`] : []),
        ...extra,
      ],
      { cwd: ROOT },
    ).then((result) => ({ engine, ...result }));
  }
  return runMeasurementProcess(
    process.execPath,
    [
      path.join(ROOT, 'bench', 'measure.mjs'),
      `--engine=${engine}`,
      `--workload=${workloadId}`,
      `--warmup=${options.warmup}`,
      `--time=${options.time}`,
      ...extra,
    ],
    { cwd: ROOT },
  );
}

function summarize(results) {
  const rates = results.filter((result) => !result.error).map((result) => result.stepsPerSecond);
  const [min, max] = minMax(rates);
  const errors = results.filter((result) => result.error).map((result) => result.error);
  return { median: median(rates), min, max, runs: rates.length, ...(errors.length ? { error: errors[0] } : {}) };
}

function describeResult(result) {
  if (result.error) return `ERROR ${result.error.split('\n')[0]}`;
  return `${formatNumber(result.stepsPerSecond)} steps/s (loss ${result.lossBefore?.toFixed(6)} → ${result.lossAfter?.toFixed(6)})`;
}

async function throughput(options, run) {
  for (const workloadId of options.only) {
    const engines = enginesFor(workloadId, options.engines);
    const workload = ALL_WORKLOADS[workloadId];
    if (workloadId === 'W4' && engines.some((id) => NATIVE_RUNNERS[id])) {
      mkdirSync(path.dirname(W4_INPUT), { recursive: true });
      writeW4NativeInput(W4_INPUT);
    }
    const results = Object.fromEntries(engines.map((engine) => [engine, []]));
    for (let rep = 1; rep <= options.reps; rep++) {
      for (const engine of engines) {
        const result = await measure(engine, workloadId, options);
        result.round = rep;
        results[engine].push(result);
        run.measurements.push({ kind: 'throughput', ...result, engine, workload: workloadId });
        log(`  ${workloadId} round ${rep} ${engine}: ${describeResult(result)}`);
      }
    }
    const byEngine = {};
    for (const engine of engines) {
      byEngine[engine] = summarize(results[engine]);
      byEngine[engine].gflops = (byEngine[engine].median * workload.mflop) / 1000;
      byEngine[engine].imagesPerSecond = byEngine[engine].median * workload.batch;
    }
    for (const engine of engines) {
      byEngine[engine].vsNative = ratio(byEngine[engine].median, byEngine[BASELINE_ENGINE]?.median);
      byEngine[engine].vsTfjsWasm = ratio(byEngine[engine].median, byEngine[TFJS_ENGINE]?.median);
      byEngine[engine].vsConvnetjs = ratio(byEngine[engine].median, byEngine[CONVNETJS_ENGINE]?.median);
    }
    run.throughput[workloadId] = byEngine;
    if (workloadId === 'W4' && options.engines.includes(TFJS_ENGINE)) {
      // TF.js's wasm backend has no Conv2DBackpropFilter kernel: try once and say what it does.
      const result = await measure(TFJS_ENGINE, 'W4', { ...options, warmup: 0, time: 0 });
      run.w4TfjsWasm = result.error ? result.error.split('\n')[0] : `trained (${formatNumber(result.stepsPerSecond)} steps/s in one try)`;
      log(`  W4 ${TFJS_ENGINE}: ${run.w4TfjsWasm}`);
    }
  }
}

async function diagnosticsCost(options, run) {
  for (const workloadId of options.only.filter((id) => id === 'W1' || id === 'W3')) {
    const results = { off: [], default: [] };
    for (let rep = 1; rep <= options.reps; rep++) {
      for (const setting of ['off', 'default']) {
        const result = await measure(SUBJECT_ENGINE, workloadId, options, [`--diagnostics=${setting}`]);
        results[setting].push(result);
        run.measurements.push({ kind: 'diagnostics', diagnostics: setting, round: rep, ...result, workload: workloadId });
        log(`  ${workloadId} diagnostics ${setting}: ${describeResult(result)}`);
      }
    }
    const off = summarize(results.off);
    const withDefault = summarize(results.default);
    // "x % slower": time per step with diagnostics over time per step without, minus one.
    run.diagnostics[workloadId] = { off, default: withDefault, slowdown: ratio(off.median, withDefault.median) - 1 };
  }
}

async function heapGrowth(run) {
  const result = await runMeasurementProcess(
    process.execPath,
    [path.join(ROOT, 'bench', 'measure.mjs'), `--engine=${SUBJECT_ENGINE}`, '--workload=W1', '--diagnostics=default', `--heap-steps=${HEAP_STEPS.join(',')}`],
    { cwd: ROOT },
  );
  run.measurements.push({ kind: 'heap', ...result });
  if (result.error) {
    run.heap = { error: result.error };
  } else {
    const [first, last] = [result.heap[0], result.heap[result.heap.length - 1]];
    run.heap = { sizes: result.heap, growthBytes: last.heapBytes - first.heapBytes };
  }
  log(`  heap: ${JSON.stringify(run.heap)}`);
}

// sizes.engine: the engine a page downloads (the lite SIMD build); sizes.engineFull: the full SIMD
// build (the JS API's default: node, bundlers, gradCheck()).
function engineSize(run) {
  for (const [key, build] of [['engine', 'lite'], ['engineFull', 'simd']]) {
    const files = ENGINE_FILES[build].map((file) => path.join(ENGINE_DIR, file));
    run.sizes[key] = existsSync(files[0]) ? fileSizes(files) : { error: `no engine build in ${ENGINE_DIR}` };
    for (const entry of run.sizes[key].files ?? []) entry.file = path.relative(ROOT, entry.file);
  }
}

async function chromium(options, run) {
  // 1. The served page: dist/ as the site root.
  const distIndex = path.join(ROOT, 'dist', 'index.html');
  if (!existsSync(distIndex)) {
    run.chromium.firstStep = { error: 'dist/index.html does not exist (npm run build)' };
  } else {
    const site = await startStaticServer(path.join(ROOT, 'dist'));
    try {
      const loads = [];
      for (let load = 0; load < options.firstStepLoads; load++) {
        try {
          loads.push(await measureFirstStep(`${site.url}/#autoplay=1`));
          log(`  navigation → first step: ${loads.at(-1).navigationToFirstStepMs.toFixed(0)} ms`);
        } catch (error) {
          loads.push({ error: String(error.message ?? error) });
          log(`  navigation → first step: ERROR ${loads.at(-1).error}`);
          break;
        }
      }
      const good = loads.filter((load) => !load.error);
      run.chromium.firstStep = {
        loads,
        medianMs: median(good.map((load) => load.navigationToFirstStepMs)),
        ...(good.length === 0 ? { error: loads[0]?.error } : {}),
      };
      if (good.length > 0) {
        run.sizes.firstLoad = { requests: good[0].requests, bytes: good[0].firstLoadBytes, gzipBytes: good[0].firstLoadGzipBytes };
      }
    } finally {
      await site.close();
    }
  }

  // 2. W1 / W3 in a module worker vs node, alternating.
  const repo = await startStaticServer(ROOT);
  try {
    for (const workloadId of options.only.filter((id) => id === 'W1' || id === 'W3')) {
      const results = { worker: [], node: [] };
      for (let rep = 1; rep <= options.reps; rep++) {
        const worker = await measureWorker(repo.url, { workload: workloadId, warmup: options.warmup, time: options.time });
        results.worker.push(worker);
        run.measurements.push({ kind: 'chromium-worker', round: rep, workload: workloadId, ...worker });
        log(`  ${workloadId} Chromium worker: ${describeResult(worker)}`);
        const node = await measure(SUBJECT_ENGINE, workloadId, options);
        results.node.push(node);
        run.measurements.push({ kind: 'chromium-worker-node-pair', round: rep, ...node, workload: workloadId });
        log(`  ${workloadId} node: ${describeResult(node)}`);
      }
      const worker = summarize(results.worker);
      const node = summarize(results.node);
      run.chromium.worker[workloadId] = { worker, node, ratio: ratio(worker.median, node.median) };
    }
  } finally {
    await repo.close();
  }
}

function target(what, targetText, measuredValue, measuredText, met) {
  const measured = Number.isFinite(measuredValue) ? measuredText : 'not measured';
  return { what, target: targetText, value: measuredValue, measured, met: Number.isFinite(measuredValue) ? met : null };
}

function computeTargets(run) {
  const targets = [];
  const subjectVs = (workloadId, key) => run.throughput[workloadId]?.[SUBJECT_ENGINE]?.[key];
  for (const workloadId of ['W1', 'W2', 'W3']) {
    if (!run.throughput[workloadId]) continue;
    const minimum = workloadId === 'W1' ? TARGET.wasmVsNativeW1 : TARGET.wasmVsNativeW2W3;
    const value = subjectVs(workloadId, 'vsNative');
    targets.push(target(`${workloadId}: wasm SIMD / native x86-64 baseline`, `≥ ${minimum}×`, value, `${formatNumber(value)}×`, value >= minimum));
  }
  for (const workloadId of ['W1', 'W2', 'W3']) {
    if (!run.throughput[workloadId]) continue;
    const value = subjectVs(workloadId, 'vsTfjsWasm');
    targets.push(target(`${workloadId}: wasm SIMD / TF.js wasm`, `≥ ${TARGET.vsTfjsWasm}×`, value, `${formatNumber(value)}×`, value >= TARGET.vsTfjsWasm));
  }
  if (run.throughput.W4) {
    const vsConvnetjs = subjectVs('W4', 'vsConvnetjs');
    targets.push(target('W4: wasm SIMD / ConvNetJS (issue 11)', `≥ ${TARGET.w4VsConvnetjs}×`, vsConvnetjs, `${formatNumber(vsConvnetjs)}×`, vsConvnetjs >= TARGET.w4VsConvnetjs));
    const vsNative = subjectVs('W4', 'vsNative');
    targets.push(target('W4: wasm SIMD / native x86-64 baseline (issue 11)', `≥ ${TARGET.w4VsNative}×`, vsNative, `${formatNumber(vsNative)}×`, vsNative >= TARGET.w4VsNative));
  }
  for (const [workloadId, entry] of Object.entries(run.diagnostics)) {
    const value = entry.slowdown;
    targets.push(target(`${workloadId}: default diagnostics on vs off`, `≤ ${TARGET.diagnosticsSlowdown * 100} % slower`, value, `${(value * 100).toFixed(1)} % slower`, value <= TARGET.diagnosticsSlowdown));
  }
  for (const [workloadId, entry] of Object.entries(run.chromium.worker ?? {})) {
    const value = entry.ratio;
    targets.push(target(`${workloadId}: Chromium module worker / node`, `≥ ${TARGET.workerVsNode}×`, value, `${formatNumber(value)}×`, value >= TARGET.workerVsNode));
  }
  if (run.heap) {
    const value = run.heap.growthBytes;
    targets.push(target(`wasm heap growth, ${HEAP_STEPS[0]} → ${HEAP_STEPS[1]} W1 steps`, `${TARGET.heapGrowthBytes} bytes`, value, `${value} bytes`, value <= TARGET.heapGrowthBytes));
  }
  {
    const value = run.sizes.engine?.gzipBytes;
    targets.push(target('engine .wasm + .js a page loads (lite SIMD build), gzip -9', `≤ ${TARGET.engineGzipBytes / 1000} kB`, value, `${(value / 1000).toFixed(1)} kB`, value <= TARGET.engineGzipBytes));
  }
  if (run.chromium.firstStep) {
    const value = run.chromium.firstStep.medianMs;
    targets.push(target('navigation → first finished step, headless Chromium (median)', `≤ ${TARGET.firstStepMs} ms`, value, `${formatNumber(value)} ms`, value <= TARGET.firstStepMs));
  }
  return targets;
}

function printReport(run) {
  const out = [];
  out.push(`## trainscope benchmark — ${run.startedAt}`);
  out.push('');
  out.push(`${run.machine.cpu}, ${run.machine.cores} cores, node ${run.machine.node}; ${run.options.reps} run(s) per engine in alternation, ` +
    `${run.options.warmup} s untimed warm-up, ≥ ${run.options.time} s timed; medians.`);
  if (run.machine.concurrentCompilesAtStart.length > 0) out.push(`WARNING: compilers were running when the benchmark started; timings are disturbed.`);
  out.push('');
  if (run.options.only.some((id) => id !== 'W4')) out.push(throughputTable(run));
  if (run.throughput.W4) {
    out.push('', `### W4: ConvNetJS's MNIST conv net, 1×24×24 Fashion-MNIST, batch ${W4.batch} (${formatNumber(W4.mflop)} MFLOP/step)`, '', w4Table(run));
    if (run.w4TfjsWasm) out.push('', `${engineLabel(TFJS_ENGINE)} on W4: ${run.w4TfjsWasm}`);
  }
  if (Object.keys(run.diagnostics).length > 0) out.push('', '### Diagnostics cost (wasm SIMD, node)', '', diagnosticsTable(run));
  if (Object.keys(run.chromium.worker ?? {}).length > 0) out.push('', '### Chromium module worker vs node (wasm SIMD)', '', chromiumTable(run));
  const sizes = [];
  if (run.sizes.engine?.gzipBytes) sizes.push(`engine .wasm + .js a page loads (lite SIMD build): ${(run.sizes.engine.bytes / 1000).toFixed(1)} kB, ${(run.sizes.engine.gzipBytes / 1000).toFixed(1)} kB gzip`);
  if (run.sizes.engineFull?.gzipBytes) sizes.push(`full SIMD engine .wasm + .js (JS API default, gradCheck): ${(run.sizes.engineFull.bytes / 1000).toFixed(1)} kB, ${(run.sizes.engineFull.gzipBytes / 1000).toFixed(1)} kB gzip`);
  if (run.sizes.firstLoad) sizes.push(`page first load (${run.sizes.firstLoad.requests.length} files): ${(run.sizes.firstLoad.bytes / 1000).toFixed(1)} kB, ${(run.sizes.firstLoad.gzipBytes / 1000).toFixed(1)} kB gzip`);
  if (run.heap?.sizes) sizes.push(`wasm heap: ${run.heap.sizes.map((entry) => `${entry.heapBytes} bytes after ${entry.steps} steps`).join(', ')}`);
  if (sizes.length) out.push('', ...sizes.map((line) => `- ${line}`));
  out.push('', '### Targets (issues 5 and 11)', '', targetsTable(run));
  const errors = run.measurements.filter((entry) => entry.error);
  if (errors.length) out.push('', `${errors.length} measurement(s) failed; first: ${errors[0].error}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const started = new Date();
  const run = {
    version: 1,
    startedAt: started.toISOString(),
    options,
    machine: {
      cpu: os.cpus()[0]?.model?.trim() ?? 'unknown cpu',
      cores: os.cpus().length,
      node: process.versions.node,
      platform: `${os.platform()} ${os.release()}`,
      loadAverageAtStart: os.loadavg(),
      concurrentCompilesAtStart: [],
    },
    engines: options.engines.map((id) => ({ id, label: engineLabel(id) })),
    measurements: [],
    throughput: {},
    diagnostics: {},
    heap: null,
    sizes: {},
    chromium: { worker: {} },
  };

  if (options.build) buildNative(options);
  ensureWasmEngines(options);
  run.machine.concurrentCompilesAtStart = concurrentCompiles();
  if (run.machine.concurrentCompilesAtStart.length > 0) {
    log(`WARNING: other compilers are running; timings will be disturbed:\n  ${run.machine.concurrentCompilesAtStart.join('\n  ')}`);
  }

  log(`throughput: ${options.only.join(', ')} × ${options.engines.length} engines × ${options.reps} round(s)`);
  await throughput(options, run);
  if (options.engines.includes(SUBJECT_ENGINE)) {
    log('diagnostics cost');
    await diagnosticsCost(options, run);
    if (options.heap && options.only.includes('W1')) {
      log('wasm heap growth');
      await heapGrowth(run);
    }
  }
  engineSize(run);
  if (options.chromium) {
    log('headless Chromium');
    await chromium(options, run);
  }
  run.targets = computeTargets(run);
  run.finishedAt = new Date().toISOString();
  run.seconds = (Date.now() - started.getTime()) / 1000;

  const resultsDir = path.join(ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${run.startedAt.replace(/[:.]/g, '-')}${options.quick ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(run, null, 1)}\n`);
  printReport(run);
  log(`\nwrote ${path.relative(ROOT, file)} (${run.seconds.toFixed(0)} s)`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.stack ?? error}\n`);
  process.exitCode = 1;
});
