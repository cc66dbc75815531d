// The Optimizers view's two canvas charts. "Loss surface": the surface's contours (log-spaced
// levels over its view region), one path per racer with its current point, the start (draggable)
// and the minimum. "Loss per step": each racer's loss against the step on a log axis of
// loss − the surface's minimum value, or, on the saddles (no minimum: the loss falls without
// bound), a symmetric-log axis of the loss itself. Both say which on the axis label.
import { okabeIto, withAlpha } from '../palette.js';
import { contourSegments, logLevels, sampleSurface, signedLogLevels, surfaceValue } from './surface-values.js';

/** Racer colours: Okabe–Ito, yellow left out (weak on white); dashes tell racers apart in grey too. */
export const RACER_STYLES = [
  { color: okabeIto.vermillion, dash: [] },
  { color: okabeIto.blue, dash: [6, 3] },
  { color: okabeIto.green, dash: [2, 2] },
  { color: okabeIto.purple, dash: [8, 3, 2, 3] },
  { color: okabeIto.orange, dash: [] },
  { color: okabeIto.sky, dash: [6, 3] },
  { color: okabeIto.black, dash: [2, 2] },
];

function setupCanvas(canvas, width, height) {
  const ratio = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const context = canvas.getContext('2d');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

const PAD = { left: 58, right: 10, top: 10, bottom: 30 };

export class LossSurfaceChart {
  constructor(canvas, { width = 520, height = 400 } = {}) {
    this.canvas = canvas;
    this.width = width;
    this.height = height;
    this.key = '';
    this.background = null;
  }

  /** Plane → CSS pixel in the canvas. */
  toPixel([x, y]) {
    const [xmin, xmax, ymin, ymax] = this.view;
    const w = this.width - PAD.left - PAD.right;
    const h = this.height - PAD.top - PAD.bottom;
    return [PAD.left + ((x - xmin) / (xmax - xmin)) * w, PAD.top + (1 - (y - ymin) / (ymax - ymin)) * h];
  }

  /** CSS pixel → plane, clamped to the view. */
  toPlane([px, py]) {
    const [xmin, xmax, ymin, ymax] = this.view;
    const w = this.width - PAD.left - PAD.right;
    const h = this.height - PAD.top - PAD.bottom;
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    return [clamp(xmin + ((px - PAD.left) / w) * (xmax - xmin), xmin, xmax), clamp(ymin + (1 - (py - PAD.top) / h) * (ymax - ymin), ymin, ymax)];
  }

  #contours(surface, kappa) {
    const key = `${surface.name}:${kappa}`;
    if (key === this.key) return;
    this.key = key;
    this.view = surface.view;
    const sample = sampleSurface(surface.name, { kappa });
    const levels = surface.minimum ? logLevels(sample.min, sample.max) : signedLogLevels(sample.min, sample.max);
    this.levels = levels;
    this.contourLines = levels.map((level) => contourSegments(sample, level));
  }

  /**
   * @param {object} scene {surface, kappa, start, racers: [{label, x, y}] (the points drawn), dragStart}
   */
  draw(scene) {
    const { surface, kappa } = scene;
    // What this draw puts on the canvas, for tests (view.chartData('Loss surface')).
    this.drawn = { surface: surface.name, start: [...(scene.dragStart ?? scene.start)], levels: 0, racers: scene.racers.map((r) => ({ label: r.label, x: [...r.x], y: [...r.y] })) };
    this.#contours(surface, kappa);
    this.drawn.levels = this.contourLines.filter((segments) => segments.length > 0).length;
    this.view = surface.view;
    const context = setupCanvas(this.canvas, this.width, this.height);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, this.width, this.height);
    context.save();
    context.beginPath();
    context.rect(PAD.left, PAD.top, this.width - PAD.left - PAD.right, this.height - PAD.top - PAD.bottom);
    context.clip();
    // Contours: darker for the lower levels.
    this.contourLines.forEach((segments, index) => {
      context.strokeStyle = `rgba(60, 60, 60, ${0.55 - (0.4 * index) / Math.max(1, this.contourLines.length - 1)})`;
      context.lineWidth = 1;
      context.beginPath();
      for (const [x1, y1, x2, y2] of segments) {
        const [a, b] = this.toPixel([x1, y1]);
        const [c, d] = this.toPixel([x2, y2]);
        context.moveTo(a, b);
        context.lineTo(c, d);
      }
      context.stroke();
    });
    if (surface.minimum) {
      const [mx, my] = this.toPixel(surface.minimum);
      context.strokeStyle = okabeIto.black;
      context.lineWidth = 1.5;
      context.beginPath();
      context.moveTo(mx - 5, my - 5); context.lineTo(mx + 5, my + 5);
      context.moveTo(mx - 5, my + 5); context.lineTo(mx + 5, my - 5);
      context.stroke();
    }
    scene.racers.forEach((racer, index) => {
      const style = RACER_STYLES[index % RACER_STYLES.length];
      context.strokeStyle = style.color;
      context.setLineDash(style.dash);
      context.lineWidth = 2;
      context.beginPath();
      for (let i = 0; i < racer.x.length; i++) {
        const [px, py] = this.toPixel([racer.x[i], racer.y[i]]);
        if (i === 0) context.moveTo(px, py);
        else context.lineTo(px, py);
      }
      context.stroke();
      context.setLineDash([]);
      const last = racer.x.length - 1;
      if (last >= 0) {
        const [px, py] = this.toPixel([racer.x[last], racer.y[last]]);
        context.fillStyle = style.color;
        context.beginPath();
        context.arc(px, py, 4, 0, 2 * Math.PI);
        context.fill();
      }
    });
    const start = scene.dragStart ?? scene.start;
    const [sx, sy] = this.toPixel(start);
    context.fillStyle = '#ffffff';
    context.strokeStyle = okabeIto.black;
    context.lineWidth = 2;
    context.beginPath();
    context.arc(sx, sy, 6, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
    context.restore();
    drawFrame(context, this.width, this.height, surface.view.slice(0, 2), surface.view.slice(2), 'x', 'y');
  }
}

