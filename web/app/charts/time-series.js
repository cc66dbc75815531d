// A thin wrapper over uPlot for the live time-series charts: columnar data in, at most one redraw
// per animation frame (the controller calls setData from its frame callback), recreated only when
// the set of series changes (a new run with another depth, a pin, a scale toggle).

import uPlot from '../../vendor/uplot/uPlot.esm.js';
import { formatTicks, formatStepTick } from '../format.js';
import { STEP_INCREMENTS, stepRange, logTicks, powerLabel } from './axes.js';
import { tickFontPx, tickFont } from './tick-font.js';

const AXIS_STROKE = '#4a4f57';
const GRID_STROKE = 'rgba(0, 0, 0, 0.07)';
const MINOR_TICK = 'rgba(0, 0, 0, 0.35)';
// The smallest drawing area a chart keeps (between the axes), and the uPlot height that gives it
// (the step axis and the padding take the rest); an embed too short for it says what it needs.
export const MIN_PLOT_AREA = 64;
const X_AXIS_SIZE = 32;
export const MIN_PLOT_HEIGHT = MIN_PLOT_AREA + X_AXIS_SIZE + 20;

export class TimeSeriesChart {
  /**
   * @param {HTMLElement} host   element the plot fills (its width; fixed CSS height)
   * @param {object} options     {yLog, yRange: [min,max] | (min,max)=>[min,max], yFormat, drawUnder(u), xLog}
   */
  constructor(host, options = {}) {
    this.host = host;
    this.options = options;
    this.plot = null;
    this.seriesKey = '';
    this.resizeObserver = new ResizeObserver(() => this.#fit());
    this.resizeObserver.observe(host);
  }

  /**
   * @param {{label: string, stroke: string, width?: number, dash?: number[], points?: boolean, spanGaps?: boolean}[]} series
   * @param {Array<number[]>} data  [x, y1, y2, …] (null = gap)
   */
  setData(series, data) {
    this.drawn = { series, data };
    const key = JSON.stringify([series, this.options.yLog, this.options.xLog]);
    if (key !== this.seriesKey || !this.plot) {
      this.seriesKey = key;
      this.#create(series, data);
      return;
    }
    this.plot.setData(data);
  }

  /** What the chart draws now, for tests: {x, series: [{label, values}]} (null = gap). */
  drawnData() {
    if (!this.drawn) return null;
    const { series, data } = this.drawn;
    // The labels uPlot drew on each axis (its per-axis `_values`), so tests read what a student sees.
    const axis = (index) => ({ labels: [...(this.plot?.axes[index]._values ?? [])], values: [...(this.plot?.axes[index]._splits ?? [])] });
    const ticks = { x: axis(0), y: axis(1) };
    return { x: Array.from(data[0]), series: series.map((s, i) => ({ label: s.label, stroke: s.stroke, values: Array.from(data[i + 1]) })), ticks, tickFontPx: this.drawnFontPx };
  }

  setLog(yLog) {
    this.options.yLog = yLog;
  }

  setXLog(xLog) {
    this.options.xLog = xLog;
  }

  /** The legend's height as laid out now (it wraps to as many rows as its entries need). */
  legendHeight() {
    return this.plot?.root.querySelector('.u-legend')?.offsetHeight ?? 0;
  }

  /** The host's height the chart needs: the minimum plot plus its legend as laid out now. */
  neededHeight() {
    return MIN_PLOT_HEIGHT + this.legendHeight();
  }

  #size() {
    const width = Math.max(120, Math.floor(this.host.clientWidth));
    // uPlot's height is the plot; its legend sits below and takes the rows it needs, so the plot
    // gets the rest of the host (never less than MIN_PLOT_HEIGHT: the frame then says so).
    const height = Math.max(MIN_PLOT_HEIGHT, Math.floor(this.host.clientHeight) - this.legendHeight());
    return { width, height };
  }

