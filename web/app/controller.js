// The playground's controller: wires the view (view.js), the training worker, the run store
// (run-store.js) and the charts of the registry (charts/registry.js). One class serves the full
// page (index.html), the iframe route (embed.html) and each <train-scope> element (inside its
// shadow root). It decides whether a setting change is live or restarts the run, keeps pinned
// runs and the divergence advice, and hands the store's data to the charts at most once per
// animation frame. It knows no chart by name: each chart says which parts of the data it reads.

import { valuesFromConfig, buildConfig, mergeConfig, presetConfig, classifyChange, settingsById, settingChanges } from './state-schema.js';
import { serializeHash } from './url-state.js';
import { runFromHash } from './hash-run.js';
import { TrainingWorker } from './worker-client.js';
import { RunStore, latestLayers } from './run-store.js';
import { divergenceAdvice, initialLossSummary } from './babysit.js';
import { formatNumber, formatRate, percent } from './format.js';
import { createView } from './view.js';
import { chartRegistry } from './charts/registry.js';
import { PinnedRuns } from './pins.js';
import { paceWith } from './pace.js';
import { architectureLine, describeLayer, formatShape, summaryTotals } from '../js/architecture.js';
import { setTraining } from './share.js';
import { keyCharts } from './lecture.js';
import { compareAlternative, currentLabel, runComparison, DEFAULT_COMPARE_STEPS } from './compare.js';

// A frame updates charts until this many milliseconds have passed; the rest are drawn in the next
// frame. A run's first frames are the heavy ones (cold code: the network diagram's unit maps, the
// first uPlot draws, 60–80 ms together on a slow machine), and the worker's first steps arrive
// meanwhile.
const FRAME_BUDGET_MS = 12;

/**
 * @typedef {object} PlaygroundOptions
 * @property {'full'|'embed'} [layout]
 * @property {'all'|string[]} [controls]   setting ids to show
 * @property {'all'|string[]} [charts]     chart ids to show
 * @property {boolean} [urlSync]           read settings from location.hash and write them back
 * @property {{preset?: string, values?: object, config?: object}} [initial]  when not using the URL
 * @property {boolean} [autoplay]
 * @property {number} [steps]              stop after this many steps (0 = no limit; unset = the preset's budget)
 * @property {number} [speed]              steps per second (0 = max; unset = the preset's pace)
 * @property {(type: string, detail: object) => void} [onEvent]  'step', 'diverged', 'state', 'ready', 'layout'
 */
