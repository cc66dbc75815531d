// Shared by the Loss and Accuracy charts: the x grid that the current run and the pinned runs
// share, and how a pinned run is drawn (a faded dashed line labelled with what differed).

import { withAlpha } from '../palette.js';

/** A copy of the longest step column among the run and its pins (the store keeps appending to its own). */
export function stepGrid(runData) {
  let grid = runData.steps.step;
  for (const pin of runData.pins) {
    const steps = pin.metrics.step;
    if (steps.length && steps.at(-1) > (grid.at(-1) ?? 0)) grid = steps;
  }
  return grid.slice();
}

export function pinStyle(pin) {
  return { label: pin.label, stroke: withAlpha(pin.color, 0.55), width: 1.5, dash: [4, 3], points: false };
}

/** Shows "Press Play" until there is a step to draw; returns the grid. */
export function gridOrEmpty(frame, runData) {
  const grid = stepGrid(runData);
  frame.setEmpty(grid.length ? '' : 'Press Play to start training.');
  return grid;
}
