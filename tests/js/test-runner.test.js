// scripts/test.mjs counts skipped tests and fails on them: a missing Chromium or script(1) must not
// turn into "N passed, 0 failed". The parsers are fed the exact summaries the runners print.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { doctestCounts, exitCodeFor, nodeTestCounts, summaryLine } from '../../scripts/test.mjs';

const SPEC_SUMMARY = `
ℹ tests 14
ℹ suites 0
ℹ pass 8
ℹ fail 0
ℹ cancelled 0
ℹ skipped 6
ℹ todo 1
ℹ duration_ms 812.5
`;

test('node --test summaries: skipped and todo tests count as skipped, cancelled ones as failed', () => {
  assert.deepEqual(nodeTestCounts(SPEC_SUMMARY), { passed: 8, failed: 0, skipped: 7 });
  assert.deepEqual(nodeTestCounts(SPEC_SUMMARY.replace('cancelled 0', 'cancelled 2')), { passed: 8, failed: 2, skipped: 7 });
  assert.deepEqual(nodeTestCounts('# pass 3\n# fail 1\n# skipped 2\n'), { passed: 3, failed: 1, skipped: 2 });
  assert.equal(nodeTestCounts('no summary here'), null);
});

test('doctest summaries: the skipped column is read', () => {
  assert.deepEqual(doctestCounts('[doctest] test cases: 21 | 19 passed | 1 failed | 1 skipped'),
    { passed: 19, failed: 1, skipped: 1 });
  assert.equal(doctestCounts('Segmentation fault'), null);
});

test('the closing line names all three counts; any skipped test fails the run unless allowed', () => {
  assert.equal(summaryLine({ passed: 12, failed: 0, skipped: 3 }), '12 passed, 0 failed, 3 skipped');
  assert.equal(exitCodeFor({ failed: 0, skipped: 0 }, false), 0);
  assert.equal(exitCodeFor({ failed: 0, skipped: 1 }, false), 1);
  assert.equal(exitCodeFor({ failed: 0, skipped: 1 }, true), 0);
  assert.equal(exitCodeFor({ failed: 2, skipped: 0 }, true), 1);
});
