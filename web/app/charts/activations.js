// "Activations": the lecture's figure, live. Top: the mean and the std of each hidden layer's
// activations, plotted against depth (a collapsing std towards 0, or a std pinned at 1 by
// saturated tanh units, is the whole story of initialization). Bottom: one histogram per layer,
// all on one shared x-range (labelled) as in the lecture's figure, so a layer whose activations
// collapse towards 0 shows as a narrowing spike; a toggle gives each layer its own range.

import { CanvasChart } from './canvas-chart.js';
import { okabeIto, depthColors } from '../palette.js';
import { formatNumber } from '../format.js';
import { latestLayers } from '../run-store.js';
import { tickFontPx, tickFont } from './tick-font.js';

const TEXT = '#30343b';
const MUTED = '#6b7280';
// Text at 11 px, or at the page's tick size when it is larger (the lecture view's 16 px); the
// layout's offsets grow with it (`k`).
const BASE_FONT_PX = 11;

export class ActivationsChart extends CanvasChart {
  constructor(host) {
    super(host, 'activations');
    this.layers = [];
    this.sharedRange = true;
  }

  setSharedRange(shared) {
    this.sharedRange = shared;
    this.draw();
  }

  reset() {
    this.layers = [];
    this.draw();
  }

  /** @param {Array<{name, activation, act: {mean, std, hist, edges}}>} layers  (output layer excluded by caller) */
  update(layers) {
    this.layers = layers;
    this.draw();
  }

  /** The text size for the current size of the chart (read from CSS again when the size changes). */
  #fontPx() {
    const size = `${this.width}x${this.height}`;
    if (this.fontSize !== size) {
      this.fontSize = size;
      const tick = tickFontPx(this.host);
      this.fontPx = tick > 12 ? tick : BASE_FONT_PX;
    }
    return this.fontPx;
  }

  draw() {
    this.clear();
    const ctx = this.context;
    const layers = this.layers;
    if (!layers.length) return;
    this.drawnFontPx = this.#fontPx();
    this.k = this.drawnFontPx / BASE_FONT_PX;
    this.font = tickFont(this.drawnFontPx);
    const summaryHeight = Math.min(110 * this.k, Math.floor(this.height * 0.42));
    const half = Math.floor(this.width / 2);
    this.#drawProfile(ctx, 0, 0, half - 6, summaryHeight, 'mean', layers.map((l) => l.act.mean), okabeIto.blue);
    this.#drawProfile(ctx, half + 6, 0, this.width - half - 6, summaryHeight, 'std', layers.map((l) => l.act.std), okabeIto.vermillion);
    this.#drawHistograms(ctx, 0, summaryHeight + 10, this.width, this.height - summaryHeight - 10, layers);
  }

  /** A small line plot of one statistic against layer index, with its own y range. */
  #drawProfile(ctx, x, y, width, height, name, values, color) {
    const finite = values.filter(Number.isFinite);
    let low = Math.min(0, ...finite);
    let high = Math.max(...finite, low + 1e-9);
    if (name === 'std') low = 0;
    if (high - low < 1e-9) high = low + 1;
    const k = this.k;
    const left = x + 46 * k;
    const top = y + 16 * k;
    const plotWidth = width - 54 * k;
    const plotHeight = height - 34 * k;
    ctx.font = this.font;
    ctx.fillStyle = TEXT;
    ctx.fillText(`layer ${name}`, left, y + 11 * k);
    ctx.strokeStyle = 'rgba(0,0,0,0.15)';
    ctx.lineWidth = 1;
    ctx.strokeRect(left, top, plotWidth, plotHeight);
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'right';
    ctx.fillText(formatNumber(high, 2), left - 4, top + 9 * k);
    ctx.fillText(formatNumber(low, 2), left - 4, top + plotHeight);
    ctx.textAlign = 'left';
    const count = values.length;
    const px = (i) => left + (count === 1 ? plotWidth / 2 : (i / (count - 1)) * plotWidth);
    const py = (v) => top + plotHeight - ((v - low) / (high - low)) * plotHeight;
    if (low < 0 && high > 0) {
      ctx.strokeStyle = 'rgba(0,0,0,0.25)';
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(left, py(0));
      ctx.lineTo(left + plotWidth, py(0));
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      if (i === 0) ctx.moveTo(px(i), py(v));
      else ctx.lineTo(px(i), py(v));
    });
    ctx.stroke();
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      ctx.beginPath();
      ctx.arc(px(i), py(v), 2.5, 0, Math.PI * 2);
      ctx.fill();
    });
    ctx.fillStyle = MUTED;
    ctx.fillText('1', left, top + plotHeight + 12 * k);
    ctx.textAlign = 'right';
    ctx.fillText(`${count}`, left + plotWidth, top + plotHeight + 12 * k);
    ctx.textAlign = 'center';
    ctx.fillText('layer', left + plotWidth / 2, top + plotHeight + 12 * k);
    ctx.textAlign = 'left';
  }

  #drawHistograms(ctx, x, y, width, height, layers) {
    const count = layers.length;
    const gap = 6;
    const cellWidth = (width - gap * (count - 1)) / count;
    const shared = this.sharedRange ? sharedHistogramRange(layers) : null;
    this.drawnRange = shared; // what the cells were drawn on (tests read it)
    // One line under the cells for the shared range; per-layer ranges need their own lines.
    const k = this.k;
    const labelHeight = (shared ? 28 : count > 6 ? 14 : 28) * k;
    const plotHeight = height - labelHeight;
    const colors = depthColors(count + 1); // the output layer keeps the last colour, as in the other charts
    layers.forEach((layer, index) => {
      const left = x + index * (cellWidth + gap);
      const counts = layer.act.hist ?? [];
      const edges = layer.act.edges ?? [];
      const peak = Math.max(1, ...counts);
      ctx.fillStyle = 'rgba(0,0,0,0.04)';
      ctx.fillRect(left, y, cellWidth, plotHeight);
      ctx.fillStyle = colors[index];
      // Inset so that mass in the outermost bins (saturated tanh at ±1) stays visible.
      const inset = 3;
      const inner = cellWidth - 2 * inset;
      const [low, high] = shared ?? [edges[0], edges[edges.length - 1]];
      const span = high - low || 1;
      const px = (value) => left + inset + ((value - low) / span) * inner;
      counts.forEach((value, bin) => {
        const barHeight = value > 0 ? Math.max(1, (value / peak) * (plotHeight - 4)) : 0;
        const from = edges.length === counts.length + 1 ? px(edges[bin]) : left + inset + (bin / counts.length) * inner;
        const to = edges.length === counts.length + 1 ? px(edges[bin + 1]) : left + inset + ((bin + 1) / counts.length) * inner;
        ctx.fillRect(from, y + plotHeight - barHeight, Math.max(1.5, to - from - 0.5), barHeight);
      });
      ctx.font = this.font;
      ctx.fillStyle = TEXT;
      ctx.textAlign = 'center';
      ctx.fillText(count > 6 ? `${index + 1}` : layer.name, left + cellWidth / 2, y + plotHeight + 11 * k);
      if (!shared && count <= 6 && edges.length >= 2) {
        ctx.fillStyle = MUTED;
        ctx.fillText(`${formatNumber(edges[0], 2)} … ${formatNumber(edges[edges.length - 1], 2)}`, left + cellWidth / 2, y + plotHeight + 24 * k);
      }
      ctx.textAlign = 'left';
    });
    if (shared) {
      ctx.font = this.font;
      ctx.fillStyle = MUTED;
      ctx.textAlign = 'center';
      ctx.fillText(`every histogram: x from ${formatNumber(shared[0], 2)} to ${formatNumber(shared[1], 2)} (shared range)`, x + width / 2, y + plotHeight + 24 * k);
      ctx.textAlign = 'left';
    }
  }
}

