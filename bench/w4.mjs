// W4 (issue 11, "Speed"): ConvNetJS's MNIST demo network on 1×24×24 images, trained side by side by
// trainscope (wasm SIMD in node, native through bench/native_bench.cpp), ConvNetJS and TF.js's cpu
// backend on identical data, identical initial weights and the same SGD.
//
//   conv 8@5×5 s1 p2 ReLU (8×24×24) → max-pool 2/2 (8×12×12) → conv 16@5×5 s1 p2 ReLU (16×12×12)
//   → max-pool 3/3 (16×4×4) → fully connected 256 → 10 → softmax cross-entropy (mean over the batch)
//   plain SGD p −= 0.01·dL/dp, batch 20, no momentum, no weight decay.
//
// Data: the first 160 images of Fashion-MNIST's training set, centre-cropped 28×28 → 24×24 (rows and
// columns 2…25; ConvNetJS's augment draws the offset from 0…4), pixel / 255; 8 mini-batches of 20 (image k in
// batch ⌊k / 20⌋), step s trains on batch s mod 8, as for W1–W3 (BENCHMARKS.md).
//
// Initial parameters, in trainscope's layout (the canonical one here), from mulberry32(1337) as in
// BENCHMARKS.md: conv1 W (1·5·5 × 8), conv2 W (8·5·5 × 16), output W (16·4·4 × 10), each row-major
// (rows of a conv W: c·K·K + ky·K + kx; rows of the output W: c·H·W + y·W + x; columns: filters or
// classes), randn()·sqrt(2 / rows); biases 0. Each peer gets the same numbers, moved to its layout.
//
// node only (reads the gzip IDX files); not used by the Chromium worker.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

import { BATCHES_IN_POOL, INIT_SEED, LEARNING_RATE, mulberry32 } from './workloads.mjs';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
const CROP = 24;
const OFFSET = 2; // (28 − 24) / 2
const CLASSES = 10;

// [channels in, size, filters] of the two convs (stride 1, pad 2 keeps H×W), then the pools.
export const W4_SHAPE = {
  input: [1, 24, 24],
  convs: [
    { channels: 1, size: 5, filters: 8, pad: 2, height: 24, width: 24, pool: 2 },
    { channels: 8, size: 5, filters: 16, pad: 2, height: 12, width: 12, pool: 3 },
  ],
  features: [16, 4, 4],
  classes: CLASSES,
};

/**
 * MFLOP per step with BENCHMARKS.md's rule (2 flops per multiply-add of the matrix products, a
 * conv counted as its im2col product): forward and dW for every layer, dX for all but the first.
 * conv1 2·20·576·25·8, conv2 2·20·144·200·16, output 2·20·256·10 → 9.216 + 55.296 + 0.3072.
 */
function w4Mflop(batch) {
  let flop = 0;
  W4_SHAPE.convs.forEach((conv, index) => {
    const products = index === 0 ? 2 : 3;
    flop += products * 2 * batch * conv.height * conv.width * conv.channels * conv.size * conv.size * conv.filters;
  });
  const features = W4_SHAPE.features.reduce((a, b) => a * b, 1);
  flop += 3 * 2 * batch * features * CLASSES;
  return flop / 1e6;
}

export const W4 = {
  id: 'W4',
  name: 'convnetjs-mnist',
  batch: 20,
  warmupSteps: 16,
  // Pool loss before training and after the 16 warm-up steps (docs/notes/w4.md: every engine,
  // ConvNetJS's float64 included, lands within 1e-7 of these).
  reference: { before: 3.1749015, after: 2.2770567 },
  tolerance: 1e-5,
};
W4.mflop = w4Mflop(W4.batch);

function readIdx(file) {
  return gunzipSync(readFileSync(file));
}

