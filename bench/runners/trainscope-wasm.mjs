// trainscope in node through the public JS API, SIMD or scalar (no-SIMD) engine build.
import { createTrainer, loadEngine } from '../../bindings/js/index.js';
import { createTrainscopeSession } from './trainscope-session.mjs';

/**
 * @param workload one of WORKLOADS
 * @param options  {simd: boolean, diagnostics: 'off' | 'default'}
 */
export async function createSession(workload, { simd, diagnostics }) {
  const engineOptions = { simd };
  const session = await createTrainscopeSession(createTrainer, workload, { diagnostics, engine: engineOptions });
  if (session.info.simd !== simd) throw new Error(`asked for simd=${simd}, got the ${session.info.variant} engine`);
  const engine = await loadEngine(engineOptions);
  return {
    ...session,
    info: { ...session.info, engine: simd ? 'trainscope-simd' : 'trainscope-nosimd' },
    heapBytes: () => engine.heapBytes(),
  };
}
