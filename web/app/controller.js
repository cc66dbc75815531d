// The playground: wires the schema-driven controls, the training worker and the charts together.
// One class serves the full page (index.html), the iframe route (embed.html) and each
// <train-scope> element (inside its shadow root). It keeps the run's data, decides whether a
// change is live or restarts the run, and draws at most once per animation frame.

import {
  settings, chartCatalog, chartIds, valuesFromConfig, buildConfig, mergeConfig, presetConfig,
  classifyChange, describeDifference, settingsById,
} from './state-schema.js';
import { parseHash, serializeHash } from './url-state.js';
import { createControls } from './controls.js';
import { TrainingWorker } from './worker-client.js';
import { CappedColumns, smoothSeries, alignToGrid, scatterToGrid, finiteOrNull, positiveOrNull } from './series.js';
import { divergenceAdvice, initialLossSummary } from './babysit.js';
import { formatNumber, formatRate } from './format.js';
import { createFigure } from './charts/figures.js';
import { TimeSeriesChart, logRange } from './charts/time-series.js';
import { ActivationsChart } from './charts/activations.js';
import { DecisionBoundaryChart } from './charts/decision-boundary.js';
import { okabeIto, layerColors, pinColors, withAlpha } from './palette.js';

const SATURATING = new Set(['tanh', 'sigmoid']);
const MAX_PINS = 5;

/**
 * @typedef {object} PlaygroundOptions
 * @property {'full'|'embed'} [layout]
 * @property {'all'|string[]} [controls]   setting ids to show
 * @property {'all'|string[]} [charts]     chart ids to show
 * @property {boolean} [urlSync]           read settings from location.hash and write them back
 * @property {{preset?: string, values?: object, config?: object}} [initial]  when not using the URL
 * @property {boolean} [autoplay]
 * @property {number} [steps]              stop after this many steps (0 = no limit)
 * @property {(type: string, detail: object) => void} [onEvent]  'step', 'diverged', 'state', 'ready'
 */
