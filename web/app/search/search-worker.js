// A module Web Worker of the Search view's pool: runs one trial at a time with the JS API's
// runTrial and posts the plain result back. The pool terminates it to cancel a trial in flight.
import { PAGE_ENGINE } from '../page-engine.js';

let api = null;

self.onmessage = async (event) => {
  const { id, spec } = event.data;
  try {
    api ??= await import('../../js/index.js');
    self.postMessage({ id, result: await api.runTrial(spec, { engineOptions: PAGE_ENGINE }) });
  } catch (error) {
    self.postMessage({ id, error: error?.message ?? String(error) });
  }
};