export class Playground {
  /** @param {HTMLElement|ShadowRoot} mount  @param {PlaygroundOptions} options */
  constructor(mount, options = {}) {
    this.options = { layout: 'full', controls: 'all', charts: 'all', urlSync: false, autoplay: false, ...options };
    // The pace and the step budget: given (URL, attributes) or the preset's (pace.js).
    this.speed = 0;
    this.budget = 0;
    this.presets = [];
    this.defaults = null;
    this.engine = null;
    this.preset = '';
    this.values = {};
    this.customConfig = null; // <train-scope config='…'>: a full custom base instead of a preset
    this.urlView = {};
    this.run = -1;
    this.running = false;
    this.wantPlay = false;
    this.diverged = null;
    this.pins = new PinnedRuns();
    this.notices = [];
    this.fatal = '';
    this.store = new RunStore();
    this.display = { smooth: true };
    this.frameRequested = false;
    this.settledStep = null;
    this.dirty = new Set();
    this.chartsBehind = new Set(); // charts a frame over its budget left for the next one
    this.frameBudgetMs = FRAME_BUDGET_MS;
    this.stepEventPending = false;
    this.#createView(mount);
    this.worker = new TrainingWorker((message) => this.#onMessage(message), this.options.urlSync ? { hash: globalThis.location.hash } : {});
    if (this.options.urlSync) {
      this.onHashChange = () => this.#loadFromHash();
      globalThis.addEventListener('hashchange', this.onHashChange);
    }
  }

  // ---- public surface (the custom element and tests use it) --------------------------------

  play() {
    if (this.diverged) {
      // Nothing can train: say why, next to the suggestion that helps.
      this.view.setRestartNotice(`Play does nothing: this run diverged at step ${this.diverged.step}. Use the suggested learning rate, or change it and press Reset.`);
      this.view.alertButton.focus();
      return;
    }
    this.wantPlay = true;
    if (this.run >= 0 && this.budget > 0 && (this.lastMetrics?.step ?? 0) >= this.budget) {
      // The budget is a pace for watching, not a wall: Play goes on without it.
      this.budget = 0;
      this.view.setSpeed(this.speed, 0);
      this.view.setRestartNotice('Step budget reached; training continues without one.');
    }
    if (this.run >= 0) this.worker.send({ type: 'play', limit: this.budget });
  }

  /**
   * Trains the current settings and one alternative (compare.js) side by side for the same steps
   * (the step budget, or DEFAULT_COMPARE_STEPS) and shows validation loss and accuracy of both
   * with the difference. Resolves with the result ({current, alternative, difference, labels}).
   */
  async compare() {
    if (!this.defaults || this.comparing) return null;
    const alternative = compareAlternative(this.values, this.#baseValues(), { hasPreset: Boolean(this.preset) || Boolean(this.customConfig) });
    const labels = [currentLabel(this.values, alternative), alternative.label];
    const steps = this.budget > 0 ? this.budget : DEFAULT_COMPARE_STEPS;
    const configs = {
      current: this.config,
      alternative: buildConfig(this.defaults, this.#baseOwnConfig(), { ...this.values, ...alternative.changes }),
    };
    this.comparing = true;
    this.comparison = null;
    this.view.showComparison({ status: `Comparing ${labels[0]} with ${labels[1]}: training both for ${steps.toLocaleString('en-US')} steps from the same seed…`, busy: true });
    try {
      const result = await runComparison({ ...configs, steps });
      this.comparison = { ...result, labels, steps };
      const side = (label, run) => ({
        label: run.diverged ? `${label} (diverged at step ${run.diverged.step})` : label,
        step: run.step.toLocaleString('en-US'),
        valLoss: formatNumber(run.val.loss),
        valAcc: percent(run.val.acc),
        trainAcc: percent(run.train.acc),
      });
      const signed = (value, text) => (value > 0 ? `+${text}` : text);
      const { valLoss, valAcc } = result.difference;
      this.view.showComparison({
        status: `${labels[1]} against ${labels[0]} after ${steps.toLocaleString('en-US')} steps: validation loss ${signed(valLoss, formatNumber(valLoss))}, validation accuracy ${signed(valAcc, `${formatNumber(valAcc * 100)} points`)}.`,
        rows: [side(labels[0], result.current), side(labels[1], result.alternative)],
        difference: { valLoss: signed(valLoss, formatNumber(valLoss)), valAcc: signed(valAcc, `${formatNumber(valAcc * 100)} points`) },
      });
      return this.comparison;
    } catch (error) {
      this.view.showComparison({ status: `Compare failed: ${error?.message ?? error}` });
      return null;
    } finally {
      this.comparing = false;
    }
  }

  /** Steps per second (0 = max), live. */
  setSpeed(speed) {
    this.speed = speed;
    this.view.setSpeed(speed, this.budget);
    if (this.options.urlSync) {
      this.urlView = { ...this.urlView, speed };
      this.#writeUrl();
    }
    this.worker.send({ type: 'pace', stepsPerSecond: speed });
    if (this.running) this.worker.send({ type: 'play', limit: this.budget });
  }

  /** The lecture view on or off (kept in the URL as view=lecture). */
  setLecture(on) {
    this.lecture = on;
    this.view.setLecture(on, keyCharts(this.customConfig ? '' : this.preset));
    if (this.options.urlSync) {
      this.urlView = { ...this.urlView, view: on ? 'lecture' : undefined };
      this.#writeUrl();
    }
  }

  /** The preset's pace and budget, unless the page or the URL gave them. */
  #applyPace() {
    const pace = paceWith(this.customConfig ? '' : this.preset, this.options.urlSync ? this.urlView : this.options);
    this.speed = pace.speed;
    this.budget = pace.steps;
    this.view.setSpeed(this.speed, this.budget);
    this.worker.send({ type: 'pace', stepsPerSecond: this.speed });
  }

  pause() {
    this.wantPlay = false;
    this.worker.send({ type: 'pause' });
  }

  togglePlay() {
    if (this.running || this.wantPlay) this.pause();
    else this.play();
  }

  step(n = 1) {
    this.wantPlay = false;
    this.worker.send({ type: 'step', n });
  }

  reset() {
    this.wantPlay = false;
    this.#clearDivergence();
    this.worker.send({ type: 'reset', seed: this.values.seed });
  }

  /** The latest step's metrics: {step, loss, data_loss, reg_loss, batch_acc, lr, grad_norm}, or null. */
  get lastMetrics() {
    return this.store.data.lastMetrics;
  }

  /** The config the run uses (preset or custom base + the settings). */
  get config() {
    if (!this.defaults) return null;
    const config = buildConfig(this.defaults, this.#baseOwnConfig(), this.values);
    if (!this.editedPoints) return config;
    // Points added or removed by clicking the decision boundary: a custom dataset of them.
    const { x, y, classes } = this.editedPoints;
    const { samples, noise, ...data } = config.data ?? {};
    return { ...config, data: { ...data, dataset: 'custom', dims: 2, classes, x: x.slice(), y: y.slice() } };
  }

  /** Apply setting changes as a user would (live ones without a restart). */
  setValues(changes) {
    for (const [id, value] of Object.entries(changes)) this.#onControl(id, value);
  }

  getState() {
    const data = this.store.data;
    return {
      preset: this.preset,
      values: { ...this.values },
      config: this.config,
      running: this.running,
      run: this.run,
      step: this.lastMetrics?.step ?? 0,
      speed: this.speed,
      budget: this.budget,
      lecture: Boolean(this.lecture),
      lastMetrics: this.lastMetrics,
      // The step the worker last brought every readout to (pause, Step, budget, divergence).
      settledStep: this.settledStep,
      evaluationStep: data.lastEval?.step ?? null,
      boundaryStep: data.grid?.step ?? null,
      diagnosticsStep: data.diagnostics.step.at(-1) ?? null,
      engine: this.engine,
      notices: this.notices.slice(),
      diverged: this.diverged,
      pins: this.pins.labels,
      layers: latestLayers(data.diagnostics),
      initialLoss: data.initialLoss,
      comparing: Boolean(this.comparing),
      editedPoints: this.editedPoints ? this.editedPoints.y.length : null,
      comparison: this.comparison ?? null,
    };
  }

  /** What chart `id` draws now ({x, series: [{label, values}]}), or null; for tests. */
  chartData(id) {
    return this.charts.get(id)?.drawnData?.() ?? null;
  }

  destroy() {
    setTraining(this.worker, false);
    this.worker.terminate();
    if (this.onHashChange) globalThis.removeEventListener('hashchange', this.onHashChange);
    for (const chart of this.charts.values()) chart.dispose();
    this.view.root.remove();
  }

  // ---- view and charts ------------------------------------------------------------------------

  #createView(mount) {
    const wanted = this.options.charts === 'all' ? [...chartRegistry.keys()] : this.options.charts;
    const entries = [...chartRegistry.values()].filter((entry) => wanted.includes(entry.id));
    this.view = createView(mount, {
      layout: this.options.layout,
      controls: this.options.controls,
      charts: entries,
      // Pins overlay the charts that draw steps (Loss, Accuracy).
      pins: this.options.layout === 'full' || entries.some((entry) => entry.uses.includes('pins')),
    }, {
      control: (id, value) => this.#onControl(id, value),
      play: () => this.togglePlay(),
      step: () => this.step(1),
      reset: () => this.reset(),
      pin: () => this.#pin(),
      clearPins: () => this.#clearPins(),
      applySuggestion: () => this.#applySuggestion(),
      speed: (speed) => this.setSpeed(speed),
      compare: this.options.layout === 'full' ? () => this.compare() : null,
      lecture: (on) => this.setLecture(on),
      layout: () => this.options.onEvent?.('layout', {}),
    });
    /** @type {Map<string, {update: Function, dispose: Function, drawnData?: Function}>} */
    this.charts = new Map();
    this.chartUses = new Map();
    const chartOptions = {
      display: this.display,
      redraw: (...parts) => this.#markDirty(...parts),
      // Click to add data: the full page only (an embed shows a fixed lecture dataset).
      editData: this.options.layout === 'full' ? (edit) => this.#editData(edit) : null,
      query: (method, ...args) => this.worker.call(method, ...args),
    };
    for (const entry of entries) {
      this.charts.set(entry.id, entry.create(this.view.frames.get(entry.id), chartOptions));
      this.chartUses.set(entry.id, new Set(['run', ...entry.uses]));
    }
    this.#setReadout();
    this.view.setDisabled(true);
  }

  /** Whether a frame is still to come that brings a chart up to date (tests wait for false). */
  get drawPending() {
    return this.frameRequested || this.chartsBehind.size > 0;
  }

  #markDirty(...parts) {
    for (const part of parts) this.dirty.add(part);
    this.#requestFrame();
  }

  #requestFrame() {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => this.#draw());
  }

