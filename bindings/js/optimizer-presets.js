// The optimizer view's presets: lecture 7's optimizer pictures as races on a 2-D surface. Each
// preset names a surface, a start, a step budget, shared settings (the view's controls) and the
// racers (an optimizer, plus what differs for that racer). tests/js/optimizer-path.test.js checks
// each preset's phenomenon as a property of the trajectories optimizerPath returns.
import { optimizerPath } from './optimizer-path.js';

const PRESETS = [
  {
    name: 'sgd-zigzag',
    title: 'SGD zig-zags in a narrow valley',
    surface: 'ill_conditioned', kappa: 50, start: [-4.5, 2], steps: 60,
    settings: { lr: 0.036, momentum: 0.9 },
    racers: [{ optimizer: 'sgd' }, { optimizer: 'momentum' }],
    explain: 'The loss ½(x² + 50y²) is 50 times steeper across the valley (y) than along it (x). With a learning rate large enough to make progress along x, plain SGD overshoots across y at every step: its path zig-zags from wall to wall while it crawls along the valley floor. Momentum accumulates a velocity: the zig-zags across the valley cancel out in it while the steady pull along the valley adds up, so with the same learning rate and steps its path is smoother and ends much closer to the minimum.',
  },
  {
    name: 'saddle-escape',
    title: 'Stuck at a saddle point',
    surface: 'saddle', start: [1.5, 0.001], steps: 100,
    settings: { lr: 0.01, momentum: 0.9 },
    racers: [{ optimizer: 'sgd' }, { optimizer: 'momentum' }, { optimizer: 'adam' }],
    explain: 'On x² − y², started on the ridge y ≈ 0 with a tiny offset, the gradient along y is tiny near the saddle point, so plain SGD slides down to the saddle and sits there: after 100 steps it is still next to the origin. In high dimensions saddle points are far more common than local minima. Momentum keeps the speed it gathered and rolls off the saddle; Adam divides each coordinate\'s step by the size of its recent gradients, so even a tiny gradient along y gives a full-sized step, and it leaves too.',
  },
  {
    name: 'momentum-overshoot',
    title: 'Momentum overshoots, Nesterov less',
    surface: 'ill_conditioned', kappa: 10, start: [-4, 0], steps: 100,
    settings: { lr: 0.05, momentum: 0.9 },
    racers: [{ optimizer: 'momentum' }, { optimizer: 'nesterov' }],
    explain: 'Started on the valley floor, momentum builds up speed towards the minimum at the origin and cannot stop in time: it rolls past it, turns, and comes back, oscillating around the minimum before it settles. Nesterov momentum evaluates the gradient at the point the velocity is about to carry it to, so it brakes earlier: it overshoots far less and settles sooner.',
  },
  {
    name: 'adagrad-stalls',
    title: 'AdaGrad stops short; RMSProp does not',
    surface: 'ill_conditioned', kappa: 10, start: [-4.5, 2], steps: 200,
    settings: { lr: 0.1, decay: 0.99 },
    racers: [{ optimizer: 'adagrad' }, { optimizer: 'rmsprop' }],
    explain: 'AdaGrad divides each coordinate\'s step by the square root of the sum of all its squared gradients so far. That sum only grows, so the steps keep shrinking: on a long valley AdaGrad slows down and stops well short of the minimum. RMSProp keeps a leaky (exponentially decaying) average of the squared gradients instead, so its steps stay about the size of the learning rate and it reaches the minimum.',
  },
  {
    name: 'adam-bias-correction',
    title: 'Adam\'s first steps, with and without bias correction',
    surface: 'ill_conditioned', kappa: 10, start: [-4.5, 2], steps: 10,
    settings: { lr: 0.05, beta1: 0.9, beta2: 0.999 },
    racers: [{ optimizer: 'adam', label: 'adam' }, { optimizer: 'adam', bias_correction: false, label: 'adam, no bias correction' }],
    explain: 'Adam\'s moment estimates start at zero. With β2 = 0.999 the second moment is still about 1000 times too small after the first step, so without bias correction the first steps are 3 to 6 times larger than the learning rate (a big jump on a real network, right after initialization). Dividing by 1 − βᵗ corrects both moments: each of the first steps then moves each coordinate by about the learning rate.',
  },
  {
    name: 'lr-decay',
    title: 'Learning-rate decay settles where a constant rate keeps bouncing',
    surface: 'ill_conditioned', kappa: 10, start: [-4.5, 2], steps: 300, noise: 2, seed: 1,
    settings: { lr: 0.1, decay_steps: 300 },
    racers: [{ optimizer: 'sgd', label: 'sgd, constant lr' }, { optimizer: 'sgd', schedule: 'cosine', label: 'sgd, cosine decay' }],
    explain: 'Gaussian noise on the gradient stands in for mini-batches. With a constant learning rate SGD reaches the bottom of the valley quickly, but the noise keeps kicking it around: it bounces in a cloud around the minimum and never settles. A cosine schedule lowers the learning rate over the run, so the kicks shrink with it and the path settles close to the minimum: decay the learning rate once progress stalls.',
  },
];

function freezeDeep(value) {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) freezeDeep(item);
    Object.freeze(value);
  }
  return value;
}

/** The optimizer-view presets, in lecture order. */
export const optimizerPresets = freezeDeep(PRESETS.map((preset) => ({
  ...preset,
  racers: preset.racers.map((racer) => ({ ...racer, label: racer.label ?? racer.optimizer })),
})));

/** The optimizer preset named `name`; an Error naming the known ones otherwise. */
export function getOptimizerPreset(name) {
  const preset = optimizerPresets.find((candidate) => candidate.name === name);
  if (!preset) {
    throw new Error(`unknown optimizer preset ${JSON.stringify(name)}; known: ${optimizerPresets.map((p) => p.name).join(', ')}`);
  }
  return preset;
}

/**
 * Runs every racer of a preset (or of any object of the same shape) with optimizerPath.
 * @returns {Promise<Array<{label: string, optimizer: string, path: object}>>}
 */
export async function raceOptimizers(preset, engineOptions = {}) {
  const shared = { surface: preset.surface, start: preset.start, steps: preset.steps, ...preset.settings };
  for (const key of ['kappa', 'noise', 'seed']) if (preset[key] !== undefined) shared[key] = preset[key];
  const results = [];
  for (const { label, ...racer } of preset.racers) {
    results.push({ label, optimizer: racer.optimizer, path: await optimizerPath({ ...shared, ...racer }, engineOptions) });
  }
  return results;
}
