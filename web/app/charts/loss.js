// "Loss": training loss per step (the raw batch losses drawn faintly, the smoothed curve over
// them; smoothing never crosses a divergence), validation loss at each evaluation, the dashed
// ln(C) of a uniform guess, and the pinned runs. Optional log axes (loss and steps).

import { TimeSeriesChart } from './time-series.js';
import { gridOrEmpty, pinStyle } from './step-grid.js';
import { okabeIto, withAlpha } from '../palette.js';
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
    frame.addToggle('Log steps', false, (on) => {
      chart.setXLog(on);
      redraw('display');
    });
    return {
      update(runData) {
        const grid = gridOrEmpty(frame, runData);
        if (grid.length === 0) return;
        const { steps, evals, initialLoss, outputs } = runData;
        const clean = logScale ? positiveOrNull : finiteOrNull;
        const loss = steps.loss ?? []; // none yet in a new run drawn over its pins
        const raw = alignToGrid(grid, steps.step, finiteOrNull(loss));
        const series = [];
        const columns = [grid];
        if (display.smooth) {
          // The batch losses themselves, faint, under the smoothed curve: the peak stays visible.
          series.push({ label: 'train (batch)', stroke: withAlpha(okabeIto.blue, 0.28), width: 1, points: false });
          columns.push(clean(raw));
          series.push({ label: 'train (smoothed)', stroke: okabeIto.blue, width: 1.75 });
          columns.push(clean(alignToGrid(grid, steps.step, smoothSeries(loss))));
        } else {
          series.push({ label: 'train (batch)', stroke: okabeIto.blue, width: 1.5 });
          columns.push(clean(raw));
        }
        series.push({ label: 'validation', stroke: okabeIto.vermillion, width: 2, spanGaps: true, points: true });
        columns.push(clean(scatterToGrid(grid, evals.step, evals.valLoss)));
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
        const lastStep = steps.step.at(-1);
        frame.values.textContent = `last batch ${formatNumber(loss.at(-1))}` + (validation !== undefined ? ` · validation ${formatNumber(validation)} (step ${evals.step.at(-1)})` : '') + (lastStep !== undefined ? ` · step ${lastStep}` : '');
      },
      dispose: () => chart.destroy(),
      drawnData: () => chart.drawnData(),
    };
  },
};
