// The three benchmark workloads of ../../shared/BENCHMARKS.md (kept in docs as the source of
// truth): their shapes, data, initial parameters and reference losses. Every runner (trainscope
// wasm in node and in Chromium, TF.js, and the native C++ runner through bench/native_bench.cpp's
// own copy of these rules) trains exactly this arithmetic, so steps/s compare like with like.
//
// Plain ES module with no node imports: the Chromium worker page imports it too.

/**
 * mulberry32: a 32-bit-state generator returning doubles in [0, 1).
 *   a += 0x6D2B79F5; t = imul(a ^ (a >>> 15), 1 | a);
 *   t = (t + imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 2^32
 */
export function mulberry32(seed) {
  let state = seed | 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Box–Muller, cosine branch only: sqrt(−2 ln(1 − u1)) · cos(2π u2). 1 − u1 ∈ (0, 1], so finite.
  const normal = () => {
    const u1 = uniform();
    const u2 = uniform();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  };
  return { uniform, normal };
}

export const DATA_SEED = 42;
export const INIT_SEED = 1337;
export const BATCHES_IN_POOL = 8;
export const LEARNING_RATE = 0.01;

/**
 * MFLOP per step: 2·B·fan_in·fan_out per matmul; forward, dW and dX for every layer except the
 * first, which needs no gradient with respect to the input data.
 */
export function mflopPerStep(workload) {
  const widths = layerWidths(workload);
  let flop = 0;
  for (let layer = 0; layer + 1 < widths.length; layer++) {
    const matmuls = layer === 0 ? 2 : 3;
    flop += matmuls * 2 * workload.batch * widths[layer] * widths[layer + 1];
  }
  return flop / 1e6;
}

/** [inputs, ...hidden, outputs] */
export function layerWidths(workload) {
  return [workload.inputs, ...workload.hidden, workload.outputs];
}

export const WORKLOADS = {
  W1: {
    id: 'W1',
    name: 'spiral',
    inputs: 2,
    hidden: [100, 100],
    outputs: 3,
    activation: 'relu',
    batch: 64,
    gain: 2,
    warmupSteps: 200,
    reference: { before: 1.035703, after: 0.702420 },
  },
  W2: {
    id: 'W2',
    name: 'mnist-mlp',
    inputs: 784,
    hidden: [256, 256],
    outputs: 10,
    activation: 'relu',
    batch: 64,
    gain: 2,
    warmupSteps: 20,
    reference: { before: 2.528367, after: 2.294661 },
  },
  W3: {
    id: 'W3',
    name: 'deep-tanh',
    inputs: 500,
    hidden: new Array(10).fill(500),
    outputs: 10,
    activation: 'tanh',
    batch: 100,
    gain: 1,
    warmupSteps: 3,
    reference: { before: 2.329859, after: 2.318366 },
  },
};
for (const workload of Object.values(WORKLOADS)) workload.mflop = mflopPerStep(workload);

export const WORKLOAD_IDS = Object.keys(WORKLOADS);

/** Number of samples in the fixed pool: 8 mini-batches. */
export function poolSize(workload) {
  return BATCHES_IN_POOL * workload.batch;
}

/**
 * The data pool from mulberry32(42): x row-major N × inputs (Float32Array), labels (Int32Array).
 * Sample k belongs to mini-batch ⌊k / batch⌋; step s trains on mini-batch s mod 8.
 */
export function makeData(workload) {
  const count = poolSize(workload);
  const dims = workload.inputs;
  const x = new Float32Array(count * dims);
  const labels = new Int32Array(count);
  const rng = mulberry32(DATA_SEED);
  for (let k = 0; k < count; k++) {
    if (workload.id === 'W1') {
      // Spiral arm c: θ = 4c + 4r + 0.2·randn(), point (r sin θ, r cos θ).
      const arm = k % 3;
      const radius = rng.uniform();
      const angle = 4 * arm + 4 * radius + 0.2 * rng.normal();
      x[k * dims] = radius * Math.sin(angle);
      x[k * dims + 1] = radius * Math.cos(angle);
      labels[k] = arm;
    } else if (workload.id === 'W2') {
      for (let i = 0; i < dims; i++) x[k * dims + i] = rng.uniform();
      labels[k] = k % 10;
    } else if (workload.id === 'W3') {
      for (let i = 0; i < dims; i++) x[k * dims + i] = rng.normal();
      labels[k] = k % 10;
    } else {
      throw new Error(`unknown workload ${workload.id}`);
    }
  }
  return { x, labels, count, dims };
}

/**
 * Initial parameters from mulberry32(1337), layer by layer from input to output: W fan_in × fan_out
 * row-major filled with randn()·sqrt(gain / fan_in), then b = 0 (biases draw nothing).
 * Returns [{ fanIn, fanOut, W: Float32Array, b: Float32Array }, ...].
 */
export function makeInitialParams(workload) {
  const widths = layerWidths(workload);
  const rng = mulberry32(INIT_SEED);
  const layers = [];
  for (let layer = 0; layer + 1 < widths.length; layer++) {
    const fanIn = widths[layer];
    const fanOut = widths[layer + 1];
    const scale = Math.sqrt(workload.gain / fanIn);
    const W = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < W.length; i++) W[i] = rng.normal() * scale;
    layers.push({ fanIn, fanOut, W, b: new Float32Array(fanOut) });
  }
  return layers;
}

/** Tolerance when asserting the reference losses (printed to 6 decimals; float32 sums). */
export const LOSS_TOLERANCE = 5e-6;

/** Throws unless `measured` matches the reference `which` ('before' | 'after') of `workload`. */
export function checkReferenceLoss(workload, which, measured) {
  const expected = workload.reference[which];
  const difference = Math.abs(measured - expected);
  if (!(difference <= LOSS_TOLERANCE)) {
    throw new Error(
      `${workload.id} loss ${which} warm-up: measured ${measured.toFixed(7)}, ` +
        `reference ${expected.toFixed(6)} (|Δ| = ${difference.toExponential(2)} > ${LOSS_TOLERANCE})`,
    );
  }
  return difference;
}
