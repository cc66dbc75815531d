// optimizerPath(): an optimizer's trajectory on a 2-D loss surface (lecture 7's pictures), computed
// by the engine's own Optimizer and schedule classes (engine/optim/path.hpp), not a JS copy of them.
// The surfaces and the hyperparameters each optimizer and schedule reads come from the engine's
// registries (schema.generated.js), so this file names none of them.
import { loadEngineModule } from './loader.js';
import { REGISTRIES, ruleFor } from './schema.js';
import { ConfigError, checkValue, describeValue } from './validate.js';

/** The surfaces: name, description, formula, view [xmin, xmax, ymin, ymax], start [x, y], minimum. */
export const SURFACES = REGISTRIES.surfaces;

const MAX_STEPS = 100000;

// train.* keys that act on a 2-D path: the optimizer and schedule names, the hyperparameters their
// registry rows say they read, and the warm-up every schedule has.
const TRAIN_KEYS = Object.freeze([...new Set([
  'optimizer', 'schedule', 'warmup',
  ...REGISTRIES.optimizers.flatMap((row) => row.uses),
  ...REGISTRIES.schedules.flatMap((row) => row.uses),
])]);
const PATH_KEYS = Object.freeze(['surface', 'kappa', 'start', 'steps', 'noise', 'seed']);

/** The option names optimizerPath accepts. */
export const OPTIMIZER_PATH_KEYS = Object.freeze([...PATH_KEYS, ...TRAIN_KEYS]);

function pathProblems(options) {
  const problems = [];
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return [{ path: '', message: `optimizerPath needs an options object like { surface: 'saddle', optimizer: 'adam' }; got ${describeValue(options)}` }];
  }
  for (const key of Object.keys(options)) {
    if (!OPTIMIZER_PATH_KEYS.includes(key)) {
      problems.push({ path: key, message: `unknown option; allowed: ${OPTIMIZER_PATH_KEYS.join(', ')}` });
    }
  }
  const has = (key) => options[key] !== undefined;
  if (has('surface')) {
    checkValue('surface', { kind: 'enum', values: SURFACES.map((surface) => surface.name) }, options.surface, problems);
  }
  if (has('kappa')) checkValue('kappa', { kind: 'number', min: 1, max: 1e4 }, options.kappa, problems);
  if (has('steps')) checkValue('steps', { kind: 'integer', min: 1, max: MAX_STEPS }, options.steps, problems);
  if (has('noise')) checkValue('noise', { kind: 'number', min: 0 }, options.noise, problems);
  if (has('seed')) checkValue('seed', ruleFor('seed'), options.seed, problems);
  if (has('start')) {
    const start = options.start;
    if (!Array.isArray(start) || start.length !== 2 ||
        !start.every((value) => typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 1000)) {
      problems.push({ path: 'start', message: `must be [x, y], two finite numbers in [-1000, 1000]; got ${describeValue(start)}` });
    }
  }
  for (const key of TRAIN_KEYS) {
    if (has(key)) checkValue(key, ruleFor(`train.${key}`), options[key], problems);
  }
  return problems;
}

/**
 * Runs one optimizer on a 2-D surface and returns its path.
 * @param {object} options surface, kappa, start [x, y], steps, noise, seed, and the train.* keys
 *   optimizer, lr, momentum, beta1, beta2, eps, decay, weight_decay, bias_correction, schedule,
 *   decay_steps, gamma, min_lr, warmup (defaults: the surface's start, 100 steps, no noise, and the
 *   configuration defaults)
 * @param {object} [engineOptions] loadEngine options
 * @returns {Promise<{surface: string, optimizer: string, x: Float64Array, y: Float64Array,
 *   loss: Float64Array, steps: number, stopped: 'steps' | 'converged' | 'diverged', reason: string}>}
 */
export async function optimizerPath(options = {}, engineOptions = {}) {
  const problems = pathProblems(options);
  if (problems.length > 0) throw new ConfigError(problems);
  const { module } = await loadEngineModule(engineOptions);
  const surface = SURFACES.find((row) => row.name === (options.surface ?? 'ill_conditioned'));
  const train = {};
  for (const key of TRAIN_KEYS) if (options[key] !== undefined) train[key] = options[key];
  const request = {
    surface: surface.name,
    start: options.start ?? surface.start,
    steps: options.steps ?? 100,
    noise: options.noise ?? 0,
    train,
  };
  if (options.kappa !== undefined) request.kappa = options.kappa;
  if (options.seed !== undefined) request.seed = options.seed;
  let result;
  try {
    result = JSON.parse(module.optimizerPathJson(JSON.stringify(request)));
  } catch (error) {
    // The engine's validation has the last word; its message names the field ("train.lr: ...").
    const message = error instanceof Error ? error.message : String(error);
    const match = /^(?:train\.)?([a-z_]+): (.*)$/s.exec(message);
    throw new ConfigError([match ? { path: match[1], message: match[2] } : { path: '', message }]);
  }
  return {
    surface: surface.name,
    optimizer: options.optimizer ?? ruleFor('train.optimizer').default ?? 'sgd',
    x: Float64Array.from(result.x),
    y: Float64Array.from(result.y),
    loss: Float64Array.from(result.loss),
    steps: result.steps,
    stopped: result.stopped,
    reason: result.reason,
  };
}
