// The page's handle on one training worker: sends commands, routes messages to a listener, and
// turns 'call' queries into promises. Each playground (and each <train-scope>) owns one.

// The literal `new Worker(new URL('./worker.js', import.meta.url), …)` is what Vite and webpack
// recognise to bundle the worker. A page that loads this script from another origin (a CDN) may
// not start a worker from there (SecurityError): it then starts a same-origin blob: worker that
// imports the real one (CDNs send CORS headers, which module imports need).
function startWorker() {
  // The options stay an inline literal: Vite refuses to bundle a worker whose options it cannot read.
  try {
    return new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'trainscope-training' }); // worker-name.js
  } catch (error) {
    if (error?.name !== 'SecurityError') throw error;
    const here = import.meta.url;
    const workerUrl = new URL('./worker.js', here).href;
    const source = `import ${JSON.stringify(workerUrl)};\n`;
    return new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module', name: 'trainscope-training' });
  }
}

// A page can start its first worker before the UI modules have loaded (prestart.js, an async
// module script in the page's head), so the engine downloads and compiles meanwhile. Until a
// TrainingWorker adopts it, what the worker says is kept.
let prestarted = null; // {worker, events: [{kind: 'message' | 'error', event}]}
let anyWorkerStarted = false;

// With `hash` (the page's address), the worker also starts the run the address asks for, and
// plays it with #autoplay=1, without waiting for the UI ({type: 'start'} in worker.js): only for a
// page whose playground reads its settings from that address (urlSync).
function startWorkerFor(hash) {
  const worker = startWorker();
  if (typeof hash === 'string') worker.postMessage({ type: 'start', hash });
  return worker;
}

/** `create` makes the worker (prestart.js names it with the address: worker-name.js). */
export function prestartWorker(create) {
  if (anyWorkerStarted) return; // the UI was first: it has its worker already
  anyWorkerStarted = true;
  const worker = create();
  const events = [];
  worker.onmessage = (event) => events.push({ kind: 'message', event });
  worker.onerror = (event) => {
    event.preventDefault?.();
    events.push({ kind: 'error', event });
  };
  prestarted = { worker, events };
}

export class TrainingWorker {
  /**
   * @param {(message: object) => void} onMessage
   * @param {{hash?: string}} [options]  the address, for a playground that takes its settings from
   *   it: a worker started here (none was prestarted) starts that run at once, as a prestarted one does
   */
  constructor(onMessage, { hash } = {}) {
    this.onMessage = onMessage;
    this.pendingCalls = new Map();
    this.sharedCalls = new Map(); // question (method and primitive arguments) → its pending answer
    this.nextCallId = 1;
    const early = prestarted;
    prestarted = null;
    anyWorkerStarted = true;
    this.worker = early ? early.worker : startWorkerFor(hash);
    this.worker.onmessage = (event) => this.#receive(event.data);
    // A worker that fails to even start (module syntax, missing file) reports here, not by message.
    this.worker.onerror = (event) => {
      event.preventDefault?.();
      this.#failed(event);
    };
    // Replayed after the owner's constructor has finished (it may still be setting up its fields).
    if (early?.events.length) {
      queueMicrotask(() => {
        for (const { kind, event } of early.events) {
          if (kind === 'message') this.#receive(event.data);
          else this.#failed(event);
        }
      });
    }
  }

  #failed(event) {
    this.onMessage({ type: 'fatal', message: `The training worker failed to start: ${event.message || 'unknown error'}` });
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

  /** Ask the worker a read-only question (status, evaluate, layerStats, history, config, running, step). */
  call(method, ...args) {
    // The same question asked again while its answer is on the way (the Predictions and Confusion
    // matrix charts both want one evaluation's validation predictions) shares that answer: the
    // worker computes it once. Only questions whose arguments are plain values are shared.
    const key = args.every((arg) => arg === null || typeof arg !== 'object') ? JSON.stringify([method, ...args]) : null;
    const shared = key === null ? undefined : this.sharedCalls.get(key);
    if (shared) return shared;
    const id = this.nextCallId++;
    const answer = new Promise((resolve, reject) => {
      this.pendingCalls.set(id, { resolve, reject });
      this.send({ type: 'call', id, method, args });
    });
    if (key !== null) {
      this.sharedCalls.set(key, answer);
      const forget = () => this.sharedCalls.delete(key);
      answer.then(forget, forget);
    }
    return answer;
  }

  terminate() {
    this.worker.terminate();
    for (const call of this.pendingCalls.values()) call.reject(new Error('the training worker was stopped'));
    this.pendingCalls.clear();
  }
}
