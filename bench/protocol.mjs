// The measurement protocol of BENCHMARKS.md for one session in one fresh process (node) or page
// (Chromium worker). No node imports: the browser worker uses it too.
//
// A session is {lossOnPool(): number, step(): void, stepMany?(n): void}: step s trains on
// mini-batch s mod 8. With stepsPerCall > 1 the untimed and timed phases call stepMany(n) (one
// API call for n steps) and count n steps per call.

/**
 * @param session  {lossOnPool, step}
 * @param workload one of WORKLOADS
 * @param options  {warmupSeconds, timedSeconds, now: () => milliseconds, checkReferenceLoss}
 * @returns {lossBefore, lossAfter, lossBeforeDelta, lossAfterDelta, untimedSteps, steps,
 *           seconds, stepsPerSecond, gflops}
 */
export function runProtocol(session, workload, { warmupSeconds, timedSeconds, now, checkReferenceLoss, stepsPerCall = 1 }) {
  if (stepsPerCall > 1 && !session.stepMany) throw new Error('this engine has no multi-step call');
  const advance = stepsPerCall > 1 ? () => session.stepMany(stepsPerCall) : () => session.step();
  // 1. Same arithmetic as the reference: pool loss before and after the warm-up steps.
  const lossBefore = session.lossOnPool();
  const lossBeforeDelta = checkReferenceLoss(workload, 'before', lossBefore);
  for (let s = 0; s < workload.warmupSteps; s++) session.step();
  const lossAfter = session.lossOnPool();
  const lossAfterDelta = checkReferenceLoss(workload, 'after', lossAfter);

  // 2. Untimed: let the JIT / wasm tiering settle.
  let untimedSteps = 0;
  const warmupStart = now();
  while (now() - warmupStart < warmupSeconds * 1000) {
    advance();
    untimedSteps += stepsPerCall;
  }

  // 3. Timed: whole steps, at least timedSeconds and at least one step.
  let steps = 0;
  const start = now();
  let elapsed = 0;
  do {
    advance();
    steps += stepsPerCall;
    elapsed = now() - start;
  } while (elapsed < timedSeconds * 1000);

  const seconds = elapsed / 1000;
  const stepsPerSecond = steps / seconds;
  return {
    stepsPerCall,
    lossBefore,
    lossAfter,
    lossBeforeDelta,
    lossAfterDelta,
    untimedSteps,
    steps,
    seconds,
    stepsPerSecond,
    gflops: (stepsPerSecond * workload.mflop) / 1000,
  };
}
