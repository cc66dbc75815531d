// Loaded by the playground pages as an async module script in <head>: starts the training worker
// (and with it the engine's download and compilation) while the UI's modules are still loading.
// The playground adopts this worker when it starts (worker-client.js).
import { prestartWorker } from './worker-client.js';

prestartWorker();
