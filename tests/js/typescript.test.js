// The hand-written declarations: tsc --noEmit on a typed usage file (whose @ts-expect-error lines
// make tsc fail if the types accept misuse), and a deliberately wrong file that must fail.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');

function runTsc(project) {
  return spawnSync(tsc, ['--noEmit', '-p', project], { cwd: repoRoot, encoding: 'utf8' });
}

describe('TypeScript declarations', () => {
  test('tests/js/typed-usage.ts type-checks against bindings/trainscope.d.ts', () => {
    const result = runTsc(join(repoRoot, 'tests', 'js', 'tsconfig.json'));
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });

  test('misuse is a type error', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'trainscope-tsc-'));
    try {
      writeFileSync(join(scratch, 'wrong.ts'), `
        import { createTrainer } from 'trainscope';
        export async function wrong(): Promise<string> {
          const trainer = await createTrainer({ model: { activation: 'relu6' } });
          return trainer.step().loss;
        }
      `);
      writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({
        compilerOptions: {
          strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'], module: 'nodenext', moduleResolution: 'nodenext',
          types: [], paths: { trainscope: [join(repoRoot, 'bindings', 'trainscope.d.ts')] },
        },
        files: ['wrong.ts'],
      }));
      const result = runTsc(join(scratch, 'tsconfig.json'));
      const output = `${result.stdout}${result.stderr}`;
      assert.notEqual(result.status, 0, output);
      assert.match(output, /relu6/);
      assert.match(output, /'number' is not assignable to type 'string'/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
