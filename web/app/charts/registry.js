// The chart catalogue: every chart the playground and <train-scope charts="…"> can show. Its id,
// title and one-line explanation are in state-schema.js's chartCatalog (pure, also read by the
// URL and attribute parsers); its behaviour is here, one entry per chart.
//
// A chart entry is {id, uses, create}:
//   create(frame, {display, redraw, query, editData}) → {update(runData), dispose(), drawnData?()}
//     frame      the figure it draws in (figures.js: plot, values, caption, setEmpty, addToggle)
//     query      query(method) asks the training worker (worker-client.js call), e.g. 'params'
//     editData   click-to-add data on the decision boundary (full page only), or null
//     display    view options shared by the charts ({smooth}); redraw() after changing one
//     runData    the run store's data (run-store.js) plus `pins` and `display`
//   uses         the parts of runData it reads ('steps', 'diagnostics', 'evals', 'grid', 'pins',
//                'display'); update() is called when one of them (or the run) changed, at most
//                once per animation frame.
//   drawnData()  optional: what the chart draws now ({x, series: [{label, values}]}), for tests.

import { chartCatalog } from '../state-schema.js';
import { lossChart } from './loss.js';
import { accuracyChart } from './accuracy.js';
import { decisionBoundaryChart } from './decision-boundary.js';
import { activationsChart } from './activations.js';
import { deadReluChart } from './dead-relu.js';
import { updateRatioChart } from './update-ratio.js';
import { gradientNormChart } from './gradient-norm.js';
import { networkChart } from './network.js';
import { confusionMatrixChart, featureMapsChart, filtersChart, predictionsChart } from './image-charts.js';

const entries = [lossChart, accuracyChart, decisionBoundaryChart, activationsChart, deadReluChart, updateRatioChart, gradientNormChart, networkChart,
  filtersChart, featureMapsChart, predictionsChart, confusionMatrixChart];

/** @type {Map<string, {id: string, title: string, explain: string, uses: string[], create: Function}>} */
export const chartRegistry = new Map(chartCatalog.map((spec) => {
  const entry = entries.find((e) => e.id === spec.id);
  if (!entry) throw new Error(`chart "${spec.id}" is in the catalogue but has no registry entry`);
  return [spec.id, { ...spec, ...entry }];
}));

for (const entry of entries) {
  if (!chartRegistry.has(entry.id)) throw new Error(`chart "${entry.id}" has no catalogue entry in state-schema.js`);
}
