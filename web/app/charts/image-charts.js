// The image charts: "Filters" (the first conv layer's filters as small images, live),
// "Predictions" (validation images with predicted and true labels, mistakes marked) and
// "Confusion matrix" (validation counts by true and predicted class). Each asks the training
// worker (query 'params', 'summary', 'predictions') and spends at most ~10% of the page's time on
// it: the next refresh waits 10 × the cost of the last one. On non-image data they say why not.

import { CanvasChart } from './canvas-chart.js';
import { tileCanvas, tileGrid } from './image-tiles.js';
import { tickFont, tickFontPx } from './tick-font.js';
import { okabeIto } from '../palette.js';
import { percent } from '../format.js';
import { REGISTRIES } from '../../js/schema.js';

const MISTAKE = okabeIto.vermillion ?? '#d55e00';

// [C, H, W] of one example for a run's config, or null for flat (point) data.
function imageShape(config) {
  const data = config?.data ?? {};
  if (Array.isArray(data.shape) && data.shape.length === 3) return data.shape;
  return REGISTRIES.datasets.find((set) => set.name === data.dataset)?.image ?? null;
}

function classNames(config) {
  return REGISTRIES.datasets.find((set) => set.name === config?.data?.dataset)?.class_names ?? [];
}

// A throttled refresher: `work()` runs when nothing is pending and the last run's cost allows
// (the next run waits 10 × the last one's cost). A call that has to wait is not dropped: one
// trailing run follows when the wait is over, so the chart always ends on the latest data (the
// final step after a pause or the end of a budget).
function throttled(work) {
  let pending = false;
  let last = -Infinity;
  let cost = 0;
  let trailing = null;
  const run = async (force = false) => {
    const wait = force ? 0 : last + 10 * cost - performance.now();
    if (pending || wait > 0) {
      if (trailing === null) {
        trailing = setTimeout(() => {
          trailing = null;
          run();
        }, Math.max(wait, 16));
      }
      return;
    }
    pending = true;
    const start = performance.now();
    try {
      await work();
    } catch {
      // The run was replaced or the worker stopped: the next update tries again.
    } finally {
      last = performance.now();
      cost = last - start;
      pending = false;
    }
  };
  return run;
}

class TilesChart extends CanvasChart {
  constructor(host, label) {
    super(host, label);
    this.tiles = null;  // [{canvas, caption, mistake}]
  }

  show(tiles) {
    this.tiles = tiles;
    this.draw();
  }

  draw() {
    this.clear();
    if (!this.tiles || this.tiles.length === 0) return;
    const ctx = this.context;
    const fontPx = Math.max(11, tickFontPx(this.host));
    const captioned = this.tiles.some((tile) => tile.caption);
    const { columns, size } = tileGrid(this.tiles.length, this.width, this.height, captioned ? fontPx + 4 : 0);
    if (size < 4) return;
    ctx.imageSmoothingEnabled = false;
    ctx.font = tickFont(fontPx);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const cellWidth = this.width / columns;
    const cellHeight = size + 4 + (captioned ? fontPx + 4 : 0);
    this.tiles.forEach((tile, index) => {
      const x = (index % columns) * cellWidth + (cellWidth - size) / 2;
      const y = Math.floor(index / columns) * cellHeight + 2;
      ctx.drawImage(tile.canvas, x, y, size, size);
      ctx.lineWidth = tile.mistake ? 3 : 1;
      ctx.strokeStyle = tile.mistake ? MISTAKE : 'rgba(0,0,0,0.25)';
      ctx.strokeRect(x - (tile.mistake ? 1.5 : 0.5), y - (tile.mistake ? 1.5 : 0.5), size + (tile.mistake ? 3 : 1), size + (tile.mistake ? 3 : 1));
      if (tile.caption) {
        ctx.fillStyle = tile.mistake ? MISTAKE : '#30343b';
        ctx.fillText(tile.caption, x + size / 2, y + size + 3, cellWidth - 2);
      }
    });
  }
}

