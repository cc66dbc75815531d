// The typed errors of the JS API that do not belong to one module (ConfigError lives in
// validate.js, CsvError in csv.js). Every trainscope error has a stable `code` to branch on:
//
//   ERR_TRAINSCOPE_CONFIG       ConfigError     invalid configuration or argument (`problems`)
//   ERR_TRAINSCOPE_CSV          CsvError        a CSV text that cannot be read (`line`)
//   ERR_TRAINSCOPE_ENGINE_LOAD  EngineLoadError the engine's script or .wasm could not be loaded (`url`)
//   ERR_TRAINSCOPE_DIVERGED     DivergedError   step() on a run whose loss became NaN or exploded (`step`, `reason`)
//   ERR_TRAINSCOPE_DISPOSED     DisposedError   any use of a trainer after dispose() (`method`)
//
// Messages may be reworded; codes and class names do not change.

/** Thrown by loadEngine and createTrainer when an engine file cannot be fetched or instantiated. */
export class EngineLoadError extends Error {
  /**
   * @param {string} message
   * @param {{url: string, variant: string, cause?: unknown}} details
   */
  constructor(message, { url, variant, cause }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'EngineLoadError';
    this.code = 'ERR_TRAINSCOPE_ENGINE_LOAD';
    this.url = url;
    this.variant = variant;
  }
}

/** Thrown by trainer.step() while the run is diverged (until reset() or a new learning rate). */
export class DivergedError extends Error {
  /** @param {string} message @param {{step: number, reason: string}} status */
  constructor(message, { step, reason }) {
    super(message);
    this.name = 'DivergedError';
    this.code = 'ERR_TRAINSCOPE_DIVERGED';
    this.step = step;
    this.reason = reason;
  }
}

/** Thrown by every trainer member after dispose() (dispose() itself may be called again). */
export class DisposedError extends Error {
  /** @param {string} method the member that was used */
  constructor(method) {
    super(`trainer has been disposed (called ${method})`);
    this.name = 'DisposedError';
    this.code = 'ERR_TRAINSCOPE_DISPOSED';
    this.method = method;
  }
}
