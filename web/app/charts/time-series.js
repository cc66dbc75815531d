// A thin wrapper over uPlot for the live time-series charts: columnar data in, at most one redraw
// per animation frame (the controller calls setData from its frame callback), recreated only when
// the set of series changes (a new run with another depth, a pin, a scale toggle).

import uPlot from '../../vendor/uplot/uPlot.esm.js';
import { formatNumber, formatTicks } from '../format.js';

const AXIS_STROKE = '#4a4f57';
const GRID_STROKE = 'rgba(0, 0, 0, 0.07)';
const LEGEND_HEIGHT = 38;

export class TimeSeriesChart {
  /**
   * @param {HTMLElement} host   element the plot fills (its width; fixed CSS height)
   * @param {object} options     {yLog, yRange: [min,max] | (min,max)=>[min,max], yFormat, drawUnder(u)}
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
    const key = JSON.stringify([series, this.options.yLog]);
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
    return { x: Array.from(data[0]), series: series.map((s, i) => ({ label: s.label, values: Array.from(data[i + 1]) })) };
  }

  setLog(yLog) {
    this.options.yLog = yLog;
  }

  #size() {
    const width = Math.max(120, Math.floor(this.host.clientWidth));
    // uPlot's height is the plot; its legend sits below, in a strip the CSS reserves.
    const height = Math.max(80, Math.floor(this.host.clientHeight) - LEGEND_HEIGHT);
    return { width, height };
  }

  #fit() {
    if (!this.plot) return;
    const { width, height } = this.#size();
    if (width !== this.plot.width || height !== this.plot.height) this.plot.setSize({ width, height });
  }

  #create(series, data) {
    this.plot?.destroy();
    const { yLog, yRange, yFormat, drawUnder } = this.options;
    const rangeOption = typeof yRange === 'function' ? (u, min, max) => yRange(min, max) : yRange;
    const options = {
      ...this.#size(),
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: {
        x: { time: false },
        y: { distr: yLog ? 3 : 1, ...(rangeOption ? { range: rangeOption } : {}) },
      },
      axes: [
        { stroke: AXIS_STROKE, grid: { stroke: GRID_STROKE }, ticks: { stroke: GRID_STROKE }, size: 32, space: 70, values: (u, values) => values.map((v) => (v >= 1e4 ? `${formatNumber(v / 1000, 3)}k` : formatNumber(v))) },
        {
          stroke: AXIS_STROKE,
          grid: { stroke: GRID_STROKE },
          ticks: { stroke: GRID_STROKE },
          // Wide enough for the longest label (2.30259 needs more room than 0.5).
          size: (u, values) => Math.max(40, 18 + 8 * Math.max(0, ...(values ?? []).map((text) => String(text).length))),
          values: (u, values) => {
            if (yFormat) return values.map(yFormat);
            return yLog ? values.map((v) => formatNumber(v, 2)) : formatTicks(values);
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
      hooks: drawUnder ? { drawClear: [drawUnder] } : {},
    };
    this.plot = new uPlot(options, data, this.host);
  }

  destroy() {
    this.resizeObserver.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}

/** Power-of-ten bounds for a log axis that always include [low, high]. */
export function logRange(dataMin, dataMax, low, high) {
  const min = Number.isFinite(dataMin) && dataMin > 0 ? Math.min(dataMin, low) : low;
  const max = Number.isFinite(dataMax) && dataMax > 0 ? Math.max(dataMax, high) : high;
  return [10 ** Math.floor(Math.log10(min)), 10 ** Math.ceil(Math.log10(max))];
}