export const filtersChart = {
  id: 'filters',
  uses: ['steps'],
  create(frame, { query } = {}) {
    const chart = new TilesChart(frame.plot, 'filters');
    let run = null;
    let drawn = null;
    let conv = null;  // the first conv layer's summary row
    const refresh = throttled(async () => {
      const forRun = run;
      // The architecture is fixed for a run: its first conv row is asked for once.
      if (conv === null) {
        const first = (await query('summary')).find((row) => row.type === 'conv') ?? null;
        if (forRun !== run) return;
        conv = first;
      }
      const params = await query('params');
      if (forRun !== run || !conv) return;
      const weights = params.find((param) => param.name === `${conv.name}.W`);
      const channels = conv.input[0];
      const taps = channels * conv.size * conv.size;
      // W is taps x filters, row-major: filter f's weights are column f, channel-major patches.
      const doc = frame.plot.ownerDocument;
      const tiles = [];
      const column = new Float32Array(taps);
      for (let f = 0; f < conv.filters; f++) {
        for (let t = 0; t < taps; t++) column[t] = weights.values[t * conv.filters + f];
        tiles.push({ canvas: tileCanvas(doc, column, 0, [channels, conv.size, conv.size]), caption: '' });
      }
      chart.show(tiles);
      drawn = { filters: conv.filters, size: conv.size, channels };
      frame.values.textContent = `${conv.path}: ${conv.filters} filters of ${channels}×${conv.size}×${conv.size}${channels === 3 ? ' (RGB)' : ''}`;
    });
    return {
      update(runData) {
        if (runData.run !== run) {
          run = runData.run;
          conv = null;
          drawn = null;
          chart.show(null);
          frame.values.textContent = '';
          const hasConv = (runData.config?.model?.layers ?? []).some((layer) => layer.type === 'conv');
          frame.setEmpty(hasConv ? '' : 'Only for conv nets: this network has no conv layer (model.layers).');
          if (hasConv) refresh(true);
          return;
        }
        if ((runData.config?.model?.layers ?? []).some((layer) => layer.type === 'conv')) refresh();
      },
      dispose: () => chart.destroy(),
      drawnData: () => drawn,
    };
  },
};

export const predictionsChart = {
  id: 'predictions',
  uses: ['evals'],
  create(frame, { query } = {}) {
    const chart = new TilesChart(frame.plot, 'predictions');
    let run = null;
    let shape = null;
    let drawn = null;
    let config = null;
    const refresh = throttled(async () => {
      const forRun = run;
      const result = await query('predictions');
      if (forRun !== run || !shape) return;
      const names = classNames(config);
      const label = (k) => names[k] ?? String(k);
      const doc = frame.plot.ownerDocument;
      const size = shape[0] * shape[1] * shape[2];
      const tiles = [];
      let wrong = 0;
      for (let i = 0; i < result.shown; i++) {
        const mistake = result.predicted[i] !== result.truth[i];
        wrong += mistake ? 1 : 0;
        tiles.push({
          canvas: tileCanvas(doc, result.images, i * size, shape),
          caption: mistake ? `${label(result.predicted[i])} ✗` : label(result.predicted[i]),
          mistake,
          title: `predicted ${label(result.predicted[i])}, true ${label(result.truth[i])}`,
        });
      }
      chart.show(tiles);
      drawn = { step: result.step, shown: result.shown, mistakes: wrong, predicted: Array.from(result.predicted.slice(0, result.shown)), truth: Array.from(result.truth.slice(0, result.shown)) };
      frame.values.textContent = `step ${result.step} · ${result.shown - wrong} of ${result.shown} right (mistakes framed, their predicted label marked ✗)`;
    });
    return {
      update(runData) {
        if (runData.run !== run) {
          run = runData.run;
          config = runData.config;
          shape = imageShape(runData.config);
          drawn = null;
          chart.show(null);
          frame.values.textContent = '';
          frame.setEmpty(shape ? '' : 'Only for image data: choose an image dataset (shapes, fashion_mnist) or custom data with data.shape.');
        }
        if (shape && runData.evals?.step?.length > 0) refresh();
      },
      dispose: () => chart.destroy(),
      drawnData: () => drawn,
    };
  },
};

class ConfusionChart extends CanvasChart {
  show(model) {
    this.model = model;
    this.draw();
  }

