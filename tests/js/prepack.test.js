// scripts/prepack.mjs refuses to pack a missing or broken engine: each problem is named.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { ENGINE_DIR, engineProblems } from '../../scripts/prepack.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'trainscope-prepack-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('the placed engine passes the check', () => {
  assert.deepEqual(engineProblems(), []);
});

test('a missing script, a .wasm that is not WebAssembly and a .js that is not the factory are each named', () => {
  const engine = join(scratch, 'engine');
  cpSync(ENGINE_DIR, engine, { recursive: true });
  unlinkSync(join(engine, 'trainscope_engine_nosimd.js'));
  writeFileSync(join(engine, 'trainscope_engine.wasm'), '<!doctype html>');
  writeFileSync(join(engine, 'trainscope_engine.js'), 'export default 1;');
  const problems = engineProblems(engine);
  assert.equal(problems.length, 3, problems.join('\n'));
  assert.match(problems.join('\n'), /trainscope_engine\.js is not the Embind engine factory/);
  assert.match(problems.join('\n'), /trainscope_engine\.wasm is not a WebAssembly module/);
  assert.match(problems.join('\n'), /trainscope_engine_nosimd\.js is missing/);
});
