// Lecture presets: each reproduces one experiment of CS231n lectures 6-7 (docs: LECTURE.md) as a
// partial config, with a one-paragraph explanation of what to look for. tests/js/presets.test.js
// runs every preset headless and asserts the phenomenon its explanation promises.

// The lecture's deep network: unit-Gaussian 500-D input, 10 hidden layers of 500 units. Heavy
// (about 1.5 GFLOP per step at batch 100), so the sample count stays small enough for a browser.
function deepNet(model, train = {}) {
  return {
    seed: 1,
    data: { dataset: 'gaussian_cloud', dims: 500, classes: 10, samples: 500, val_fraction: 0.2 },
    model: { hidden: Array(10).fill(500), activation: 'tanh', ...model },
    train: { optimizer: 'sgd', lr: 0.01, batch_size: 100, ...train },
    diagnostics: { cadence: 5, probe_size: 200 },
  };
}

// The CS231n spiral (3 arms, 300 points) and a two-hidden-layer net.
function spiral(model = {}, train = {}, data = {}) {
  return {
    seed: 1,
    data: { dataset: 'spiral', classes: 3, samples: 300, noise: 0.2, val_fraction: 0.2, ...data },
    model: { hidden: [100, 100], activation: 'relu', init: 'he', ...model },
    train: { optimizer: 'sgd', lr: 0.1, batch_size: 32, ...train },
    diagnostics: { cadence: 10 },
  };
}

// A small conv net of the lecture's pattern [conv → relu → pool] × 2 → fully connected.
const SMALL_CONV = [
  { type: 'conv', filters: 8, size: 5, pad: 2 }, { type: 'pool', size: 2 },
  { type: 'conv', filters: 16, size: 5, pad: 2 }, { type: 'pool', size: 2 },
];

// Fashion-MNIST with validation images from the official test file; a ReLU net with He init.
function fashion({ data = {}, model, train, cadence = 50 }) {
  return {
    seed: 1,
    data: { dataset: 'fashion_mnist', samples: 4000, val_fraction: 0.25, val_from: 'test', ...data },
    model: { activation: 'relu', init: 'he', ...model },
    train: { batch_size: 32, ...train },
    diagnostics: { cadence },
  };
}

// Two 3×3 conv stages, then a dense layer of 32 (normalized too) before the 10 scores.
const CONV_DENSE_32 = [
  { type: 'conv', filters: 8, size: 3, pad: 1 }, { type: 'pool', size: 2 },
  { type: 'conv', filters: 16, size: 3, pad: 1 }, { type: 'pool', size: 2 },
  { type: 'dense', units: 32 },
];

// The lecture's 7×7 input for the output-size walk-through: 1×7×7 images of a vertical (class 0)
// or horizontal (class 1) bar at a position from a small LCG: x flat, 49 values per image (a flat
// x is what the engine's JSON reader takes, so the preset is valid there as written).
function sevenBySeven(count) {
  const x = [];
  const y = [];
  let state = 1;
  const next = () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 16);
  for (let k = 0; k < count; k++) {
    const label = k % 2;
    const at = next() % 7;
    const row = Array.from({ length: 49 }, () => (next() % 100) / 1000);
    for (let i = 0; i < 7; i++) row[label === 0 ? i * 7 + at : at * 7 + i] += 1;
    x.push(...row);
    y.push(label);
  }
  return { dataset: 'custom', shape: [1, 7, 7], x, y, val_fraction: 0.25 };
}

function optimizerPreset(optimizer, lr, title, explain) {
  return {
    name: `optimizer-${optimizer}`,
    title,
    explain,
    config: spiral({}, { optimizer, lr, batch_size: 32 }),
  };
}

