#!/usr/bin/env node
// trainscope command line: run presets or configs headless, list presets, validate config files.
// User mistakes print one line on stderr and exit 2; a diverged run exits 3; stack traces only
// for internal errors (or with TRAINSCOPE_DEBUG=1).

import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { ConfigError, createTrainer, formatProblem, getPreset, parseCsv, presets, validateConfig } from '../bindings/js/index.js';
import { toCsv } from '../bindings/js/csv.js';
import { deepCopy, mergeDeep } from '../bindings/js/defaults.js';
import { describeRange, schemaEntries } from '../bindings/js/schema.js';
import { architectureLine, describeLayer, formatCount, formatShape, summaryTotals } from '../bindings/js/architecture.js';
import { SEARCH_HELP, searchCommand } from './search-command.js';

const EXIT_OK = 0;
const EXIT_PROBLEMS = 1;
const EXIT_USAGE = 2;
const EXIT_DIVERGED = 3;
const EXIT_INTERNAL = 70;

const METRIC_COLUMNS = ['step', 'loss', 'data_loss', 'reg_loss', 'batch_acc', 'lr', 'grad_norm'];
const EVALUATION_COLUMNS = ['train_loss', 'train_acc', 'val_loss', 'val_acc'];
const DEFAULT_STEPS = 1000;

const HELP = `trainscope: a neural-network training lab (CS231n lectures 6-7)

Usage:
  trainscope run [options]         train and print the metrics history and a final evaluation
  trainscope presets [--format json]   list the lecture presets
  trainscope validate FILE.json    print the problems of a config file (exit 1 if any)
  trainscope summary [options]     the architecture layer by layer: output shape, parameters,
                                   multiply-adds (options: --preset --config --set --data --format table|json)
${SEARCH_HELP}
  trainscope --help | --version

Options of run:
  --preset NAME          start from a lecture preset (see: trainscope presets)
  --config FILE.json     a config file, merged over the preset
  --set key.path=value   override one key; the value is parsed as JSON when it can be
                         (--set train.lr=0.05  --set model.hidden=[64,64]  --set model.init=xavier)
  --data FILE.csv        custom data: features, then the label in the last column; header optional
  --steps N              training steps (default ${DEFAULT_STEPS})
  --every K              record the metrics every K steps (default: steps/100)
  --format json|csv|table   output format (default table)
  --out FILE             write the output to FILE instead of stdout
  --no-simd              use the engine build without WebAssembly SIMD

Exit codes: 0 done, 1 validate found problems, 2 usage or configuration error, 3 the run diverged.

Configuration keys (for --set and config files; "live" keys change a running trainer):
${configKeyLines()}`;

// One line per key of the engine's configuration table: path, allowed values, default, doc.
function configKeyLines() {
  return schemaEntries().map(([path, rule]) => {
    const allowed = rule.values ? rule.values.join('|') : [rule.kind, describeRange(rule)].filter(Boolean).join(' ');
    const fallback = JSON.stringify(rule.default);
    const shown = fallback.length > 24 ? `${fallback.slice(0, 21)}...` : fallback;
    return `  ${path.padEnd(26)} ${allowed}; default ${shown}${rule.live ? '; live' : ''}. ${rule.help}`;
  }).join('\n');
}

class UsageError extends Error {}

function fail(message) {
  throw new UsageError(message);
}

function parseCount(name, text) {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) fail(`--${name} needs a positive integer; got ${JSON.stringify(text)}`);
  return Number(text);
}

/** Applies "key.path=value" to `config` (value parsed as JSON when possible, else a string). */
export function applySet(config, assignment) {
  const equals = assignment.indexOf('=');
  if (equals <= 0) fail(`--set expects key.path=value; got ${JSON.stringify(assignment)}`);
  const path = assignment.slice(0, equals).trim();
  const text = assignment.slice(equals + 1);
  if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(path)) fail(`--set: ${JSON.stringify(path)} is not a key path like train.lr`);
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  const keys = path.split('.');
  let node = config;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === undefined) node[key] = {};
    if (node[key] === null || typeof node[key] !== 'object' || Array.isArray(node[key])) {
      fail(`--set ${path}: ${key} is not a group of settings`);
    }
    node = node[key];
  }
  node[keys[keys.length - 1]] = value;
  return config;
}