/** The x-range covering every layer's histogram edges, or null when no layer has edges. */
export function sharedHistogramRange(layers) {
  let low = Infinity;
  let high = -Infinity;
  for (const layer of layers) {
    const edges = layer.act?.edges ?? [];
    if (edges.length < 2) continue;
    low = Math.min(low, edges[0]);
    high = Math.max(high, edges[edges.length - 1]);
  }
  return Number.isFinite(low) && high > low ? [low, high] : null;
}

export const activationsChart = {
  id: 'activations',
  uses: ['diagnostics'],
  create(frame) {
    const chart = new ActivationsChart(frame.plot);
    frame.addToggle('Per-layer ranges', false, (on) => chart.setSharedRange(!on));
    let run = null;
    return {
      update(runData) {
        if (runData.run !== run) {
          run = runData.run;
          chart.reset();
          frame.values.textContent = '';
        }
        const noHidden = runData.config?.model?.hidden?.length === 0;
        frame.setEmpty(noHidden ? 'No hidden layers to show.' : '');
        const hidden = (latestLayers(runData.diagnostics) ?? []).slice(0, -1);
        if (hidden.length === 0) return;
        chart.update(hidden);
        frame.values.textContent = `std: first layer ${formatNumber(hidden[0].act.std, 2)} → last layer ${formatNumber(hidden.at(-1).act.std, 2)}`;
      },
      dispose: () => chart.destroy(),
      drawnData: () => ({ sharedRange: chart.drawnRange ?? null, layers: chart.layers.length, fontPx: chart.drawnFontPx ?? null }),
    };
  },
};
