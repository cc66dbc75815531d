// Module worker of worker-bench.html: the same session and protocol as a node measurement
// (bench/measure.mjs with --engine=trainscope-simd), through the public JS API.
import { createTrainer } from '../../bindings/js/index.js';
import { runProtocol } from '../protocol.mjs';
import { createTrainscopeSession } from '../runners/trainscope-session.mjs';
import { WORKLOADS, checkReferenceLoss } from '../workloads.mjs';

self.onmessage = async (event) => {
  const { workload: workloadId, warmup, time } = event.data;
  try {
    const workload = WORKLOADS[workloadId];
    if (!workload) throw new Error(`unknown workload ${workloadId}`);
    const session = await createTrainscopeSession(createTrainer, workload, { diagnostics: 'off' });
    const result = runProtocol(session, workload, {
      warmupSeconds: Number(warmup),
      timedSeconds: Number(time),
      now: () => performance.now(),
      checkReferenceLoss,
    });
    session.dispose();
    self.postMessage({ engine: 'trainscope-simd-chromium-worker', workload: workloadId, ...session.info, ...result });
  } catch (error) {
    self.postMessage({ error: String(error?.stack ?? error) });
  }
};
