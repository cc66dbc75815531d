// The frame of the per-layer charts (Dead ReLU fraction, Update ratio, Gradient norm): one
// diagnostics series per layer against the diagnostics steps, one line per layer in the layer
// colours, the current values as numbers under the plot.

import { TimeSeriesChart } from './time-series.js';
import { depthColors } from '../palette.js';

/**
 * @param {object} frame   the figure frame (figures.js)
 * @param {object} spec
 * @param {object} spec.plot                          TimeSeriesChart options (log axis, range, band)
 * @param {(runData) => string} spec.series           which diagnostics series to draw
 * @param {boolean} [spec.hiddenOnly]                 leave the output layer out
 * @param {boolean} [spec.afterTraining]              nothing to draw at step 0 (e.g. update sizes)
 * @param {(values) => Array} spec.clean              values → plotted values (null = gap)
 * @param {(layers: {name, value}[], runData) => string} spec.valuesText
 * @param {(runData) => string} [spec.emptyText]
 * @param {(runData) => void} [spec.onRun]            once per new run (e.g. a caption)
 */
export function createLayerSeriesChart(frame, spec) {
  const chart = new TimeSeriesChart(frame.plot, spec.plot);
  let run = null;
  return {
    update(runData) {
      if (runData.run !== run) {
        run = runData.run;
        spec.onRun?.(runData);
      }
      const { step, layers: names, series } = runData.diagnostics;
      const count = spec.hiddenOnly ? names.length - 1 : names.length;
      const layers = names.slice(0, Math.max(0, count)).map((name, index) => ({ name, index }));
      const columns = series[spec.series(runData)];
      const ready = layers.length > 0 && columns && step.length > 0 && !(spec.afterTraining && step.at(-1) === 0);
      frame.setEmpty(ready ? '' : spec.emptyText?.(runData) ?? 'Press Play to start training.');
      if (!ready) {
        frame.values.textContent = '';
        return;
      }
      // Colours by depth over all layers (output included), so a layer has one colour in every chart.
      const colors = depthColors(names.length);
      chart.setData(
        layers.map(({ name, index }) => ({ label: name, stroke: colors[index], width: 1.5 })),
        [step.slice(), ...layers.map(({ index }) => spec.clean(columns[index]))], // a copy: the store keeps appending
      );
      frame.values.textContent = spec.valuesText(layers.map(({ name, index }) => ({ name, value: columns[index].at(-1) })), runData);
    },
    dispose: () => chart.destroy(),
    drawnData: () => chart.drawnData(),
  };
}
