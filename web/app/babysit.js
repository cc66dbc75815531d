// Babysitting aids from lecture 6: what to say when a run diverges, and how the initial loss
// compares with ln(C). Pure functions, testable in node.

import { formatNumber, formatRate } from './format.js';

/**
 * A learning rate well below one that diverged: about 30× smaller, rounded down to 1 or 3 × 10^k
 * so the student reads a familiar number (3.0 → 0.1, 1.0 → 0.03, 0.5 → 0.01).
 */
export function suggestLearningRate(lr, minimum = 1e-6) {
  if (!(lr > 0)) return 0.01;
  const target = lr / 30;
  const exponent = Math.floor(Math.log10(target));
  const mantissa = target / 10 ** exponent >= 3 ? 3 : 1;
  const suggestion = Number((mantissa * 10 ** exponent).toPrecision(6));
  return Math.max(suggestion, minimum);
}

/**
 * The message shown when training stops on a NaN or exploding loss, e.g.
 * "diverged at step 412: learning rate 3.0 is too high, try ≤ 0.1".
 */
export function divergenceAdvice({ step, reason, lr }) {
  const suggestedLr = suggestLearningRate(lr);
  const text = `diverged at step ${step}: learning rate ${formatRate(lr)} is too high, try ≤ ${formatRate(suggestedLr)}`;
  const detail = reason ? `The engine reports: ${reason}.` : '';
  return { text, detail, suggestedLr, buttonLabel: `Use learning rate ${formatRate(suggestedLr)} and restart` };
}

/**
 * The lecture's first sanity check: with small weights and no regularization the loss starts at
 * what the engine's loss registry expects, labelled by it (softmax ln(C), svm C − 1, mse 0.5).
 * Returns a one-line summary and, if the measured loss is far off, a hint.
 */
export function initialLossSummary({ expected, measured, classes, label = 'ln(C)' }) {
  if (!Number.isFinite(expected)) {
    return { text: `Initial loss ${formatNumber(measured)}`, warning: '' };
  }
  const shown = classes ? label.replace('C', String(classes)) : label;
  const text = `Initial loss ${formatNumber(measured)} · expected ${shown} = ${formatNumber(expected)}`;
  let warning = '';
  if (Number.isFinite(measured) && measured > 1.5 * expected) {
    warning = `Much higher than ${label}: the initial weights are large, so the net starts confidently wrong.`;
  }
  return { text, warning };
}