const list = [
  {
    name: 'zero-init',
    title: 'Zero initialization: no symmetry breaking',
    explain: 'Every weight starts at 0 in a sigmoid network, so every hidden unit of a layer computes exactly the same function (σ(0) = 0.5) and receives exactly the same gradient. The weights do move, but they move together: the columns of each weight matrix stay identical, so each layer acts like a single unit however wide it is. Watch the loss fall only slowly and stay far above what a randomly initialized network reaches on the spiral. Random initialization exists to break this symmetry.',
    config: spiral({ init: 'zeros', activation: 'sigmoid', bias_init: 0 }, { lr: 0.5 }),
  },
  {
    name: 'small-init-deep-tanh',
    title: 'Small random init (0.01·randn) in a deep tanh net',
    explain: 'The lecture\'s 10-layer tanh network of 500 units on unit-Gaussian input, with weights 0.01·randn. Each layer multiplies the activation scale by about 0.01·√500 ≈ 0.22, so the activation std collapses towards 0 layer after layer (look at the Activations chart: the histograms of the last layers are a spike at 0). Weight gradients are proportional to these inputs, so the deep layers barely learn and the loss stays near ln(10).',
    config: deepNet({ init: 'normal', init_scale: 0.01 }),
  },
  {
    name: 'large-init-deep-tanh',
    title: 'Large random init (1.0·randn) in a deep tanh net',
    explain: 'The same 10-layer tanh network with weights 1.0·randn: the pre-activations have a std of about √500 ≈ 22, so almost every unit sits at −1 or +1 in every layer. The histograms pile up at the two ends and the saturated fraction is close to 100%: the local gradient of tanh there is ~0, so gradients vanish again, this time through saturation.',
    config: deepNet({ init: 'normal', init_scale: 1.0 }),
  },
  {
    name: 'xavier-tanh',
    title: 'Xavier initialization keeps a deep tanh net healthy',
    explain: 'Xavier/Glorot initialization, randn/√fan_in, keeps the variance of a layer\'s output close to that of its input. In the 10-layer tanh network the activation std now stays in a healthy range all the way through (it shrinks only slowly because tanh compresses), with no layer collapsed and no layer saturated.',
    config: deepNet({ init: 'xavier' }),
  },
  {
    name: 'xavier-relu',
    title: 'Xavier with ReLU: activations shrink with depth',
    explain: 'Xavier initialization assumes a zero-centred, roughly linear activation. ReLU zeroes half of its inputs, which halves the variance at every layer, so in a 10-layer ReLU network the activation std shrinks by about 1/√2 per layer and the last layers are nearly silent. Compare with he-relu.',
    config: deepNet({ activation: 'relu', init: 'xavier' }),
  },
  {
    name: 'he-relu',
    title: 'He (Kaiming) initialization with ReLU holds the scale',
    explain: 'He initialization, randn·√(2/fan_in), doubles Xavier\'s variance to make up for the half of the units ReLU switches off. In the same 10-layer ReLU network the activation std now stays roughly constant from the first layer to the last: the right initializer for ReLU networks.',
    config: deepNet({ activation: 'relu', init: 'he' }),
  },
  {
    name: 'batchnorm-rescue',
    title: 'Batch normalization rescues a bad initialization',
    explain: 'A deep ReLU network (8 hidden layers) initialized with 0.01·randn: without normalization its activations collapse and the loss sits at ln(3) for a long time. Batch normalization before each ReLU rescales every layer\'s pre-activations to unit variance per mini-batch, so the same bad initialization trains quickly: watch the loss fall and the decision boundary form, and the Activations chart show healthy statistics in every layer. Set Normalization to none to see the difference.',
    config: spiral({ hidden: Array(8).fill(100), init: 'normal', init_scale: 0.01, norm: 'batch' }, { lr: 0.1 }),
  },
  {
    name: 'lr-too-high',
    title: 'Learning rate too high: the loss explodes',
    explain: 'Plain SGD with a learning rate of 20: each update overshoots so far that the loss grows instead of shrinking, within a few steps it overflows to infinity or NaN, and the run is stopped as diverged. Lower the learning rate (≤ 0.3 here) and reset.',
    config: spiral({}, { lr: 20 }),
  },
  {
    name: 'lr-too-low',
    title: 'Learning rate too low: the loss barely moves',
    explain: 'Plain SGD with a learning rate of 1e-5: the updates are so small that after hundreds of steps the loss has hardly left its starting value (it decreases almost linearly and very slowly) and the update-to-weight ratio sits between 1e-7 and 1e-5, orders of magnitude below the healthy 1e-3. Raise the learning rate by factors of 10 until the loss moves.',
    config: spiral({}, { lr: 1e-5 }),
  },
  {
    name: 'overfit-20',
    title: 'Overfit a tiny subset (20 examples)',
    explain: 'The babysitting sanity check: with regularization off, a network must be able to memorize a very small training set. Only the first 20 training examples are used; within a few hundred steps the training accuracy reaches 100% and the training loss heads to 0, while validation accuracy stays far lower. If a model cannot do this, something in the code or the learning rate is wrong.',
    config: spiral({}, { optimizer: 'adam', lr: 0.01, batch_size: 20, l2: 0 }, { train_limit: 20 }),
  },
  {
    name: 'dead-relu',
    title: 'Dead ReLUs from a learning rate that is too high',
    explain: 'A ReLU network trained with plain SGD at a learning rate of 3: early updates are so large that they push many units\' hyperplanes off the data cloud. Such a unit outputs 0 for every input, its gradient is 0, and it never recovers. Watch the Dead ReLU fraction chart climb far above the 10-20% practitioners report: a dead unit of the first layer never comes back, and the accuracy stalls. Leaky ReLU, a lower learning rate or a small positive bias init avoid it.',
    config: spiral({}, { lr: 3, batch_size: 32 }, { samples: 300 }),
  },
  {
    name: 'sigmoid-slow',
    title: 'Sigmoid converges slowly',
    explain: 'The spiral network with sigmoid units. Sigmoid saturates, its gradient is at most 0.25 and its outputs are not zero-centred, so the loss creeps down much more slowly than with ReLU at the same learning rate and step count. Run relu-fast next to it (pin this run first) to compare the curves.',
    config: spiral({ activation: 'sigmoid', init: 'xavier' }, { lr: 0.5 }),
  },
  {
    name: 'relu-fast',
    title: 'ReLU converges fast',
    explain: 'The same network, learning rate and steps as sigmoid-slow, with ReLU units: ReLU does not saturate for positive inputs, so the gradient flows through unchanged and the loss falls far faster. Compare with sigmoid-slow.',
    config: spiral({ activation: 'relu', init: 'xavier' }, { lr: 0.5 }),
  },
  optimizerPreset('sgd', 0.05, 'Optimizer: plain SGD',
    'Plain stochastic gradient descent, p −= lr·∇p, on the spiral. It makes steady but slow progress and follows the noise of each mini-batch; compare its loss curve with the other optimizer presets, which use the same data, network and number of steps.'),
  optimizerPreset('momentum', 0.05, 'Optimizer: SGD + momentum',
    'SGD with momentum (ρ = 0.9) accumulates a velocity, v = ρv − lr·∇p, that keeps moving in consistent directions and damps zig-zags. At the same learning rate as plain SGD the loss falls several times faster.'),
  optimizerPreset('nesterov', 0.05, 'Optimizer: Nesterov momentum',
    'Nesterov momentum evaluates the gradient at the look-ahead point of the velocity, which corrects overshoot a little earlier than plain momentum. Its curve tracks momentum closely and is usually a touch smoother.'),
  optimizerPreset('adagrad', 0.05, 'Optimizer: AdaGrad',
    'AdaGrad divides each parameter\'s step by the root of its accumulated squared gradients, so rarely-updated parameters get larger steps. Because the accumulator only grows, its effective learning rate keeps shrinking: a fast start, then a slowing loss curve.'),
  optimizerPreset('rmsprop', 0.001, 'Optimizer: RMSProp',
    'RMSProp replaces AdaGrad\'s growing sum by a leaky average (decay 0.99) of squared gradients, so the effective step does not decay to zero. With a small learning rate (1e-3) it already trains much faster than plain SGD.'),
  optimizerPreset('adam', 0.001, 'Optimizer: Adam',
    'Adam combines momentum (first moment, β1 = 0.9) with RMSProp scaling (second moment, β2 = 0.999) and bias correction for the first steps. With lr = 1e-3 it is the usual strong default: the loss drops quickly and smoothly.'),
  optimizerPreset('adamw', 0.001, 'Optimizer: AdamW',
    'AdamW is Adam with decoupled weight decay: the weights shrink by lr·weight_decay·w each step, separately from the adaptive gradient step. The loss behaves like Adam\'s while the weight norms stay smaller.'),
  {
    name: 'dropout',
    title: 'Dropout reduces overfitting',
    explain: 'A wide network on a small, noisy spiral overfits: near-perfect training accuracy and a large gap to validation. With dropout 0.5 (inverted dropout: half of the hidden units are dropped at random in every training step, and the rest scaled by 2) the network cannot rely on any single unit: the training loss is noisier and higher and the gap between training and validation accuracy shrinks. Set Dropout to 0 to compare.',
    config: spiral({ hidden: [200, 200], dropout: 0.5 }, { optimizer: 'adam', lr: 0.003, batch_size: 16 }, { samples: 150, noise: 0.4, val_fraction: 0.5 }),
  },
  {
    name: 'l2',
    title: 'L2 regularization keeps the weights small',
    explain: 'The same overfitting setup with an L2 penalty ½·λ·ΣW² (λ = 0.01) instead of dropout. The regularization loss is part of the total loss, the weight norms stay much smaller than without it, the decision boundary is smoother and the train/validation gap is smaller. Set L2 to 0 to compare.',
    config: spiral({ hidden: [200, 200] }, { optimizer: 'adam', lr: 0.003, batch_size: 32, l2: 0.01 }, { samples: 150, noise: 0.4, val_fraction: 0.4 }),
  },
  {
    name: 'conv-fashion',
    title: 'A small conv net on Fashion-MNIST',
    explain: 'Real photos of clothing, 28×28 grey pixels, ten classes (T-shirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot), the validation images taken from the official test file. The network is the lecture\'s pattern: conv 8@5×5 (pad 2 keeps 28×28) → ReLU → 2×2 max pool → conv 16@5×5 → ReLU → pool → a fully connected layer to the 10 scores, 11,274 parameters in all (7,850 of them in that last layer). Within a thousand steps it gets above 85% of the validation images right (guessing gets 10%); shirts, T-shirts and pullovers are the classes it still confuses.',
    config: fashion({ data: { samples: 10000, val_fraction: 0.2 }, model: { layers: SMALL_CONV }, train: { optimizer: 'adam', lr: 0.002 } }),
  },
  {
    name: 'mlp-vs-conv',
    title: 'Same parameter budget: a conv net beats a fully connected net',
    explain: 'Ten kinds of coloured shapes (bars, crosses, rings, triangles, checkers …) anywhere in a 16×16 image. This conv net has 3,962 parameters: its 3×3 filters are shared over every position, so a ring is detected wherever it is. A fully connected net with the same budget (model.hidden [5] instead of model.layers: 3,905 parameters) must spend them on 768 inputs per unit and learns the training images without generalizing: after 600 steps the conv net classifies about 88% of the validation images, the fully connected one about half.',
    config: {
      seed: 1,
      data: { dataset: 'shapes', classes: 10, samples: 2000, val_fraction: 0.2, preprocess: 'channel_mean' },
      model: { layers: [{ type: 'conv', filters: 8, size: 3, pad: 'same' }, { type: 'pool' }, { type: 'conv', filters: 16, size: 3, pad: 'same' }, { type: 'pool' }] },
      train: { optimizer: 'adam', lr: 0.003, batch_size: 32 },
      diagnostics: { cadence: 50 },
    },
  },
  {
    name: 'mean-image',
    title: 'Preprocessing images: none vs mean image vs per-channel mean',
    explain: 'Fashion-MNIST pixels lie in [0, 1] with a mean of 0.28: without preprocessing every input of the first layer is positive, all the gradients on one unit\'s weights share a sign, and the 784 pixels move a unit\'s pre-activation together along their common mean direction. This network feeds the pixels to a fully connected layer of 100 ReLUs and trains with plain SGD at a learning rate of 1. With the mean image subtracted (AlexNet: one training mean per pixel, this preset) it learns: 70-80% validation accuracy after 400 steps, with no dead unit. Switch Preprocessing to none and reset: within the first steps the large common step pushes almost every unit off the data (Dead ReLU fraction above 90%) and the loss stays at ln 10. The per-channel mean (VGG: one number for the whole grey channel) sits in between: the mean image\'s bright centre and dark border are still there, 10-20% of the units die and the accuracy ends 3 to 11 points lower. Conv layers with small 3×3 filters see only 9 pixels at a time and care much less.',
    config: fashion({
      data: { samples: 5000, val_fraction: 0.2, preprocess: 'mean_image' },
      model: { layers: [{ type: 'dense', units: 100 }] },
      train: { optimizer: 'sgd', lr: 1 },
      cadence: 10,
    }),
  },
  {
    name: 'stride-and-padding',
    title: 'Output size (N − F + 2P)/S + 1: the lecture\'s 7×7 input',
    explain: 'A 7×7 input and 3×3 filters, as in the lecture. With stride 1 the output is (7 − 3)/1 + 1 = 5 wide; with stride 2 (this preset) (7 − 3)/2 + 1 = 3; stride 3 does not fit, (7 − 3)/3 + 1 = 2.33, and trainscope refuses it with that arithmetic. Zero padding 1 with stride 1 keeps 7×7 ("same"). The architecture line shows each layer\'s output size and parameters: 4 filters of 3·3·1 weights plus a bias are 40 parameters whatever the stride.',
    config: {
      seed: 1,
      data: sevenBySeven(200),
      model: { layers: [{ type: 'conv', filters: 4, size: 3, stride: 2 }] },
      train: { optimizer: 'adam', lr: 0.01, batch_size: 16 },
      diagnostics: { cadence: 10 },
    },
  },
  {
    name: 'bn-conv',
    title: 'Batch norm lets a conv net train at a 10× higher learning rate',
    explain: 'A conv net on Fashion-MNIST (conv 8@3×3 → pool → conv 16@3×3 → pool → dense 32 → 10 scores) trained with plain SGD at a learning rate of 1, with batch norm after every conv and dense layer (one mean and variance per channel over the batch and all positions). It trains: about 80% validation accuracy after 300 steps. Set Normalization to none and reset: at the same learning rate the first few updates wreck the weights, many ReLUs die (the Dead ReLU fraction jumps to 40-100%), the scores stop depending on the image and within 20 steps the loss sits at ln 10 = 2.30 for good. Without batch norm this network needs a learning rate ten times lower, 0.1, to train. Batch norm keeps every layer\'s input at unit scale whatever the weights do, so a large step cannot blow up what the next layer sees.',
    config: fashion({ model: { layers: CONV_DENSE_32, norm: 'batch' }, train: { optimizer: 'sgd', lr: 1 } }),
  },
  {
    name: 'group-norm-small-batch',
    title: 'Batch size 2: batch norm\'s statistics are noise, group norm trains',
    explain: 'The conv net of bn-conv trained with Adam on mini-batches of only 2 images. Batch norm would estimate each channel\'s mean and variance from those 2 images: in the dense layer every feature becomes ±1 whatever its values, and the running averages used at test time describe a network that training never saw. Group norm (this preset, 4 groups) normalizes each image on its own, over groups of channels and their positions, so the batch size does not matter: about 78% validation accuracy after 1,000 steps. Set Normalization to batch and reset: the same steps end near 50%, and even the training loss stays high (about 1.9 over the last steps, against 0.6). At batch size 32 the two are close again.',
    config: fashion({ model: { layers: CONV_DENSE_32, norm: 'group', groups: 4 }, train: { optimizer: 'adam', lr: 0.001, batch_size: 2 } }),
  },
  {
    name: 'instance-norm',
    title: 'Instance norm: the output ignores each image\'s contrast and brightness',
    explain: 'Instance norm normalizes each image\'s channel over its own positions: subtract that map\'s mean, divide by its standard deviation. A brighter image (x + b) adds the same amount to every position of a map of the first conv layer (it has no zero padding, so no border sees the difference), and a higher contrast (a·x) multiplies the map by a: both vanish in the normalization. So this network (conv 8@5×5 → pool → conv 16@3×3 → pool → 10 scores, instance norm on both conv layers, raw pixels) gives the same predictions, to 1e-3, on a washed-out copy of every validation image (0.5·x + 0.3) as on the original: its accuracy does not move. Trained the same way without normalization it loses 14 to 31 points of accuracy on the washed-out copies, and with batch norm (one statistic per channel for the whole training set, fixed at test time) 10 to 20. Try it with trainer.predict on the data of trainer.data().',
    config: fashion({
      model: { layers: [{ type: 'conv', filters: 8, size: 5 }, { type: 'pool', size: 2 }, { type: 'conv', filters: 16, size: 3, pad: 1 }, { type: 'pool', size: 2 }], norm: 'instance' },
      train: { optimizer: 'adam', lr: 0.002 },
    }),
  },
];

function deepFreeze(value) {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/** The preset called `name`, or undefined. */
function byName(name) {
  return list.find((preset) => preset.name === name);
}

Object.defineProperty(list, 'byName', { value: byName, enumerable: false });

/** Every lecture preset, in lecture order; `presets.byName(name)` finds one. */
export const presets = deepFreeze(list);

/** The preset called `name`; throws an Error listing the names when there is none. */
export function getPreset(name) {
  const preset = byName(name);
  if (!preset) {
    throw new Error(`unknown preset ${JSON.stringify(name)}; presets: ${list.map((item) => item.name).join(', ')}`);
  }
  return preset;
}
