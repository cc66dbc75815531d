// The Optimizers view: lecture 7's optimizers racing on a 2-D loss surface. The engine computes
// each racer's whole path (optimizerPath: the engine's own optimizer and schedule classes); the
// view then reveals it point by point (Play/Pause, Step, Reset), on the "Loss surface" chart
// (contours, paths, a draggable start: drag it, or click anywhere, to restart from there) and the
// "Loss per step" chart. Used by the playground's Optimizers tab, <train-scope view="optimizers">
// and embed.html#view=optimizers.
import { optimizerPath } from '../../js/optimizer-path.js';
import { PAGE_ENGINE } from '../page-engine.js';
import { optimizerPresets } from '../../js/optimizer-presets.js';
import { LossPerStepChart, LossSurfaceChart, RACER_STYLES } from './optimizer-charts.js';
import {
  OPTIMIZER_CHARTS, OPTIMIZER_CONTROL_IDS, OPTIMIZER_FIELDS, OPTIMIZER_NAMES, SCHEDULE_NAMES, MAX_VIEW_STEPS, MAX_NOISE,
  parseOptimizerHash, racerPathOptions, selectedOptimizers, serializeOptimizerHash, withControl,
} from './optimizer-state.js';
import { SURFACES, surfaceNamed } from './surface-values.js';

