// The documented examples run: every ```js and ```sh block of the API/CLI section, taken from
// README.md when it has the marked section, else from docs/notes/js-api.md.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const START = '<!-- trainscope-api:start -->';
const END = '<!-- trainscope-api:end -->';

/** The marked section of the first document that has one. */
export function documentedSection() {
  for (const relative of ['README.md', 'docs/notes/js-api.md']) {
    const path = join(repoRoot, relative);
    if (!existsSync(path)) continue;
    // The markers count only on lines of their own (prose may mention them).
    const text = readFileSync(path, 'utf8');
    const start = text.search(new RegExp(`^${START}$`, 'm'));
    const end = text.search(new RegExp(`^${END}$`, 'm'));
    if (start >= 0 && end > start) return { source: relative, text: text.slice(start + START.length, end) };
  }
  throw new Error(`no document has the ${START} section`);
}

/** Fenced blocks of a language: [{language, code, line}] */
export function codeBlocks(text, languages) {
  const blocks = [];
  const pattern = /^```(\w+)\n([\s\S]*?)^```/gm;
  for (const match of text.matchAll(pattern)) {
    if (languages.includes(match[1])) {
      blocks.push({ language: match[1], code: match[2], line: text.slice(0, match.index).split('\n').length });
    }
  }
  return blocks;
}

const section = documentedSection();
const scratch = mkdtempSync(join(tmpdir(), 'trainscope-docs-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const indexUrl = pathToFileURL(join(repoRoot, 'bindings', 'js', 'index.js')).href;
const cliPath = join(repoRoot, 'bin', 'trainscope.js');

describe(`documented examples (${section.source})`, () => {
  const jsBlocks = codeBlocks(section.text, ['js']);
  const shBlocks = codeBlocks(section.text, ['sh']);

  test('there are examples of the API and of the CLI', () => {
    assert.ok(jsBlocks.length >= 5, `${jsBlocks.length} js blocks`);
    assert.ok(shBlocks.length >= 2, `${shBlocks.length} sh blocks`);
  });

  for (const block of jsBlocks) {
    test(`js example at line ${block.line} runs`, () => {
      // Users import 'trainscope'; here that is this checkout's index.js.
      const code = block.code.replaceAll("from 'trainscope'", `from '${indexUrl}'`);
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: scratch, encoding: 'utf8' });
      assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
      assert.equal(result.stderr, '');
      assert.notEqual(result.stdout, '', 'the example prints something');
    });
  }

  for (const block of shBlocks) {
    test(`sh example at line ${block.line} runs`, () => {
      // `npx trainscope` is this checkout's CLI.
      const script = `set -e\nnpx() { if [ "$1" = trainscope ]; then shift; node '${cliPath}' "$@"; else command npx "$@"; fi; }\n${block.code}`;
      const result = spawnSync('bash', ['-c', script], { cwd: scratch, encoding: 'utf8' });
      assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
      assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
    });
  }

  test('the overfit-20 example prints a training accuracy of 1', () => {
    const block = jsBlocks.find((candidate) => candidate.code.includes("byName('overfit-20')"));
    assert.ok(block);
    const code = block.code.replaceAll("from 'trainscope'", `from '${indexUrl}'`);
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: scratch, encoding: 'utf8' });
    assert.match(result.stdout, /train accuracy 1\n/);
  });
});
