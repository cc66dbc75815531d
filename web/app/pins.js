// Pinned runs: up to five earlier runs kept as faded overlays on the step charts (Loss,
// Accuracy), each labelled with how its settings differ from the current ones. Pure module.

import { describeDifference } from './state-schema.js';
import { pinColors } from './palette.js';

const MAX_PINS = 5;

export class PinnedRuns {
  constructor() {
    /** @type {{preset, values, metrics, evals, color, number, label}[]} */
    this.list = [];
    this.counter = 0;
  }

  /** Keep a run: its settings and a copy of its step columns and evaluations (RunStore.pinSnapshot). */
  add({ preset, values, metrics, evals }) {
    if (this.list.length >= MAX_PINS) this.list.shift();
    this.counter++;
    this.list.push({ preset, values: { ...values }, metrics, evals, color: pinColors[this.counter % pinColors.length], number: this.counter, label: '' });
  }

  clear() {
    this.list = [];
  }

  /** Labels say how each pin differs from the current settings ("pinned 1: init = xavier"). */
  relabel(values, preset) {
    for (const pin of this.list) {
      const difference = describeDifference(pin.values, values, pin.preset, preset);
      pin.label = `pinned ${pin.number}: ${difference || 'same settings'}`;
    }
  }

  get labels() {
    return this.list.map((pin) => pin.label);
  }
}