  draw() {
    this.clear();
    if (!this.model) return;
    const { counts, classes, names } = this.model;
    const ctx = this.context;
    const fontPx = Math.max(11, tickFontPx(this.host));
    ctx.font = tickFont(fontPx);
    const labelWidth = Math.min(this.width * 0.3, Math.max(...names.map((name) => ctx.measureText(name).width)) + 8);
    const top = fontPx + 6;
    const cell = Math.max(2, Math.floor(Math.min((this.width - labelWidth) / classes, (this.height - top) / classes)));
    const rowTotals = Array.from({ length: classes }, (_, t) => counts.slice(t * classes, (t + 1) * classes).reduce((a, b) => a + b, 0));
    ctx.textBaseline = 'middle';
    for (let t = 0; t < classes; t++) {
      ctx.textAlign = 'right';
      ctx.fillStyle = '#30343b';
      ctx.fillText(names[t], labelWidth - 4, top + t * cell + cell / 2, labelWidth - 6);
      for (let p = 0; p < classes; p++) {
        const count = counts[t * classes + p];
        const share = rowTotals[t] > 0 ? count / rowTotals[t] : 0;
        // Rows sum to 1: the diagonal is the share of class t recognized; off-diagonal, confusions.
        const shade = Math.round(255 * (1 - share));
        ctx.fillStyle = t === p ? `rgb(${shade},${Math.round(255 - share * 120)},${shade})` : `rgb(255,${shade},${shade})`;
        ctx.fillRect(labelWidth + p * cell, top + t * cell, cell - 1, cell - 1);
        ctx.strokeStyle = '#e5e7eb';  // empty cells stay visible as a grid
        ctx.lineWidth = 1;
        ctx.strokeRect(labelWidth + p * cell + 0.5, top + t * cell + 0.5, cell - 2, cell - 2);
        if (cell >= fontPx * 1.6 && count > 0) {
          ctx.textAlign = 'center';
          ctx.fillStyle = share > 0.55 ? '#fff' : '#30343b';
          ctx.fillText(String(count), labelWidth + p * cell + cell / 2, top + t * cell + cell / 2);
        }
      }
    }
    ctx.textAlign = 'left';
    ctx.fillStyle = '#6b7280';
    ctx.fillText('predicted →  (rows: true class)', labelWidth, fontPx / 2 + 1);
  }
}

export const confusionMatrixChart = {
  id: 'confusion-matrix',
  uses: ['evals'],
  create(frame, { query } = {}) {
    const chart = new ConfusionChart(frame.plot, 'confusion-matrix');
    let run = null;
    let drawn = null;
    let config = null;
    const refresh = throttled(async () => {
      const forRun = run;
      const result = await query('predictions');
      if (forRun !== run) return;
      const classes = result.outputs;
      const counts = new Array(classes * classes).fill(0);
      for (let i = 0; i < result.count; i++) counts[result.truth[i] * classes + result.predicted[i]] += 1;
      const names = classNames(config);
      chart.show({ counts, classes, names: Array.from({ length: classes }, (_, k) => names[k] ?? String(k)) });
      let right = 0;
      for (let k = 0; k < classes; k++) right += counts[k * classes + k];
      drawn = { step: result.step, classes, counts, total: result.count };
      frame.values.textContent = `step ${result.step} · ${result.count} validation examples · accuracy ${percent(result.count ? right / result.count : 0)}`;
    });
    return {
      update(runData) {
        if (runData.run !== run) {
          run = runData.run;
          config = runData.config;
          drawn = null;
          chart.show(null);
          frame.values.textContent = '';
          const classifier = runData.config?.train?.loss !== 'mse';
          frame.setEmpty(classifier ? '' : 'Only for classifiers: this run regresses real targets.');
        }
        if (runData.config?.train?.loss !== 'mse' && runData.evals?.step?.length > 0) refresh();
      },
      dispose: () => chart.destroy(),
      drawnData: () => drawn,
    };
  },
};

const MAPS_PER_LAYER = 16;  // channels shown per layer (the rest are counted)

class FeatureMapsChart extends CanvasChart {
  show(model) {
    this.model = model;
    this.draw();
  }

