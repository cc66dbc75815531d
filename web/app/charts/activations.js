// "Activations": the lecture's figure, live. Top: the mean and the std of each hidden layer's
// activations, plotted against depth (a collapsing std towards 0, or a std pinned at 1 by
// saturated tanh units, is the whole story of initialization). Bottom: one histogram per layer.

import { CanvasChart } from './canvas-chart.js';
import { okabeIto, layerColors } from '../palette.js';
import { formatNumber } from '../format.js';
import { latestLayers } from '../run-store.js';

const TEXT = '#30343b';
const MUTED = '#6b7280';
const FONT = '11px system-ui, sans-serif';

export class ActivationsChart extends CanvasChart {
  constructor(host) {
    super(host, 'activations');
    this.layers = [];
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

  draw() {
    this.clear();
    const ctx = this.context;
    const layers = this.layers;
    if (!layers.length) return;
    const summaryHeight = Math.min(110, Math.floor(this.height * 0.42));
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
    const left = x + 46;
    const top = y + 16;
    const plotWidth = width - 54;
    const plotHeight = height - 34;
    ctx.font = FONT;
    ctx.fillStyle = TEXT;
    ctx.fillText(`layer ${name}`, left, y + 11);
    ctx.strokeStyle = 'rgba(0,0,0,0.15)';
    ctx.lineWidth = 1;
    ctx.strokeRect(left, top, plotWidth, plotHeight);
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'right';
    ctx.fillText(formatNumber(high, 2), left - 4, top + 9);
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
    ctx.fillText('1', left, top + plotHeight + 12);
    ctx.textAlign = 'right';
    ctx.fillText(`${count}`, left + plotWidth, top + plotHeight + 12);
    ctx.textAlign = 'center';
    ctx.fillText('layer', left + plotWidth / 2, top + plotHeight + 12);
    ctx.textAlign = 'left';
  }

  #drawHistograms(ctx, x, y, width, height, layers) {
    const count = layers.length;
    const gap = 6;
    const cellWidth = (width - gap * (count - 1)) / count;
    const labelHeight = count > 6 ? 14 : 28;
    layers.forEach((layer, index) => {
      const left = x + index * (cellWidth + gap);
      const counts = layer.act.hist ?? [];
      const edges = layer.act.edges ?? [];
      const plotHeight = height - labelHeight;
      const peak = Math.max(1, ...counts);
      ctx.fillStyle = 'rgba(0,0,0,0.04)';
      ctx.fillRect(left, y, cellWidth, plotHeight);
      ctx.fillStyle = layerColors[index % layerColors.length];
      // Inset so that mass in the outermost bins (saturated tanh at ±1) stays visible.
      const inset = 3;
      const barWidth = (cellWidth - 2 * inset) / Math.max(1, counts.length);
      counts.forEach((value, bin) => {
        const barHeight = value > 0 ? Math.max(1, (value / peak) * (plotHeight - 4)) : 0;
        ctx.fillRect(left + inset + bin * barWidth, y + plotHeight - barHeight, Math.max(1.5, barWidth - 0.5), barHeight);
      });
      ctx.font = FONT;
      ctx.fillStyle = TEXT;
      ctx.textAlign = 'center';
      ctx.fillText(count > 6 ? `${index + 1}` : layer.name, left + cellWidth / 2, y + plotHeight + 11);
      if (count <= 6 && edges.length >= 2) {
        ctx.fillStyle = MUTED;
        ctx.fillText(`${formatNumber(edges[0], 2)} … ${formatNumber(edges[edges.length - 1], 2)}`, left + cellWidth / 2, y + plotHeight + 24);
      }
      ctx.textAlign = 'left';
    });
  }
}

export const activationsChart = {
  id: 'activations',
  uses: ['diagnostics'],
  create(frame) {
    const chart = new ActivationsChart(frame.plot);
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
    };
  },
};
