// Pure (node-only) tests of issue 15 §1's axis and colour rules: integer step ticks, log-axis
// labels and minor ticks, the depth palette. The browser tests (charts.test.js) check that the
// charts use them.
import test from 'node:test';
import assert from 'node:assert/strict';

import { STEP_INCREMENTS, stepRange, logTicks, powerLabel } from '../../dist/app/charts/axes.js';
import { depthColors, colorDifference } from '../../dist/app/palette.js';
import { formatStepTick } from '../../dist/app/format.js';

test('step axes: integer increments only, a non-empty range, exact "k" labels', () => {
  assert.ok(STEP_INCREMENTS.every(Number.isInteger));
  assert.equal(STEP_INCREMENTS[0], 1);
  assert.deepEqual(stepRange(1, 2), [1, 2]);
  assert.deepEqual(stepRange(1, 1), [0, 2]);
  assert.equal(formatStepTick(12500), '12.5k');
  assert.equal(formatStepTick(12345), '12345');
  assert.equal(formatStepTick(2), '2');
});

test('log axes: one label per power of ten, one notation, minor ticks clear of labels', () => {
  const { major, minor } = logTicks(1e-9, 1e-1, 400, { labelHeight: 12 });
  assert.deepEqual(major.map((v) => powerLabel(Math.round(Math.log10(v)))), ['1e-9', '1e-8', '1e-7', '1e-6', '1e-5', '1e-4', '1e-3', '1e-2', '1e-1']);
  // 50 px per decade: too short for 2…9 × 10^k to read as ticks rather than a grey band.
  assert.deepEqual(minor, []);
  const tall = logTicks(1e-3, 1, 300, { labelHeight: 12, clearance: 3 });
  assert.deepEqual(tall.major, [1e-3, 1e-2, 1e-1, 1]);
  assert.ok(tall.minor.length > 0);
  const at = (v) => ((Math.log10(v) + 3) / 3) * 300;
  for (const value of tall.minor) {
    for (const label of tall.major) assert.ok(Math.abs(at(value) - at(label)) >= 9, `minor tick ${value} crosses the label at ${label}`);
  }
  // 9 × 10^k sits 4.6 px under 10^(k+1) at 100 px per decade: left out.
  assert.ok(!tall.minor.some((v) => Math.abs(v / 0.09 - 1) < 1e-9));
  // Crowded decades: every other power labelled, never two labels closer than 1.5 label heights.
  const crowded = logTicks(1e-9, 1e-1, 120, { labelHeight: 12 });
  assert.ok(crowded.major.length >= 4 && crowded.major.length < 9);
});

test('layer colours: a sequential palette, distinct for 12 and more layers', () => {
  for (const count of [2, 8, 11, 12, 16]) {
    const colors = depthColors(count);
    assert.equal(new Set(colors).size, count);
    let closest = Infinity;
    for (let i = 0; i < count; i++) for (let j = i + 1; j < count; j++) closest = Math.min(closest, colorDifference(colors[i], colors[j]));
    assert.ok(closest >= (count <= 12 ? 10 : 7), `${count} layers: the closest two colours differ by ΔE ${closest.toFixed(1)}`);
  }
  // Sequential: luminance rises with depth, so the first layer is the darkest.
  const luminance = (hex) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const colors = depthColors(12);
  for (let i = 1; i < colors.length; i++) assert.ok(luminance(colors[i]) > luminance(colors[i - 1]), `layer ${i + 1} is not lighter than layer ${i}`);
});
