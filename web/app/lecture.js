// The lecture view (issue 15 §5): for a projector, text and ticks at 16 px or more, the preset's
// key charts first and large, the settings in a drawer. Which charts are key is here, per preset.
// Pure: no DOM, testable in node.

const INIT_CHARTS = ['activations', 'loss'];

/** Per preset: the charts that show its phenomenon, most important first. */
export const presetKeyCharts = {
  'zero-init': ['loss', 'activations'],
  'small-init-deep-tanh': INIT_CHARTS,
  'large-init-deep-tanh': INIT_CHARTS,
  'xavier-tanh': INIT_CHARTS,
  'xavier-relu': INIT_CHARTS,
  'he-relu': INIT_CHARTS,
  'batchnorm-rescue': ['loss', 'activations'],
  'lr-too-high': ['loss', 'update-ratio'],
  'lr-too-low': ['loss', 'update-ratio'],
  'overfit-20': ['loss', 'accuracy'],
  'dead-relu': ['dead-relu', 'loss'],
  'sigmoid-slow': ['loss', 'gradient-norm'],
  'relu-fast': ['loss', 'gradient-norm'],
  dropout: ['loss', 'accuracy'],
  l2: ['loss', 'decision-boundary'],
  // Conv nets and images.
  'conv-fashion': ['accuracy', 'filters'],
  'mlp-vs-conv': ['accuracy', 'confusion-matrix'],
  'mean-image': ['dead-relu', 'loss'],
  'stride-and-padding': ['feature-maps', 'accuracy'],
  'bn-conv': ['loss', 'dead-relu'],
  'group-norm-small-batch': ['accuracy', 'loss'],
  'instance-norm': ['feature-maps', 'predictions'],
};

/** Without a preset (or an optimizer preset): the loss and the decision boundary. */
export const DEFAULT_KEY_CHARTS = ['loss', 'decision-boundary'];

/** The key charts of `preset` ('' = none). */
export function keyCharts(preset) {
  return presetKeyCharts[preset] ?? DEFAULT_KEY_CHARTS;
}
