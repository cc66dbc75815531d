// `trainscope search` through the real CLI (spawned): results file, kill -9 and --resume, shards
// and merge, report, and bad space files.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/trainscope.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'trainscope-search-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const cli = (...args) => spawnSync(process.execPath, [CLI, ...args], { cwd: scratch, encoding: 'utf8' });
const write = (name, value) => { writeFileSync(join(scratch, name), typeof value === 'string' ? value : JSON.stringify(value)); return name; };
const lines = (name) => readFileSync(join(scratch, name), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const byIndex = (records) => [...records].sort((a, b) => a.index - b.index);

write('base.json', { seed: 5, data: { samples: 150 }, model: { hidden: [24] } });
write('space.json', { 'train.lr': { log: [1e-3, 10] }, 'train.l2': { log: [1e-6, 1e-2] } });
const COMMON = ['--config', 'base.json', '--space', 'space.json', '--seed', '4'];

describe('trainscope search', () => {
  let reference;

  test('a local search appends one line per trial, each index once, with the documented fields', () => {
    const result = cli('search', ...COMMON, '--trials', '9', '--steps', '80', '--jobs', '2', '--out', 'full.jsonl');
    assert.equal(result.status, 0, result.stderr);
    reference = byIndex(lines('full.jsonl'));
    assert.deepEqual(reference.map((r) => r.index), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const record of reference) {
      for (const key of ['hash', 'seed', 'params', 'config', 'status', 'steps', 'train_loss', 'train_acc', 'val_loss', 'val_acc', 'curve', 'total']) {
        assert.ok(key in record, `${key} missing`);
      }
      assert.equal(record.total, 9);
    }
    assert.match(result.stderr, /search: 9 trials run of 9; best: trial \d+, val acc/);
    // Without --resume an existing file is not overwritten or appended to.
    const again = cli('search', ...COMMON, '--trials', '9', '--steps', '80', '--out', 'full.jsonl');
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already has results: pass --resume/);
    assert.equal(lines('full.jsonl').length, 9);
  });

  test('the same search with --jobs 1 gives the same records', () => {
    const result = cli('search', ...COMMON, '--trials', '9', '--steps', '80', '--jobs', '1', '--out', 'one-job.jsonl');
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(byIndex(lines('one-job.jsonl')), reference);
  });

  test('kill -9 in the middle, then --resume: every trial exactly once, the same numbers as an uninterrupted run', async () => {
    const args = [...COMMON, '--trials', '12', '--steps', '1500', '--jobs', '2', '--out', 'killed.jsonl'];
    const uninterrupted = cli('search', ...COMMON, '--trials', '12', '--steps', '1500', '--jobs', '2', '--out', 'straight.jsonl');
    assert.equal(uninterrupted.status, 0, uninterrupted.stderr);
    const child = spawn(process.execPath, [CLI, 'search', ...args], { cwd: scratch, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal)));
    const path = join(scratch, 'killed.jsonl');
    const count = () => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0);
    while (count() < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const before = lines('killed.jsonl');
    assert.ok(before.length >= 3 && before.length < 12, `killed after ${before.length} trials`);
    const resumed = cli('search', ...args, '--resume');
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`${12 - before.length} trials run, ${before.length} taken from killed.jsonl`));
    const after = lines('killed.jsonl');
    assert.deepEqual(after.slice(0, before.length), before, 'the lines written before the kill stay as they were');
    assert.deepEqual(after.map((r) => r.index).sort((a, b) => a - b), [...Array(12).keys()]);
    assert.deepEqual(byIndex(after), byIndex(lines('straight.jsonl')));
  });

  test('--resume cuts a torn last line and reruns only that trial', () => {
    const full = readFileSync(join(scratch, 'full.jsonl'), 'utf8').split('\n').filter(Boolean);
    write('torn.jsonl', `${full.slice(0, 4).join('\n')}\n${full[4].slice(0, 40)}`);
    const result = cli('search', ...COMMON, '--trials', '9', '--steps', '80', '--jobs', '2', '--out', 'torn.jsonl', '--resume');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /5 trials run, 4 taken from torn.jsonl/);
    assert.deepEqual(byIndex(lines('torn.jsonl')), reference);
  });

  test('the union of --shard 1/3, 2/3, 3/3 equals the unsharded result; merge reports missing and duplicate trials', () => {
    for (const shard of [1, 2, 3]) {
      const result = cli('search', ...COMMON, '--trials', '9', '--steps', '80', '--jobs', '1', '--shard', `${shard}/3`, '--out', `shard${shard}.jsonl`);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stderr, new RegExp(`3 trials run \\(shard ${shard}/3 of 9\\)`));
    }
    const shardIndexes = [1, 2, 3].map((shard) => lines(`shard${shard}.jsonl`).map((r) => r.index));
    assert.equal(new Set(shardIndexes.flat()).size, 9, 'the shards are disjoint');
    const merged = cli('search', 'merge', 'shard1.jsonl', 'shard2.jsonl', 'shard3.jsonl', '--out', 'all.jsonl');
    assert.equal(merged.status, 0, merged.stderr);
    assert.match(merged.stderr, /merge: 9 of 9 trials into all.jsonl/);
    assert.deepEqual(lines('all.jsonl'), reference);

    const partial = cli('search', 'merge', 'shard1.jsonl', 'shard3.jsonl', 'shard1.jsonl', '--out', 'partial.jsonl');
    assert.equal(partial.status, 1);
    const missing = shardIndexes[1].slice().sort((a, b) => a - b).join(', ');
    assert.match(partial.stderr, new RegExp(`missing trials ${missing}`));
    assert.match(partial.stderr, /3 duplicates \(kept once\)/);
    assert.equal(lines('partial.jsonl').length, 6);
  });

  test('report prints the best trials and writes the two plots as SVG, one mark per trial', () => {
    const result = cli('search', 'report', 'full.jsonl', '--top', '3', '--svg-dir', '.');
    assert.equal(result.status, 0, result.stderr);
    const best = reference.filter((r) => r.status === 'ok').sort((a, b) => b.val_acc - a.val_acc || a.val_loss - b.val_loss || a.index - b.index);
    const rows = result.stdout.split('\n').filter((line) => /^\d+\t/.test(line));
    assert.deepEqual(rows.map((line) => Number(line.split('\t')[0])), best.slice(0, 3).map((r) => r.index));
    const resultsSvg = readFileSync(join(scratch, 'search-results.svg'), 'utf8');
    const spaceSvg = readFileSync(join(scratch, 'search-space.svg'), 'utf8');
    assert.match(resultsSvg, /<title>Search results<\/title>/);
    assert.match(spaceSvg, /<title>Search space<\/title>/);
    assert.equal(resultsSvg.match(/data-index=/g).length, 2 * 9, 'one mark per trial in each of the two panels');
    assert.equal(spaceSvg.match(/data-index=/g).length, 9);
    assert.match(resultsSvg, /train\.lr \(log\)/);
  });

  test('bad space files get one clear line and exit code 2', () => {
    const cases = [
      ['unknown.json', { 'train.learning_rate': { log: [1e-4, 1] } }, /search space train\.learning_rate: is not a config key; did you mean train\.lr\?/],
      ['range.json', { 'model.dropout': { uniform: [0, 1.5] } }, /search space model\.dropout: range \[0, 1\.5\] leaves the key's allowed range/],
      ['zero.json', { 'train.lr': { log: [0, 1] } }, /search space train\.lr: log needs lo > 0/],
      ['broken.json', '{"train.lr": {"log": [1e-4, 1]}', /space file broken\.json is not valid JSON/],
    ];
    for (const [name, content, message] of cases) {
      write(name, content);
      const result = cli('search', '--space', name, '--trials', '2', '--steps', '5');
      assert.equal(result.status, 2, `${name}: ${result.stderr}`);
      assert.equal(result.stderr.trimEnd().split('\n').length, 1, `${name}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
    const badShard = cli('search', ...COMMON, '--shard', '4/3');
    assert.equal(badShard.status, 2);
    assert.match(badShard.stderr, /--shard needs I\/N with 1 <= I <= N/);
    const badSeed = cli('search', '--space', 'space.json', '--seed', 'abc');
    assert.equal(badSeed.status, 2);
    assert.match(badSeed.stderr, /^trainscope: --seed needs an integer in \[0, 2\^32-1\]; got "abc"\n$/);
  });
});