function niceTicks(lo, hi, count = 5) {
  const step = 10 ** Math.floor(Math.log10((hi - lo) / count));
  const multiple = [1, 2, 5, 10].find((m) => (hi - lo) / (step * m) <= count) ?? 10;
  const tick = step * multiple;
  const ticks = [];
  for (let v = Math.ceil(lo / tick) * tick; v <= hi + 1e-9 * tick; v += tick) ticks.push(Number(v.toPrecision(6)));
  return ticks;
}

function drawFrame(context, width, height, [xmin, xmax], [ymin, ymax], xLabel, yLabel, yTicks = null) {
  const w = width - PAD.left - PAD.right;
  const h = height - PAD.top - PAD.bottom;
  context.strokeStyle = '#555';
  context.lineWidth = 1;
  context.strokeRect(PAD.left, PAD.top, w, h);
  context.fillStyle = '#333';
  context.font = '11px system-ui, sans-serif';
  context.textAlign = 'center';
  context.textBaseline = 'top';
  for (const tick of niceTicks(xmin, xmax)) {
    const px = PAD.left + ((tick - xmin) / (xmax - xmin)) * w;
    context.fillText(String(tick), px, PAD.top + h + 4);
  }
  context.fillText(xLabel, PAD.left + w / 2, PAD.top + h + 16);
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const { value, text } of yTicks ?? niceTicks(ymin, ymax).map((v) => ({ value: v, text: String(v) }))) {
    const py = PAD.top + (1 - (value - ymin) / (ymax - ymin)) * h;
    context.fillText(text, PAD.left - 4, py);
  }
  context.save();
  context.translate(10, PAD.top + h / 2);
  context.rotate(-Math.PI / 2);
  context.textAlign = 'center';
  context.fillText(yLabel, 0, 0);
  context.restore();
}

/**
 * How "Loss per step" maps a loss to its axis: {kind: 'log', floor, label} (log10 of loss − floor,
 * the surface's minimum value) or {kind: 'symlog', scale, label} (sign · log10(1 + |loss| / scale)).
 */
