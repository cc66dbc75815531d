// The pace a run trains at ("Speed", steps per second) and how many steps it runs, per preset:
// chosen so that each preset's phenomenon unfolds over several seconds instead of in the first
// pixels (the default network does 5,000 steps a second). Pure: no DOM, testable in node.
// Measured with the engine in node (steps at which each effect shows; docs/notes/charts.md).

/** The Speed control's choices, in steps per second; 0 is "max" (as fast as the engine goes). */
export const SPEEDS = [1, 10, 100, 1000, 0];

export function speedLabel(speed) {
  return speed > 0 ? `${speed.toLocaleString('en-US')} step${speed === 1 ? '' : 's'}/s` : 'max';
}

/** "max" → 0, "100" → 100; null for anything that is not one of SPEEDS. */
export function parseSpeed(text) {
  if (text === 'max') return 0;
  const value = Number(text);
  return SPEEDS.includes(value) && value > 0 ? value : null;
}

export function serializeSpeed(speed) {
  return speed > 0 ? String(speed) : 'max';
}

/** Without a preset (or for one not listed): a pace a student can follow, and no budget. */
export const DEFAULT_PACE = { speed: 100, steps: 0 };

/**
 * Per preset: {speed, steps, why}. `steps` is the step budget (0 = none); `why` says what the pace
 * lets a student see.
 */
export const presetPace = {
  // Diverges at step 3: one step a second shows the loss climbing 1.7 → 10^5 before the alarm.
  'lr-too-high': { speed: 1, steps: 0, why: 'the loss explodes within 3 steps' },
  // Most units die within 10 steps and all of them by about 300.
  'dead-relu': { speed: 10, steps: 400, why: 'the dead fraction climbs over the first few hundred steps' },
  // Train loss reaches 0 by step 100 while validation loss climbs from 1 to 3, then to 5 by 1000.
  'overfit-20': { speed: 10, steps: 1000, why: 'train and validation loss part within a few hundred steps' },
  'zero-init': { speed: 100, steps: 3000, why: 'the loss stays at the uniform guess' },
  'lr-too-low': { speed: 100, steps: 3000, why: 'the loss barely moves' },
  'sigmoid-slow': { speed: 100, steps: 3000, why: 'sigmoid learns slowly next to relu-fast' },
  'relu-fast': { speed: 100, steps: 3000, why: 'relu learns quickly next to sigmoid-slow' },
  'batchnorm-rescue': { speed: 100, steps: 2000, why: 'batch norm trains a badly initialized deep net' },
  'dropout': { speed: 100, steps: 3000, why: 'validation loss with and without dropout' },
  'l2': { speed: 100, steps: 3000, why: 'weights shrink under L2' },
  ...Object.fromEntries(['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw'].map((name) => [
    `optimizer-${name}`, { speed: 100, steps: 2000, why: 'optimizers compared over the same steps' },
  ])),
  // Conv nets: tens of milliseconds a step, so as fast as the engine goes, for the steps their
  // explanation promises (tests/js/presets.test.js checks the result after exactly these steps).
  'conv-fashion': { speed: 0, steps: 1000, why: 'validation accuracy passes 85% within a thousand steps' },
  'mlp-vs-conv': { speed: 0, steps: 600, why: 'the conv net and the fully connected net compared after 600 steps' },
  'stride-and-padding': { speed: 100, steps: 500, why: 'a small net on 7×7 images: the sizes are the point' },
  'bn-conv': { speed: 0, steps: 300, why: 'with batch norm the net trains at lr 1 within 300 steps; without it the loss stays at ln 10' },
  'group-norm-small-batch': { speed: 0, steps: 1000, why: 'group norm and batch norm at batch size 2 compared after 1,000 steps' },
  'instance-norm': { speed: 0, steps: 300, why: 'a net trained 300 steps, then shown washed-out copies of its validation images' },
  // A fully connected layer on the pixels: about a millisecond a step, slow enough to watch units die.
  'mean-image': { speed: 100, steps: 400, why: 'dead units and the loss under each preprocessing after 400 steps' },
  // The 10 × 500 networks: tens of milliseconds a step already, so as fast as the engine goes.
  ...Object.fromEntries(['small-init-deep-tanh', 'large-init-deep-tanh', 'xavier-tanh', 'xavier-relu', 'he-relu'].map((name) => [
    name, { speed: 0, steps: 0, why: 'a deep, wide net is slow enough to watch at full speed' },
  ])),
};

/** The pace and budget of `preset` ('' = none). */
export function paceFor(preset) {
  return presetPace[preset] ?? DEFAULT_PACE;
}

/** The pace a run trains at: what `given` sets ({speed, steps}: the address, the element's attributes), else the preset's. */
export function paceWith(preset, given = {}) {
  const pace = paceFor(preset);
  return { speed: given.speed ?? pace.speed, steps: given.steps ?? pace.steps };
}
