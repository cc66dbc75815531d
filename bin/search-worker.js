#!/usr/bin/env node
// A child process of `trainscope search --jobs J`: runs the trials its parent sends over IPC, one
// at a time, and sends each result back. Exits when the parent goes away (even after kill -9).
import { runTrial } from '../bindings/js/search/trial.js';

process.on('disconnect', () => process.exit(0));
process.on('message', async ({ spec, engineOptions }) => {
  try {
    process.send({ index: spec.index, result: await runTrial(spec, { engineOptions }) });
  } catch (error) {
    process.send({ index: spec.index, error: error?.message ?? String(error) });
  }
});
