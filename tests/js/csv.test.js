// CSV parsing for custom datasets (the CLI's --data): header detection, labels vs targets, and
// errors that name the line and column.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { CsvError, parseCsv } from '../../bindings/js/index.js';
import { toCsv } from '../../bindings/js/csv.js';

describe('parseCsv', () => {
  test('reads features and the label from the last column, with a header', () => {
    const parsed = parseCsv('x1,x2,label\n0.5,-1,0\n\n# a comment\n1e-3, 2 ,2\r\n');
    assert.deepEqual(parsed, { x: [[0.5, -1], [0.001, 2]], y: [0, 2], header: ['x1', 'x2', 'label'] });
  });

  test('the header is optional', () => {
    assert.deepEqual(parseCsv('1,2,3,1\n4,5,6,0'), { x: [[1, 2, 3], [4, 5, 6]], y: [1, 0], header: null });
  });

  test('regression targets may be any finite number', () => {
    assert.deepEqual(parseCsv('0.1,-0.25\n0.2,3.5', { targets: true }).y, [-0.25, 3.5]);
  });

  const BAD = [
    ['a ragged row', 'a,b,c\n1,2,0\n1,2\n', /data\.csv line 3: expected 3 columns, found 2/],
    ['a word among numbers', '1,2,0\n1,oops,1\n', /data\.csv line 2: column 2: "oops" is not a number/],
    ['NaN', '1,2,0\nNaN,1,1\n', /line 2: column 1: "NaN" is not a number/],
    ['a fractional class label', '1,2,0\n1,2,0.5\n', /line 2: .*class index.*0\.5/],
    ['a negative class label', '1,2,-1\n', /line 1: .*class index/],
    ['a single column', 'label\n1\n', /line 1: needs at least 2 columns/],
    ['no data rows', 'x,y,label\n\n', /has no data rows/],
    ['an empty cell', '1,,0\n', /line 1: column 2: "" is not a number/],
  ];
  for (const [description, text, message] of BAD) {
    test(`refuses ${description}`, () => {
      assert.throws(() => parseCsv(text, { source: 'data.csv' }), (error) => error instanceof CsvError && error.code === 'ERR_TRAINSCOPE_CSV' && message.test(error.message));
    });
  }
});

describe('toCsv', () => {
  test('writes a header and quotes cells that need it', () => {
    const text = toCsv([{ step: 1, loss: 0.5, note: 'a,b' }, { step: 2, loss: NaN }], ['step', 'loss', 'note']);
    assert.equal(text, 'step,loss,note\n1,0.5,"a,b"\n2,NaN,\n');
  });
});
