// A benchmark session on trainscope's public JS API (createTrainer + step), usable in node and
// in a browser worker (no node imports): a workload of bench/workloads.mjs maps onto a config
// with custom data, no validation split, no shuffling (batch i = examples i·B … i·B+B−1, so step
// s trains on mini-batch s mod 8), plain SGD with lr 0.01 and softmax loss, then setParams with
// the BENCHMARKS initial parameters.
import { LEARNING_RATE, makeData, makeInitialParams } from '../workloads.mjs';

/** The trainscope config of a workload; diagnostics 'off' (cadence 0) or 'default'. */
export function workloadConfig(workload, { diagnostics = 'off' } = {}) {
  const data = makeData(workload);
  const config = {
    data: {
      dataset: 'custom',
      x: data.x,
      dims: data.dims,
      y: Array.from(data.labels),
      classes: workload.outputs,
      samples: data.count,
      val_fraction: 0,
    },
    model: { hidden: [...workload.hidden], activation: workload.activation },
    train: {
      optimizer: 'sgd',
      lr: LEARNING_RATE,
      batch_size: workload.batch,
      shuffle: false,
      loss: 'softmax',
    },
  };
  if (diagnostics === 'off') config.diagnostics = { cadence: 0 };
  else if (diagnostics !== 'default') throw new Error(`diagnostics must be 'off' or 'default', got ${diagnostics}`);
  return config;
}

/**
 * The BENCHMARKS initial parameters as setParams input: the trainable tensors in order are
 * W (fan_in × fan_out) and b for each layer from input to output; names come from the trainer.
 */
export function initialParamsFor(trainer, workload) {
  const trainable = trainer.getParams().filter((tensor) => tensor.trainable);
  const layers = makeInitialParams(workload);
  if (trainable.length !== 2 * layers.length) {
    throw new Error(`expected W and b per layer (${2 * layers.length} tensors), the trainer has ${trainable.length}`);
  }
  return layers.flatMap((layer, index) => {
    const [weight, bias] = [trainable[2 * index], trainable[2 * index + 1]];
    const weightShapeOk = weight.shape[0] === layer.fanIn && weight.shape[1] === layer.fanOut;
    if (!weightShapeOk || bias.values.length !== layer.fanOut) {
      throw new Error(`${weight.name} [${weight.shape}] / ${bias.name} do not match layer ${index} (${layer.fanIn} × ${layer.fanOut})`);
    }
    return [
      { name: weight.name, shape: weight.shape, values: layer.W },
      { name: bias.name, shape: bias.shape, values: layer.b },
    ];
  });
}

/**
 * @param createTrainer the public API's createTrainer
 * @param workload      one of WORKLOADS
 * @param options       {diagnostics: 'off' | 'default', engine: createTrainer's engine options}
 */
export async function createTrainscopeSession(createTrainer, workload, { diagnostics = 'off', engine = {} } = {}) {
  const trainer = await createTrainer(workloadConfig(workload, { diagnostics }), engine);
  trainer.setParams(initialParamsFor(trainer, workload));
  const { simd, variant, buildInfo } = trainer.engineInfo;
  return {
    info: { diagnostics, simd, variant, buildInfo },
    trainer,
    lossOnPool: () => trainer.evaluate().train.loss,
    step: () => {
      trainer.step(1);
    },
    stepMany: (count) => {
      if (count > 0) trainer.step(count);
    },
    dispose: () => trainer.dispose(),
  };
}