export class Playground {
  /** @param {HTMLElement|ShadowRoot} mount  @param {PlaygroundOptions} options */
  constructor(mount, options = {}) {
    this.mount = mount;
    this.doc = mount.ownerDocument ?? mount;
    this.options = { layout: 'full', controls: 'all', charts: 'all', urlSync: false, autoplay: false, steps: 0, ...options };
    this.presets = [];
    this.defaults = null;
    this.engine = null;
    this.preset = '';
    this.values = {};
    this.customConfig = null; // <train-scope config='…'>: a full custom base instead of a preset
    this.view = {};
    this.run = -1;
    this.running = false;
    this.wantPlay = false;
    this.lastMetrics = null;
    this.diverged = null;
    this.pins = [];
    this.notices = [];
    this.fatal = '';
    this.smooth = true;
    this.logLoss = false;
    this.frameRequested = false;
    this.dirty = new Set();
    this.stepEventPending = false;
    this.#resetRunData();
    this.#render();
    this.worker = new TrainingWorker((message) => this.#onMessage(message));
    if (this.options.urlSync) {
      this.onHashChange = () => this.#loadFromHash();
      globalThis.addEventListener('hashchange', this.onHashChange);
    }
  }

  // ---- public surface (the custom element and tests use it) --------------------------------

  play() {
    if (this.diverged) return;
    this.wantPlay = true;
    if (this.run >= 0) this.worker.send({ type: 'play', limit: this.options.steps || 0 });
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

  /** The config the run uses (preset or custom base + the settings). */
  get config() {
    if (!this.defaults) return null;
    return buildConfig(this.defaults, this.#baseOwnConfig(), this.values);
  }

  /** Apply setting changes as a user would (live ones without a restart). */
  setValues(changes) {
    for (const [id, value] of Object.entries(changes)) this.#onControl(id, value);
  }

  getState() {
    return {
      preset: this.preset,
      values: { ...this.values },
      config: this.config,
      running: this.running,
      run: this.run,
      step: this.lastMetrics?.step ?? 0,
      lastMetrics: this.lastMetrics,
      engine: this.engine,
      notices: this.notices.slice(),
      diverged: this.diverged,
      pins: this.pins.map((pin) => this.#pinLabel(pin)),
      layers: this.runData.lastDiag,
      initialLoss: this.runData.initialLoss,
    };
  }

  destroy() {
    this.worker.terminate();
    if (this.onHashChange) globalThis.removeEventListener('hashchange', this.onHashChange);
    for (const chart of Object.values(this.charts)) chart.instance?.destroy?.();
    this.root.remove();
  }

  // ---- DOM -------------------------------------------------------------------------------

  #el(tag, className, text) {
    const element = this.doc.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  #render() {
    const full = this.options.layout === 'full';
    const root = this.#el('div', `ts-app ts-layout-${this.options.layout}`);
    this.root = root;

    if (full) {
      const header = this.#el('header', 'ts-header');
      const brand = this.#el('div', 'ts-brand');
      const title = this.#el('h1', 'ts-title', 'trainscope');
      const tagline = this.#el('p', 'ts-tagline', 'A training lab for CS231n lectures 6–7: watch a network learn, and see why it does not.');
      brand.append(title, tagline);
      this.engineBadge = this.#el('span', 'ts-engine', 'Loading engine…');
      header.append(brand, this.engineBadge);
      root.append(header);
    }

    // Experiment: the preset and its explanation.
    const controlIds = this.options.controls === 'all' ? settings.map((s) => s.id) : this.options.controls;
    const showPreset = controlIds.includes('preset');
    // Full page: the explanation is always open. Embeds: a one-line summary that opens on demand.
    this.explain = this.#el(full ? 'div' : 'details', 'ts-explain');
    this.explainTitle = this.#el(full ? 'strong' : 'summary', 'ts-explain-title');
    this.explainText = this.#el('p', 'ts-explain-text');
    this.explain.append(this.explainTitle, this.explainText);
    if (!full) this.explain.addEventListener('toggle', () => this.options.onEvent?.('layout', {}));
    this.explain.hidden = true;
    if (showPreset) {
      this.presetControls = createControls(this.doc, { ids: ['preset'], grouped: false, onChange: (id, v) => this.#onControl(id, v) });
      const experiment = this.#el('section', 'ts-experiment');
      experiment.setAttribute('aria-label', 'Experiment');
      experiment.append(this.presetControls.element, this.explain);
      root.append(experiment);
    } else if (!full) {
      root.append(this.explain);
    }

    // Toolbar: Play/Pause, Step, Reset, Pin run, and the live numbers.
    const toolbar = this.#el('div', 'ts-toolbar');
    toolbar.setAttribute('role', 'toolbar');
    toolbar.setAttribute('aria-label', 'Training');
    this.playButton = this.#button('Play', 'ts-button ts-primary', () => this.togglePlay());
    this.stepButton = this.#button('Step', 'ts-button', () => this.step(1));
    this.resetButton = this.#button('Reset', 'ts-button', () => this.reset());
    toolbar.append(this.playButton, this.stepButton, this.resetButton);
    const chartList = this.options.charts === 'all' ? chartIds : this.options.charts;
    if (full || chartList.includes('loss') || chartList.includes('accuracy')) {
      this.pinButton = this.#button('Pin run', 'ts-button', () => this.#pin());
      this.clearPinsButton = this.#button('Clear pins', 'ts-button ts-quiet', () => this.#clearPins());
      this.clearPinsButton.hidden = true;
      toolbar.append(this.pinButton, this.clearPinsButton);
    }
    const readout = this.#el('div', 'ts-readout');
    readout.setAttribute('aria-live', 'off');
    this.stepReadout = this.#el('span', 'ts-stat', '');
    this.lossReadout = this.#el('span', 'ts-stat', '');
    this.lrReadout = this.#el('span', 'ts-stat', '');
    this.initialReadout = this.#el('span', 'ts-stat ts-initial', '');
    readout.append(this.stepReadout, this.lossReadout, this.lrReadout, this.initialReadout);
    toolbar.append(readout);
    root.append(toolbar);
    this.#setReadout();

    // Divergence alert with the suggestion button.
    this.alert = this.#el('div', 'ts-alert');
    this.alert.setAttribute('role', 'alert');
    this.alert.hidden = true;
    this.alertText = this.#el('p', 'ts-alert-text');
    this.alertDetail = this.#el('p', 'ts-alert-detail');
    this.alertButton = this.#button('', 'ts-button ts-primary', () => this.#applySuggestion());
    this.alert.append(this.alertText, this.alertDetail, this.alertButton);
    root.append(this.alert);

    // Notices: restart messages, URL problems, engine errors. Always textContent.
    this.noticeBox = this.#el('div', 'ts-notices');
    this.noticeBox.setAttribute('role', 'status');
    this.noticeBox.setAttribute('aria-live', 'polite');
    this.restartNotice = this.#el('p', 'ts-notice ts-restart');
    this.noticeList = this.#el('ul', 'ts-notice-list');
    this.noticeBox.append(this.restartNotice, this.noticeList);
    root.append(this.noticeBox);

    const body = this.#el('div', 'ts-body');
    const panelIds = controlIds.filter((id) => id !== 'preset');
    if (panelIds.length) {
      this.panel = createControls(this.doc, { ids: panelIds, grouped: full, onChange: (id, v) => this.#onControl(id, v) });
      const aside = this.#el('aside', 'ts-panel');
      aside.setAttribute('aria-label', 'Settings');
      aside.append(this.panel.element);
      body.append(aside);
    }
    const chartArea = this.#el('div', 'ts-charts');
    this.charts = {};
    for (const spec of chartCatalog.filter((c) => chartList.includes(c.id))) {
      const frame = createFigure(this.doc, spec);
      frame.setEmpty('Loading the engine…');
      chartArea.append(frame.figure);
      this.charts[spec.id] = { frame, instance: null };
    }
    body.append(chartArea);
    root.append(body);
    this.mount.append(root);
    this.#createChartInstances();
    this.#setDisabled(true);
  }

  #button(label, className, onClick) {
    const button = this.#el('button', className, label);
    button.type = 'button';
    button.addEventListener('click', onClick);
    return button;
  }

  #setDisabled(disabled) {
    for (const button of [this.playButton, this.stepButton, this.resetButton, this.pinButton]) if (button) button.disabled = disabled;
    this.panel?.setDisabled(disabled);
    this.presetControls?.setDisabled(disabled);
  }

  #createChartInstances() {
    const { loss, accuracy } = this.charts;
    if (loss) {
      loss.frame.addToggle('Smooth', this.smooth, (on) => {
        this.smooth = on;
        this.#markDirty('loss', 'accuracy');
      });
      loss.frame.addToggle('Log scale', this.logLoss, (on) => {
        this.logLoss = on;
        loss.instance.setLog(on);
        this.#markDirty('loss');
      });
      loss.instance = new TimeSeriesChart(loss.frame.plot, { yLog: this.logLoss });
    }
    if (accuracy) accuracy.instance = new TimeSeriesChart(accuracy.frame.plot, { yRange: [0, 1] });
    if (this.charts['dead-relu']) {
      this.charts['dead-relu'].instance = new TimeSeriesChart(this.charts['dead-relu'].frame.plot, { yRange: [0, 1], yFormat: (v) => `${Math.round(v * 100)}%` });
    }
    if (this.charts['update-ratio']) {
      this.charts['update-ratio'].instance = new TimeSeriesChart(this.charts['update-ratio'].frame.plot, {
        yLog: true,
        yRange: (min, max) => logRange(min, max, 1e-5, 1e-1),
        yFormat: (v) => formatNumber(v, 1),
        drawUnder: drawHealthyBand,
      });
    }
    if (this.charts.activations) this.charts.activations.instance = new ActivationsChart(this.charts.activations.frame.plot);
    if (this.charts['decision-boundary']) {
      this.charts['decision-boundary'].instance = new DecisionBoundaryChart(this.charts['decision-boundary'].frame.plot);
    }
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
    const parsed = parseHash(globalThis.location.hash, { presetNames: this.presets.map((p) => p.name) });
    this.view = parsed.view;
    this.#setInitial(parsed.preset, parsed.values, parsed.notices);
    this.#rebuild('');
  }

  #setInitial(preset, values, notices) {
    this.preset = preset;
    this.values = { ...valuesFromConfig(this.#fullBase()), ...values };
    this.notices = notices;
    this.#renderNotices();
    this.#syncControls();
  }

  #syncControls() {
    this.panel?.setValues(this.values, this.preset);
    this.presetControls?.setValues(this.values, this.preset);
    const preset = this.presets.find((p) => p.name === this.preset);
    const full = this.options.layout === 'full';
    this.explain.hidden = !preset && !full;
    if (preset) {
      this.explainTitle.textContent = preset.title;
      this.explainText.textContent = preset.explain;
    } else {
      this.explainTitle.textContent = 'Your own experiment';
      this.explainText.textContent = 'Pick a Preset to load one of the lecture’s experiments (initialization, dead ReLUs, batch norm, learning rates, optimizers…) with a note on what to look for, or change any setting below: the link in the address bar always reproduces this run.';
    }
  }

  #onControl(id, value) {
    if (!this.defaults) return;
    if (id === 'preset') {
      this.preset = value;
      this.customConfig = null;
      this.values = valuesFromConfig(this.#fullBase());
      this.#syncControls();
      this.#writeUrl();
      const preset = this.presets.find((p) => p.name === value);
      this.#rebuild(preset ? `Loaded the preset “${preset.title}”.` : 'Back to the default settings.');
      return;
    }
    const setting = settingsById.get(id);
    if (!setting) throw new Error(`unknown setting ${id}`);
    const next = { ...this.values, [id]: value };
    const change = classifyChange(this.values, next);
    if (change.changed.length === 0) return;
    this.values = next;
    this.#syncControls();
    this.#writeUrl();
    if (change.live && !this.diverged) {
      this.worker.send({ type: 'set', changes: change.liveChanges });
      this.#setReadout();
      return;
    }
    const labels = change.changed.map((changedId) => settingsById.get(changedId).label);
    this.#rebuild(`Restarted: ${labels.join(', ')} ${labels.length > 1 ? 'change' : 'changes'} the network or data, so training starts over.`);
  }

  #writeUrl() {
    if (!this.options.urlSync) return;
    const hash = serializeHash(this.preset, this.values, this.view);
    globalThis.history.replaceState(null, '', hash || globalThis.location.pathname + globalThis.location.search);
  }

  #rebuild(message) {
    this.restartNotice.textContent = message;
    this.wantPlay = this.wantPlay || this.running;
    this.#clearDivergence();
    this.worker.send({ type: 'build', config: this.config });
  }

  #renderNotices() {
    this.noticeList.replaceChildren(...this.notices.map((text) => this.#el('li', 'ts-notice ts-warning', text)));
  }

  #addNotice(text) {
    this.notices.push(text);
    this.#renderNotices();
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
        for (const chart of Object.values(this.charts)) chart.frame.setEmpty(message.message);
        if (this.engineBadge) this.engineBadge.textContent = 'Engine unavailable';
        break;
      case 'ready':
        this.#onReady(message);
        break;
      case 'error':
        // Shown whatever run it belongs to: a failed build never becomes a run.
        this.#addNotice(message.during === 'build'
          ? `Can’t build this network: ${message.message}`
          : `Problem during ${message.during}: ${message.message}`);
        break;
      default:
        if (message.run !== this.run) return; // from a run that was replaced
        this.#onRunMessage(message);
    }
  }

