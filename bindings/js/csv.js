// CSV for custom datasets: one example per line, features then the label (or regression target)
// in the last column, comma-separated; an optional header line whose cells are all non-numeric;
// blank lines and lines starting with '#' are ignored. Errors name the line (1-based) and column.

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export class CsvError extends Error {
  constructor(source, line, message) {
    super(`${source}${line ? ` line ${line}` : ''}: ${message}`);
    this.name = 'CsvError';
    this.code = 'ERR_TRAINSCOPE_CSV';
    this.line = line;
  }
}

function splitCells(line) {
  return line.split(',').map((cell) => cell.trim());
}

/**
 * Parses CSV text into a custom dataset.
 * @param {string} text
 * @param {{source?: string, targets?: boolean}} [options] targets: the last column holds
 *   regression targets (any finite number) instead of class labels (integers >= 0)
 * @returns {{x: number[][], y: number[], header: string[] | null}}
 */
export function parseCsv(text, options = {}) {
  const source = options.source ?? 'CSV';
  const targets = options.targets ?? false;
  const x = [];
  const y = [];
  let header = null;
  let columns = 0;
  let firstLine = true;
  const lines = String(text).split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNumber = index + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = splitCells(line);
    if (firstLine) {
      firstLine = false;
      if (cells.every((cell) => !NUMBER.test(cell))) {
        header = cells;
        columns = cells.length;
        if (columns < 2) throw new CsvError(source, lineNumber, 'needs at least 2 columns (features, then the label)');
        return;
      }
      columns = cells.length;
      if (columns < 2) throw new CsvError(source, lineNumber, 'needs at least 2 columns (features, then the label)');
    }
    if (cells.length !== columns) {
      throw new CsvError(source, lineNumber, `expected ${columns} columns, found ${cells.length}`);
    }
    const values = cells.map((cell, column) => {
      if (!NUMBER.test(cell)) {
        throw new CsvError(source, lineNumber, `column ${column + 1}: ${JSON.stringify(cell)} is not a number`);
      }
      const value = Number(cell);
      if (!Number.isFinite(value)) throw new CsvError(source, lineNumber, `column ${column + 1}: ${cell} is not a finite number`);
      return value;
    });
    const label = values.pop();
    if (!targets && (!Number.isInteger(label) || label < 0)) {
      throw new CsvError(source, lineNumber, `the label (last column) must be a class index 0, 1, 2, ...; got ${cells[columns - 1]} (use loss mse for regression targets)`);
    }
    x.push(values);
    y.push(label);
  });
  if (x.length === 0) throw new CsvError(source, 0, 'has no data rows');
  return { x, y, header };
}

function csvCell(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV text from rows of objects, with the given columns in order (a header line first). */
export function toCsv(rows, columns) {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvCell(row[column])).join(','));
  return `${lines.join('\n')}\n`;
}
