// One trial: train a config for a number of steps, stop it early when its loss runs away, and
// report what the search needs. Runs anywhere the JS API runs (node, a page, a worker, a child
// process); the search hands a plain, structured-clone-safe spec to whichever runner it is given.

import { createTrainer } from '../trainer.js';

/** Points kept of a trial's loss curve. */
export const CURVE_POINTS = 64;

/**
 * A spec: {index, config, steps, earlyStop: {factor} | null, curvePoints, probabilities: bool}.
 * Returns {status: 'ok' | 'stopped' | 'diverged', reason, stopped_at (step or null), steps,
 * initial_loss, final_loss, train_loss, train_acc, val_loss, val_acc, curve: {step, loss},
 * probabilities (validation-split class probabilities, row-major, when asked; else null)}.
 */
export async function runTrial(spec, { signal, engineOptions } = {}) {
  const trainer = await createTrainer(spec.config, engineOptions);
  try {
    return await trainLoop(trainer, spec, signal);
  } finally {
    trainer.dispose();
  }
}

// Yield to the event loop every this many steps, so in-realm trials interleave and a cancel lands.
const STEPS_PER_SLICE = 25;
const yieldToEventLoop = () => new Promise((resolve) => setTimeout(resolve, 0));

async function trainLoop(trainer, spec, signal) {
  const factor = spec.earlyStop ? spec.earlyStop.factor ?? 3 : null;
  const curve = new CurveDecimator(spec.curvePoints ?? CURVE_POINTS, spec.steps);
  let initialLoss = null;
  let lastLoss = null;
  let status = 'ok';
  let reason = '';
  let stoppedAt = null;
  for (let step = 1; step <= spec.steps; step++) {
    if (step % STEPS_PER_SLICE === 0) {
      await yieldToEventLoop();
      if (signal?.aborted) return { index: spec.index, status: 'cancelled' };
    }
    let metrics;
    try {
      metrics = trainer.step(1);
    } catch (error) {
      if (error?.name !== 'DivergedError') throw error;
      status = 'diverged';
      stoppedAt = error.step ?? step;
      reason = `diverged at step ${stoppedAt}: ${error.reason || error.message}`;
      break;
    }
    const loss = metrics.loss;
    initialLoss ??= loss;
    lastLoss = loss;
    curve.add(metrics.step, loss);
    if (!Number.isFinite(loss) || trainer.status.state === 'diverged') {
      status = 'diverged';
      stoppedAt = metrics.step;
      reason = `diverged at step ${stoppedAt}: the loss is ${loss}`;
      break;
    }
    if (factor !== null && loss > factor * initialLoss) {
      status = 'stopped';
      stoppedAt = metrics.step;
      reason = `stopped at step ${stoppedAt}: loss ${round(loss)} > ${factor} × the initial ${round(initialLoss)}`;
      break;
    }
  }
  const result = {
    index: spec.index,
    status,
    reason,
    stopped_at: stoppedAt,
    steps: trainer.stepsDone,
    initial_loss: initialLoss,
    final_loss: lastLoss,
    train_loss: null,
    train_acc: null,
    val_loss: null,
    val_acc: null,
    curve: curve.columns(),
    probabilities: null,
  };
  if (status === 'ok') {
    const { train, val } = trainer.evaluate();
    Object.assign(result, { train_loss: train.loss, train_acc: train.acc, val_loss: val.loss, val_acc: val.acc });
    if (spec.probabilities) result.probabilities = validationProbabilities(trainer);
  }
  return result;
}

const round = (x) => Number(x.toPrecision(4));

/**
 * Class probabilities of the trained model on each validation example, row-major (count × C).
 * The JS API has no predict(x); predictGrid(x, x + 1, y, y + 1, 2) evaluates the network (in
 * evaluation mode, through the config's preprocessing) with its first grid point exactly at
 * (x, y), so one call per example gives that example's row. 1-D and 2-D data only; null otherwise.
 */
export function validationProbabilities(trainer) {
  const { val } = trainer.data();
  if (val.dims > 2 || val.count === 0) return null;
  const classes = trainer.outputs;
  const out = new Array(val.count * classes);
  for (let i = 0; i < val.count; i++) {
    const x = val.x[i * val.dims];
    const y = val.dims === 2 ? val.x[i * val.dims + 1] : 0;
    const grid = trainer.predictGrid(x, x + 1, y, y + 1, 2);
    for (let c = 0; c < classes; c++) out[i * classes + c] = grid[c];
  }
  return { count: val.count, classes, labels: Array.from(val.y), values: out };
}

/** Keeps about `points` evenly spaced (step, loss) pairs of a curve of at most `total` steps, plus the last. */
export class CurveDecimator {
  constructor(points, total) {
    this.stride = Math.max(1, Math.ceil(total / Math.max(1, points)));
    this.step = [];
    this.loss = [];
    this.last = null;
  }

  add(step, loss) {
    this.last = [step, loss];
    if ((step - 1) % this.stride === 0) {
      this.step.push(step);
      this.loss.push(loss);
    }
  }

  columns() {
    if (this.last && this.step[this.step.length - 1] !== this.last[0]) {
      this.step.push(this.last[0]);
      this.loss.push(this.last[1]);
    }
    return { step: this.step, loss: this.loss.map((value) => (Number.isFinite(value) ? value : null)) };
  }
}
