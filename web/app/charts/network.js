// "Network": TensorFlow Playground's picture, live. One row per layer (inputs at the top, the
// output at the bottom): each unit is a small heatmap of what it computes over the plane (blue
// positive, orange negative, white 0, each unit on its own scale), and the weights between two
// rows are lines whose colour is their sign and whose width is their size. Wide layers show their
// first units and say how many are left out. Redrawn with every decision-boundary grid, from the
// trainer's parameters (network-forward.js computes the units in the page).

import { CanvasChart } from './canvas-chart.js';
import { okabeIto, hexToRgb } from '../palette.js';
import { networkSupport, denseLayers, unitOutputs } from '../network-forward.js';
import { tickFontPx, tickFont } from './tick-font.js';

const MAX_UNITS_SHOWN = 12;
const RESOLUTION = 20;
const POSITIVE = hexToRgb(okabeIto.blue);
const NEGATIVE = hexToRgb(okabeIto.orange);

export class NetworkChart extends CanvasChart {
  constructor(host) {
    super(host, 'network');
    this.model = null; // {rows: [{name, units, shown, images: HTMLCanvasElement[]}], weights: [...]}
  }

  /** @param {Array<{name, units, W}>} layers  @param {Float32Array[]} outputs  per layer, from unitOutputs */
  update(layers, outputs) {
    const doc = this.host.ownerDocument;
    const cells = RESOLUTION * RESOLUTION;
    const heatmap = (values, offset) => {
      let peak = 1e-9;
      for (let i = 0; i < cells; i++) peak = Math.max(peak, Math.abs(values[offset + i]));
      const canvas = doc.createElement('canvas');
      canvas.width = RESOLUTION;
      canvas.height = RESOLUTION;
      const context = canvas.getContext('2d');
      const image = context.createImageData(RESOLUTION, RESOLUTION);
      for (let row = 0; row < RESOLUTION; row++) {
        for (let col = 0; col < RESOLUTION; col++) {
          const value = values[offset + row * RESOLUTION + col] / peak;
          const [r, g, b] = value >= 0 ? POSITIVE : NEGATIVE;
          const weight = Math.min(1, Math.abs(value));
          const pixel = ((RESOLUTION - 1 - row) * RESOLUTION + col) * 4; // image top = ymax
          image.data[pixel] = 255 + (r - 255) * weight;
          image.data[pixel + 1] = 255 + (g - 255) * weight;
          image.data[pixel + 2] = 255 + (b - 255) * weight;
          image.data[pixel + 3] = 255;
        }
      }
      context.putImageData(image, 0, 0);
      return canvas;
    };
    // Row 0: the two inputs, x and y over the plane.
    const inputs = new Float32Array(2 * cells);
    for (let row = 0; row < RESOLUTION; row++) {
      for (let col = 0; col < RESOLUTION; col++) {
        inputs[row * RESOLUTION + col] = col / (RESOLUTION - 1) - 0.5;
        inputs[cells + row * RESOLUTION + col] = row / (RESOLUTION - 1) - 0.5;
      }
    }
    const rows = [{ name: 'input', units: 2, shown: 2, images: [heatmap(inputs, 0), heatmap(inputs, cells)] }];
    layers.forEach((layer, index) => {
      const shown = Math.min(layer.units, MAX_UNITS_SHOWN);
      rows.push({ name: layer.name, units: layer.units, shown, images: Array.from({ length: shown }, (_, unit) => heatmap(outputs[index], unit * cells)) });
    });
    this.model = { rows, layers };
    this.draw();
  }

  reset() {
    this.model = null;
    this.draw();
  }

  /** What is drawn, for tests: rows (name, units, shown) and the weight lines drawn. */
  drawnData() {
    if (!this.model) return null;
    return { rows: this.model.rows.map(({ name, units, shown }) => ({ name, units, shown })), lines: this.lines ?? 0 };
  }

