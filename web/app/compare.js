// "Compare" (issue 15 §4): one click trains the current settings and one alternative side by side,
// each in its own worker, for the same number of steps from the same seed, and reports validation
// loss and accuracy with their difference. The choice of alternative is pure (testable in node);
// runComparison() needs workers.

import { settingChanges, settingsById } from './state-schema.js';
import { formatNumber } from './format.js';
import { TrainingWorker } from './worker-client.js';

/** Without a step budget, a comparison trains this many steps. */
export const DEFAULT_COMPARE_STEPS = 1000;

/**
 * The alternative to compare the current `values` with: the loaded preset's values when some
 * setting differs from them, else the regularizer switched (dropout 0.5 ↔ 0, else L2 → 0).
 * Returns {changes: {id: value}, label} or null.
 */
export function compareAlternative(values, baseValues, { hasPreset = false } = {}) {
  const differences = hasPreset ? settingChanges(values, baseValues) : [];
  if (differences.length > 0) {
    const changes = Object.fromEntries(differences.map((d) => [d.id, baseValues[d.id]]));
    return { changes, label: `preset: ${differences.map((d) => `${d.label} ${d.from}`).join(', ')}` };
  }
  const switched = values.dropout > 0 ? { dropout: 0 } : values.l2 > 0 ? { l2: 0 } : { dropout: 0.5 };
  return { changes: switched, label: currentLabel(switched, { changes: switched }) };
}

/** The current side's label: its values of the settings the alternative changes ("Dropout 0.5"). */
export function currentLabel(values, alternative) {
  const shown = (value) => (typeof value === 'number' ? formatNumber(value) : String(value));
  return Object.keys(alternative.changes).map((id) => `${settingsById.get(id).label} ${shown(values[id])}`).join(', ');
}

/** Trains `config` for `steps` in a fresh worker; resolves {step, val, train, diverged}. */
function trainInWorker(config, steps, onProgress) {
  return new Promise((resolve, reject) => {
    let worker = null;
    let diverged = null;
    const finish = async () => {
      try {
        const evaluation = await worker.call('evaluate');
        const step = await worker.call('step');
        resolve({ step, train: evaluation.train, val: evaluation.val, diverged });
      } catch (error) {
        reject(error);
      } finally {
        worker.terminate();
      }
    };
    worker = new TrainingWorker((message) => {
      switch (message.type) {
        case 'hello':
          worker.send({ type: 'pace', stepsPerSecond: 0 });
          worker.send({ type: 'build', config });
          break;
        case 'ready':
          onProgress?.('training');
          worker.send({ type: 'step', n: steps });
          break;
        case 'diverged':
          diverged = { step: message.step, reason: message.reason };
          break;
        case 'settled':
          finish();
          break;
        case 'fatal':
          worker.terminate();
          reject(new Error(message.message));
          break;
        case 'error':
          worker.terminate();
          reject(new Error(`${message.during}: ${message.message}`));
          break;
        default:
          break;
      }
    });
  });
}

/**
 * Trains both configs at once for `steps` each. Resolves {current, alternative, difference:
 * {valLoss, valAcc}} where difference = alternative − current.
 */
export async function runComparison({ current, alternative, steps }) {
  const [a, b] = await Promise.all([trainInWorker(current, steps), trainInWorker(alternative, steps)]);
  return {
    current: a,
    alternative: b,
    difference: { valLoss: b.val.loss - a.val.loss, valAcc: b.val.acc - a.val.acc },
  };
}
