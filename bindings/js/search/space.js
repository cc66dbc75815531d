// The search space: config paths mapped to how each is sampled, validated against the engine's
// schema, and the three ways of turning it into trials (random, grid) or a narrower space
// (refine, coarse to fine).
//
//   { 'train.lr': { log: [1e-5, 1e-1] },        10^U(log10 a, log10 b)
//     'model.dropout': { uniform: [0, 0.6] },   U(a, b)
//     'model.init': { choice: ['xavier', 'he'] } }

import { deepCopy } from '../defaults.js';
import { ruleFor } from '../schema.js';
import { describeValue, formatProblem, suggestKey, validateConfig } from '../validate.js';

export const SAMPLINGS = Object.freeze(['log', 'uniform', 'choice']);

/** A search space that does not fit the schema; `path` names the key. */
export class SearchSpaceError extends Error {
  constructor(path, message) {
    super(`search space ${path}: ${message}`);
    this.name = 'SearchSpaceError';
    this.path = path;
  }
}

/** `config` with the dotted `path` set to `value` (a copy). */
export function setPath(config, path, value) {
  const copy = deepCopy(config ?? {});
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {});
  node[keys[keys.length - 1]] = value;
  return copy;
}

export function getPath(config, path) {
  return path.split('.').reduce((node, key) => (node == null ? undefined : node[key]), config);
}

// The problems of one value at one path, judged by the config validator itself.
function valueProblem(path, value) {
  const problems = validateConfig(setPath({}, path, value)).filter((problem) => problem.path === path);
  return problems.length > 0 ? formatProblem(problems[0]) : null;
}

/**
 * Checks a space and returns it normalized: an array of dimensions
 * {path, sampling: 'log'|'uniform'|'choice', range: [lo, hi] | undefined, values: [...] | undefined,
 *  integer}. Throws a SearchSpaceError naming the first bad key.
 */
export function normalizeSpace(space) {
  if (space === null || typeof space !== 'object' || Array.isArray(space)) {
    throw new SearchSpaceError('(root)', `must be an object of config paths; got ${describeValue(space)}`);
  }
  const paths = Object.keys(space);
  if (paths.length === 0) throw new SearchSpaceError('(root)', 'is empty: give at least one config path');
  return paths.map((path) => normalizeDimension(path, space[path]));
}

function normalizeDimension(path, spec) {
  const rule = ruleFor(path);
  if (!rule) {
    const suggestion = suggestKey(path);
    throw new SearchSpaceError(path, `is not a config key${suggestion ? `; did you mean ${suggestion}?` : ' (see trainscope --help for the keys)'}`);
  }
  if (path === 'seed') throw new SearchSpaceError(path, 'is the data seed every trial shares; search the model, not the data');
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new SearchSpaceError(path, `must be one of {log: [lo, hi]}, {uniform: [lo, hi]}, {choice: [...]}; got ${describeValue(spec)}`);
  }
  const kinds = Object.keys(spec);
  if (kinds.length !== 1 || !SAMPLINGS.includes(kinds[0])) {
    throw new SearchSpaceError(path, `must have exactly one of log, uniform, choice; got ${kinds.join(', ') || 'nothing'}`);
  }
  const [sampling] = kinds;
  const argument = spec[sampling];
  if (sampling === 'choice') {
    if (!Array.isArray(argument) || argument.length === 0) throw new SearchSpaceError(path, 'choice needs a non-empty array of values');
    for (const value of argument) {
      const problem = valueProblem(path, value);
      if (problem) throw new SearchSpaceError(path, `choice ${JSON.stringify(value)} is not allowed: ${problem}`);
    }
    return { path, sampling, values: deepCopy(argument), integer: rule.kind === 'integer' };
  }
  if (rule.kind !== 'number' && rule.kind !== 'integer') {
    throw new SearchSpaceError(path, `is a ${rule.kind} key; ${sampling} needs a numeric one (use choice)`);
  }
  if (!Array.isArray(argument) || argument.length !== 2 || !argument.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new SearchSpaceError(path, `${sampling} needs [lo, hi] with two finite numbers; got ${describeValue(argument)}`);
  }
  const [lo, hi] = argument;
  if (!(lo < hi)) throw new SearchSpaceError(path, `${sampling} needs lo < hi; got [${lo}, ${hi}]`);
  if (sampling === 'log' && !(lo > 0)) throw new SearchSpaceError(path, `log needs lo > 0; got [${lo}, ${hi}]`);
  for (const end of [lo, hi]) {
    const problem = valueProblem(path, rule.kind === 'integer' ? Math.round(end) : end);
    if (problem) throw new SearchSpaceError(path, `range [${lo}, ${hi}] leaves the key's allowed range: ${problem}`);
  }
  return { path, sampling, range: [lo, hi], integer: rule.kind === 'integer' };
}

/** The space back as the plain object search() takes. */
export function spaceObject(dimensions) {
  return Object.fromEntries(dimensions.map((dim) => [dim.path, dim.sampling === 'choice' ? { choice: deepCopy(dim.values) } : { [dim.sampling]: [...dim.range] }]));
}

// Log dimensions live in log10 coordinates: sampling, grids and refinement are uniform there.
const toUnit = (dim, value) => (dim.sampling === 'log' ? Math.log10(value) : value);
// Values are rounded to 12 significant digits: JS engines' Math.pow may differ in the last bit
// (node's V8 and a newer Chromium's do), and a trial must be the same trial in the CLI and the page.
const fromUnit = (dim, t) => {
  const value = dim.sampling === 'log' ? 10 ** t : t;
  return dim.integer ? Math.round(value) : Number(value.toPrecision(12));
};
const unitRange = (dim) => dim.range.map((end) => toUnit(dim, end));

