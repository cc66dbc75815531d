// What the worker forwards of the engine's history: after each training slice, the rows the page
// does not hold yet (trainer.history({since})), or all of it when the engine has thinned its
// history since (a new `version`) or the run is new. Pure: takes the trainer as an argument, so
// node tests drive it with a fake one.

export class HistoryFeed {
  constructor() {
    this.reset();
  }

  /** A new run: the next message carries the whole history. */
  reset() {
    this.version = null;
    this.since = -1; // rows with a step > since are new to the page
  }

  /**
   * The 'history' message for the rows the page lacks after `step` steps, with `last` (the latest
   * step's metrics), or null when there is nothing new to say.
   */
  next(trainer, step, last) {
    let replace = this.since < 0;
    let history = replace ? trainer.history() : trainer.history({ since: this.since });
    if (!replace && history.version !== this.version) {
      history = trainer.history();
      replace = true;
    }
    this.version = history.version;
    this.since = step;
    if (!replace && history.step.length === 0 && history.diag_step.length === 0 && !last) return null;
    return { type: 'history', history, replace, last };
  }
}

/** The buffers of every typed array in `value` (nested), each once: a postMessage transfer list. */
export function buffersOf(value, found = new Set()) {
  if (ArrayBuffer.isView(value)) found.add(value.buffer);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) buffersOf(item, found);
  return [...found];
}