  draw() {
    this.clear();
    if (!this.model) return;
    const ctx = this.context;
    const { rows, layers } = this.model;
    const rowHeight = this.height / rows.length;
    const size = Math.max(8, Math.min(rowHeight - 16, (this.width - 80) / MAX_UNITS_SHOWN - 6));
    const centres = rows.map((row, r) => {
      const gap = Math.min(size * 0.6, (this.width - 80 - row.shown * size) / Math.max(1, row.shown));
      const total = row.shown * size + (row.shown - 1) * gap;
      const left = 70 + (this.width - 80 - total) / 2;
      const top = r * rowHeight + (rowHeight - size) / 2;
      return row.images.map((_, i) => ({ x: left + i * (size + gap), y: top }));
    });
    // Weights: row r's units to row r + 1's, coloured by sign, width by size (largest = 3 px).
    let lines = 0;
    layers.forEach((layer, index) => {
      const from = centres[index];
      const to = centres[index + 1];
      let peak = 1e-9;
      for (const value of layer.W) peak = Math.max(peak, Math.abs(value));
      for (let i = 0; i < from.length; i++) {
        for (let j = 0; j < to.length; j++) {
          const weight = layer.W[i * layer.units + j];
          ctx.strokeStyle = weight >= 0 ? okabeIto.blue : okabeIto.orange;
          ctx.globalAlpha = 0.25 + 0.6 * Math.abs(weight) / peak;
          ctx.lineWidth = 0.3 + 2.7 * Math.abs(weight) / peak;
          ctx.beginPath();
          ctx.moveTo(from[i].x + size / 2, from[i].y + size);
          ctx.lineTo(to[j].x + size / 2, to[j].y);
          ctx.stroke();
          lines++;
        }
      }
    });
    ctx.globalAlpha = 1;
    this.lines = lines;
    ctx.imageSmoothingEnabled = true;
    // 11 px, or the page's tick size when larger (the lecture view).
    const fontPx = tickFontPx(this.host) > 12 ? tickFontPx(this.host) : 11;
    ctx.font = tickFont(fontPx);
    ctx.textBaseline = 'middle';
    rows.forEach((row, r) => {
      ctx.fillStyle = '#30343b';
      ctx.fillText(row.name, 4, r * rowHeight + rowHeight / 2 - fontPx * 0.55);
      if (row.shown < row.units) {
        ctx.fillStyle = '#6b7280';
        ctx.fillText(`${row.shown} of ${row.units}`, 4, r * rowHeight + rowHeight / 2 + fontPx * 0.75);
      }
      row.images.forEach((image, i) => {
        const { x, y } = centres[r][i];
        ctx.drawImage(image, x, y, size, size);
        ctx.strokeStyle = 'rgba(0,0,0,0.25)';
        ctx.lineWidth = 1;
        ctx.strokeRect(x + 0.5, y + 0.5, size - 1, size - 1);
      });
    });
  }
}

export const networkChart = {
  id: 'network',
  uses: ['grid'],
  create(frame, { query } = {}) {
    const chart = new NetworkChart(frame.plot);
    let run = null;
    let drawnStep = null;
    let pending = false;
    let supported = '';
    // At most ~10% of the page's time: the next refresh waits 10 × the last one's cost (a
    // 200 × 200 network's forward pass over the grid takes milliseconds).
    let lastDrawn = 0;
    let lastCost = 0;
    const refresh = async (runData) => {
      if (pending || !query) return;
      if (drawnStep !== null && performance.now() - lastDrawn < 10 * lastCost) return;
      pending = true;
      try {
        const params = await query('params');
        if (runData.run !== run) return; // a new run started meanwhile
        const start = performance.now();
        const layers = denseLayers(params);
        const model = runData.config.model;
        chart.update(layers, unitOutputs(layers, model.activation, model.alpha, runData.grid?.bounds ?? runData.bounds, RESOLUTION));
        lastDrawn = performance.now();
        lastCost = lastDrawn - start;
        drawnStep = runData.grid?.step ?? 0;
        frame.values.textContent = `step ${drawnStep} · ${layers.reduce((sum, l) => sum + l.W.length, 0).toLocaleString('en-US')} weights`;
      } catch {
        // The run was replaced or the worker stopped: the next grid draws again.
      } finally {
        pending = false;
      }
    };
    return {
      update(runData) {
        if (runData.run !== run) {
          run = runData.run;
          drawnStep = null;
          chart.reset();
          frame.values.textContent = '';
          supported = networkSupport(runData.config);
          frame.setEmpty(supported);
        }
        if (supported || !runData.bounds) return;
        if (!runData.grid && drawnStep !== null) return;
        refresh(runData);
      },
      dispose: () => chart.destroy(),
      drawnData: () => ({ step: drawnStep, ...(chart.drawnData() ?? { rows: [], lines: 0 }) }),
    };
  },
};