  // One row per layer: the input image first, then up to MAPS_PER_LAYER channel maps per block.
  draw() {
    this.clear();
    if (!this.model) return;
    const ctx = this.context;
    const { rows } = this.model;
    const fontPx = Math.max(11, tickFontPx(this.host));
    const labelHeight = fontPx + 4;
    const rowHeight = this.height / rows.length;
    const size = Math.max(4, Math.floor(Math.min(rowHeight - labelHeight - 4, (this.width - 4) / MAPS_PER_LAYER - 4)));
    ctx.imageSmoothingEnabled = false;
    ctx.font = tickFont(fontPx);
    ctx.textBaseline = 'top';
    rows.forEach((row, r) => {
      const y = r * rowHeight;
      ctx.fillStyle = '#30343b';
      ctx.fillText(row.label, 2, y + 1, this.width - 4);
      row.tiles.forEach((tile, i) => {
        const x = 2 + i * (size + 4);
        ctx.drawImage(tile, x, y + labelHeight, size, size);
        ctx.strokeStyle = 'rgba(0,0,0,0.25)';
        ctx.lineWidth = 1;
        ctx.strokeRect(x - 0.5, y + labelHeight - 0.5, size + 1, size + 1);
      });
    });
  }
}

export const featureMapsChart = {
  id: 'feature-maps',
  uses: ['evals'],
  create(frame, { query } = {}) {
    const chart = new FeatureMapsChart(frame.plot, 'feature-maps');
    let run = null;
    let config = null;
    let shape = null;
    let index = 0;
    let drawn = null;
    const doc = frame.plot.ownerDocument;
    // "‹ image 3 of 400 ›": which validation image the maps are for.
    const picker = doc.createElement('span');
    picker.className = 'ts-image-picker';
    const previous = doc.createElement('button');
    previous.type = 'button';
    previous.textContent = '‹';
    previous.setAttribute('aria-label', 'previous validation image');
    const next = doc.createElement('button');
    next.type = 'button';
    next.textContent = '›';
    next.setAttribute('aria-label', 'next validation image');
    const which = doc.createElement('span');
    picker.append(previous, which, next);
    frame.tools.append(picker);
    picker.hidden = true;
    const refresh = throttled(async () => {
      const forRun = run;
      const result = await query('featureMaps', index);
      if (forRun !== run || !result || !shape) return;
      index = result.index;
      const names = classNames(config);
      const rows = [{ label: `input: ${names[result.label] ?? result.label}`, tiles: [tileCanvas(doc, result.image, 0, shape)] }];
      for (const map of result.maps) {
        const [channels, height, width] = map.shape;
        if (height * width === 1) continue;  // a dense layer's units are not maps
        const shown = Math.min(channels, MAPS_PER_LAYER);
        const tiles = Array.from({ length: shown }, (_, c) => tileCanvas(doc, map.values, c * height * width, [1, height, width]));
        rows.push({ label: `${map.path} (${map.name}): ${channels}×${height}×${width}${shown < channels ? `, first ${shown}` : ''}`, tiles });
      }
      chart.show({ rows });
      which.textContent = ` image ${result.index + 1} of ${result.count} `;
      drawn = { index: result.index, step: result.step, layers: rows.length - 1, shapes: result.maps.map((map) => map.shape) };
      frame.values.textContent = `step ${result.step} · validation image ${result.index + 1}: each map on its own grey scale (black = its lowest value)`;
    });
    const pick = (delta) => {
      index = Math.max(0, index + delta);
      refresh(true);
    };
    previous.addEventListener('click', () => pick(-1));
    next.addEventListener('click', () => pick(1));
    return {
      update(runData) {
        if (runData.run !== run) {
          run = runData.run;
          config = runData.config;
          shape = imageShape(runData.config);
          const hasConv = (runData.config?.model?.layers ?? []).some((layer) => layer.type === 'conv');
          drawn = null;
          chart.show(null);
          frame.values.textContent = '';
          picker.hidden = !(shape && hasConv);
          frame.setEmpty(shape && hasConv ? '' : 'Only for conv nets on image data: the maps are what each conv layer computes at every position.');
          if (!(shape && hasConv)) shape = null;
        }
        if (shape && runData.evals?.step?.length > 0) refresh();
      },
      dispose: () => chart.destroy(),
      drawnData: () => drawn,
    };
  },
};
