// Loaded by the playground pages as an async module script in <head>: starts the training worker
// (and with it the engine's download and compilation) while the UI's modules are still loading.
// The playground adopts this worker when it starts (worker-client.js).
// Both pages' playgrounds take their settings from the address (urlSync), so the worker may start
// that run itself; the Optimizers view has no playground, and its worker only loads the engine.
import { prestartWorker } from './worker-client.js';
import { opensOptimizers } from './optimizers/opens.js';

prestartWorker(opensOptimizers() ? {} : { hash: location.hash });