/** One random point of the space: {path: value}. Uses one uniform per dimension, in order. */
export function samplePoint(dimensions, random) {
  const point = {};
  for (const dim of dimensions) {
    const u = random();
    if (dim.sampling === 'choice') {
      point[dim.path] = deepCopy(dim.values[Math.min(dim.values.length - 1, Math.floor(u * dim.values.length))]);
    } else {
      const [lo, hi] = unitRange(dim);
      point[dim.path] = clampToRange(dim, fromUnit(dim, lo + (hi - lo) * u));
    }
  }
  return point;
}

// 10 ** log10(x) can land a hair outside [lo, hi]; keep samples inside.
function clampToRange(dim, value) {
  return Math.min(dim.range[1], Math.max(dim.range[0], value));
}

/**
 * The grid for a budget of `trials`: the same number of levels n = floor(trials^(1/D)) on every
 * dimension (log-spaced on log dimensions, both ends included, so the corners are tried); a choice
 * dimension with fewer values uses all of them. At most `trials` points, in row-major order.
 */
export function gridPoints(dimensions, trials) {
  const levelsPerDimension = Math.max(1, Math.floor(Math.pow(trials, 1 / dimensions.length) + 1e-9));
  const axes = dimensions.map((dim) => {
    if (dim.sampling === 'choice') {
      const n = Math.min(levelsPerDimension, dim.values.length);
      return Array.from({ length: n }, (_, i) => dim.values[n === 1 ? 0 : Math.round((i * (dim.values.length - 1)) / (n - 1))]);
    }
    const [lo, hi] = unitRange(dim);
    const n = levelsPerDimension;
    return Array.from({ length: n }, (_, i) => clampToRange(dim, fromUnit(dim, n === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (n - 1))));
  });
  let points = [{}];
  dimensions.forEach((dim, d) => {
    points = points.flatMap((point) => axes[d].map((value) => ({ ...point, [dim.path]: deepCopy(value) })));
  });
  return points.slice(0, trials);
}

/**
 * Coarse to fine: the next round's space from the `best` trials (best first, `trial.params`). Each
 * numeric range shrinks to the span of the best values (in log10 for log dimensions) plus a
 * quarter of that span on each side (at least a fifth of the old width in all), inside the old
 * range; when the single best value sits in the outer 10% of the old range, that side instead
 * widens by half the old width, beyond the old range (the lecture: the range was wrong), as far as
 * the key allows. A choice keeps the values the best trials used. Returns {space, widened: [paths]}.
 */
export function refineSpace(dimensions, best) {
  if (best.length === 0) throw new Error('refine: no finished trial to refine around');
  const widened = [];
  const next = dimensions.map((dim) => {
    const values = best.map((trial) => trial.params[dim.path]);
    if (dim.sampling === 'choice') {
      const kept = dim.values.filter((value) => values.some((used) => JSON.stringify(used) === JSON.stringify(value)));
      return { ...dim, values: kept };
    }
    const [lo, hi] = unitRange(dim);
    const width = hi - lo;
    const coordinates = values.map((value) => toUnit(dim, value));
    const low = Math.min(...coordinates);
    const high = Math.max(...coordinates);
    const span = Math.max(high - low, width / 5);
    const center = (low + high) / 2;
    let newLo = Math.max(lo, Math.min(low, center - span / 2) - span / 4);
    let newHi = Math.min(hi, Math.max(high, center + span / 2) + span / 4);
    const bestCoordinate = coordinates[0];
    if (bestCoordinate - lo < width / 10) { newLo = lo - width / 2; widened.push(`${dim.path} (low)`); }
    if (hi - bestCoordinate < width / 10) { newHi = hi + width / 2; widened.push(`${dim.path} (high)`); }
    const range = [allowedEnd(dim, fromUnitExact(dim, newLo), 'low'), allowedEnd(dim, fromUnitExact(dim, newHi), 'high')];
    return { ...dim, range };
  });
  return { dimensions: next, widened };
}

const fromUnitExact = (dim, t) => (dim.sampling === 'log' ? 10 ** t : t);

// Pulls a widened end back inside what the key allows (e.g. dropout < 1, l2 >= 0).
function allowedEnd(dim, value, side) {
  const rule = ruleFor(dim.path);
  let end = dim.integer ? (side === 'low' ? Math.floor(value) : Math.ceil(value)) : value;
  if (rule.min !== undefined && end <= rule.min) end = rule.minExclusive || dim.sampling === 'log' ? Math.max(end, nextAbove(rule.min, dim)) : rule.min;
  if (rule.max !== undefined && end >= rule.max) end = rule.maxExclusive ? nextBelow(rule.max, dim) : rule.max;
  if (valueProblem(dim.path, end) === null) return end;
  // Out of ideas: keep the old end, which normalizeSpace accepted.
  return side === 'low' ? dim.range[0] : dim.range[1];
}

const nextAbove = (bound, dim) => (dim.integer ? bound + 1 : bound === 0 ? Number.MIN_VALUE * 2 ** 60 : bound + Math.abs(bound) * 1e-9);
const nextBelow = (bound, dim) => (dim.integer ? bound - 1 : bound - Math.max(Math.abs(bound) * 1e-9, 1e-12));

/** Whether `value` lies inside the dimension (its range, or among its values). */
export function contains(dim, value) {
  if (dim.sampling === 'choice') return dim.values.some((entry) => JSON.stringify(entry) === JSON.stringify(value));
  return value >= dim.range[0] && value <= dim.range[1];
}
