// "Decision boundary": the classifier's prediction over the plane (a low-resolution grid from the
// worker, upscaled smoothly), with training points filled and validation points as rings.

import { CanvasChart } from './canvas-chart.js';
import { classColors, hexToRgb } from '../palette.js';
import { percent } from '../format.js';

const classRgb = classColors.map(hexToRgb);

export class DecisionBoundaryChart extends CanvasChart {
  constructor(host) {
    super(host, 'decision-boundary');
    this.grid = null;
    this.data = null;
    this.bounds = null;
    this.gridCanvas = host.ownerDocument.createElement('canvas');
  }

  reset({ data, bounds }) {
    this.data = data;
    this.bounds = bounds;
    this.grid = null;
    this.draw();
  }

  /** @param {{resolution, outputs, values: Float32Array, bounds}} grid */
  update(grid) {
    this.grid = grid;
    this.#paintGrid();
    this.draw();
  }

  /** One pixel per grid cell: the class colours mixed by predicted probability, lightened. */
  #paintGrid() {
    const { resolution, outputs, values } = this.grid;
    this.gridCanvas.width = resolution;
    this.gridCanvas.height = resolution;
    const context = this.gridCanvas.getContext('2d');
    const image = context.createImageData(resolution, resolution);
    const probabilities = looksLikeProbabilities(values, outputs);
    for (let row = 0; row < resolution; row++) {
      for (let col = 0; col < resolution; col++) {
        const cell = row * resolution + col;
        let r = 0;
        let g = 0;
        let b = 0;
        if (probabilities) {
          for (let k = 0; k < outputs; k++) {
            const p = values[cell * outputs + k];
            const [cr, cg, cb] = classRgb[k % classRgb.length];
            r += p * cr;
            g += p * cg;
            b += p * cb;
          }
        } else {
          let best = 0;
          for (let k = 1; k < outputs; k++) if (values[cell * outputs + k] > values[cell * outputs + best]) best = k;
          [r, g, b] = classRgb[best % classRgb.length];
        }
        // Grid row 0 is ymin: the image's top row is ymax.
        const pixel = ((resolution - 1 - row) * resolution + col) * 4;
        const lighten = 0.55; // keep the points readable on top
        image.data[pixel] = r + (255 - r) * lighten;
        image.data[pixel + 1] = g + (255 - g) * lighten;
        image.data[pixel + 2] = b + (255 - b) * lighten;
        image.data[pixel + 3] = 255;
      }
    }
    context.putImageData(image, 0, 0);
  }

  /** The square the plane is drawn in: {left, top, size} in CSS pixels. */
  #square() {
    const size = Math.min(this.width, this.height);
    return { left: (this.width - size) / 2, top: (this.height - size) / 2, size };
  }

  /** The data point under canvas position (px, py) in CSS pixels, or null outside the plane. */
  toData(px, py) {
    if (!this.bounds) return null;
    const { left, top, size } = this.#square();
    const u = (px - left) / size;
    const v = (py - top) / size;
    if (u < 0 || u > 1 || v < 0 || v > 1) return null;
    const [xmin, xmax, ymin, ymax] = this.bounds;
    return { x: xmin + u * (xmax - xmin), y: ymax - v * (ymax - ymin), pixel: (xmax - xmin) / size };
  }

  draw() {
    this.clear();
    if (!this.bounds) return;
    const ctx = this.context;
    const { left, top, size } = this.#square();
    if (this.grid) {
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.gridCanvas, left, top, size, size);
    } else {
      ctx.fillStyle = '#f3f4f6';
      ctx.fillRect(left, top, size, size);
    }
    ctx.strokeStyle = 'rgba(0,0,0,0.2)';
    ctx.strokeRect(left + 0.5, top + 0.5, size - 1, size - 1);
    const [xmin, xmax, ymin, ymax] = this.bounds;
    const px = (x) => left + ((x - xmin) / (xmax - xmin)) * size;
    const py = (y) => top + size - ((y - ymin) / (ymax - ymin)) * size;
    const radius = size > 260 ? 3.2 : 2.4;
    const drawSplit = (split, filled) => {
      if (!split) return;
      for (let i = 0; i < split.count; i++) {
        const label = Math.round(split.y[i]);
        const color = classColors[((label % classColors.length) + classColors.length) % classColors.length];
        ctx.beginPath();
        ctx.arc(px(split.x[2 * i]), py(split.x[2 * i + 1]), radius, 0, Math.PI * 2);
        if (filled) {
          ctx.fillStyle = color;
          ctx.fill();
          ctx.lineWidth = 0.8;
          ctx.strokeStyle = '#ffffff';
          ctx.stroke();
        } else {
          ctx.lineWidth = 1.6;
          ctx.strokeStyle = color;
          ctx.stroke();
        }
      }
    };
    drawSplit(this.data?.train, true);
    drawSplit(this.data?.val, false);
  }
}