  #onHello({ engine, presets, defaults }) {
    this.engine = engine;
    this.presets = presets;
    this.defaults = defaults;
    this.presetControls?.setPresets(presets);
    if (this.engineBadge) {
      this.engineBadge.textContent = engine.simd ? 'WebAssembly SIMD build' : 'WebAssembly build (no SIMD)';
      this.engineBadge.dataset.engine = engine.variant;
      this.engineBadge.title = `Engine: ${engine.variant}; ${engine.buildInfo?.instruction_sets ?? ''}`;
    }
    this.root.dataset.engine = engine.variant;
    if (this.options.urlSync) {
      this.#loadFromHash();
      if (this.view.autoplay) this.wantPlay = true;
      if (this.view.steps) this.options.steps = this.view.steps;
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
      this.wantPlay = Boolean(this.options.autoplay);
      this.#rebuild('');
    }
    this.#setDisabled(false);
  }

  #onReady(message) {
    this.run = message.run;
    const stale = this.notices.filter((text) => text.startsWith('Can’t build'));
    if (stale.length) {
      this.notices = this.notices.filter((text) => !stale.includes(text));
      this.#renderNotices();
    }
    this.running = false;
    this.#resetRunData();
    const data = this.runData;
    data.config = message.config;
    data.outputs = message.outputs;
    data.initialLoss = message.initialLoss;
    data.points = message.data;
    data.bounds = message.bounds;
    data.activation = message.config.model.activation;
    this.lastMetrics = null;
    this.#setReadout();
    for (const [id, chart] of Object.entries(this.charts)) {
      chart.frame.setEmpty(this.#emptyMessage(id));
      if (id === 'activations') chart.instance.reset();
    }
    this.charts['decision-boundary']?.instance.reset({ data: message.data, bounds: message.bounds });
    this.#describeDeadChart();
    this.#markDirty(...Object.keys(this.charts));
    this.options.onEvent?.('ready', { config: message.config });
    this.options.onEvent?.('layout', {});
    if (this.wantPlay) this.play();
  }

  #emptyMessage(id) {
    const data = this.runData;
    if (id === 'decision-boundary' && !data.bounds) {
      return `Only for 2-D data: this dataset has ${data.config?.data?.dims ?? 'more'} dimensions.`;
    }
    if (id === 'dead-relu' && data.config?.model?.hidden?.length === 0) return 'No hidden layers: nothing can die.';
    if (id === 'activations' && data.config?.model?.hidden?.length === 0) return 'No hidden layers to show.';
    if (id === 'activations' || id === 'decision-boundary') return '';
    return 'Press Play to start training.';
  }

  #describeDeadChart() {
    const chart = this.charts['dead-relu'];
    if (!chart) return;
    const activation = this.runData.activation;
    chart.frame.caption.textContent = SATURATING.has(activation)
      ? `This ${activation} network cannot have dead ReLUs: the chart shows the saturated fraction instead (${activation === 'tanh' ? '|y| > 0.99' : 'y < 0.01 or > 0.99'}), units whose local gradient is almost 0.`
      : chartCatalog.find((c) => c.id === 'dead-relu').explain;
  }

  #onRunMessage(message) {
    const data = this.runData;
    switch (message.type) {
      case 'metrics': {
        const { columns } = message;
        const count = columns.step.length;
        for (let i = 0; i < count; i++) {
          data.metrics.push({ step: columns.step[i], loss: columns.loss[i], batch_acc: columns.batch_acc[i], lr: columns.lr[i] });
        }
        const last = count - 1;
        this.lastMetrics = {
          step: columns.step[last],
          loss: columns.loss[last],
          data_loss: columns.data_loss[last],
          reg_loss: columns.reg_loss[last],
          batch_acc: columns.batch_acc[last],
          lr: columns.lr[last],
          grad_norm: columns.grad_norm[last],
        };
        this.stepEventPending = true;
        this.#markDirty('loss', 'accuracy', 'readout');
        break;
      }
      case 'diag':
        this.#onDiagnostics(message);
        break;
      case 'eval':
        data.evals.step.push(message.step);
        data.evals.valLoss.push(message.val.loss);
        data.evals.valAcc.push(message.val.acc);
        data.evals.trainAcc.push(message.train.acc);
        data.lastEval = message;
        this.#markDirty('loss', 'accuracy');
        break;
      case 'grid':
        data.grid = message;
        this.#markDirty('decision-boundary');
        break;
      case 'state':
        this.running = message.running;
        if (!message.running && message.reason !== 'paused') this.wantPlay = false;
        this.playButton.textContent = message.running ? 'Pause' : 'Play';
        this.playButton.setAttribute('aria-pressed', String(message.running));
        this.options.onEvent?.('state', { running: message.running, reason: message.reason });
        break;
      case 'diverged':
        this.#onDiverged(message);
        break;
      case 'live-set':
        this.#setReadout();
        break;
      default:
        break;
    }
  }

  #onDiagnostics(message) {
    const data = this.runData;
    const hidden = message.layers.filter((layer) => layer.name !== 'output');
    if (!data.diag) {
      const names = ['step'];
      message.layers.forEach((_, i) => names.push(`dead${i}`, `saturated${i}`, `update${i}`));
      data.diag = new CappedColumns(names, 2000);
      data.layerNames = message.layers.map((layer) => layer.name);
    }
    // One row per step (a forced refresh after a pause repeats the last step). Step 0 is the
    // state at initialization: its dead fraction matters, its update ratio is 0 (not drawn).
    if (data.diag.length === 0 || message.step > data.diag.last('step')) {
      const row = { step: message.step };
      message.layers.forEach((layer, i) => {
        row[`dead${i}`] = layer.dead_fraction;
        row[`saturated${i}`] = layer.saturated_fraction;
        row[`update${i}`] = layer.update_ratio;
      });
      data.diag.push(row);
    }
    data.lastDiag = message.layers;
    data.hiddenDiag = hidden;
    this.#markDirty('activations', 'dead-relu', 'update-ratio');
  }

  #onDiverged(message) {
    this.running = false;
    this.wantPlay = false;
    const advice = divergenceAdvice({ step: message.step, reason: message.reason, lr: message.lr ?? this.values.lr });
    this.diverged = { step: message.step, reason: message.reason, lr: message.lr, ...advice };
    this.alertText.textContent = advice.text;
    this.alertDetail.textContent = advice.detail;
    this.alertButton.textContent = advice.buttonLabel;
    this.alert.hidden = false;
    this.playButton.textContent = 'Play';
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
    this.playButton.focus();
  }

  #clearDivergence() {
    this.diverged = null;
    this.alert.hidden = true;
  }

  // ---- pinned runs -------------------------------------------------------------------------

  #pin() {
    const metrics = this.runData.metrics;
    if (metrics.length === 0) {
      this.restartNotice.textContent = 'Train for a few steps before pinning: there is nothing to keep yet.';
      return;
    }
    if (this.pins.length >= MAX_PINS) this.pins.shift();
    this.pins.push({
      preset: this.preset,
      values: { ...this.values },
      metrics: metrics.snapshot(),
      evals: structuredClone(this.runData.evals),
      color: pinColors[(this.pinCounter = (this.pinCounter ?? 0) + 1) % pinColors.length],
      number: this.pinCounter,
    });
    this.clearPinsButton.hidden = false;
    this.restartNotice.textContent = 'Pinned: change a setting and train again to compare the curves.';
    this.#markDirty('loss', 'accuracy');
  }

  #clearPins() {
    this.pins = [];
    this.clearPinsButton.hidden = true;
    this.#markDirty('loss', 'accuracy');
  }

  #pinLabel(pin) {
    const difference = describeDifference(pin.values, this.values, pin.preset, this.preset);
    return `pinned ${pin.number}: ${difference || 'same settings'}`;
  }

  // ---- drawing ------------------------------------------------------------------------------

  #resetRunData() {
    this.runData = {
      metrics: new CappedColumns(['step', 'loss', 'batch_acc', 'lr'], 3000),
      evals: { step: [], valLoss: [], valAcc: [], trainAcc: [] },
      diag: null,
      lastDiag: null,
      hiddenDiag: [],
      grid: null,
    };
  }

  #markDirty(...ids) {
    for (const id of ids) this.dirty.add(id);
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => this.#draw());
  }

  #draw() {
    this.frameRequested = false;
    const dirty = this.dirty;
    this.dirty = new Set();
    try {
      if (dirty.has('readout')) this.#setReadout();
      if (dirty.has('loss')) this.#drawLoss();
      if (dirty.has('accuracy')) this.#drawAccuracy();
      if (dirty.has('dead-relu')) this.#drawDead();
      if (dirty.has('update-ratio')) this.#drawUpdateRatio();
      if (dirty.has('activations')) this.#drawActivations();
      if (dirty.has('decision-boundary')) this.#drawBoundary();
    } catch (error) {
      console.error(error);
    }
    if (this.stepEventPending) {
      this.stepEventPending = false;
      this.options.onEvent?.('step', { ...this.lastMetrics });
    }
  }

  #setReadout() {
    const metrics = this.lastMetrics;
    this.stepReadout.textContent = `Step ${metrics ? metrics.step.toLocaleString('en-US') : 0}`;
    this.stepReadout.dataset.step = String(metrics?.step ?? 0);
    this.lossReadout.textContent = `Loss ${metrics ? formatNumber(metrics.loss) : '–'}`;
    this.lrReadout.textContent = `lr ${formatNumber(this.values.lr ?? NaN)}`;
    const initial = this.runData.initialLoss;
    if (initial) {
      const summary = initialLossSummary({ expected: initial.expected, measured: initial.measured, classes: this.runData.outputs });
      this.initialReadout.textContent = summary.text;
      this.initialReadout.title = [summary.warning, initial.explanation].filter(Boolean).join(' ');
      this.initialReadout.classList.toggle('ts-warn', Boolean(summary.warning));
    } else {
      this.initialReadout.textContent = '';
    }
  }

  /** The x grid shared by the current run and the pins: the longest of them. */
  #timeGrid() {
    let grid = this.runData.metrics.x;
    for (const pin of this.pins) if (pin.metrics.step.length && (pin.metrics.step.at(-1) > (grid.at(-1) ?? 0))) grid = pin.metrics.step;
    return grid;
  }

  /** The chart `id` with the run's data and the shared x grid, or null when it has nothing to draw. */
  #stepChart(id) {
    const chart = this.charts[id];
    if (!chart) return null;
    const grid = this.#timeGrid();
    if (grid.length === 0) return null;
    chart.frame.setEmpty('');
    return { chart, data: this.runData, metrics: this.runData.metrics, grid };
  }

  #drawLoss() {
    const target = this.#stepChart('loss');
    if (!target) return;
    const { chart, data, metrics, grid } = target;
    const clean = this.logLoss ? positiveOrNull : finiteOrNull;
    const trainValues = this.smooth ? smoothSeries(metrics.columns.loss) : finiteOrNull(metrics.columns.loss);
    const series = [{ label: this.smooth ? 'train (smoothed)' : 'train', stroke: okabeIto.blue, width: 1.5 }];
    const columns = [grid, clean(alignToGrid(grid, metrics.x, trainValues))];
    series.push({ label: 'validation', stroke: okabeIto.vermillion, width: 2, spanGaps: true, points: true });
    columns.push(clean(scatterToGrid(grid, data.evals.step, data.evals.valLoss)));
    const expected = data.initialLoss?.expected;
    if (Number.isFinite(expected)) {
      series.push({ label: `ln(${data.outputs}) = ${formatNumber(expected)}`, stroke: '#7b8190', width: 1, dash: [6, 4], points: false });
      columns.push(grid.map(() => expected));
    }
    for (const pin of this.pins) {
      series.push({ label: this.#pinLabel(pin), stroke: withAlpha(pin.color, 0.55), width: 1.5, dash: [4, 3], points: false });
      columns.push(clean(alignToGrid(grid, pin.metrics.step, smoothSeries(pin.metrics.loss))));
    }
    chart.instance.setData(series, columns);
    const last = data.evals.valLoss.at(-1);
    chart.frame.values.textContent = `train ${formatNumber(metrics.last('loss'))}` + (last !== undefined ? ` · validation ${formatNumber(last)}` : '');
  }

  #drawAccuracy() {
    const target = this.#stepChart('accuracy');
    if (!target) return;
    const { chart, data, metrics, grid } = target;
    const series = [
      { label: 'train (batch, smoothed)', stroke: okabeIto.blue, width: 1.5 },
      { label: 'validation', stroke: okabeIto.vermillion, width: 2, spanGaps: true, points: true },
    ];
    const columns = [
      grid,
      alignToGrid(grid, metrics.x, smoothSeries(metrics.columns.batch_acc, this.smooth ? 0.9 : 0.5)),
      scatterToGrid(grid, data.evals.step, data.evals.valAcc),
    ];
    for (const pin of this.pins) {
      series.push({ label: this.#pinLabel(pin), stroke: withAlpha(pin.color, 0.55), width: 1.5, dash: [4, 3], points: false });
      columns.push(alignToGrid(grid, pin.metrics.step, smoothSeries(pin.metrics.batch_acc)));
    }
    chart.instance.setData(series, columns);
    const evaluation = data.lastEval;
    chart.frame.values.textContent = evaluation
      ? `train ${percent(evaluation.train.acc)} · validation ${percent(evaluation.val.acc)} · gap ${percent(evaluation.train.acc - evaluation.val.acc)}`
      : '';
  }

  #drawDead() {
    const chart = this.charts['dead-relu'];
    const data = this.runData;
    if (!chart || !data.diag || !data.lastDiag) return;
    const saturating = SATURATING.has(data.activation);
    const key = saturating ? 'saturated' : 'dead';
    const layers = data.layerNames.map((name, i) => ({ name, i })).filter((l) => l.name !== 'output');
    if (layers.length === 0 || data.diag.length === 0) {
      this.#valuesLine(chart, layers, saturating);
      return;
    }
    chart.frame.setEmpty('');
    const series = layers.map((l, k) => ({ label: l.name, stroke: layerColors[k % layerColors.length], width: 1.5 }));
    const columns = [data.diag.x, ...layers.map((l) => finiteOrNull(data.diag.columns[`${key}${l.i}`]))];
    chart.instance.setData(series, columns);
    this.#valuesLine(chart, layers, saturating);
  }

  #valuesLine(chart, layers, saturating) {
    const last = this.runData.lastDiag ?? [];
    const parts = layers.map((l) => `${l.name} ${percent(saturating ? last[l.i]?.saturated_fraction : last[l.i]?.dead_fraction)}`);
    chart.frame.values.textContent = parts.length ? `${saturating ? 'saturated' : 'dead'} now: ${parts.join(' · ')}` : '';
  }

  #drawUpdateRatio() {
    const chart = this.charts['update-ratio'];
    const data = this.runData;
    if (!chart || !data.diag || data.diag.last('step') === 0) return;
    chart.frame.setEmpty('');
    const layers = data.layerNames.map((name, i) => ({ name, i }));
    const series = layers.map((l, k) => ({ label: l.name, stroke: layerColors[k % layerColors.length], width: 1.5 }));
    const columns = [data.diag.x, ...layers.map((l) => positiveOrNull(data.diag.columns[`update${l.i}`]))];
    chart.instance.setData(series, columns);
    const last = data.lastDiag ?? [];
    chart.frame.values.textContent = last.map((layer) => `${layer.name} ${formatNumber(layer.update_ratio, 2)}`).join(' · ');
  }

  #drawActivations() {
    const chart = this.charts.activations;
    const hidden = this.runData.hiddenDiag;
    if (!chart || !hidden.length) return;
    chart.frame.setEmpty('');
    chart.instance.update(hidden);
    const first = hidden[0].act;
    const last = hidden.at(-1).act;
    chart.frame.values.textContent = `std: first layer ${formatNumber(first.std, 2)} → last layer ${formatNumber(last.std, 2)}`;
  }

  #drawBoundary() {
    const chart = this.charts['decision-boundary'];
    const grid = this.runData.grid;
    if (!chart || !grid) return;
    chart.frame.setEmpty('');
    chart.instance.update(grid);
    const evaluation = this.runData.lastEval;
    chart.frame.values.textContent = evaluation ? `validation accuracy ${percent(evaluation.val.acc)} · step ${grid.step}` : `step ${grid.step}`;
  }
}

function percent(value) {
  return Number.isFinite(value) ? `${(value * 100).toFixed(value > 0 && value < 0.1 ? 1 : 0)}%` : '–';
}

/** uPlot drawClear hook: the healthy update-ratio band 1e-4 … 1e-2 and the 1e-3 line. */
function drawHealthyBand(u) {
  const { ctx, bbox } = u;
  const top = Math.max(bbox.top, u.valToPos(1e-2, 'y', true));
  const bottom = Math.min(bbox.top + bbox.height, u.valToPos(1e-4, 'y', true));
  if (!(bottom > top)) return;
  ctx.save();
  ctx.fillStyle = withAlpha(okabeIto.green, 0.12);
  ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
  const middle = u.valToPos(1e-3, 'y', true);
  if (middle > bbox.top && middle < bbox.top + bbox.height) {
    ctx.strokeStyle = withAlpha(okabeIto.green, 0.7);
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(bbox.left, middle);
    ctx.lineTo(bbox.left + bbox.width, middle);
    ctx.stroke();
  }
  ctx.restore();
}