/** x: Float32Array 160 × 576 (channel-major = row-major for one channel), labels: Int32Array. */
export function makeW4Data({ dir = FASHION_MNIST_DIR } = {}) {
  const count = BATCHES_IN_POOL * W4.batch;
  const images = readIdx(`${dir}/train-images-idx3-ubyte.gz`);
  const labelBytes = readIdx(`${dir}/train-labels-idx1-ubyte.gz`);
  if (images.readUInt32BE(0) !== 2051 || images.readUInt32BE(8) !== 28 || images.readUInt32BE(12) !== 28) {
    throw new Error('train-images-idx3-ubyte: not a 28×28 IDX image file');
  }
  if (labelBytes.readUInt32BE(0) !== 2049) throw new Error('train-labels-idx1-ubyte: not an IDX label file');
  const dims = CROP * CROP;
  const x = new Float32Array(count * dims);
  const labels = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const image = 16 + k * 28 * 28;
    for (let y = 0; y < CROP; y++) {
      for (let col = 0; col < CROP; col++) {
        x[k * dims + y * CROP + col] = images[image + (y + OFFSET) * 28 + (col + OFFSET)] / 255;
      }
    }
    labels[k] = labelBytes[8 + k];
  }
  return { x, labels, count, dims };
}

/** [{name, rows, cols, values}] in trainscope order and layout: conv1 W, b, conv2 W, b, output W, b. */
export function makeW4Params() {
  const rng = mulberry32(INIT_SEED);
  const weight = (name, rows, cols) => {
    const scale = Math.sqrt(2 / rows);
    const values = new Float32Array(rows * cols);
    for (let i = 0; i < values.length; i++) values[i] = rng.normal() * scale;
    return { name, rows, cols, values };
  };
  const bias = (name, cols) => ({ name, rows: 1, cols, values: new Float32Array(cols) });
  const [conv1, conv2] = W4_SHAPE.convs;
  const features = W4_SHAPE.features.reduce((a, b) => a * b, 1);
  return [
    weight('conv1.W', conv1.channels * conv1.size * conv1.size, conv1.filters),
    bias('conv1.b', conv1.filters),
    weight('conv2.W', conv2.channels * conv2.size * conv2.size, conv2.filters),
    bias('conv2.b', conv2.filters),
    weight('out.W', features, CLASSES),
    bias('out.b', CLASSES),
  ];
}

/**
 * The native runner's input: little-endian float32 x (160·576), labels (160, as floats), then the
 * six parameter tensors of makeW4Params in order. Returns the file's path.
 */
export function writeW4NativeInput(file) {
  const data = makeW4Data();
  const parts = [data.x, Float32Array.from(data.labels), ...makeW4Params().map((tensor) => tensor.values)];
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  writeFileSync(file, Buffer.from(all.buffer));
  return file;
}

// ---------------------------------------------------------------------------------------------
// Layout moves. Canonical conv W[(c·K·K + ky·K + kx)·F + f]; output W[(c·H·W + y·W + x)·10 + j].

/** TF.js conv2d filter [K, K, C, F] (ky, kx, c, f) from the canonical layout. */
export function convToHwio(values, { channels, size, filters }) {
  const out = new Float32Array(values.length);
  for (let c = 0; c < channels; c++)
    for (let ky = 0; ky < size; ky++)
      for (let kx = 0; kx < size; kx++)
        for (let f = 0; f < filters; f++) {
          out[((ky * size + kx) * channels + c) * filters + f] = values[((c * size + ky) * size + kx) * filters + f];
        }
  return out;
}

