// The page's handle on one training worker: sends commands, routes messages to a listener, and
// turns 'call' queries into promises. Each playground (and each <train-scope>) owns one.

export class TrainingWorker {
  /** @param {(message: object) => void} onMessage */
  constructor(onMessage) {
    this.onMessage = onMessage;
    this.pendingCalls = new Map();
    this.nextCallId = 1;
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'trainscope-training' });
    this.worker.onmessage = (event) => this.#receive(event.data);
    // A worker that fails to even start (module syntax, missing file) reports here, not by message.
    this.worker.onerror = (event) => {
      event.preventDefault?.();
      onMessage({ type: 'fatal', message: `The training worker failed to start: ${event.message || 'unknown error'}` });
    };
  }

  #receive(message) {
    if (message.type === 'reply') {
      const call = this.pendingCalls.get(message.id);
      if (!call) return;
      this.pendingCalls.delete(message.id);
      if (message.error) call.reject(new Error(message.error));
      else call.resolve(message.result);
      return;
    }
    this.onMessage(message);
  }

  send(message) {
    this.worker.postMessage(message);
  }

  /** Ask the worker a read-only question (status, evaluate, layerStats, config, running, step). */
  call(method, ...args) {
    const id = this.nextCallId++;
    return new Promise((resolve, reject) => {
      this.pendingCalls.set(id, { resolve, reject });
      this.send({ type: 'call', id, method, args });
    });
  }

  terminate() {
    this.worker.terminate();
    for (const call of this.pendingCalls.values()) call.reject(new Error('the training worker was stopped'));
    this.pendingCalls.clear();
  }
}
