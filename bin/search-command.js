// `trainscope search`: a hyperparameter search from the command line, built for sweeps larger
// than one machine. Trials run in child processes (--jobs); each finished trial is appended to
// the results file as one JSON line and fsync'd, so a killed search loses only the trials in
// flight and --resume skips the rest (matched by trial index and config hash); --shard I/N runs
// the I-th of N deterministic slices, for a scheduler's job array. `search merge` combines shard
// files, `search report` prints the best trials and writes the two plots as SVG.

import { fork } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

import { compareTrials, normalizeOptions, planRound, search } from '../bindings/js/search/search.js';
import { searchResultsData, searchResultsSvg, searchSpaceData, searchSpaceSvg } from '../bindings/js/search/plots.js';

export const SEARCH_HELP = `  trainscope search --config base.json --space space.json --trials N --steps S [options]
                                   hyperparameter search (random or grid), one JSON line per trial
      --method random|grid   (default random)     --seed N      sampling seed (default 1)
      --jobs J               trials in parallel child processes (default: the number of cores)
      --out FILE.jsonl       append each finished trial (fsync'd); without it, lines go to stdout
      --resume               skip the trials FILE.jsonl already has (same index and config hash)
      --shard I/N            run only the I-th of N slices of the trial list (1 <= I <= N)
      --early-stop F|off     stop a trial whose loss exceeds F x its initial loss (default 3)
      --no-simd              use the engine build without WebAssembly SIMD
    space.json maps config paths to {"log": [lo, hi]}, {"uniform": [lo, hi]} or {"choice": [...]},
    e.g. {"train.lr": {"log": [1e-4, 1]}, "train.l2": {"log": [1e-6, 1e-2]}}
  trainscope search merge A.jsonl B.jsonl ... --out ALL.jsonl
                                   combine shard files; report missing and duplicate trials (exit 1 if any is missing)
  trainscope search report FILE.jsonl [--top K] [--svg-dir DIR]
                                   print the best trials; write search-results.svg and search-space.svg`;

/** Parses the lines of a results file; a torn last line (a killed writer) is skipped. */
export function readResults(file, fail) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read results file ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
  const lines = text.split('\n');
  const complete = lines.slice(0, -1);   // after the last newline: '' or a torn line
  const records = [];
  complete.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line));
    } catch {
      fail(`${file}:${i + 1}: not a JSON line`);
    }
  });
  return { records, tornBytes: text.endsWith('\n') || text === '' ? 0 : Buffer.byteLength(lines[lines.length - 1]) };
}

function readJson(file, what, fail) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read ${what} ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(`${what} ${file} is not valid JSON: ${error.message.replace(/\n/g, '\\n')}`);
  }
}

function parseShard(text, fail) {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match || Number(match[2]) < 1 || Number(match[1]) < 1 || Number(match[1]) > Number(match[2])) {
    fail(`--shard needs I/N with 1 <= I <= N, e.g. 2/8; got ${JSON.stringify(text)}`);
  }
  return { index: Number(match[1]), count: Number(match[2]) };
}

function positive(name, text, fail, fallback) {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) fail(`--${name} needs a positive integer; got ${JSON.stringify(text)}`);
  return Number(text);
}

/** A pool of child processes running trials; search() calls run() once per trial in flight. */
class ChildPool {
  constructor(engineOptions) {
    this.idle = [];
    this.all = new Set();
    this.engineOptions = engineOptions;
  }

  async run(spec, { signal }) {
    const child = this.idle.pop() ?? this.spawn();
    try {
      return await new Promise((resolve, reject) => {
        const onMessage = (message) => { cleanup(); message.error ? reject(new Error(message.error)) : resolve(message.result); };
        const onExit = (code, signalName) => { cleanup(); this.all.delete(child); reject(new Error(`trial process exited (${signalName ?? code})`)); };
        const onAbort = () => { cleanup(); this.all.delete(child); child.kill(); resolve({ index: spec.index, status: 'cancelled' }); };
        const cleanup = () => { child.off('message', onMessage); child.off('exit', onExit); signal?.removeEventListener('abort', onAbort); };
        child.on('message', onMessage);
        child.on('exit', onExit);
        signal?.addEventListener('abort', onAbort);
        child.send({ spec, engineOptions: this.engineOptions });
      });
    } finally {
      if (this.all.has(child)) this.idle.push(child);
    }
  }