/** Output W with rows in NHWC flatten order ((y·W + x)·C + c), as TF.js and ConvNetJS flatten. */
export function denseToHwcRows(values, [channels, height, width], classes) {
  const out = new Float32Array(values.length);
  for (let c = 0; c < channels; c++)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        for (let j = 0; j < classes; j++) {
          out[((y * width + x) * channels + c) * classes + j] = values[((c * height + y) * width + x) * classes + j];
        }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sessions: {info, lossOnPool(), step(), dispose()} as bench/protocol.mjs expects.

/** trainscope through its public JS API (wasm SIMD or scalar). */
export async function createTrainscopeW4Session({ simd = true } = {}) {
  const { createTrainer } = await import('../bindings/js/index.js');
  const data = makeW4Data();
  const config = {
    data: { dataset: 'custom', shape: W4_SHAPE.input, x: data.x, y: Array.from(data.labels), classes: CLASSES, val_fraction: 0 },
    model: {
      layers: [
        { type: 'conv', filters: 8, size: 5, pad: 2 },
        { type: 'pool', size: 2 },
        { type: 'conv', filters: 16, size: 5, pad: 2 },
        { type: 'pool', size: 3 },
      ],
      activation: 'relu',
    },
    train: { optimizer: 'sgd', lr: LEARNING_RATE, batch_size: W4.batch, shuffle: false, loss: 'softmax' },
    diagnostics: { cadence: 0 },
  };
  const trainer = await createTrainer(config, { simd });
  const trainable = trainer.getParams().filter((tensor) => tensor.trainable);
  const params = makeW4Params();
  if (trainable.length !== params.length) throw new Error(`W4: trainscope has ${trainable.length} trainable tensors, expected ${params.length}`);
  trainer.setParams(
    params.map((param, index) => {
      const [rows, cols] = trainable[index].shape;
      if (rows * cols !== param.values.length || cols !== param.cols) {
        throw new Error(`W4: ${trainable[index].name} is ${rows}×${cols}, expected ${param.rows}×${param.cols} (${param.name})`);
      }
      return { name: trainable[index].name, shape: trainable[index].shape, values: param.values };
    }),
  );
  const { variant, buildInfo } = trainer.engineInfo;
  return {
    info: { engine: simd ? 'trainscope-simd' : 'trainscope-nosimd', simd: trainer.engineInfo.simd, variant, buildInfo },
    trainer,
    lossOnPool: () => trainer.evaluate().train.loss,
    step: () => {
      trainer.step(1);
    },
    dispose: () => trainer.dispose(),
  };
}

/** ConvNetJS 0.3 (doubles throughout: its Vol is a Float64Array). */
export async function createConvnetjsW4Session() {
  const { default: convnetjs } = await import('convnetjs');
  const data = makeW4Data();
  const net = new convnetjs.Net();
  net.makeLayers([
    { type: 'input', out_sx: 24, out_sy: 24, out_depth: 1 },
    { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 2, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 2, activation: 'relu' },
    { type: 'pool', sx: 3, stride: 3 },
    { type: 'softmax', num_classes: CLASSES },
  ]);
  // Layers: input, conv, relu, pool, conv, relu, pool, fc, softmax.
  const params = makeW4Params();
  const [conv1, conv2] = W4_SHAPE.convs;
  const setConv = (layer, W, b, shape) => {
    const { channels, size, filters } = shape;
    for (let f = 0; f < filters; f++) {
      const filter = layer.filters[f];
      for (let c = 0; c < channels; c++)
        for (let ky = 0; ky < size; ky++)
          for (let kx = 0; kx < size; kx++) {
            filter.w[(ky * size + kx) * channels + c] = W.values[((c * size + ky) * size + kx) * filters + f];
          }
      layer.biases.w[f] = b.values[f];
    }
  };
  setConv(net.layers[1], params[0], params[1], conv1);
  setConv(net.layers[4], params[2], params[3], conv2);
  const fc = net.layers[7];
  const dense = denseToHwcRows(params[4].values, W4_SHAPE.features, CLASSES);
  const features = dense.length / CLASSES;
  for (let j = 0; j < CLASSES; j++) {
    for (let i = 0; i < features; i++) fc.filters[j].w[i] = dense[i * CLASSES + j];
    fc.biases.w[j] = params[5].values[j];
  }

  const volumes = [];
  for (let k = 0; k < data.count; k++) {
    const volume = new convnetjs.Vol(24, 24, 1, 0.0);
    for (let i = 0; i < data.dims; i++) volume.w[i] = data.x[k * data.dims + i];
    volumes.push(volume);
  }
  const trainer = new convnetjs.Trainer(net, { method: 'sgd', learning_rate: LEARNING_RATE, momentum: 0, batch_size: W4.batch, l2_decay: 0, l1_decay: 0 });
  let stepIndex = 0;
  return {
    info: { engine: 'convnetjs', convnetjs: '0.3.0' },
    lossOnPool() {
      let sum = 0;
      for (let k = 0; k < data.count; k++) {
        const probabilities = net.forward(volumes[k], false).w;
        sum -= Math.log(probabilities[data.labels[k]]);
      }
      return sum / data.count;
    },
    // One step = batch_size calls of trainer.train (ConvNetJS accumulates the gradients of a batch
    // and updates on the last one, dividing by batch_size).
    step() {
      const begin = (stepIndex % BATCHES_IN_POOL) * W4.batch;
      for (let k = begin; k < begin + W4.batch; k++) trainer.train(volumes[k], data.labels[k]);
      stepIndex++;
    },
    dispose() {},
  };
}

/** TF.js 4.22, cpu backend (the wasm backend has no Conv2DBackpropFilter kernel: see docs/notes/w4.md). */
export async function createTfjsW4Session({ backend = 'cpu' } = {}) {
  const { loadTf, sgdSession } = await import('./runners/tfjs.mjs');
  const tf = await loadTf(backend);
  const data = makeW4Data();
  const params = makeW4Params();
  const [conv1, conv2] = W4_SHAPE.convs;
  const variables = [
    tf.variable(tf.tensor4d(convToHwio(params[0].values, conv1), [5, 5, 1, 8])),
    tf.variable(tf.tensor1d(params[1].values)),
    tf.variable(tf.tensor4d(convToHwio(params[2].values, conv2), [5, 5, 8, 16])),
    tf.variable(tf.tensor1d(params[3].values)),
    tf.variable(tf.tensor2d(denseToHwcRows(params[4].values, W4_SHAPE.features, CLASSES), [256, CLASSES])),
    tf.variable(tf.tensor1d(params[5].values)),
  ];
  const [w1, b1, w2, b2, w3, b3] = variables;
  const poolX = tf.tensor4d(data.x, [data.count, 24, 24, 1]);
  const poolOneHot = tf.oneHot(tf.tensor1d(data.labels, 'int32'), CLASSES).toFloat();
  const batchX = [];
  const batchOneHot = [];
  for (let index = 0; index < BATCHES_IN_POOL; index++) {
    batchX.push(poolX.slice([index * W4.batch, 0, 0, 0], [W4.batch, 24, 24, 1]));
    batchOneHot.push(poolOneHot.slice([index * W4.batch, 0], [W4.batch, CLASSES]));
  }
  const forward = (x) => {
    let a = tf.relu(tf.add(tf.conv2d(x, w1, 1, [[0, 0], [2, 2], [2, 2], [0, 0]]), b1));
    a = tf.maxPool(a, 2, 2, 'valid');
    a = tf.relu(tf.add(tf.conv2d(a, w2, 1, [[0, 0], [2, 2], [2, 2], [0, 0]]), b2));
    a = tf.maxPool(a, 3, 3, 'valid');
    return tf.add(tf.matMul(tf.reshape(a, [x.shape[0], 256]), w3), b3);
  };
  const meanCrossEntropy = (x, oneHot) => tf.losses.softmaxCrossEntropy(oneHot, forward(x));
  return sgdSession(tf, backend, { meanCrossEntropy, poolX, poolOneHot, batchX, batchOneHot, variables });
}

/** The W4 session of a JS engine id of scripts/bench.mjs. */
export function createW4Session(engine) {
  if (engine === 'trainscope-simd') return createTrainscopeW4Session({ simd: true });
  if (engine === 'trainscope-nosimd') return createTrainscopeW4Session({ simd: false });
  if (engine === 'convnetjs') return createConvnetjsW4Session();
  if (engine === 'tfjs-cpu') return createTfjsW4Session({ backend: 'cpu' });
  if (engine === 'tfjs-wasm') return createTfjsW4Session({ backend: 'wasm' });
  throw new Error(`W4: no runner for engine ${engine}`);
}

/** Throws unless `measured` is within W4.tolerance of the reference `which`. */
export function checkW4Loss(workload, which, measured) {
  const expected = workload.reference[which];
  const difference = Math.abs(measured - expected);
  if (!(difference <= workload.tolerance)) {
    throw new Error(`W4 loss ${which} warm-up: measured ${measured.toFixed(7)}, reference ${expected} (|Δ| = ${difference.toExponential(2)} > ${workload.tolerance})`);
  }
  return difference;
}
