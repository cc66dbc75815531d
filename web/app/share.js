// One page, many demos (issue 15 §6): the playgrounds of a page that train at the same time share
// its cores. One core is left to the page (drawing, input); the rest is divided evenly between the
// training workers, each told its fraction of a core ({type: 'share'}, worker.js rests between
// slices accordingly). One module instance per page, so every <train-scope> and the full
// playground register here.

const training = new Set(); // the TrainingWorkers of playgrounds that train now

/** Cores the training workers may use together: all but one, at least one. */
export function trainingCores(hardwareConcurrency = globalThis.navigator?.hardwareConcurrency ?? 2) {
  return Math.max(1, (Number(hardwareConcurrency) || 2) - 1);
}

/** Each worker's fraction of a core when `count` train at once. */
export function shareOf(count, cores = trainingCores()) {
  return count > 0 ? Math.min(1, cores / count) : 1;
}

function broadcast() {
  const fraction = shareOf(training.size);
  for (const worker of training) worker.send({ type: 'share', fraction });
}

/** `worker` starts (true) or stops (false) training; every training worker gets its new share. */
export function setTraining(worker, on) {
  const had = training.has(worker);
  if (on === had) return;
  if (on) training.add(worker);
  else training.delete(worker);
  // A worker that stops keeps its last share: it applies again only once it trains (and is told).
  broadcast();
}

/** How many playgrounds of this page train now. */
export function trainingCount() {
  return training.size;
}
