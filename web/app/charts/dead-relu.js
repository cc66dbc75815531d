// "Dead ReLU fraction": per hidden layer, the share of units that never fire on the probe set.
// A tanh or sigmoid unit cannot die; for those nets the chart shows the saturated fraction
// (units whose local gradient is almost 0) and its caption says so.

import { createLayerSeriesChart } from './layer-series.js';
import { percent } from '../format.js';
import { finiteOrNull } from '../series.js';

const SATURATING = new Set(['tanh', 'sigmoid']);
const saturating = (runData) => SATURATING.has(runData.config?.model?.activation);

export const deadReluChart = {
  id: 'dead-relu',
  uses: ['diagnostics'],
  create(frame) {
    const explain = frame.caption.textContent;
    return createLayerSeriesChart(frame, {
      plot: { yRange: [0, 1], yFormat: (v) => `${Math.round(v * 100)}%` },
      series: (runData) => (saturating(runData) ? 'saturated_fraction' : 'dead_fraction'),
      hiddenOnly: true,
      clean: finiteOrNull,
      valuesText: (layers, runData) => `${saturating(runData) ? 'saturated' : 'dead'} now: ${layers.map((l) => `${l.name} ${percent(l.value)}`).join(' · ')}`,
      emptyText: (runData) => (runData.config?.model?.hidden?.length === 0 ? 'No hidden layers: nothing can die.' : 'Press Play to start training.'),
      onRun(runData) {
        const activation = runData.config?.model?.activation;
        frame.caption.textContent = saturating(runData)
          ? `This ${activation} network cannot have dead ReLUs: the chart shows the saturated fraction instead (${activation === 'tanh' ? '|y| > 0.99' : 'y < 0.01 or > 0.99'}), units whose local gradient is almost 0.`
          : explain;
      },
    });
  },
};
