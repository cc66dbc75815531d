// The package as users get it: `npm pack`, install the tarball into a temporary project in another
// directory, and train from `import ... from 'trainscope'`; the installed CLI works too.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'trainscope-package-'));
const project = join(scratch, 'consumer');
after(() => rmSync(scratch, { recursive: true, force: true }));

function npm(args, cwd) {
  // npm's own warnings (e.g. about user config) go to stderr; only the exit code matters here.
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the packed package', () => {
  let tarball;
  before(() => {
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', scratch], repoRoot));
    tarball = join(scratch, packed[0].filename);
    const files = packed[0].files.map((entry) => entry.path);
    for (const required of ['bindings/js/index.js', 'bindings/trainscope.d.ts', 'bin/trainscope.js',
      'bindings/js/engine/trainscope_engine.js', 'bindings/js/engine/trainscope_engine.wasm',
      'bindings/js/engine/trainscope_engine_nosimd.js', 'bindings/js/engine/trainscope_engine_nosimd.wasm']) {
      assert.ok(files.includes(required), `the tarball lacks ${required}`);
    }
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
  });

  test('a script in another directory imports trainscope and trains', () => {
    writeFileSync(join(project, 'train.mjs'), `
      import { createTrainer, presets, validateConfig, defaults } from 'trainscope';
      const trainer = await createTrainer({ model: { hidden: [16] }, train: { lr: 0.5 } });
      const first = trainer.step();
      const last = trainer.step(200);
      const evaluation = trainer.evaluate();
      trainer.dispose();
      console.log(JSON.stringify({
        first: first.loss, last: last.loss, acc: evaluation.train.acc, presets: presets.length,
        problems: validateConfig({ train: { learning_rate: 1 } }), lr: defaults.train.lr,
      }));
    `);
    const result = spawnSync(process.execPath, ['train.mjs'], { cwd: project, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const output = JSON.parse(result.stdout);
    assert.ok(output.last < output.first, `${output.last} < ${output.first}`);
    assert.ok(output.acc > 0.5);
    assert.ok(output.presets >= 20);
    assert.equal(output.problems[0].path, 'train.learning_rate');
    assert.equal(output.lr, 0.1);
  });

  test('the installed CLI runs', () => {
    const bin = join(project, 'node_modules', '.bin', 'trainscope');
    const result = spawnSync(bin, ['run', '--steps', '5', '--every', '5', '--format', 'csv'], { cwd: project, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^step,loss,/);
  });
});