  #fit() {
    if (!this.plot) return;
    // The tick font changed (the lecture view toggled): draw again with it.
    if (tickFontPx(this.host) !== this.drawnFontPx && this.drawn) {
      this.#create(this.drawn.series, this.drawn.data);
      return;
    }
    const legend = this.legendHeight();
    if (legend !== this.lastLegendHeight) {
      this.lastLegendHeight = legend;
      // An embed fitting its charts into a fixed height counts the legend's rows (fit.js).
      this.host.dispatchEvent(new CustomEvent('ts-legend-resize', { bubbles: true, composed: true }));
    }
    const { width, height } = this.#size();
    if (width !== this.plot.width || height !== this.plot.height) this.plot.setSize({ width, height });
  }

  #create(series, data) {
    this.plot?.destroy();
    const { yLog, yRange, yFormat, drawUnder, xLog } = this.options;
    const rangeOption = typeof yRange === 'function' ? (u, min, max) => yRange(min, max) : yRange;
    const fontPx = tickFontPx(this.host);
    this.drawnFontPx = fontPx;
    const font = tickFont(fontPx);
    const hooks = {};
    if (drawUnder) hooks.drawClear = [drawUnder];
    if (yLog) hooks.drawAxes = [(u) => drawMinorTicks(u, fontPx)];
    const options = {
      ...this.#size(),
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: {
        x: { time: false, distr: xLog ? 3 : 1, range: (u, min, max) => (xLog ? [Math.max(1, min), Math.max(10, max)] : stepRange(min, max)) },
        y: { distr: yLog ? 3 : 1, ...(rangeOption ? { range: rangeOption } : {}) },
      },
      axes: [
        {
          stroke: AXIS_STROKE, grid: { stroke: GRID_STROKE }, ticks: { stroke: GRID_STROKE }, font, size: X_AXIS_SIZE + 2 * (fontPx - 12), space: 70 + 4 * (fontPx - 12),
          // Steps are whole numbers: integer increments only, labels exact.
          incrs: STEP_INCREMENTS,
          ...(xLog ? { splits: (u, axis, min, max) => logTicks(Math.max(1, min), max, u.bbox.width / devicePixelRatio, { labelHeight: 40 }).major, filter: (u, splits) => splits } : {}),
          values: (u, values) => values.map(formatStepTick),
        },
        {
          stroke: AXIS_STROKE,
          grid: { stroke: GRID_STROKE },
          ticks: { stroke: GRID_STROKE },
          font,
          // Wide enough for the longest label (2.30259 needs more room than 0.5).
          size: (u, values) => Math.max(40, 18 + (8 * fontPx / 12) * Math.max(0, ...(values ?? []).map((text) => String(text).length))),
          // Log axes: grid and labels at the powers of ten only; minor ticks drawn by drawMinorTicks.
          // (uPlot's own log filter would blank some of them: keep every split.)
          ...(yLog ? { splits: (u, axis, min, max) => logTicks(min, max, u.bbox.height / devicePixelRatio, { labelHeight: fontPx }).major, filter: (u, splits) => splits } : {}),
          values: (u, values) => {
            if (yLog) return values.map((v) => (v > 0 ? powerLabel(Math.round(Math.log10(v))) : ''));
            if (yFormat) return values.map(yFormat);
            return formatTicks(values);
          },
        },
      ],
      series: [
        { label: 'step' },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          width: s.width ?? 1.5,
          dash: s.dash,
          spanGaps: s.spanGaps ?? false,
          // Points are always drawn for sparse series (validation); otherwise uPlot shows them
          // by itself only while the line is short (e.g. the first diagnostics of a slow net).
          points: s.points ? { show: true, size: 5, fill: s.stroke } : s.points === false ? { show: false } : { size: 4, fill: s.stroke },
        })),
      ],
      hooks,
    };
    this.plot = new uPlot(options, data, this.host);
    // The legend's rows are known only once laid out (and change with the width): refit whenever
    // its size changes, so the plot always gets the rest of the host.
    const legend = this.plot.root.querySelector('.u-legend');
    if (legend) this.resizeObserver.observe(legend);
    this.#fit();
  }

  destroy() {
    this.resizeObserver.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}

/** uPlot drawAxes hook of log y axes: short minor ticks at 2…9 × 10^k where logTicks allows them. */
function drawMinorTicks(u, fontPx) {
  const { ctx, bbox } = u;
  const scale = u.scales.y;
  const ratio = devicePixelRatio;
  const { minor } = logTicks(scale.min, scale.max, bbox.height / ratio, { labelHeight: fontPx });
  ctx.save();
  ctx.strokeStyle = MINOR_TICK;
  ctx.lineWidth = ratio;
  ctx.beginPath();
  for (const value of minor) {
    const y = Math.round(u.valToPos(value, 'y', true)) + 0.5;
    ctx.moveTo(bbox.left - 5 * ratio, y);
    ctx.lineTo(bbox.left, y);
  }
  ctx.stroke();
  ctx.restore();
}

/** Power-of-ten bounds for a log axis that always include [low, high]. */
export function logRange(dataMin, dataMax, low, high) {
  const min = Number.isFinite(dataMin) && dataMin > 0 ? Math.min(dataMin, low) : low;
  const max = Number.isFinite(dataMax) && dataMax > 0 ? Math.max(dataMax, high) : high;
  return [10 ** Math.floor(Math.log10(min)), 10 ** Math.ceil(Math.log10(max))];
}
