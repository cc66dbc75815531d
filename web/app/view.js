// The playground's DOM: header, preset and explanation, toolbar with the live numbers, the
// divergence alert, notices, the settings panel and one figure frame per chart. Builds and
// updates elements only; what happens on a click is the controller's business (callbacks).
// Everything from settings or the URL is set as textContent, never as HTML.

import { settings } from './state-schema.js';
import { createControls } from './controls.js';
import { createFigure } from './charts/figures.js';
import { SPEEDS, speedLabel } from './pace.js';

/**
 * @param {HTMLElement|ShadowRoot} mount
 * @param {object} options
 * @param {'full'|'embed'} options.layout
 * @param {'all'|string[]} options.controls    setting ids to show
 * @param {{id, title, explain}[]} options.charts  the charts to frame, in order
 * @param {boolean} options.pins               show "Pin run" / "Clear pins"
 * @param {object} on   callbacks: control(id, value), play(), step(), reset(), pin(), clearPins(), applySuggestion(), layout(), speed(stepsPerSecond), compare(), lecture(on)
 */
export function createView(mount, { layout, controls, charts, pins }, on) {
  const doc = mount.ownerDocument ?? mount;
  const el = (tag, className, text) => {
    const element = doc.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  };
  const button = (label, className, onClick) => {
    const element = el('button', className, label);
    element.type = 'button';
    element.addEventListener('click', onClick);
    return element;
  };
  const full = layout === 'full';
  const root = el('div', `ts-app ts-layout-${layout}`);
  const view = { root };

  if (full) {
    const header = el('header', 'ts-header');
    const brand = el('div', 'ts-brand');
    brand.append(el('h1', 'ts-title', 'trainscope'), el('p', 'ts-tagline', 'A training lab for CS231n lectures 6–7: watch a network learn, and see why it does not.'));
    view.engineBadge = el('span', 'ts-engine', 'Loading engine…');
    header.append(brand, view.engineBadge);
    root.append(header);
  }

  // Experiment: the preset and its explanation. Full page: always open; embeds: a one-line summary.
  const controlIds = controls === 'all' ? settings.map((s) => s.id) : controls;
  const explain = el(full ? 'div' : 'details', 'ts-explain');
  const explainTitle = el(full ? 'strong' : 'summary', 'ts-explain-title');
  const explainText = el('p', 'ts-explain-text');
  // Which settings differ from the loaded preset (hidden while none does).
  const explainChanges = el('p', 'ts-explain-changes');
  explainChanges.hidden = true;
  // The engine's architecture summary of the current run, one line (bindings/js/architecture.js).
  const architecture = el('p', 'ts-architecture');
  architecture.hidden = true;
  explain.append(explainTitle, explainText, explainChanges, architecture);
  if (!full) explain.addEventListener('toggle', () => on.layout());
  explain.hidden = true;
  let presetControls = null;
  if (controlIds.includes('preset')) {
    presetControls = createControls(doc, { ids: ['preset'], grouped: false, onChange: on.control });
    const experiment = el('section', 'ts-experiment');
    experiment.setAttribute('aria-label', 'Experiment');
    experiment.append(presetControls.element, explain);
    root.append(experiment);
  } else if (!full) {
    root.append(explain);
  }

  // Toolbar: Play/Pause, Step, Reset, Pin run, and the live numbers.
  const toolbar = el('div', 'ts-toolbar');
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', 'Training');
  view.playButton = button('Play', 'ts-button ts-primary', on.play);
  const stepButton = button('Step', 'ts-button', on.step);
  const resetButton = button('Reset', 'ts-button', on.reset);
  toolbar.append(view.playButton, stepButton, resetButton);
  let pinButton = null;
  let clearPinsButton = null;
  if (pins) {
    pinButton = button('Pin run', 'ts-button', on.pin);
    clearPinsButton = button('Clear pins', 'ts-button ts-quiet', on.clearPins);
    clearPinsButton.hidden = true;
    toolbar.append(pinButton, clearPinsButton);
  }
  // "Compare": the current settings against one alternative, trained side by side (full page).
  let compareButton = null;
  if (full && on.compare) {
    compareButton = button('Compare', 'ts-button', on.compare);
    compareButton.title = 'Train the current settings and one alternative (the preset’s values, or dropout on/off) for the same number of steps, side by side, and show the difference in validation loss and accuracy.';
    toolbar.append(compareButton);
  }
  // "Speed": steps per second (0 = max); the preset picks one, the student can change it live.
  const speedLabelElement = el('label', 'ts-speed');
  speedLabelElement.append(doc.createTextNode('Speed '));
  const speedSelect = el('select', 'ts-speed-select');
  speedSelect.title = 'Training steps per second. Presets pick a pace at which their effect unfolds over several seconds; "max" trains as fast as the engine can.';
  for (const speed of SPEEDS) {
    const option = el('option', '', speedLabel(speed));
    option.value = String(speed);
    speedSelect.append(option);
  }
  speedSelect.addEventListener('change', () => on.speed?.(Number(speedSelect.value)));
  speedLabelElement.append(speedSelect);
  toolbar.append(speedLabelElement);
  // The lecture view (full page): a toggle, and in it a button that opens the settings drawer.
  let lectureButton = null;
  let drawerButton = null;
  if (full) {
    lectureButton = button('Lecture view', 'ts-button ts-quiet ts-lecture-toggle', () => on.lecture?.(!root.classList.contains('ts-lecture')));
    lectureButton.setAttribute('aria-pressed', 'false');
    lectureButton.title = 'For a projector: larger text and ticks, the preset’s key charts first and large, the settings in a drawer (#view=lecture in the link).';
    drawerButton = button('Settings', 'ts-button ts-drawer-toggle', () => view.setDrawerOpen(!root.classList.contains('ts-drawer-open')));
    drawerButton.setAttribute('aria-expanded', 'false');
    toolbar.append(lectureButton, drawerButton);
  }
  const readout = el('div', 'ts-readout');
  readout.setAttribute('aria-live', 'off');
  const stepReadout = el('span', 'ts-stat', '');
  const lossReadout = el('span', 'ts-stat', '');
  const lrReadout = el('span', 'ts-stat', '');
  const initialReadout = el('span', 'ts-stat ts-initial', '');
  readout.append(stepReadout, lossReadout, lrReadout, initialReadout);
  toolbar.append(readout);
  root.append(toolbar);

  // Divergence alert with the suggestion button.
  const alert = el('div', 'ts-alert');
  alert.setAttribute('role', 'alert');
  alert.hidden = true;
  const alertText = el('p', 'ts-alert-text');
  const alertDetail = el('p', 'ts-alert-detail');
  view.alertButton = button('', 'ts-button ts-primary', on.applySuggestion);
  alert.append(alertText, alertDetail, view.alertButton);
  root.append(alert);

  // Notices: restart messages, URL problems, engine errors.
  const noticeBox = el('div', 'ts-notices');
  noticeBox.setAttribute('role', 'status');
  noticeBox.setAttribute('aria-live', 'polite');
  const restartNotice = el('p', 'ts-notice ts-restart');
  const noticeList = el('ul', 'ts-notice-list');
  const sizeNotice = el('p', 'ts-notice ts-warning ts-size');
  sizeNotice.hidden = true;
  noticeBox.append(restartNotice, noticeList, sizeNotice);
  root.append(noticeBox);

  // The comparison's result: one row per side, then the difference.
  const comparison = el('section', 'ts-compare');
  comparison.setAttribute('aria-label', 'Comparison');
  comparison.hidden = true;
  const comparisonStatus = el('p', 'ts-compare-status');
  comparisonStatus.setAttribute('role', 'status');
  const comparisonTable = el('table', 'ts-compare-table');
  comparison.append(comparisonStatus, comparisonTable);
  root.append(comparison);

  const body = el('div', 'ts-body');
  const panelIds = controlIds.filter((id) => id !== 'preset');
  let panel = null;
  if (panelIds.length) {
    panel = createControls(doc, { ids: panelIds, grouped: full, onChange: on.control });
    const aside = el('aside', 'ts-panel');
    aside.id = `ts-settings-${Math.random().toString(36).slice(2, 9)}`;
    drawerButton?.setAttribute('aria-controls', aside.id);
    aside.setAttribute('aria-label', 'Settings');
    aside.append(panel.element);
    body.append(aside);
  }
  const chartArea = el('div', 'ts-charts');
  /** @type {Map<string, ReturnType<typeof createFigure>>} one frame per chart id */
  view.frames = new Map();
  for (const spec of charts) {
    const frame = createFigure(doc, spec);
    frame.setEmpty('Loading the engine…');
    chartArea.append(frame.figure);
    view.frames.set(spec.id, frame);
  }
  body.append(chartArea);
  root.append(body);
  mount.append(root);

  Object.assign(view, {
    setDisabled(disabled) {
      for (const b of [view.playButton, stepButton, resetButton, pinButton, compareButton, speedSelect]) if (b) b.disabled = disabled;
      panel?.setDisabled(disabled);
      presetControls?.setDisabled(disabled);
    },
    setEngine(engine) {
      root.dataset.engine = engine.variant;
      if (!view.engineBadge) return;
      view.engineBadge.textContent = engine.simd ? 'WebAssembly SIMD build' : 'WebAssembly build (no SIMD)';
      view.engineBadge.dataset.engine = engine.variant;
      view.engineBadge.title = `Engine: ${engine.variant}; ${engine.buildInfo?.instruction_sets ?? ''}`;
    },
    setPresets(presets) {
      presetControls?.setPresets(presets);
    },
    /**
     * The controls' values, and the preset's title and explanation (or the "own experiment" text).
     * `changes` ([{label, from, to}]) are the settings that differ from the preset: the title then
     * says "(modified)" and the explanation lists them.
     */
    setValues(values, presetName, preset, changes = [], context = {}) {
      panel?.setValues(values, presetName, context);
      presetControls?.setValues(values, presetName, context);
      explain.hidden = !preset && !full;
      const modified = Boolean(preset) && changes.length > 0;
      explainTitle.textContent = preset ? `${preset.title}${modified ? ' (modified)' : ''}` : 'Your own experiment';
      explainChanges.hidden = !modified;
      explainChanges.textContent = modified
        ? `Changed from the preset: ${changes.map((c) => `${c.label} ${c.from} → ${c.to}`).join('; ')}.`
        : '';
      explainText.textContent = preset
        ? preset.explain
        : 'Pick a Preset to load one of the lecture’s experiments (initialization, dead ReLUs, batch norm, learning rates, optimizers…) with a note on what to look for, or change any setting below: the link in the address bar always reproduces this run.';
    },
    /** The architecture line of the run ('' hides it), e.g. "input 1×28×28 → conv 8@5×5 p2 → 8×28×28 → …". */
    setArchitecture(text, title = '') {
      architecture.hidden = !text;
      architecture.textContent = text;
      architecture.title = title;
      if (text) explain.hidden = false;
    },
    /** The toolbar's numbers: step, last loss, learning rate, and the initial-loss check ({text, title, warning}). */
    setReadout({ step, lossText, lrText, initial }) {
      stepReadout.textContent = `Step ${step.toLocaleString('en-US')}`;
      stepReadout.dataset.step = String(step);
      // The last batch's loss (the Loss chart's "train (batch)"), not the smoothed curve.
      lossReadout.textContent = `Batch loss ${lossText}`;
      lossReadout.title = 'Loss of the last training batch: the Loss chart’s faint “train (batch)” line. The bold line is its smoothed average.';
      lrReadout.textContent = `lr ${lrText}`;
      initialReadout.textContent = initial?.text ?? '';
      initialReadout.title = initial?.title ?? '';
      initialReadout.classList.toggle('ts-warn', Boolean(initial?.warning));
    },
    /** The Speed control's value (steps per second, 0 = max) and the step budget it runs to. */
    setSpeed(speed, budget) {
      speedSelect.value = String(speed);
      speedSelect.dataset.budget = String(budget);
      speedLabelElement.title = budget ? `This run stops after ${budget.toLocaleString('en-US')} steps; Play continues past it.` : '';
    },
    setRunning(running) {
      view.playButton.textContent = running ? 'Pause' : 'Play';
      view.playButton.setAttribute('aria-pressed', String(running));
    },
    showAlert(advice) {
      alertText.textContent = advice.text;
      alertDetail.textContent = advice.detail;
      view.alertButton.textContent = advice.buttonLabel;
      alert.hidden = false;
    },
    hideAlert() {
      alert.hidden = true;
    },
    setRestartNotice(text) {
      restartNotice.textContent = text;
    },
    /** The lecture view on or off; `key` lists the chart ids shown first and large. */
    setLecture(on, key = []) {
      root.classList.toggle('ts-lecture', on);
      lectureButton?.setAttribute('aria-pressed', String(on));
      if (!on) view.setDrawerOpen(false);
      for (const [id, frame] of view.frames) {
        const rank = on ? key.indexOf(id) : -1;
        frame.figure.classList.toggle('ts-key-chart', rank >= 0);
        frame.figure.style.order = rank >= 0 ? String(rank - key.length) : '';
      }
    },
    /** The settings drawer of the lecture view. */
    setDrawerOpen(open) {
      root.classList.toggle('ts-drawer-open', open);
      drawerButton?.setAttribute('aria-expanded', String(open));
    },
    /** An error under control `id` (the layer list's sizes); false when the panel does not show it. */
    setControlError(id, text) {
      return panel?.setError(id, text) ?? false;
    },
    /** The note beside the control a change came from ('' clears every control's note). */
    setControlNotice(id, text) {
      panel?.setNotice(id, text);
      presetControls?.setNotice(id, text);
    },
    /** An embed's "needs more height" note ('' hides it); returns the height it takes. */
    setSizeNotice(text) {
      sizeNotice.textContent = text;
      sizeNotice.hidden = !text;
      return text ? sizeNotice.getBoundingClientRect().height + 6 : 0;
    },
    setNotices(texts) {
      noticeList.replaceChildren(...texts.map((text) => el('li', 'ts-notice ts-warning', text)));
    },
    /**
     * The comparison: `status` text, and once done `rows` ([{label, step, valLoss, valAcc,
     * trainAcc}], texts) and `difference` ({valLoss, valAcc}, texts). `busy` disables Compare.
     */
    showComparison({ status, rows = [], difference = null, busy = false }) {
      comparison.hidden = false;
      if (compareButton) compareButton.disabled = busy;
      comparisonStatus.textContent = status;
      if (!rows.length) {
        comparisonTable.replaceChildren();
        return;
      }
      const row = (cells, header = false) => {
        const tr = el('tr');
        cells.forEach((text, i) => {
          const cell = el(header || i === 0 ? 'th' : 'td', '', text);
          if (!header && i === 0) cell.scope = 'row';
          if (header) cell.scope = 'col';
          tr.append(cell);
        });
        return tr;
      };
      const head = el('thead');
      head.append(row(['', 'steps', 'validation loss', 'validation accuracy', 'training accuracy'], true));
      const bodyRows = el('tbody');
      for (const r of rows) bodyRows.append(row([r.label, r.step, r.valLoss, r.valAcc, r.trainAcc]));
      if (difference) {
        const tr = row(['difference (second − first)', '', difference.valLoss, difference.valAcc, '']);
        tr.className = 'ts-compare-difference';
        bodyRows.append(tr);
      }
      comparisonTable.replaceChildren(head, bodyRows);
    },
    setPinsShown(shown) {
      if (clearPinsButton) clearPinsButton.hidden = !shown;
    },
    /** A message over every chart (the engine failed to load). */
    setAllEmpty(message) {
      for (const frame of view.frames.values()) frame.setEmpty(message);
    },
  });
  return view;
}
