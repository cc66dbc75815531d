// The training worker's name, which may carry the page's address (#preset=…&autoplay=1) for the
// worker to start that run itself (worker.js). A name is what a worker has from its creator at
// once: Chromium hands a page's first messages to a module worker only when the page's main thread
// is free, and on a slow machine that is after the UI has been built, when the page sends its own
// build anyway.
export const WORKER_NAME = 'trainscope-training';

/** The name of a worker that is to start the run `hash` asks for. */
export function nameWithAddress(hash) {
  return `${WORKER_NAME} ${hash}`;
}

/** The address a worker named `name` is to start, or null (a plain worker). */
export function addressInName(name) {
  const prefix = `${WORKER_NAME} `;
  return typeof name === 'string' && name.startsWith(prefix) ? name.slice(prefix.length) : null;
}
