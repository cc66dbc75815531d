// The command line: run with presets in every format, --set parsing, --data CSV, validate, and
// the exit codes; user mistakes are one line on stderr, never a stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { presets } from '../../bindings/js/index.js';

const CLI = fileURLToPath(new URL('../../bin/trainscope.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'trainscope-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function cli(...args) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: scratch, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name, content) {
  const path = join(scratch, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

// A user mistake: exit code 2 and exactly one line on stderr, without a stack trace.
function assertUserError(result, message) {
  assert.equal(result.code, 2, `exit code ${result.code}; stderr: ${result.stderr}`);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /^trainscope: /);
  assert.match(lines[0], message);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
}

describe('trainscope run', () => {
  test('piped into a reader that stops early (| head): exit 0, no stack trace', () => {
    const script = `set -o pipefail; node '${CLI}' run --steps 3000 --every 1 --format csv | head -n 2`;
    const result = spawnSync('bash', ['-c', script], { cwd: scratch, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.split('\n').length, 3);
    assert.equal(result.stderr, '');
  });

  test('--preset in json: the history every K steps and the final evaluation', () => {
    const result = cli('run', '--preset', 'overfit-20', '--steps', '100', '--every', '20', '--format', 'json');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '', 'no progress bar when stderr is not a terminal');
    const output = JSON.parse(result.stdout);
    assert.equal(output.preset, 'overfit-20');
    assert.deepEqual(output.history.map((row) => row.step), [20, 40, 60, 80, 100]);
    assert.deepEqual(Object.keys(output.history[0]).sort(), ['batch_acc', 'data_loss', 'grad_norm', 'loss', 'lr', 'reg_loss', 'step']);
    assert.equal(output.config.data.train_limit, 20);
    assert.equal(output.evaluation.train.count, 20);
    assert.ok(output.history[4].loss < output.history[0].loss);
    assert.equal(output.status.state, 'ok');
    assert.equal(output.engine.simd, true);
  });

  test('--format csv: a header, one row per record, the evaluation on the last row', () => {
    const result = cli('run', '--preset', 'he-relu', '--steps', '4', '--every', '2', '--format', 'csv');
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'step,loss,data_loss,reg_loss,batch_acc,lr,grad_norm,train_loss,train_acc,val_loss,val_acc');
    assert.equal(lines.length, 3);
    const first = lines[1].split(',');
    const last = lines[2].split(',');
    assert.equal(first[0], '2');
    assert.equal(first.slice(7).join(','), ',,,', 'no evaluation before the end');
    assert.equal(last[0], '4');
    for (const cell of last) assert.ok(Number.isFinite(Number(cell)) && cell !== '', `cell ${cell}`);
  });

  test('table format (the default) and --out FILE', () => {
    const out = join(scratch, 'run.txt');
    const result = cli('run', '--steps', '30', '--every', '10', '--out', out);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    const text = readFileSync(out, 'utf8');
    assert.match(text, /^\s*step\s+loss\s+data_loss/);
    assert.match(text, /final evaluation: train loss [\d.]+ acc [\d.]+ \(240 examples\) \| val loss [\d.]+ acc [\d.]+ \(60 examples\)/);
    assert.match(text, /status: ok/);
  });

  test('a progress bar goes to stderr when it is a terminal', { skip: !existsSync('/usr/bin/script') && 'no script(1) for a pseudo-terminal: node scripts/ensure-deps.mjs installs it (bsdutils)' }, () => {
    // script(1) runs the CLI on a pseudo-terminal; stdout goes to a file, so the bar is all we see.
    const out = join(scratch, 'tty.csv');
    const command = `'${process.execPath}' '${CLI}' run --steps 20 --every 5 --format csv --out '${out}'`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: scratch, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout);
    assert.match(result.stdout, /\r\[#{8}\.{22}\] 5\/20 steps, loss [\d.]+/);
    assert.match(result.stdout, /\[#{30}\] 20\/20 steps/);
    assert.match(readFileSync(out, 'utf8'), /^step,loss,/);
  });

  test('--set values are parsed as JSON when they can be, else kept as strings', () => {
    const result = cli('run', '--steps', '2', '--every', '2', '--format', 'json',
      '--set', 'train.lr=0.05', '--set', 'model.hidden=[8,8]', '--set', 'model.init=xavier', '--set', 'train.shuffle=false', '--set', 'seed=9');
    assert.equal(result.code, 0, result.stderr);
    const { config, history } = JSON.parse(result.stdout);
    assert.equal(config.train.lr, 0.05);
    assert.deepEqual(config.model.hidden, [8, 8]);
    assert.equal(config.model.init, 'xavier');
    assert.equal(config.train.shuffle, false);
    assert.equal(config.seed, 9);
    assert.equal(history[0].lr, 0.05);
  });

  test('--config FILE merges over the preset, and --set over both', () => {
    const config = file('config.json', { train: { lr: 0.02, optimizer: 'momentum' }, model: { hidden: [12] } });
    const result = cli('run', '--preset', 'he-relu', '--config', config, '--set', 'train.lr=0.03', '--steps', '1', '--format', 'json');
    assert.equal(result.code, 0, result.stderr);
    const output = JSON.parse(result.stdout);
    assert.equal(output.config.data.dataset, 'gaussian_cloud');
    assert.equal(output.config.train.optimizer, 'momentum');
    assert.equal(output.config.train.lr, 0.03);
    assert.deepEqual(output.config.model.hidden, [12]);
  });

  test('--data FILE.csv trains on custom data', () => {
    const rows = ['x,y,label'];
    for (let k = 0; k < 40; k++) rows.push(`${(k % 7) / 7},${(k % 5) / 5},${k % 2}`);
    const data = file('points.csv', `${rows.join('\n')}\n`);
    const result = cli('run', '--data', data, '--steps', '5', '--every', '5', '--format', 'json', '--set', 'model.hidden=[6]');
    assert.equal(result.code, 0, result.stderr);
    const output = JSON.parse(result.stdout);
    assert.equal(output.config.data.dataset, 'custom');
    assert.equal(output.config.data.samples, 40);
    assert.equal(output.config.data.classes, 2);
    assert.equal(output.evaluation.train.count + output.evaluation.val.count, 40);
  });

  test('a diverging run reports it on stderr and exits 3', () => {
    const result = cli('run', '--preset', 'lr-too-high', '--steps', '200', '--every', '10', '--format', 'json');
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /^trainscope: the run diverged at step \d+: /);
    assert.equal(JSON.parse(result.stdout).status.state, 'diverged');
  });

  const MISTAKES = [
    [['run', '--set', 'lr'], /--set expects key\.path=value; got "lr"/],
    [['run', '--set', 'train.lr=abc'], /train\.lr: must be a finite number > 0; got the string "abc"/],
    [['run', '--set', 'train.learning_rate=0.1'], /train\.learning_rate: unknown key; did you mean train\.lr\?/],
    [['run', '--set', 'model.hidden=[3]', '--set', 'model.hidden.width=3'], /--set model\.hidden\.width: hidden is not a group/],
    [['run', '--set', 'train.lr.value=3'], /train\.lr: must be a finite number > 0; got an object/],
    [['run', '--set', '=3'], /--set expects key\.path=value/],
    [['run', '--preset', 'nope'], /unknown preset "nope"; presets: zero-init, /],
    [['run', '--steps', '0'], /--steps needs a positive integer; got "0"/],
    [['run', '--steps', '1e3'], /--steps needs a positive integer/],
    [['run', '--every', 'x'], /--every needs a positive integer/],
    [['run', '--format', 'xml'], /--format must be json, csv or table; got "xml"/],
    [['run', '--bogus'], /unknown option --bogus/],
    [['run', '--config', 'missing.json'], /cannot read config file missing\.json: no such file/],
    [['run', '--data', 'missing.csv'], /cannot read data file missing\.csv/],
    [['run', 'extra'], /run takes options only/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['validate'], /validate needs exactly one FILE\.json/],
    [['run', '--set', 'model.hidden=[60000,60000]'], /model\.hidden: .*memory budget/],
  ];
  for (const [args, message] of MISTAKES) {
    test(`user mistake: trainscope ${args.join(' ')}`, () => assertUserError(cli(...args), message));
  }

  test('user mistake: a bad CSV row names its line', () => {
    const data = file('bad.csv', 'a,b,label\n0,0,0\n1,1\n');
    assertUserError(cli('run', '--data', data), /bad\.csv line 3: expected 3 columns, found 2/);
  });

  test('user mistake: a config file that is not JSON', () => {
    const config = file('broken.json', '{ "train": { "lr": 0.1, } }');
    assertUserError(cli('run', '--config', config), /broken\.json is not valid JSON/);
  });
});

describe('trainscope presets and validate', () => {
  test('presets lists every name with its title', () => {
    const result = cli('presets');
    assert.equal(result.code, 0);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, presets.length);
    presets.forEach((preset, index) => {
      assert.ok(lines[index].startsWith(preset.name), lines[index]);
      assert.ok(lines[index].endsWith(preset.title), lines[index]);
    });
    assert.deepEqual(JSON.parse(cli('presets', '--format', 'json').stdout).map((preset) => preset.name), presets.map((preset) => preset.name));
  });

  test('validate: a good file exits 0', () => {
    const result = cli('validate', file('good.json', { train: { lr: 0.01, optimizer: 'adam' }, model: { hidden: [32] } }));
    assert.equal(result.code, 0);
    assert.match(result.stdout, /good\.json: valid/);
  });

  test('validate: a bad file prints every problem and exits 1', () => {
    const result = cli('validate', file('bad.json', { train: { lr: -1, learning_rate: 0.1 }, model: { activation: 'relu6' } }));
    assert.equal(result.code, 1);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(result.stdout, /bad\.json: train\.lr: must be > 0; got -1/);
    assert.match(result.stdout, /bad\.json: train\.learning_rate: unknown key; did you mean train\.lr\?/);
    assert.match(result.stdout, /bad\.json: model\.activation: must be one of relu, leaky_relu, .*identity; got the string "relu6"/);
  });

  test('validate: a missing file is a usage error', () => {
    assertUserError(cli('validate', 'nowhere.json'), /cannot read config file nowhere\.json/);
  });

  test('--help and --version', () => {
    const help = cli('--help');
    assert.equal(help.code, 0);
    for (const option of ['--preset', '--config', '--set', '--steps', '--every', '--format', '--out', '--data']) assert.match(help.stdout, new RegExp(option));
    assert.match(cli('--version').stdout, /^trainscope \d+\.\d+\.\d+/);
  });
});
