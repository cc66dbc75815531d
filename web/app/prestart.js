// Loaded by the playground pages as an async module script in <head>: starts the training worker
// (and with it the engine's download and compilation) while the UI's modules are still loading.
// The playground adopts this worker when it starts (worker-client.js).
// Both pages' playgrounds take their settings from the address (urlSync), so the worker starts
// that run itself, and plays it with #autoplay=1 (worker.js): its name carries the address
// (worker-name.js). The Optimizers view has no playground; its worker only loads the engine.
// Only the pages load this module, never a bundler's user: its Worker options need not be the
// literal that Vite requires of worker-client.js's.
import { prestartWorker } from './worker-client.js';
import { opensOptimizers } from './optimizers/opens.js';
import { WORKER_NAME, nameWithAddress } from './worker-name.js';

prestartWorker(() => new Worker(new URL('./worker.js', import.meta.url), {
  type: 'module',
  name: opensOptimizers() ? WORKER_NAME : nameWithAddress(location.hash),
}));
