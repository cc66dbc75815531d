// "Gradient norm": ‖∂L/∂W‖ per layer on a log axis. In a deep net with a poor initialization the
// first layers' lines sit decades below the last ones: vanishing gradients, seen directly.

import { createLayerSeriesChart } from './layer-series.js';
import { logRange } from './time-series.js';
import { formatNumber } from '../format.js';
import { positiveOrNull } from '../series.js';

export const gradientNormChart = {
  id: 'gradient-norm',
  uses: ['diagnostics'],
  create(frame) {
    return createLayerSeriesChart(frame, {
      plot: { yLog: true, yRange: (min, max) => logRange(min, max, 1e-3, 1) },
      series: () => 'grad_norm',
      afterTraining: true,
      clean: positiveOrNull,
      valuesText: (layers) => layers.map((l) => `${l.name} ${formatNumber(l.value, 2)}`).join(' · '),
    });
  },
};