function looksLikeProbabilities(values, outputs) {
  if (outputs < 2) return false;
  for (let cell = 0; cell < Math.min(20, values.length / outputs); cell++) {
    let sum = 0;
    for (let k = 0; k < outputs; k++) {
      const v = values[cell * outputs + k];
      if (v < -1e-4 || v > 1 + 1e-4) return false;
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-3) return false;
  }
  return true;
}

export const decisionBoundaryChart = {
  id: 'decision-boundary',
  uses: ['grid', 'evals'],
  create(frame, { editData } = {}) {
    const chart = new DecisionBoundaryChart(frame.plot);
    let run = null;
    let grid = null;
    // Click to add data (issue 15 §4): a click adds a point of the chosen class, shift-click
    // removes the nearest one; the controller rebuilds the run on the edited points.
    let classPicker = null;
    if (editData) {
      const label = frame.plot.ownerDocument.createElement('label');
      label.className = 'ts-toggle ts-add-class';
      label.title = 'Click the plot to add a training point of this class; shift-click removes the nearest point.';
      classPicker = frame.plot.ownerDocument.createElement('select');
      label.append(frame.plot.ownerDocument.createTextNode('Click adds '), classPicker);
      label.hidden = true;
      frame.tools.append(label);
      chart.canvas.addEventListener('click', (event) => {
        if (label.hidden) return;
        const rect = chart.canvas.getBoundingClientRect();
        const point = chart.toData(event.clientX - rect.left, event.clientY - rect.top);
        if (!point) return;
        // Shift-click: the nearest point within 12 pixels.
        editData(event.shiftKey
          ? { remove: true, x: point.x, y: point.y, radius: 12 * point.pixel }
          : { x: point.x, y: point.y, label: Number(classPicker.value) });
      });
    }
    return {
      update(runData) {
        if (runData.run !== run) {
          run = runData.run;
          grid = null;
          chart.reset({ data: runData.points, bounds: runData.bounds });
          if (classPicker) {
            const classes = runData.bounds ? runData.outputs : 0;
            if (classPicker.options.length !== classes) {
              const chosen = classPicker.value;
              classPicker.replaceChildren(...Array.from({ length: classes }, (_, k) => new Option(`class ${k + 1}`, String(k))));
              if (Number(chosen) < classes) classPicker.value = chosen;
            }
            classPicker.parentElement.hidden = classes < 2;
          }
          frame.values.textContent = '';
          frame.setEmpty(runData.bounds ? '' : `Only for 2-D data: this dataset has ${runData.config?.data?.dims ?? 'more'} dimensions.`);
          // The caption explains a plot that is not there: hidden with the placeholder.
          frame.caption.hidden = !runData.bounds;
        }
        if (!runData.grid) return;
        if (runData.grid !== grid) {
          grid = runData.grid;
          chart.update(grid);
        }
        const evaluation = runData.lastEval;
        frame.values.textContent = evaluation ? `validation accuracy ${percent(evaluation.val.acc)} (step ${evaluation.step}) · boundary at step ${grid.step}` : `boundary at step ${grid.step}`;
      },
      dispose: () => chart.destroy(),
      // The step drawn and how many training and validation points are drawn.
      drawnData: () => ({ step: grid?.step ?? null, points: { train: chart.data?.train?.count ?? 0, val: chart.data?.val?.count ?? 0 } }),
    };
  },
};