const labelOf = (id) => OPTIMIZER_FIELDS.find((field) => field.id === id).label;
// The animation shows a whole run in about this many frames (2 s at 60 frames per second).
const FRAMES_PER_RUN = 120;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export class OptimizerView {
  /**
   * @param {HTMLElement} mount
   * @param {object} options {controls: 'all' | ids, charts: 'all' | ids, urlSync, hash (the state
   *   as a hash when not synced with the URL), autoplay, notices (extra notices to show)}
   */
  constructor(mount, options = {}) {
    this.options = { controls: 'all', charts: 'all', urlSync: false, hash: '', autoplay: true, notices: [], ...options };
    const parsed = parseOptimizerHash(this.options.urlSync ? globalThis.location.hash : this.options.hash);
    this.state = parsed.state;
    this.notices = [...this.options.notices, ...parsed.notices];
    this.controlIds = this.options.controls === 'all' ? OPTIMIZER_CONTROL_IDS : this.options.controls;
    this.chartIds = this.options.charts === 'all' ? OPTIMIZER_CHARTS.map((chart) => chart.id) : this.options.charts;
    this.paths = [];
    this.shown = 0;
    this.playing = false;
    this.frame = 0;
    this.computation = 0;
    this.ready = null;
    this.dragStart = null;
    this.#build(mount);
    this.#setNotices();
    this.restart({ play: this.options.autoplay });
    if (this.options.urlSync) {
      this.onHashChange = () => {
        if (globalThis.location.hash === this.writtenHash) return;
        const next = parseOptimizerHash(globalThis.location.hash);
        this.state = next.state;
        this.notices = next.notices;
        this.#setNotices();
        this.#syncControls();
        this.restart({ play: true });
      };
      globalThis.addEventListener('hashchange', this.onHashChange);
    }
  }

  // ---- public surface (the tab, the element and tests use it) --------------------------------

  play() {
    if (this.shown >= this.#lastIndex()) this.shown = 0;
    this.playing = true;
    this.#schedule();
    this.#syncButtons();
  }

  pause() {
    this.playing = false;
    this.#syncButtons();
  }

  togglePlay() {
    if (this.playing) this.pause();
    else this.play();
  }

  step() {
    this.pause();
    this.shown = Math.min(this.#lastIndex(), this.shown + 1);
    this.#draw();
  }

  reset() {
    this.pause();
    this.shown = 0;
    this.#draw();
  }

  /** Apply a control change as a user would. */
  set(id, value) {
    this.state = withControl(this.state, id, value);
    this.#syncControls();
    this.#writeUrl();
    this.restart({ play: true });
  }

  /** Restart from a point of the plane. */
  setStart([x, y]) {
    const round = (v) => Number(v.toFixed(3));
    this.set('start', [round(x), round(y)]);
  }

  /** Recompute every racer's path, then show it from step 0 (and play when asked). */
  restart({ play = this.playing } = {}) {
    const token = ++this.computation;
    this.pause();
    this.shown = 0;
    this.paths = [];
    this.ready = (async () => {
      const paths = [];
      for (const racer of this.state.racers) {
        const options = racerPathOptions(this.state, racer);
        try {
          paths.push({ label: racer.label, optimizer: racer.optimizer, options, path: await optimizerPath(options, PAGE_ENGINE) });
        } catch (error) {
          if (token !== this.computation) return;
          this.notices = [`${racer.label}: ${error.message}`];
          this.#setNotices();
        }
      }
      if (token !== this.computation) return;
      this.paths = paths;
      this.#legend();
      this.#draw();
      if (play) this.play();
    })();
    return this.ready;
  }

  /** The racers' options for optimizerPath (tests run the same in node). */
  pathOptions() {
    return this.state.racers.map((racer) => ({ label: racer.label, options: racerPathOptions(this.state, racer) }));
  }

  /** What the charts draw now: {surface, start, shown, steps, racers: [{label, optimizer, x, y, loss}]}. */
  drawnData() {
    return {
      surface: this.state.surface,
      start: [...this.state.start],
      shown: this.shown,
      steps: this.state.steps,
      playing: this.playing,
      racers: this.#drawnRacers().map((racer) => ({ ...racer, x: [...racer.x], y: [...racer.y], loss: [...racer.loss] })),
    };
  }

  /** By chart title ("Loss surface", "Loss per step"): what the chart last drew, or null when not shown. */
  chartData(title) {
    const chart = OPTIMIZER_CHARTS.find((c) => c.title === title);
    if (!chart || !this.chartIds.includes(chart.id)) return null;
    return (chart.id === 'loss-surface' ? this.surfaceChart : this.lossChart).drawn ?? null;
  }

  /** The CSS pixel (relative to the page) of a plane point on the Loss surface canvas. */
  pixelOf(point) {
    const box = this.surfaceCanvas.getBoundingClientRect();
    const [px, py] = this.surfaceChart.toPixel(point);
    return [box.left + px, box.top + py];
  }

  get hash() {
    return serializeOptimizerHash(this.state);
  }

  dispose() {
    this.computation++;
    this.playing = false;
    cancelAnimationFrame(this.frame);
    if (this.onHashChange) globalThis.removeEventListener('hashchange', this.onHashChange);
    this.root.remove();
  }

  // ---- drawing and animation -------------------------------------------------------------------

  #lastIndex() {
    return this.paths.reduce((most, { path }) => Math.max(most, path.x.length - 1), 0);
  }

  #drawnRacers() {
    return this.paths.map(({ label, optimizer, path }) => {
      const count = Math.min(path.x.length, this.shown + 1);
      return { label, optimizer, stopped: path.stopped, x: path.x.subarray(0, count), y: path.y.subarray(0, count), loss: path.loss.subarray(0, count) };
    });
  }

  #schedule() {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      if (!this.playing) return;
      const perFrame = Math.max(1, Math.ceil(this.state.steps / FRAMES_PER_RUN));
      this.shown = Math.min(this.#lastIndex(), this.shown + perFrame);
      this.#draw();
      if (this.shown >= this.#lastIndex()) this.pause();
      else this.#schedule();
    });
  }

  #draw() {
    const surface = surfaceNamed(this.state.surface);
    const racers = this.#drawnRacers();
    // Two charts side by side when they fit at 280 px or more, each at most 520 px wide.
    const available = this.root.clientWidth || 1060;
    const width = Math.max(280, Math.min(520, Math.floor((available - 40) / Math.min(2, this.chartIds.length || 1))));
    for (const chart of [this.surfaceChart, this.lossChart]) if (chart) Object.assign(chart, { width, height: Math.round(width * 0.77) });
    this.readout.textContent = `step ${Math.min(this.shown, this.state.steps)} / ${this.state.steps}`;
    this.surfaceChart?.draw({ surface, kappa: this.state.kappa ?? 10, start: this.state.start, racers, dragStart: this.dragStart });
    this.lossChart?.draw({ surface, kappa: this.state.kappa ?? 10, steps: this.state.steps, racers, allLosses: this.paths.map(({ path }) => path.loss) });
  }

  #legend() {
    const items = this.paths.map(({ label, path }, index) => {
      const item = el('li', 'ts-opt-legend-item');
      const swatch = el('span', 'ts-opt-swatch');
      const style = RACER_STYLES[index % RACER_STYLES.length];
      const line = style.dash.length === 0 ? 'solid' : style.dash[0] <= 2 ? 'dotted' : 'dashed';
      swatch.style.borderTop = `3px ${line} ${style.color}`;
      item.append(swatch, el('span', '', path.stopped === 'steps' ? label : `${label} (${path.stopped})`));
      return item;
    });
    for (const legend of this.legends) legend.replaceChildren(...items.map((item) => item.cloneNode(true)));
  }

  // ---- DOM ---------------------------------------------------------------------------------------

  #build(mount) {
    this.root = el('div', 'ts-optimizers');
    const bar = el('div', 'ts-opt-bar');
    this.playButton = el('button', 'ts-opt-play', 'Play');
    this.playButton.type = 'button';
    this.playButton.addEventListener('click', () => this.togglePlay());
    const stepButton = el('button', '', 'Step');
    stepButton.type = 'button';
    stepButton.addEventListener('click', () => this.step());
    const resetButton = el('button', '', 'Reset');
    resetButton.type = 'button';
    resetButton.addEventListener('click', () => this.reset());
    this.readout = el('span', 'ts-opt-readout', '');
    this.readout.setAttribute('aria-live', 'off');
    bar.append(this.playButton, stepButton, resetButton, this.readout);
    this.noticeList = el('ul', 'ts-notice-list ts-opt-notices');
    this.noticeList.setAttribute('role', 'status');
    this.root.append(bar, this.noticeList);

    this.controls = new Map();
    const panel = el('div', 'ts-opt-controls');
    for (const id of this.controlIds) panel.append(this.#control(id));
    if (this.controlIds.length) this.root.append(panel);
    this.explain = el('p', 'ts-opt-explain');
    this.root.append(this.explain);

    const charts = el('div', 'ts-opt-charts');
    this.legends = [];
    for (const id of this.chartIds) {
      const { title } = OPTIMIZER_CHARTS.find((chart) => chart.id === id);
      const figure = el('figure', 'ts-opt-figure');
      figure.dataset.chart = id;
      figure.setAttribute('aria-label', title);
      const caption = el('figcaption', '', title);
      const canvas = el('canvas');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', id === 'loss-surface'
        ? 'Contours of the loss surface with each optimizer\'s path; drag the white start point, or click, to restart from there'
        : 'Each optimizer\'s loss per step');
      const legend = el('ul', 'ts-opt-legend');
      this.legends.push(legend);
      figure.append(caption, canvas, legend);
      charts.append(figure);
      if (id === 'loss-surface') {
        this.surfaceCanvas = canvas;
        this.surfaceChart = new LossSurfaceChart(canvas);
        this.#wireDrag(canvas);
      } else {
        this.lossChart = new LossPerStepChart(canvas);
      }
    }
    this.root.append(charts);
    mount.append(this.root);
    this.#syncControls();
    this.#syncButtons();
  }

  #wireDrag(canvas) {
    let down = null;
    const local = (event) => {
      const box = canvas.getBoundingClientRect();
      return [event.clientX - box.left, event.clientY - box.top];
    };
    canvas.addEventListener('pointerdown', (event) => {
      const point = local(event);
      const [sx, sy] = this.surfaceChart.toPixel(this.state.start);
      down = { dragging: Math.hypot(point[0] - sx, point[1] - sy) <= 10 };
      canvas.setPointerCapture?.(event.pointerId);
    });
    canvas.addEventListener('pointermove', (event) => {
      if (!down?.dragging) return;
      this.dragStart = this.surfaceChart.toPlane(local(event));
      this.#draw();
    });
    canvas.addEventListener('pointerup', (event) => {
      if (!down) return;
      down = null;
      this.dragStart = null;
      this.setStart(this.surfaceChart.toPlane(local(event)));
    });
  }

  #control(id) {
    const wrap = el('div', 'ts-opt-control');
    const label = labelOf(id);
    const inputId = `ts-opt-${id}-${Math.random().toString(36).slice(2, 8)}`;
    if (id === 'optimizers') {
      const fieldset = el('fieldset', 'ts-opt-racers');
      fieldset.append(el('legend', '', label));
      const boxes = OPTIMIZER_NAMES.map((name) => {
        const box = el('input');
        box.type = 'checkbox';
        box.value = name;
        const text = el('label', 'ts-opt-check');
        text.append(box, ` ${name}`);
        fieldset.append(text);
        box.addEventListener('change', () => {
          const names = boxes.filter((b) => b.checked).map((b) => b.value);
          if (names.length === 0) { box.checked = true; return; }
          this.set('optimizers', names);
        });
        return box;
      });
      this.controls.set(id, { sync: () => { const on = selectedOptimizers(this.state); for (const b of boxes) b.checked = on.includes(b.value); } });
      wrap.append(fieldset);
      return wrap;
    }
    const labelNode = el('label', '', label);
    labelNode.htmlFor = inputId;
    let input;
    const choices = { preset: ['', ...optimizerPresets.map((p) => p.name)], surface: SURFACES.map((s) => s.name), schedule: SCHEDULE_NAMES }[id];
    if (choices) {
      input = el('select');
      for (const value of choices) {
        const option = el('option', '', value === '' ? '(none)' : id === 'preset' ? `${value}: ${optimizerPresets.find((p) => p.name === value).title}` : value);
        option.value = value;
        input.append(option);
      }
      input.addEventListener('change', () => this.set(id, input.value));
    } else {
      input = el('input');
      input.type = 'number';
      const bounds = { lr: [1e-5, 10, 'any'], momentum: [0, 0.999, 0.01], beta1: [0, 0.999, 0.01], beta2: [0, 0.9999, 0.001], noise: [0, MAX_NOISE, 0.1], steps: [1, MAX_VIEW_STEPS, 1] }[id];
      [input.min, input.max, input.step] = bounds.map(String);
      input.addEventListener('change', () => {
        const parsed = OPTIMIZER_FIELDS.find((f) => f.id === id).parse(input.value);
        if ('message' in parsed) {
          this.notices = [`${label}: ${parsed.message}; kept ${this.state[id]}.`];
          this.#setNotices();
          input.value = String(this.state[id]);
          return;
        }
        this.set(id, parsed.value);
      });
    }
    input.id = inputId;
    this.controls.set(id, { sync: () => { input.value = String(this.state[id] ?? ''); } });
    wrap.append(labelNode, input);
    if (id === 'surface') {
      this.surfaceNote = el('span', 'ts-opt-note');
      wrap.append(this.surfaceNote);
    }
    return wrap;
  }

  #syncControls() {
    for (const control of this.controls.values()) control.sync();
    const surface = surfaceNamed(this.state.surface);
    if (this.surfaceNote) this.surfaceNote.textContent = `${surface.formula}: ${surface.description}`;
    const preset = optimizerPresets.find((p) => p.name === this.state.preset);
    this.explain.textContent = preset ? preset.explain : '';
    this.explain.hidden = !preset;
  }

  #syncButtons() {
    this.playButton.textContent = this.playing ? 'Pause' : 'Play';
    this.playButton.setAttribute('aria-pressed', String(this.playing));
  }

  #setNotices() {
    this.noticeList.replaceChildren(...this.notices.map((text) => el('li', 'ts-notice ts-warning', text)));
  }

  #writeUrl() {
    if (!this.options.urlSync) return;
    this.writtenHash = serializeOptimizerHash(this.state);
    globalThis.history.replaceState(null, '', `${globalThis.location.pathname}${globalThis.location.search}${this.writtenHash}`);
  }
}
