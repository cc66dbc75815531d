// "Accuracy": training batches (smoothed) and validation, the train/validation gap, pinned runs.

import { TimeSeriesChart } from './time-series.js';
import { gridOrEmpty, pinStyle } from './step-grid.js';
import { okabeIto } from '../palette.js';
import { percent } from '../format.js';
import { smoothSeries, alignToGrid, scatterToGrid } from '../series.js';

export const accuracyChart = {
  id: 'accuracy',
  uses: ['steps', 'evals', 'pins', 'display'],
  create(frame, { display }) {
    const chart = new TimeSeriesChart(frame.plot, { yRange: [0, 1] });
    return {
      update(runData) {
        const grid = gridOrEmpty(frame, runData);
        if (grid.length === 0) return;
        const { steps, evals, lastEval } = runData;
        const series = [
          { label: 'train (batch, smoothed)', stroke: okabeIto.blue, width: 1.5 },
          { label: 'validation', stroke: okabeIto.vermillion, width: 2, spanGaps: true, points: true },
        ];
        const columns = [
          grid,
          alignToGrid(grid, steps.step, smoothSeries(steps.batch_acc ?? [], display.smooth ? 0.9 : 0.5)),
          scatterToGrid(grid, evals.step, evals.valAcc),
        ];
        for (const pin of runData.pins) {
          series.push(pinStyle(pin));
          columns.push(alignToGrid(grid, pin.metrics.step, smoothSeries(pin.metrics.batch_acc)));
        }
        chart.setData(series, columns);
        frame.values.textContent = lastEval
          ? `train ${percent(lastEval.train.acc)} · validation ${percent(lastEval.val.acc)} · gap ${percent(lastEval.train.acc - lastEval.val.acc)}`
          : '';
      },
      dispose: () => chart.destroy(),
      drawnData: () => chart.drawnData(),
    };
  },
};