export function lossAxis(surface, kappa) {
  if (surface.minimum) {
    const floor = surfaceValue(surface.name, surface.minimum[0], surface.minimum[1], kappa);
    return { kind: 'log', floor, label: floor === 0 ? 'loss (log)' : `loss − ${Number(floor.toPrecision(4))} (the minimum), log` };
  }
  return { kind: 'symlog', scale: 1e-3, label: 'loss (symlog: linear within ±0.001)' };
}

/** The axis coordinate of a loss, or NaN where the axis cannot show it (at the minimum on a log axis). */
export function axisValue(axis, loss) {
  if (axis.kind === 'log') {
    const above = loss - axis.floor;
    return above > 0 ? Math.log10(above) : NaN;
  }
  return Math.sign(loss) * Math.log10(1 + Math.abs(loss) / axis.scale);
}

export class LossPerStepChart {
  constructor(canvas, { width = 520, height = 400 } = {}) {
    this.canvas = canvas;
    this.width = width;
    this.height = height;
  }

  /** @param {object} scene {surface, kappa, steps, racers: [{label, loss}] (drawn), allLosses (whole runs, for the range)} */
  draw(scene) {
    const axis = lossAxis(scene.surface, scene.kappa);
    this.axis = axis;
    this.drawn = { axis, racers: scene.racers.map((r) => ({ label: r.label, loss: [...r.loss] })) };
    const context = setupCanvas(this.canvas, this.width, this.height);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, this.width, this.height);
    let lo = Infinity;
    let hi = -Infinity;
    for (const losses of scene.allLosses) {
      for (const loss of losses) {
        const v = axisValue(axis, loss);
        if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      }
    }
    if (!(hi > lo)) { lo = (Number.isFinite(lo) ? lo : 0) - 1; hi = lo + 2; }
    if (axis.kind === 'log') { lo = Math.floor(lo); hi = Math.ceil(hi); }
    const w = this.width - PAD.left - PAD.right;
    const h = this.height - PAD.top - PAD.bottom;
    const steps = Math.max(1, scene.steps);
    const px = (step) => PAD.left + (step / steps) * w;
    const py = (v) => PAD.top + (1 - (v - lo) / (hi - lo)) * h;
    context.save();
    context.beginPath();
    context.rect(PAD.left, PAD.top, w, h);
    context.clip();
    scene.racers.forEach((racer, index) => {
      const style = RACER_STYLES[index % RACER_STYLES.length];
      context.strokeStyle = style.color;
      context.setLineDash(style.dash);
      context.lineWidth = 2;
      context.beginPath();
      let pen = false;
      for (let i = 0; i < racer.loss.length; i++) {
        const v = axisValue(axis, racer.loss[i]);
        if (!Number.isFinite(v)) { pen = false; continue; }
        if (pen) context.lineTo(px(i), py(v));
        else context.moveTo(px(i), py(v));
        pen = true;
      }
      context.stroke();
    });
    context.restore();
    context.setLineDash([]);
    const ticks = axis.kind === 'log'
      ? Array.from({ length: hi - lo + 1 }, (_, k) => lo + k).filter((_, k, all) => all.length <= 8 || k % Math.ceil(all.length / 8) === 0)
        .map((e) => ({ value: e, text: `1e${e}` }))
      : symlogTicks(axis, lo, hi);
    drawFrame(context, this.width, this.height, [0, steps], [lo, hi], 'step', axis.label, ticks);
  }
}

// Ticks at 0 and ±10^k (k ≥ log10 of the linear band), at most about eight of them.
function symlogTicks(axis, lo, hi) {
  const ticks = [{ value: 0, text: '0' }];
  for (let e = Math.round(Math.log10(axis.scale)) + 1; e <= 8; e++) {
    for (const sign of [1, -1]) ticks.push({ value: axisValue(axis, sign * 10 ** e), text: `${sign < 0 ? '−' : ''}1e${e}` });
  }
  const inside = ticks.filter((t) => t.value >= lo && t.value <= hi).sort((a, b) => a.value - b.value);
  const stride = Math.ceil(inside.length / 8);
  return inside.filter((t, k) => t.value === 0 || k % stride === 0);
}

export { withAlpha };
