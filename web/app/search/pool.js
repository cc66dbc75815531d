// The Search view's pool of Web Workers: navigator.hardwareConcurrency − 1 of them (at least 1),
// each running one trial at a time, so a search never blocks the page. `run` is a search() runner.

export function defaultWorkerCount() {
  const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
  return Math.max(1, cores - 1);
}

function createWorker() {
  try {
    return new Worker(new URL('./search-worker.js', import.meta.url), { type: 'module', name: 'trainscope-search' });
  } catch {
    // A page served from another origin than the module (a CDN): start it through a same-origin blob.
    const source = `import ${JSON.stringify(new URL('./search-worker.js', import.meta.url).href)};\n`;
    return new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module', name: 'trainscope-search' });
  }
}

export class WorkerPool {
  constructor(size = defaultWorkerCount()) {
    this.size = size;
    this.idle = [];
    this.busy = new Set();
    this.nextId = 1;
  }

  /** Runs one trial spec in a free worker; resolves with its result ({status: 'cancelled'} on abort). */
  run(spec, { signal } = {}) {
    const worker = this.idle.pop() ?? createWorker();
    this.busy.add(worker);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const done = (keep) => {
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        signal?.removeEventListener('abort', onAbort);
        this.busy.delete(worker);
        if (keep) this.idle.push(worker);
        else worker.terminate();
      };
      const onMessage = (event) => {
        if (event.data.id !== id) return;
        done(true);
        if (event.data.error) reject(new Error(event.data.error));
        else resolve(event.data.result);
      };
      const onError = (event) => { done(false); reject(new Error(event.message || 'the search worker failed')); };
      const onAbort = () => { done(false); resolve({ index: spec.index, status: 'cancelled' }); };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      signal?.addEventListener('abort', onAbort);
      worker.postMessage({ id, spec });
    });
  }

  terminate() {
    for (const worker of [...this.idle, ...this.busy]) worker.terminate();
    this.idle = [];
    this.busy.clear();
  }
}