async function readText(file, what) {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    fail(`cannot read ${what} ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
}

async function readJsonFile(file) {
  const text = await readText(file, 'config file');
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(`${file} is not valid JSON: ${error.message}`);
  }
}

async function buildConfig(values) {
  let config = {};
  if (values.preset !== undefined) {
    try {
      config = deepCopy(getPreset(values.preset).config);
    } catch (error) {
      fail(error.message);
    }
  }
  if (values.data !== undefined && config.data) {
    // The CSV decides the number of rows, the dimensions and (unless given) the classes.
    for (const key of ['samples', 'dims', 'classes', 'noise']) delete config.data[key];
  }
  if (values.config !== undefined) {
    const fileConfig = await readJsonFile(values.config);
    if (fileConfig === null || typeof fileConfig !== 'object' || Array.isArray(fileConfig)) {
      fail(`${values.config} must hold a JSON object (a trainscope config)`);
    }
    config = mergeDeep(config, fileConfig);
  }
  for (const assignment of values.set ?? []) applySet(config, assignment);
  if (values.data !== undefined) {
    const targets = config.train?.loss === 'mse';
    const { x, y } = parseCsv(await readText(values.data, 'data file'), { source: values.data, targets });
    config.data = { ...(config.data ?? {}), dataset: 'custom', x, y };
  }
  return config;
}

function formatNumber(value) {
  if (typeof value !== 'number') return String(value ?? '');
  if (Number.isInteger(value)) return String(value);
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5) ? value.toExponential(3) : value.toFixed(5);
}

function table(rows, columns) {
  const cells = [columns, ...rows.map((row) => columns.map((column) => formatNumber(row[column])))];
  const widths = columns.map((_, index) => Math.max(...cells.map((line) => line[index].length)));
  return cells.map((line) => line.map((cell, index) => cell.padStart(widths[index])).join('  ')).join('\n');
}

function render(format, result) {
  const { history, evaluation, status } = result;
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  if (format === 'csv') {
    const rows = history.map((row) => ({ ...row }));
    Object.assign(rows[rows.length - 1] ?? {}, {
      train_loss: evaluation.train.loss, train_acc: evaluation.train.acc,
      val_loss: evaluation.val.loss, val_acc: evaluation.val.acc,
    });
    return toCsv(rows, [...METRIC_COLUMNS, ...EVALUATION_COLUMNS]);
  }
  const lines = [table(history, METRIC_COLUMNS), ''];
  lines.push(`final evaluation: train loss ${formatNumber(evaluation.train.loss)} acc ${formatNumber(evaluation.train.acc)}` +
    ` (${evaluation.train.count} examples) | val loss ${formatNumber(evaluation.val.loss)} acc ${formatNumber(evaluation.val.acc)}` +
    ` (${evaluation.val.count} examples)`);
  lines.push(status.state === 'ok' ? 'status: ok' : `status: diverged at step ${status.step}: ${status.reason}`);
  return `${lines.join('\n')}\n`;
}

// The row of the engine's history for the step `metrics` reports: its per-step columns, and
// the step metrics for what the history does not keep per step (grad_norm) or has thinned away.
function historyRow(columns, metrics) {
  const index = columns.step.lastIndexOf(metrics.step);
  const row = {};
  for (const [name, value] of Object.entries(metrics)) {
    row[name] = index >= 0 && columns[name] instanceof Float64Array ? columns[name][index] : value;
  }
  return row;
}

function progressBar(done, total, loss) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} steps, loss ${formatNumber(loss)} `;
}

// The options that say which config to use (run and summary): read by buildConfig.
const CONFIG_OPTIONS = {
  preset: { type: 'string' },
  config: { type: 'string' },
  set: { type: 'string', multiple: true },
  data: { type: 'string' },
  'no-simd': { type: 'boolean' },
};

async function runCommand(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...CONFIG_OPTIONS,
      steps: { type: 'string' },
      every: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length > 0) fail(`run takes options only; unexpected ${JSON.stringify(positionals[0])}`);
  const format = values.format ?? 'table';
  if (!['json', 'csv', 'table'].includes(format)) fail(`--format must be json, csv or table; got ${JSON.stringify(format)}`);
  const steps = parseCount('steps', values.steps) ?? DEFAULT_STEPS;
  const every = parseCount('every', values.every) ?? Math.max(1, Math.round(steps / 100));

  const config = await buildConfig(values);
  const problems = validateConfig(config);
  if (problems.length > 0) throw new ConfigError(problems);

  const trainer = await createTrainer(config, values['no-simd'] ? { simd: false } : {});
  try {
    const history = [];
    const showProgress = process.stderr.isTTY === true;
    let done = 0;
    while (done < steps && trainer.status.state === 'ok') {
      const chunk = Math.min(every, steps - done);
      const metrics = trainer.step(chunk);
      history.push(historyRow(trainer.history({ since: done }), metrics));
      done += chunk;
      if (showProgress) process.stderr.write(progressBar(done, steps, metrics.loss));
    }
    if (showProgress) process.stderr.write('\n');
    const status = trainer.status;
    const fullConfig = trainer.config;
    if (fullConfig.data.dataset === 'custom') {
      delete fullConfig.data.x;
      delete fullConfig.data.y;
    }
    const result = {
      preset: values.preset ?? null,
      engine: { simd: trainer.engineInfo.simd, variant: trainer.engineInfo.variant },
      config: fullConfig,
      history,
      evaluation: trainer.evaluate(),
      status,
    };
    const output = render(format, result);
    if (values.out !== undefined) {
      try {
        await writeFile(values.out, output);
      } catch (error) {
        fail(`cannot write ${values.out}: ${error.message}`);
      }
    } else {
      process.stdout.write(output);
    }
    if (status.state === 'diverged') {
      process.stderr.write(`trainscope: the run diverged at step ${status.step}: ${status.reason}\n`);
      return EXIT_DIVERGED;
    }
    return EXIT_OK;
  } finally {
    trainer.dispose();
  }
}

