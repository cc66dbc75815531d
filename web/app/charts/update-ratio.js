// "Update ratio": ‖ΔW‖/‖W‖ per layer on a log axis, with the healthy band 1e-4 … 1e-2 shaded
// and a dashed line at 1e-3.

import { createLayerSeriesChart } from './layer-series.js';
import { logRange } from './time-series.js';
import { okabeIto, withAlpha } from '../palette.js';
import { formatNumber } from '../format.js';
import { positiveOrNull } from '../series.js';

export const updateRatioChart = {
  id: 'update-ratio',
  uses: ['diagnostics'],
  create(frame) {
    return createLayerSeriesChart(frame, {
      plot: { yLog: true, yRange: (min, max) => logRange(min, max, 1e-5, 1e-1), drawUnder: drawHealthyBand },
      series: () => 'update_ratio',
      afterTraining: true,
      clean: positiveOrNull,
      valuesText: (layers) => layers.map((l) => `${l.name} ${formatNumber(l.value, 2)}`).join(' · '),
    });
  },
};

/** uPlot drawClear hook: the healthy update-ratio band 1e-4 … 1e-2 and the 1e-3 line. */
function drawHealthyBand(u) {
  const { ctx, bbox } = u;
  const top = Math.max(bbox.top, u.valToPos(1e-2, 'y', true));
  const bottom = Math.min(bbox.top + bbox.height, u.valToPos(1e-4, 'y', true));
  if (!(bottom > top)) return;
  ctx.save();
  ctx.fillStyle = withAlpha(okabeIto.green, 0.12);
  ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
  const middle = u.valToPos(1e-3, 'y', true);
  if (middle > bbox.top && middle < bbox.top + bbox.height) {
    ctx.strokeStyle = withAlpha(okabeIto.green, 0.7);
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(bbox.left, middle);
    ctx.lineTo(bbox.left + bbox.width, middle);
    ctx.stroke();
  }
  ctx.restore();
}