  spawn() {
    const child = fork(new URL('./search-worker.js', import.meta.url), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.all.add(child);
    return child;
  }

  close() {
    for (const child of this.all) child.disconnect();
    this.all.clear();
  }
}

async function runSearch(argv, fail) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' }, space: { type: 'string' }, trials: { type: 'string' }, steps: { type: 'string' },
      method: { type: 'string' }, jobs: { type: 'string' }, out: { type: 'string' }, resume: { type: 'boolean' },
      shard: { type: 'string' }, seed: { type: 'string' }, 'early-stop': { type: 'string' }, 'no-simd': { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (positionals.length > 0) fail(`search: unexpected ${JSON.stringify(positionals[0])} (subcommands: merge, report)`);
  if (values.space === undefined) fail('search needs --space space.json (see trainscope --help)');
  const space = readJson(values.space, 'space file', fail);
  const base = values.config === undefined ? {} : readJson(values.config, 'config file', fail);
  if (base === null || typeof base !== 'object' || Array.isArray(base)) fail(`${values.config} must hold a JSON object (a trainscope config)`);
  let earlyStop = { factor: 3 };
  if (values['early-stop'] === 'off') earlyStop = false;
  else if (values['early-stop'] !== undefined) {
    const factor = Number(values['early-stop']);
    if (!(factor > 1)) fail(`--early-stop needs a factor > 1 or off; got ${JSON.stringify(values['early-stop'])}`);
    earlyStop = { factor };
  }
  if (values.resume && values.out === undefined) fail('--resume needs --out FILE.jsonl (the file to resume)');
  if (values.seed !== undefined && !/^\d+$/.test(values.seed)) fail(`--seed needs an integer in [0, 2^32-1]; got ${JSON.stringify(values.seed)}`);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  const jobs = positive('jobs', values.jobs, fail, availableParallelism());
  const options = {
    base, space, earlyStop, seed, workers: jobs,
    method: values.method ?? 'random',
    trials: positive('trials', values.trials, fail, 20),
    steps: positive('steps', values.steps, fail, 300),
    shard: values.shard === undefined ? undefined : parseShard(values.shard, fail),
  };
  let normalized;
  try {
    normalized = normalizeOptions(options);
  } catch (error) {
    fail(error.name === 'SearchSpaceError' ? `${values.space}: ${error.message}` : error.message);
  }
  const total = planRound(normalized, normalized.dimensions, 0, 0).length;

  let completed = [];
  let fd = null;
  if (values.out !== undefined) {
    if (values.resume && existsSync(values.out)) {
      const { records, tornBytes } = readResults(values.out, fail);
      // A search killed mid-write leaves a partial last line: cut it before appending.
      if (tornBytes > 0) truncateSync(values.out, readFileSync(values.out).length - tornBytes);
      completed = records;
    } else if (!values.resume && existsSync(values.out) && readFileSync(values.out).length > 0) {
      fail(`${values.out} already has results: pass --resume to continue it, or choose another --out`);
    }
    fd = openSync(values.out, 'a');
  }
  const pool = new ChildPool(values['no-simd'] ? { simd: false } : undefined);
  const handle = search({ ...options, completed, runTrial: (spec, context) => pool.run(spec, context) });
  const write = (record) => {
    const line = `${JSON.stringify({ ...record, total, space })}\n`;
    if (fd === null) {
      process.stdout.write(line);
      return;
    }
    writeSync(fd, line);
    fsyncSync(fd);
  };
  const stderrProgress = process.stderr.isTTY === true;
  handle.on('trial', (record) => { if (!record.resumed) write(record); });
  handle.on('progress', ({ done, total: planned }) => { if (stderrProgress) process.stderr.write(`\r${done}/${planned} trials `); });
  const stop = () => handle.cancel();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let result;
  try {
    result = await handle.results;
  } finally {
    pool.close();
    if (fd !== null) closeSync(fd);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  if (stderrProgress) process.stderr.write('\n');
  const fresh = result.trials.filter((trial) => !trial.resumed).length;
  const resumed = result.trials.length - fresh;
  const best = result.best;
  process.stderr.write(`search: ${fresh} trials run${resumed ? `, ${resumed} taken from ${values.out}` : ''}` +
    `${options.shard ? ` (shard ${options.shard.index}/${options.shard.count} of ${total})` : ` of ${total}`}` +
    `${best ? `; best: trial ${best.index}, val acc ${best.val_acc.toFixed(4)}, ${formatParams(best.params)}` : ''}` +
    `${result.cancelled ? '; cancelled' : ''}\n`);
  return result.cancelled ? 130 : 0;
}

const formatParams = (params) => Object.entries(params)
  .map(([path, value]) => `${path}=${typeof value === 'number' && !Number.isInteger(value) ? value.toExponential(2) : JSON.stringify(value)}`).join(' ');

function mergeCommand(argv, fail) {
  const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' } }, allowPositionals: true });
  if (positionals.length === 0) fail('search merge needs the results files to merge');
  if (values.out === undefined) fail('search merge needs --out ALL.jsonl');
  const byIndex = new Map();
  const duplicates = [];
  const conflicts = [];
  let total = 0;
  for (const file of positionals) {
    for (const record of readResults(file, fail).records) {
      total = Math.max(total, record.total ?? 0);
      const seen = byIndex.get(record.index);
      if (!seen) byIndex.set(record.index, { record, file });
      else if (seen.record.hash === record.hash) duplicates.push(`trial ${record.index} (${seen.file}, ${file})`);
      else conflicts.push(`trial ${record.index} differs between ${seen.file} and ${file} (hash ${seen.record.hash} vs ${record.hash})`);
    }
  }
  const merged = [...byIndex.values()].map(({ record }) => record).sort((a, b) => a.index - b.index);
  const missing = [];
  for (let index = 0; index < total; index++) if (!byIndex.has(index)) missing.push(index);
  writeFileSync(values.out, merged.map((record) => `${JSON.stringify(record)}\n`).join(''));
  process.stderr.write(`merge: ${merged.length} of ${total} trials into ${values.out}\n`);
  if (duplicates.length) process.stderr.write(`merge: ${duplicates.length} duplicate${duplicates.length > 1 ? 's' : ''} (kept once): ${duplicates.join('; ')}\n`);
  if (conflicts.length) process.stderr.write(`merge: ${conflicts.length} conflicting (kept the first): ${conflicts.join('; ')}\n`);
  if (missing.length) process.stderr.write(`merge: missing trials ${missing.join(', ')}\n`);
  return missing.length || conflicts.length ? 1 : 0;
}

function reportCommand(argv, fail) {
  const { values, positionals } = parseArgs({ args: argv, options: { top: { type: 'string' }, 'svg-dir': { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 1) fail('search report needs exactly one results FILE.jsonl');
  const [file] = positionals;
  const { records } = readResults(file, fail);
  if (records.length === 0) fail(`${file} has no trials`);
  const top = positive('top', values.top, fail, 5);
  const space = records[0].space ?? Object.fromEntries(Object.keys(records[0].params).map((path) => [path, { uniform: [0, 1] }]));
  const finishedTrials = records.filter((trial) => trial.status === 'ok').sort(compareTrials);
  const counts = {};
  for (const trial of records) counts[trial.status] = (counts[trial.status] ?? 0) + 1;
  const lines = [`${records.length} trials (${Object.entries(counts).map(([status, n]) => `${n} ${status}`).join(', ')}); best ${Math.min(top, finishedTrials.length)}:`];
  lines.push(['trial', 'val_acc', 'val_loss', 'train_acc', 'steps', 'params'].join('\t'));
  for (const trial of finishedTrials.slice(0, top)) {
    lines.push([trial.index, trial.val_acc.toFixed(4), trial.val_loss.toFixed(4), trial.train_acc.toFixed(4), trial.steps, formatParams(trial.params)].join('\t'));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  const directory = values['svg-dir'] ?? dirname(file);
  const resultsSvg = join(directory, 'search-results.svg');
  const spaceSvg = join(directory, 'search-space.svg');
  try {
    writeFileSync(resultsSvg, searchResultsSvg(searchResultsData(records, space)));
    writeFileSync(spaceSvg, searchSpaceSvg(searchSpaceData(records, space)));
  } catch (error) {
    fail(`cannot write the plots: ${error.message}`);
  }
  process.stdout.write(`wrote ${resultsSvg} and ${spaceSvg}\n`);
  return 0;
}

/** `trainscope search …`; `fail(message)` throws the CLI's usage error (one line, exit 2). */
export async function searchCommand(argv, fail) {
  const [first, ...rest] = argv;
  if (first === 'merge') return mergeCommand(rest, fail);
  if (first === 'report') return reportCommand(rest, fail);
  return runSearch(argv, fail);
}