// The engine's architecture summary of a config (no training): a table or JSON.
async function summaryCommand(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...CONFIG_OPTIONS, format: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length > 0) fail(`summary takes options only; unexpected ${JSON.stringify(positionals[0])}`);
  const format = values.format ?? 'table';
  if (!['json', 'table'].includes(format)) fail(`--format for summary must be table or json; got ${JSON.stringify(format)}`);
  const config = await buildConfig(values);
  const problems = validateConfig(config);
  if (problems.length > 0) throw new ConfigError(problems);
  const trainer = await createTrainer(config, values['no-simd'] ? { simd: false } : {});
  let rows;
  try {
    rows = trainer.summary();
  } finally {
    trainer.dispose();
  }
  const totals = summaryTotals(rows);
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ layers: rows, ...totals }, null, 2)}\n`);
    return EXIT_OK;
  }
  const columns = ['layer', 'kind', 'input', 'output', 'parameters', 'multiply-adds'];
  const cells = [columns, ...rows.map((row) => [row.path, describeLayer(row), formatShape(row.input), formatShape(row.output),
    formatCount(row.parameters), formatCount(row.multiply_adds)])];
  cells.push(['total', '', '', '', formatCount(totals.parameters), formatCount(totals.multiply_adds)]);
  const widths = columns.map((_, index) => Math.max(...cells.map((line) => line[index].length)));
  const pad = (cell, index) => (index < 2 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]));
  process.stdout.write(`${architectureLine(rows)}\n\n`);
  process.stdout.write(`${cells.map((line) => line.map(pad).join('  ').trimEnd()).join('\n')}\n`);
  return EXIT_OK;
}

function presetsCommand(argv) {
  const { values, positionals } = parseArgs({ args: argv, options: { format: { type: 'string' } }, allowPositionals: true });
  if (positionals.length > 0) fail(`presets takes no arguments; unexpected ${JSON.stringify(positionals[0])}`);
  const format = values.format ?? 'table';
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(presets, null, 2)}\n`);
  } else if (format === 'table') {
    const width = Math.max(...presets.map((preset) => preset.name.length));
    for (const preset of presets) process.stdout.write(`${preset.name.padEnd(width)}  ${preset.title}\n`);
  } else {
    fail(`--format for presets must be table or json; got ${JSON.stringify(format)}`);
  }
  return EXIT_OK;
}

async function validateCommand(argv) {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true });
  if (positionals.length !== 1) fail('validate needs exactly one FILE.json');
  const [file] = positionals;
  const problems = validateConfig(await readJsonFile(file));
  if (problems.length === 0) {
    process.stdout.write(`${file}: valid\n`);
    return EXIT_OK;
  }
  for (const problem of problems) process.stdout.write(`${file}: ${formatProblem(problem)}\n`);
  return EXIT_PROBLEMS;
}

async function version() {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`trainscope ${pkg.version}\n`);
  return EXIT_OK;
}

export async function main(argv) {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run': return runCommand(rest);
    case 'presets': return presetsCommand(rest);
    case 'validate': return validateCommand(rest);
    case 'summary': return summaryCommand(rest);
    case 'search': return searchCommand(rest, fail);
    case '--version': case '-v': return version();
    case undefined: case 'help': case '--help': case '-h':
      process.stdout.write(`${HELP}\n`);
      return EXIT_OK;
    default:
      fail(`unknown command ${JSON.stringify(command)}; commands: run, presets, validate, summary, search (see trainscope --help)`);
  }
  return EXIT_USAGE;
}

// node's parseArgs messages are long; keep the option and point at --help.
function userMessage(error) {
  if (error?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(error.message)?.[1] ?? 'option';
    return `unknown option ${option} (see trainscope --help)`;
  }
  if (error?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${error.message.split('.')[0]} (see trainscope --help)`;
  return error.message;
}

function isUserMistake(error) {
  return error instanceof UsageError || error instanceof ConfigError || error?.name === 'CsvError' ||
    error?.code?.startsWith?.('ERR_PARSE_ARGS');
}

// `trainscope run ... | head`: the reader went away; that is the end of the output, not an error.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? EXIT_OK);
});

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    if (isUserMistake(error)) {
      const hint = error instanceof ConfigError && error.problems.length > 1 ? ' (run trainscope validate on the config to list all)' : '';
      process.stderr.write(`trainscope: ${userMessage(error)}${hint}\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      process.stderr.write(`trainscope: internal error: ${error?.message ?? String(error)}\n`);
      if (process.env.TRAINSCOPE_DEBUG) process.stderr.write(`${error?.stack}\n`);
      process.exitCode = EXIT_INTERNAL;
    }
  },
);