  #draw() {
    const start = performance.now();
    this.frameRequested = false;
    const dirty = this.dirty;
    this.dirty = new Set();
    if (dirty.has('readout') || dirty.has('steps')) this.#setReadout();
    if (this.run >= 0) {
      const runData = { ...this.store.data, pins: this.pins.list, display: this.display };
      const due = [...this.charts.keys()].filter((id) =>
        this.chartsBehind.has(id) || [...this.chartUses.get(id)].some((part) => dirty.has(part)));
      this.chartsBehind = new Set();
      for (const [index, id] of due.entries()) {
        // Past the frame's budget the other charts wait for the next frame (with the data of
        // then), so the worker's messages and the user's input are handled in between.
        if (index > 0 && performance.now() - start > this.frameBudgetMs) {
          for (const later of due.slice(index)) this.chartsBehind.add(later);
          this.#requestFrame();
          break;
        }
        try {
          this.charts.get(id).update(runData);
        } catch (error) {
          console.error(error);
        }
      }
    }
    if (this.stepEventPending) {
      this.stepEventPending = false;
      this.options.onEvent?.('step', { ...this.lastMetrics });
    }
  }

  #setReadout() {
    const metrics = this.lastMetrics;
    const initial = this.store.data.initialLoss;
    let initialText = null;
    if (initial) {
      const summary = initialLossSummary({ expected: initial.expected, measured: initial.measured, classes: this.store.data.outputs, label: initial.label });
      initialText = { text: summary.text, warning: summary.warning, title: [summary.warning, initial.explanation].filter(Boolean).join(' ') };
    }
    this.view.setReadout({
      step: metrics?.step ?? 0,
      lossText: metrics ? formatNumber(metrics.loss) : '–', // the last batch's loss, labelled so
      lrText: formatNumber(this.values.lr ?? NaN),
      initial: initialText,
    });
  }

  // ---- settings ------------------------------------------------------------------------------

  #baseOwnConfig() {
    if (this.customConfig) return this.customConfig;
    return presetConfig(this.presets, this.preset);
  }

  #fullBase() {
    return mergeConfig(this.defaults, this.#baseOwnConfig());
  }

  #loadFromHash() {
    // The same run the worker may have started from this address already (worker.js, 'start'):
    // then the build below adopts it instead of building it again.
    const parsed = runFromHash(globalThis.location.hash, this.presets, this.defaults);
    this.urlView = parsed.view;
    this.editedPoints = null;
    this.#setInitial(parsed.preset, parsed.values, parsed.notices);
    this.lecture = this.urlView.view === 'lecture';
    this.view.setLecture(this.lecture, keyCharts(this.preset));
    this.#applyPace();
    this.#rebuild('');
  }

  #setInitial(preset, values, notices) {
    this.preset = preset;
    this.values = { ...valuesFromConfig(this.#fullBase()), ...values };
    this.notices = notices;
    this.view.setNotices(this.notices);
    this.#syncControls();
  }

  /** The values the loaded preset (or custom base) sets. */
  #baseValues() {
    return valuesFromConfig(this.#fullBase());
  }

  #syncControls() {
    const preset = this.presets.find((p) => p.name === this.preset);
    const layerList = this.values.net !== undefined;
    this.view.setValues(this.values, this.preset, preset, preset ? settingChanges(this.values, this.#baseValues()) : [], { layerList });
    if (this.pins.list.length) {
      this.pins.relabel(this.values, this.preset);
      this.#markDirty('pins');
    }
  }

  #onControl(id, value) {
    if (!this.defaults) return;
    if (id === 'preset') {
      this.editedPoints = null;
      this.preset = value;
      this.customConfig = null;
      this.values = valuesFromConfig(this.#fullBase());
      this.#syncControls();
      this.#writeUrl();
      // A preset chosen in the page brings its own pace and budget.
      this.urlView = { ...this.urlView, speed: undefined, steps: undefined };
      if (!this.options.urlSync) this.options = { ...this.options, speed: undefined, steps: undefined };
      this.#applyPace();
      const preset = this.presets.find((p) => p.name === value);
      this.view.setControlNotice('', '');
      if (this.lecture) this.view.setLecture(true, keyCharts(value));
      this.#rebuild(preset ? `Loaded the preset “${preset.title}”.` : 'Back to the default settings.');
      return;
    }
    if (!settingsById.get(id)) throw new Error(`unknown setting ${id}`);
    const next = { ...this.values, [id]: value };
    const change = classifyChange(this.values, next);
    if (change.changed.length === 0) return;
    if (['dataset', 'noise', 'seed'].includes(id)) this.editedPoints = null; // back to generated data
    this.values = next;
    this.#syncControls();
    this.#writeUrl();
    if (change.live && !this.diverged) {
      this.worker.send({ type: 'set', changes: change.liveChanges });
      this.view.setControlNotice(id, '');
      this.#setReadout();
      return;
    }
    const labels = change.changed.map((changedId) => settingsById.get(changedId).label);
    const message = `Restarted: ${labels.join(', ')} ${labels.length > 1 ? 'change' : 'changes'} the network or data, so training starts over.`;
    this.#rebuild(message);
    // Beside the control that caused it, too.
    this.view.setControlNotice(id, `↻ Restarted from step 0: ${settingsById.get(id).label} cannot change in a running model.`);
  }

  /**
   * A click on the decision boundary: {x, y, label} adds a point, {remove, x, y, radius} removes
   * the nearest point within `radius`. The run restarts on the edited points (training and
   * validation drawn again from them); changing Dataset, Noise, Seed or the preset goes back.
   */
  #editData(edit) {
    const points = this.store.data.points;
    if (!points?.train || !this.store.data.bounds) return;
    if (!this.editedPoints) {
      const x = [];
      const y = [];
      for (const split of [points.train, points.val].filter(Boolean)) {
        for (let i = 0; i < split.count; i++) {
          x.push(split.x[2 * i], split.x[2 * i + 1]);
          y.push(Math.round(split.y[i]));
        }
      }
      this.editedPoints = { x, y, classes: this.store.data.outputs, added: 0, removed: 0 };
    }
    const edited = this.editedPoints;
    let message;
    if (edit.remove) {
      let nearest = -1;
      let best = edit.radius ** 2;
      for (let i = 0; i < edited.y.length; i++) {
        const distance = (edited.x[2 * i] - edit.x) ** 2 + (edited.x[2 * i + 1] - edit.y) ** 2;
        if (distance <= best) {
          best = distance;
          nearest = i;
        }
      }
      if (nearest < 0 || edited.y.length <= 4) {
        this.view.setRestartNotice(nearest < 0 ? 'Shift-click removes the point under the pointer: there is none there.' : 'Keep at least 4 points.');
        return;
      }
      edited.x.splice(2 * nearest, 2);
      edited.y.splice(nearest, 1);
      edited.removed++;
      message = `Removed a point: ${edited.y.length} points, training starts over.`;
    } else {
      edited.x.push(edit.x, edit.y);
      edited.y.push(edit.label);
      edited.added++;
      message = `Added a point of class ${edit.label + 1}: ${edited.y.length} points, training starts over.`;
    }
    this.#rebuild(`${message} (Choose a Dataset, Noise or Seed to go back to generated data.)`);
  }

  #writeUrl() {
    if (!this.options.urlSync) return;
    const hash = serializeHash(this.preset, this.values, this.urlView);
    globalThis.history.replaceState(null, '', hash || globalThis.location.pathname + globalThis.location.search);
  }

  #rebuild(message) {
    this.view.setRestartNotice(message);
    this.wantPlay = this.wantPlay || this.running;
    this.#clearDivergence();
    this.worker.send({ type: 'build', config: this.config });
  }

  #addNotice(text) {
    this.notices.push(text);
    this.view.setNotices(this.notices);
  }

  // ---- worker messages -------------------------------------------------------------------

  #onMessage(message) {
    switch (message.type) {
      case 'hello':
        this.#onHello(message);
        break;
      case 'fatal':
        this.fatal = message.message;
        this.#addNotice(message.message);
        this.view.setAllEmpty(message.message);
        if (this.view.engineBadge) this.view.engineBadge.textContent = 'Engine unavailable';
        break;
      case 'error':
        // A layer list whose sizes do not work out: the engine's message under the editor.
        if (message.during === 'build' && message.message.startsWith('model.layers') && this.view.setControlError('net', message.message)) break;
        // Shown whatever run it belongs to: a failed build never becomes a run.
        this.#addNotice(message.during === 'build'
          ? `Can’t build this network: ${message.message}`
          : `Problem during ${message.during}: ${message.message}`);
        break;
      case 'ready':
        this.#onReady(message);
        break;
      default:
        if (message.run !== this.run) return; // from a run that was replaced
        this.#onRunMessage(message);
    }
  }

  // A layer list gets its architecture line with parameter counts; a plain MLP keeps the page as it was.
  #showArchitecture(summary) {
    if (!this.view.setArchitecture) return;
    if (!(summary.length > 0 && summary[0].path.startsWith('model.layers'))) {
      this.view.setArchitecture('');
      return;
    }
    const totals = summaryTotals(summary);
    const perLayer = summary.map((row) => `${row.path}: ${describeLayer(row)} → ${formatShape(row.output)}, ${row.parameters.toLocaleString('en-US')} parameters`).join('\n');
    this.view.setArchitecture(`${architectureLine(summary)} · ${totals.parameters.toLocaleString('en-US')} parameters`, perLayer);
  }

  #onHello({ engine, presets, defaults }) {
    this.engine = engine;
    this.presets = presets;
    this.defaults = defaults;
    this.view.setPresets(presets);
    this.view.setEngine(engine);
    if (this.options.urlSync) {
      this.#loadFromHash();
      if (this.urlView.autoplay) this.wantPlay = true;
    } else {
      const initial = this.options.initial ?? {};
      const notices = [...(initial.notices ?? [])];
      let preset = initial.preset ?? '';
      if (preset && !presets.some((p) => p.name === preset)) {
        notices.push(`Unknown preset “${preset}”; using the default settings.`);
        preset = '';
      }
      // <train-scope config='…'>: the JSON overrides the preset (or the defaults) field by field.
      if (initial.config) this.customConfig = mergeConfig(presetConfig(presets, preset), initial.config);
      this.#setInitial(preset, initial.values ?? {}, notices);
      this.#applyPace();
      this.wantPlay = Boolean(this.options.autoplay);
      this.#rebuild('');
    }
    this.view.setDisabled(false);
  }

  #onReady(message) {
    this.run = message.run;
    this.#showArchitecture(message.summary ?? []);
    this.view.setControlError('net', '');
    const stale = this.notices.filter((text) => text.startsWith('Can’t build'));
    if (stale.length) {
      this.notices = this.notices.filter((text) => !stale.includes(text));
      this.view.setNotices(this.notices);
    }
    this.running = false;
    setTraining(this.worker, false);
    this.settledStep = null;
    this.store.apply(message);
    this.#setReadout();
    this.#markDirty('run');
    this.options.onEvent?.('ready', { config: message.config });
    this.options.onEvent?.('layout', {});
    if (this.wantPlay) this.play();
  }

  #onRunMessage(message) {
    switch (message.type) {
      case 'history':
      case 'eval':
      case 'grid': {
        const changed = this.store.apply(message);
        if (message.last) this.stepEventPending = true;
        if (changed.length) this.#markDirty(...changed);
        break;
      }
      case 'state':
        this.running = message.running;
        setTraining(this.worker, message.running);
        if (!message.running && message.reason !== 'paused') this.wantPlay = false;
        this.view.setRunning(message.running);
        this.options.onEvent?.('state', { running: message.running, reason: message.reason });
        break;
      case 'diverged':
        this.#onDiverged(message);
        break;
      case 'live-set':
        this.#setReadout();
        break;
      case 'settled':
        this.settledStep = message.step;
        this.options.onEvent?.('settled', { step: message.step });
        break;
      default:
        break;
    }
  }

  #onDiverged(message) {
    this.running = false;
    setTraining(this.worker, false);
    this.wantPlay = false;
    const advice = divergenceAdvice({ step: message.step, reason: message.reason, lr: message.lr ?? this.values.lr });
    this.diverged = { step: message.step, reason: message.reason, lr: message.lr, ...advice };
    this.view.showAlert(advice);
    this.view.setRunning(false);
    this.options.onEvent?.('diverged', { ...this.diverged, metrics: message.metrics });
  }

  #applySuggestion() {
    if (!this.diverged) return;
    const lr = this.diverged.suggestedLr;
    this.values = { ...this.values, lr };
    this.#syncControls();
    this.#writeUrl();
    this.wantPlay = true;
    this.#rebuild(`Restarted with learning rate ${formatRate(lr)}.`);
    this.view.playButton.focus();
  }

  #clearDivergence() {
    this.diverged = null;
    this.view.hideAlert();
  }

  // ---- pinned runs -------------------------------------------------------------------------

  #pin() {
    if (this.store.data.steps.step.length === 0) {
      this.view.setRestartNotice('Train for a few steps before pinning: there is nothing to keep yet.');
      return;
    }
    this.pins.add({ preset: this.preset, values: this.values, ...this.store.pinSnapshot() });
    this.pins.relabel(this.values, this.preset);
    this.view.setPinsShown(true);
    this.view.setRestartNotice('Pinned: change a setting and train again to compare the curves.');
    this.#markDirty('pins');
  }

  #clearPins() {
    this.pins.clear();
    this.view.setPinsShown(false);
    this.#markDirty('pins');
  }
}
