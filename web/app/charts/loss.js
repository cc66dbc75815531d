// "Loss": training loss per step (smoothed or raw, linear or log), validation loss at each
// evaluation, the dashed ln(C) of a uniform guess, and the pinned runs.

import { TimeSeriesChart } from './time-series.js';
import { gridOrEmpty, pinStyle } from './step-grid.js';
import { okabeIto } from '../palette.js';
import { formatNumber } from '../format.js';
import { smoothSeries, alignToGrid, scatterToGrid, finiteOrNull, positiveOrNull } from '../series.js';

export const lossChart = {
  id: 'loss',
  uses: ['steps', 'evals', 'pins', 'display'],
  create(frame, { display, redraw }) {
    let logScale = false;
    const chart = new TimeSeriesChart(frame.plot, { yLog: logScale });
    frame.addToggle('Smooth', display.smooth, (on) => {
      display.smooth = on;
      redraw('display');
    });
    frame.addToggle('Log scale', logScale, (on) => {
      logScale = on;
      chart.setLog(on);
      redraw('display');
    });
    return {
      update(runData) {
        const grid = gridOrEmpty(frame, runData);
        if (grid.length === 0) return;
        const { steps, evals, initialLoss, outputs } = runData;
        const clean = logScale ? positiveOrNull : finiteOrNull;
        const loss = steps.loss ?? []; // none yet in a new run drawn over its pins
        const train = display.smooth ? smoothSeries(loss) : finiteOrNull(loss);
        const series = [
          { label: display.smooth ? 'train (smoothed)' : 'train', stroke: okabeIto.blue, width: 1.5 },
          { label: 'validation', stroke: okabeIto.vermillion, width: 2, spanGaps: true, points: true },
        ];
        const columns = [grid, clean(alignToGrid(grid, steps.step, train)), clean(scatterToGrid(grid, evals.step, evals.valLoss))];
        const expected = initialLoss?.expected;
        if (Number.isFinite(expected)) {
          series.push({ label: `ln(${outputs}) = ${formatNumber(expected)}`, stroke: '#7b8190', width: 1, dash: [6, 4], points: false });
          columns.push(grid.map(() => expected));
        }
        for (const pin of runData.pins) {
          series.push(pinStyle(pin));
          columns.push(clean(alignToGrid(grid, pin.metrics.step, smoothSeries(pin.metrics.loss))));
        }
        chart.setData(series, columns);
        const validation = evals.valLoss.at(-1);
        frame.values.textContent = `train ${formatNumber(loss.at(-1))}` + (validation !== undefined ? ` · validation ${formatNumber(validation)}` : '');
      },
      dispose: () => chart.destroy(),
      drawnData: () => chart.drawnData(),
    };
  },
};
