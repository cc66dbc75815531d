// One measurement in a fresh node process (BENCHMARKS.md protocol):
//   1. check the pool loss before training and after the workload's warm-up steps,
//   2. keep stepping untimed for about --warmup seconds (V8 tiers wasm up lazily),
//   3. time whole steps for at least --time seconds (and at least one step),
// then print one line `BENCH_RESULT {json}` on stdout. scripts/bench.mjs spawns this per run.
//
//   node bench/measure.mjs --engine=tfjs-wasm --workload=W1 [--warmup=2] [--time=2]
//   engines: tfjs-wasm | tfjs-cpu | trainscope-simd | trainscope-nosimd; for W4 (bench/w4.mjs)
//            also convnetjs (and not tfjs-wasm, which cannot train a conv net)
//   --diagnostics=off|default   (trainscope only: diagnostics cadence 0, or the default cadence)
//   --heap-steps=1000,100000    (trainscope only: report the wasm heap size after these steps)
//   --steps-per-call=1          (trainscope only: trainer.step(n) with this n while timing)
import { performance } from 'node:perf_hooks';

import { WORKLOADS, checkReferenceLoss } from './workloads.mjs';
import { runProtocol } from './protocol.mjs';
import { W4, checkW4Loss, createW4Session } from './w4.mjs';

function parseArgs(argv) {
  const args = {};
  for (const arg of argv) {
    const match = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unexpected argument ${arg}`);
    args[match[1]] = match[2] ?? 'true';
  }
  return args;
}

async function createSession(engine, workload, args) {
  if (engine === 'tfjs-wasm' || engine === 'tfjs-cpu') {
    const { createSession: create } = await import('./runners/tfjs.mjs');
    return create(workload, { backend: engine.slice('tfjs-'.length) });
  }
  if (engine === 'trainscope-simd' || engine === 'trainscope-nosimd') {
    const { createSession: create } = await import('./runners/trainscope-wasm.mjs');
    return create(workload, {
      simd: engine === 'trainscope-simd',
      diagnostics: args.diagnostics ?? 'off',
    });
  }
  throw new Error(`unknown engine ${engine}`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const w4 = args.workload === 'W4';
  const workload = w4 ? W4 : WORKLOADS[args.workload];
  if (!workload) throw new Error(`--workload must be one of ${[...Object.keys(WORKLOADS), 'W4'].join(', ')}`);
  if (w4 && (args.diagnostics ?? 'off') !== 'off') throw new Error('W4 runs with diagnostics off only');
  const session = w4 ? await createW4Session(args.engine) : await createSession(args.engine, workload, args);
  const heapSteps = args['heap-steps'] ? args['heap-steps'].split(',').map(Number) : [];

  const result = { engine: args.engine, workload: workload.id, ...session.info };
  if (heapSteps.length > 0) {
    if (w4) throw new Error('--heap-steps: W1–W3 only');
    // Heap growth run: no timing, just the wasm memory size after the given step counts.
    result.heap = await measureHeap(session, workload, heapSteps);
  } else {
    Object.assign(
      result,
      runProtocol(session, workload, {
        warmupSeconds: Number(args.warmup ?? 2),
        timedSeconds: Number(args.time ?? 2),
        now: () => performance.now(),
        checkReferenceLoss: w4 ? checkW4Loss : checkReferenceLoss,
        stepsPerCall: Number(args['steps-per-call'] ?? 1),
      }),
    );
  }
  session.dispose();
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

async function measureHeap(session, workload, heapSteps) {
  if (!session.heapBytes) throw new Error(`${session.info.engine} cannot report its heap size`);
  const before = session.lossOnPool();
  checkReferenceLoss(workload, 'before', before);
  const sizes = [];
  let done = 0;
  for (const target of [...heapSteps].sort((a, b) => a - b)) {
    session.stepMany(target - done);
    done = target;
    sizes.push({ steps: done, heapBytes: session.heapBytes(), ...(session.allocatedBytes ? { allocatedBytes: session.allocatedBytes() } : {}) });
  }
  return sizes;
}

main().catch((error) => {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ error: String(error?.stack ?? error) })}\n`);
  process.exitCode = 1;
});
