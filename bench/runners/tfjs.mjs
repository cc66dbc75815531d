// TF.js 4.22 runner: the same network, data, initial weights, loss and plain SGD as
// bench/workloads.mjs, on TF.js's 'wasm' backend (XNNPACK, SIMD, one thread) or its 'cpu'
// backend (pure JS). `@tensorflow/tfjs` (not tfjs-core alone) is imported because only it
// registers the gradient functions that optimizer.minimize needs.
import { createRequire } from 'node:module';
import path from 'node:path';

import { LEARNING_RATE, BATCHES_IN_POOL, makeData, makeInitialParams } from '../workloads.mjs';

const require = createRequire(import.meta.url);

/** TF.js with `backend` ('wasm': one thread, SIMD; 'cpu') set and ready. bench/w4.mjs uses it too. */
export async function loadTf(backend) {
  // Silence the "use tfjs-node for speed" banner: it would interleave with the JSON we print.
  const originalWarn = console.warn;
  const originalLog = console.log;
  console.warn = () => {};
  console.log = () => {};
  try {
    const tf = await import('@tensorflow/tfjs');
    if (backend === 'wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const distDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      // One thread and SIMD: pin the single-threaded SIMD binary so a machine that supports wasm
      // threads does not silently switch to the threaded one.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      tf.env().set('WASM_HAS_SIMD_SUPPORT', true);
      wasm.setThreadsCount(1);
      wasm.setWasmPaths(distDir + path.sep);
    }
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`TF.js backend '${backend}' failed to initialize`);
    await tf.ready();
    return tf;
  } finally {
    console.warn = originalWarn;
    console.log = originalLog;
  }
}

/**
 * @param workload one of WORKLOADS
 * @param options {backend: 'wasm' | 'cpu'}
 * @returns {Promise<{info, lossOnPool(): number, step(): void, dispose(): void}>}
 */
export async function createSession(workload, { backend }) {
  const tf = await loadTf(backend);
  const data = makeData(workload);
  const initial = makeInitialParams(workload);
  const classes = workload.outputs;

  const weights = initial.map((layer, index) => ({
    W: tf.variable(tf.tensor2d(layer.W, [layer.fanIn, layer.fanOut]), true, `W${index}`),
    b: tf.variable(tf.tensor1d(layer.b), true, `b${index}`),
  }));
  const variables = weights.flatMap((layer) => [layer.W, layer.b]);
  const activate = workload.activation === 'relu' ? tf.relu : tf.tanh;

  const poolX = tf.tensor2d(data.x, [data.count, data.dims]);
  const poolOneHot = tf.oneHot(tf.tensor1d(data.labels, 'int32'), classes).toFloat();
  const batchX = [];
  const batchOneHot = [];
  for (let index = 0; index < BATCHES_IN_POOL; index++) {
    const begin = index * workload.batch;
    batchX.push(poolX.slice([begin, 0], [workload.batch, data.dims]));
    batchOneHot.push(poolOneHot.slice([begin, 0], [workload.batch, classes]));
  }

  // scores = a_L with a_0 = x, z_l = a_{l−1}·W_l + b_l, a_l = act(z_l) (identity on the last layer)
  const forward = (x) => {
    let activation = x;
    weights.forEach((layer, index) => {
      const z = tf.add(tf.matMul(activation, layer.W), layer.b);
      activation = index + 1 < weights.length ? activate(z) : z;
    });
    return activation;
  };
  // mean over the batch of −log softmax(scores)[label]
  const meanCrossEntropy = (x, oneHot) => tf.losses.softmaxCrossEntropy(oneHot, forward(x));

  return sgdSession(tf, backend, { meanCrossEntropy, poolX, poolOneHot, batchX, batchOneHot, variables });
}

/**
 * The session of a TF.js model (W1–W4): plain SGD with lr 0.01 on `variables`; step s minimizes
 * meanCrossEntropy on batch s mod 8, lossOnPool evaluates it on the whole pool.
 */
export function sgdSession(tf, backend, { meanCrossEntropy, poolX, poolOneHot, batchX, batchOneHot, variables }) {
  const optimizer = tf.train.sgd(LEARNING_RATE);
  let stepIndex = 0;
  return {
    info: { engine: `tfjs-${backend}`, tfjs: tf.version.tfjs, backend: tf.getBackend() },
    lossOnPool() {
      return tf.tidy(() => meanCrossEntropy(poolX, poolOneHot).dataSync()[0]);
    },
    step() {
      const batch = stepIndex % BATCHES_IN_POOL;
      // The wasm and cpu backends execute synchronously, so the step has finished on return.
      tf.tidy(() => {
        optimizer.minimize(() => meanCrossEntropy(batchX[batch], batchOneHot[batch]), false, variables);
      });
      stepIndex++;
    },
    dispose() {
      tf.disposeVariables();
      tf.dispose([poolX, poolOneHot, ...batchX, ...batchOneHot]);
      optimizer.dispose();
    },
  };
}
