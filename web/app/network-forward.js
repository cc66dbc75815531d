// What each unit of a small dense network computes over the plane, for the Network view: the
// forward pass written out in JS from the trainer's parameters (getParams: `<layer>.W` is
// inputs × units, `<layer>.b` is 1 × units). Pure: no DOM, testable in node.
//
// Only plain stacks can be drawn this way: dense layers and an elementwise activation, no
// normalization (its batch statistics live in the engine), raw inputs (no preprocessing),
// 2-D data. networkSupport() says why not otherwise.

// y = f(x) per activation; alpha as the engine's config gives it (−1 = the activation's default).
const ACTIVATIONS = {
  relu: () => (x) => (x > 0 ? x : 0),
  leaky_relu: (alpha) => (x) => (x > 0 ? x : alpha * x),
  elu: (alpha) => (x) => (x > 0 ? x : alpha * Math.expm1(x)),
  // tanh approximation, as the engine's GELU: x·½(1 + tanh(√(2/π)(x + 0.044715x³)))
  gelu: () => (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
  silu: () => (x) => x / (1 + Math.exp(-x)),
  tanh: () => Math.tanh,
  sigmoid: () => (x) => 1 / (1 + Math.exp(-x)),
  identity: () => (x) => x,
};
const DEFAULT_ALPHA = { leaky_relu: 0.01, elu: 1 };

/** '' when the network can be drawn unit by unit, else why not (shown in the chart). */
export function networkSupport(config) {
  const model = config?.model ?? {};
  const data = config?.data ?? {};
  if (data.dims !== 2) return `Only for 2-D data: this dataset has ${data.dims ?? 'more'} dimensions.`;
  if (!ACTIVATIONS[model.activation]) return `Not for ${model.activation} units: only elementwise activations (ReLU, leaky ReLU, ELU, GELU, SiLU, tanh, sigmoid) are drawn.`;
  if (model.norm && model.norm !== 'none') return `Not with normalization (${model.norm}): its batch statistics stay in the engine.`;
  const override = (model.layers ?? []).find((layer) => (layer.activation && layer.activation !== model.activation) || (layer.norm && layer.norm !== 'none'));
  if (override) return `Not with a layer list that sets its own activation or norm (${override.activation ?? override.norm}): the view draws one activation throughout.`;
  if (data.preprocess && data.preprocess !== 'none') return `Not with preprocessing (${data.preprocess}): the view draws raw inputs.`;
  return '';
}

/** The dense layers in order: [{name, inputs, units, W, b}] from getParams() output. */
export function denseLayers(params) {
  const byName = new Map(params.map((p) => [p.name, p]));
  const layers = [];
  for (const param of params) {
    if (!param.name.endsWith('.W')) continue;
    const name = param.name.slice(0, -2);
    const bias = byName.get(`${name}.b`);
    layers.push({ name, inputs: param.shape[0], units: param.shape[1], W: param.values, b: bias?.values ?? new Float32Array(param.shape[1]) });
  }
  return layers;
}

/**
 * Every unit's output over a resolution × resolution grid of [xmin, xmax] × [ymin, ymax], edges
 * included and row 0 = ymin, as trainer.predictGrid (the output layer's softmax of these scores
 * matches predictGrid within 3e-7): per layer a Float32Array of units × resolution² values
 * (unit-major), the output layer's pre-softmax scores included.
 */
export function unitOutputs(layers, activationName, alpha, bounds, resolution) {
  const activation = ACTIVATIONS[activationName]((alpha ?? -1) < 0 ? DEFAULT_ALPHA[activationName] ?? 0 : alpha);
  const [xmin, xmax, ymin, ymax] = bounds;
  const cells = resolution * resolution;
  const outputs = layers.map((layer) => new Float32Array(layer.units * cells));
  for (let row = 0; row < resolution; row++) {
    for (let col = 0; col < resolution; col++) {
      const cell = row * resolution + col;
      const input = Float32Array.of(xmin + (col / (resolution - 1)) * (xmax - xmin), ymin + (row / (resolution - 1)) * (ymax - ymin));
      let current = input;
      layers.forEach((layer, index) => {
        const last = index === layers.length - 1;
        const next = new Float32Array(layer.units);
        for (let unit = 0; unit < layer.units; unit++) {
          let sum = layer.b[unit];
          for (let i = 0; i < layer.inputs; i++) sum += current[i] * layer.W[i * layer.units + unit];
          next[unit] = last ? sum : activation(sum);
          outputs[index][unit * cells + cell] = next[unit];
        }
        current = next;
      });
    }
  }
  return outputs;
}
