// The Search view: the lecture's hyperparameter search in the page. Controls for two or three
// hyperparameters (range, log/linear), random vs grid, trials, steps per trial, early stopping;
// a pool of Web Workers runs the trials (search() from the JS API plans them, so the page shows
// exactly what `trainscope search` would compute); charts "Search results" and "Search space",
// a sortable table of trials (a click opens the trial in the playground), the "Random vs grid"
// demonstration, "Refine" (coarse to fine) and "Ensemble". Pause/Resume and Cancel; a cancelled
// or finished search keeps its results.

import {
  normalizeSpace, refineSpace, search, spaceObject,
  SEARCH_RESULTS_TITLE, SEARCH_SPACE_TITLE, searchResultsData, searchResultsSvg, searchSpaceData, searchSpaceSvg,
} from '../../js/search.js';
import { defaults } from '../../js/defaults.js';
import { mergeConfig, valuesFromConfig } from '../state-schema.js';
import { serializeHash } from '../url-state.js';
import { WorkerPool, defaultWorkerCount } from './pool.js';

/** The hyperparameters the controls offer, with a default range and scale. */
export const SEARCHABLE = [
  { path: 'train.lr', label: 'Learning rate', range: [1e-4, 1], log: true },
  { path: 'train.l2', label: 'L2 strength', range: [1e-6, 1e-1], log: true },
  { path: 'model.dropout', label: 'Dropout', range: [0, 0.6], log: false },
  { path: 'train.momentum', label: 'Momentum', range: [0.5, 0.99], log: false },
  { path: 'model.init_scale', label: 'Init scale', range: [1e-3, 1], log: true },
];

export const RANDOM_VS_GRID_TITLE = 'Random vs grid';
export const REFINE_TITLE = 'Refine';
export const ENSEMBLE_TITLE = 'Ensemble';

const DEFAULT_BASE = { data: { samples: 300 }, model: { hidden: [32] } };
const ENSEMBLE_K = 3;

const element = (tag, props = {}, children = []) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key in node && key !== 'list') node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
};

const format = (value) => {
  if (value === null || value === undefined) return '–';
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 1e-2 || magnitude >= 1e4) ? value.toExponential(2) : value.toFixed(3);
};

/** An SVG document string as a node of this document (parsed, never run as HTML). */
function svgNode(text) {
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
  return document.importNode(parsed.documentElement, true);
}

export class SearchView {
  /**
   * @param {HTMLElement} container
   * @param {{baseConfig?: () => object, playgroundUrl?: string, workers?: number}} options
   */
  constructor(container, options = {}) {
    this.container = container;
    this.baseConfig = options.baseConfig ?? (() => DEFAULT_BASE);
    this.playgroundUrl = options.playgroundUrl ?? './';
    this.pool = new WorkerPool(options.workers ?? defaultWorkerCount());
    this.trials = [];
    this.rounds = 0;
    this.space = null;
    this.ensemble = null;
    this.handle = null;
    this.sort = { key: 'val_acc', descending: true };
    this.charts = {};
    this.build();
  }

  // ---- DOM --------------------------------------------------------------------------------
  build() {
    const root = element('section', { class: 'ts-search', 'aria-label': 'Hyperparameter search' });
    this.dimensionRows = [0, 1, 2].map((i) => this.dimensionRow(i));
    this.methodSelect = element('select', { name: 'method' }, ['random', 'grid'].map((m) => element('option', { value: m, text: m })));
    this.trialsInput = element('input', { type: 'number', name: 'trials', min: '1', max: '500', value: '12' });
    this.stepsInput = element('input', { type: 'number', name: 'steps', min: '1', max: '20000', value: '200' });
    this.earlyStopInput = element('input', { type: 'checkbox', name: 'early-stop', checked: true });
    const label = (text, control) => element('label', {}, [text, ' ', control]);
    const controls = element('fieldset', { class: 'ts-search-controls' }, [
      element('legend', { text: 'Search' }),
      ...this.dimensionRows.map((row) => row.node),
      element('div', { class: 'ts-search-options' }, [
        label('Method', this.methodSelect), label('Trials', this.trialsInput), label('Steps per trial', this.stepsInput),
        label('Stop early at 3× the initial loss', this.earlyStopInput),
      ]),
    ]);
    this.runButton = element('button', { type: 'button', text: 'Run search' });
    this.pauseButton = element('button', { type: 'button', text: 'Pause', disabled: true });
    this.cancelButton = element('button', { type: 'button', text: 'Cancel', disabled: true });
    this.refineButton = element('button', { type: 'button', text: REFINE_TITLE, disabled: true, title: 'Narrow the ranges around the best trials and run the next round' });
    this.demoButton = element('button', { type: 'button', text: RANDOM_VS_GRID_TITLE });
    this.runButton.addEventListener('click', () => this.start());
    this.pauseButton.addEventListener('click', () => this.togglePause());
    this.cancelButton.addEventListener('click', () => this.cancel());
    this.refineButton.addEventListener('click', () => this.refine());
    this.demoButton.addEventListener('click', () => this.randomVsGrid());
    this.statusLine = element('p', { class: 'ts-search-status', role: 'status', 'aria-live': 'polite' });
    this.workersLine = element('span', { class: 'ts-search-workers', text: `${this.pool.size} worker${this.pool.size > 1 ? 's' : ''}` });
    this.rateLine = element('span', { class: 'ts-search-rate', text: '0 trials/s' });

    this.resultsFigure = this.figure(SEARCH_RESULTS_TITLE, 'search-results');
    this.spaceFigure = this.figure(SEARCH_SPACE_TITLE, 'search-space');
    this.ensembleFigure = this.figure(ENSEMBLE_TITLE, 'ensemble');
    this.refineFigure = this.figure(REFINE_TITLE, 'refine');
    this.demoFigure = this.figure(RANDOM_VS_GRID_TITLE, 'random-vs-grid');
    this.refineFigure.caption.textContent = 'After a round, Refine narrows the ranges around the 3 best trials (widening one whose best sits at an edge) and runs the next round.';
    this.demoFigure.caption.textContent = 'Runs 9 trials at random and 9 on a grid where only the learning rate matters, and shows what each tried.';
    this.table = element('table', { class: 'ts-search-table' });
    root.append(
      controls,
      element('div', { class: 'ts-search-buttons' }, [this.runButton, this.pauseButton, this.cancelButton, this.refineButton, this.demoButton, ' ', this.workersLine, ' · ', this.rateLine]),
      this.statusLine,
      element('div', { class: 'ts-search-charts' }, [this.resultsFigure.node, this.spaceFigure.node, this.ensembleFigure.node, this.refineFigure.node]),
      element('h3', { text: 'Trials' }),
      element('p', { class: 'ts-search-hint', text: 'Click a column to sort; open a trial to train it in the playground.' }),
      this.table,
      this.demoFigure.node,
    );
    this.container.append(root);
    this.renderTable();
  }

  figure(title, id) {
    const body = element('div', { class: 'ts-search-figure-body' });
    // A mark of a trial opens that trial in the playground, like its row's link.
    body.addEventListener('click', (event) => {
      const mark = event.target instanceof Element ? event.target.closest('[data-index]') : null;
      const trial = mark && id !== 'random-vs-grid' ? this.trials.find((t) => t.index === Number(mark.getAttribute('data-index'))) : null;
      if (trial) this.openTrial(trial);
    });
    const caption = element('p', { class: 'ts-search-caption' });
    const node = element('figure', { class: 'ts-search-figure', 'data-chart': id }, [element('h3', { text: title }), body, caption]);
    return { node, body, caption };
  }

  dimensionRow(i) {
    const select = element('select', { name: `dim${i}`, 'aria-label': `Hyperparameter ${i + 1}` }, [
      element('option', { value: '', text: '(none)' }),
      ...SEARCHABLE.map((entry) => element('option', { value: entry.path, text: entry.label })),
    ]);
    const lo = element('input', { type: 'number', name: `dim${i}-lo`, step: 'any', 'aria-label': `Hyperparameter ${i + 1} from` });
    const hi = element('input', { type: 'number', name: `dim${i}-hi`, step: 'any', 'aria-label': `Hyperparameter ${i + 1} to` });
    const log = element('input', { type: 'checkbox', name: `dim${i}-log` });
    const apply = (entry) => {
      lo.value = entry ? String(entry.range[0]) : '';
      hi.value = entry ? String(entry.range[1]) : '';
      log.checked = entry ? entry.log : false;
    };
    select.addEventListener('change', () => apply(SEARCHABLE.find((entry) => entry.path === select.value)));
    const initial = i < 2 ? SEARCHABLE[i] : null;
    select.value = initial?.path ?? '';
    apply(initial);
    const node = element('div', { class: 'ts-search-dimension' }, [select, ' from ', lo, ' to ', hi, element('label', {}, [log, ' log scale'])]);
    return { node, select, lo, hi, log };
  }

  // ---- the space in the controls ------------------------------------------------------------
  spaceFromControls() {
    const space = {};
    for (const row of this.dimensionRows) {
      if (!row.select.value) continue;
      space[row.select.value] = { [row.log.checked ? 'log' : 'uniform']: [Number(row.lo.value), Number(row.hi.value)] };
    }
    return space;
  }

  showSpace(space) {
    const entries = Object.entries(space);
    this.dimensionRows.forEach((row, i) => {
      const [path, spec] = entries[i] ?? [];
      row.select.value = path ?? '';
      const range = spec?.log ?? spec?.uniform;
      row.lo.value = range ? String(Number(range[0].toPrecision(4))) : '';
      row.hi.value = range ? String(Number(range[1].toPrecision(4))) : '';
      row.log.checked = Boolean(spec?.log);
    });
  }

  // ---- running ------------------------------------------------------------------------------
  options(space, seed) {
    return {
      base: this.baseConfig(), space, seed,
      method: this.methodSelect.value,
      trials: Number(this.trialsInput.value),
      steps: Number(this.stepsInput.value),
      earlyStop: this.earlyStopInput.checked ? { factor: 3 } : false,
      ensemble: { k: ENSEMBLE_K },
      workers: this.pool.size,
      runTrial: (spec, context) => this.pool.run(spec, context),
    };
  }

  /** Starts a new search from the controls (round 1). */
  start() {
    this.trials = [];
    this.rounds = 0;
    this.refineFigure.body.replaceChildren();
    return this.runRound(this.spaceFromControls());
  }

  async runRound(space) {
    if (this.handle) return;
    const round = this.rounds;
    const offset = this.trials.length;
    let handle;
    try {
      handle = search(this.options(space, 1 + round));
    } catch (error) {
      this.statusLine.textContent = error.message;
      return;
    }
    this.space = space;
    this.handle = handle;
    this.setRunning(true);
    const started = performance.now();
    let finishedHere = 0;
    handle.on('trial', (trial) => {
      finishedHere++;
      this.trials.push({ ...trial, index: offset + trial.index, round });
      const seconds = (performance.now() - started) / 1000;
      this.rateLine.textContent = `${(finishedHere / Math.max(seconds, 1e-3)).toFixed(1)} trials/s`;
      this.render();
    });
    handle.on('progress', ({ done, total }) => {
      this.statusLine.textContent = `Round ${round + 1}: ${done} of ${total} trials done${handle.paused ? ' (paused)' : ''}`;
    });
    const result = await handle.results;
    this.handle = null;
    this.rounds = round + 1;
    this.ensemble = result.ensemble;
    this.setRunning(false);
    const best = result.best;
    this.statusLine.textContent = `${result.cancelled ? 'Cancelled' : 'Finished'} round ${round + 1}: ${result.trials.length} trials` +
      (best ? `; best validation accuracy ${format(best.val_acc)}` : '');
    this.render();
    this.renderEnsemble();
    return result;
  }

  togglePause() {
    if (!this.handle) return;
    if (this.handle.paused) this.handle.resume();
    else this.handle.pause();
    this.pauseButton.textContent = this.handle.paused ? 'Resume' : 'Pause';
    this.statusLine.textContent = this.handle.paused ? 'Paused: the trials in flight finish, no new one starts.' : 'Resumed.';
  }

  cancel() {
    this.handle?.cancel();
  }

  setRunning(running) {
    this.runButton.disabled = running;
    this.demoButton.disabled = running;
    this.pauseButton.disabled = !running;
    this.pauseButton.textContent = 'Pause';
    this.cancelButton.disabled = !running;
    this.refineButton.disabled = running || !this.trials.some((t) => t.status === 'ok');
  }

  /** Coarse to fine: narrow the ranges around the 3 best trials so far (widen at an edge) and run the next round. */
  async refine() {
    if (this.handle || !this.space) return;
    const best = this.trials.filter((t) => t.status === 'ok').sort((a, b) => b.val_acc - a.val_acc || a.val_loss - b.val_loss).slice(0, 3);
    if (best.length === 0) return;
    const { dimensions, widened } = refineSpace(normalizeSpace(this.space), best);
    const next = spaceObject(dimensions);
    this.showSpace(next);
    const before = best[0].val_acc;
    this.refineFigure.body.replaceChildren(element('p', {
      text: Object.entries(next).map(([path, spec]) => `${path}: ${(spec.log ?? spec.uniform).map((v) => format(v)).join(' … ')}${spec.log ? ' (log)' : ''}`).join('; '),
    }));
    this.refineFigure.caption.textContent = `Round ${this.rounds + 1} around the best ${best.length} trials${widened.length ? `; widened ${widened.join(', ')} (the best sat at an edge)` : ''}.`;
    const result = await this.runRound(next);
    const after = this.trials.filter((t) => t.status === 'ok').reduce((m, t) => Math.max(m, t.val_acc), 0);
    if (result) this.refineFigure.caption.textContent += ` Best validation accuracy ${format(before)} → ${format(after)}.`;
  }

  // ---- drawing ------------------------------------------------------------------------------
  /** What chart `title` shows now (for tests and the console). */
  chartData(title) {
    return this.charts[title] ?? null;
  }

  render() {
    const space = this.displaySpace();
    const resultsData = searchResultsData(this.trials, space);
    const spaceData = searchSpaceData(this.trials, space);
    this.charts[SEARCH_RESULTS_TITLE] = resultsData;
    this.charts[SEARCH_SPACE_TITLE] = spaceData;
    this.resultsFigure.body.replaceChildren(svgNode(searchResultsSvg(resultsData)));
    this.spaceFigure.body.replaceChildren(svgNode(searchSpaceSvg(spaceData)));
    const stopped = this.trials.filter((t) => t.status !== 'ok' && t.status !== 'pruned').length;
    this.resultsFigure.caption.textContent = `${this.trials.length} trials; ${stopped} stopped early (×).`;
    this.spaceFigure.caption.textContent = spaceData ? `${spaceData.x.path} × ${spaceData.y.path}; colour: validation accuracy (dark 0, yellow 1).` : '';
    this.renderTable();
  }

  // The first round's scale (log or not) for every path searched in any round.
  displaySpace() {
    return this.space ?? this.spaceFromControls();
  }

  renderEnsemble() {
    const best = this.trials.filter((t) => t.status === 'ok').sort((a, b) => b.val_acc - a.val_acc || a.val_loss - b.val_loss)[0];
    const ensemble = this.ensemble;
    this.charts[ENSEMBLE_TITLE] = ensemble && best ? { best: best.val_acc, ensemble: ensemble.val_acc, members: ensemble.members.length } : null;
    if (!best || !ensemble || ensemble.val_acc === null) {
      this.ensembleFigure.body.replaceChildren(element('p', { text: ensemble?.reason ?? 'Run a search first.' }));
      return;
    }
    const bar = (name, value) => element('div', { class: 'ts-search-bar' }, [
      element('span', { text: name }),
      element('meter', { min: 0, max: 1, value, 'aria-label': name }),
      element('span', { text: format(value) }),
    ]);
    this.ensembleFigure.body.replaceChildren(bar('best single trial', best.val_acc), bar(`average of the best ${ensemble.members.length}`, ensemble.val_acc));
    this.ensembleFigure.caption.textContent = 'Validation accuracy: the best trials\' predicted probabilities averaged, against the best trial alone (last round).';
  }

  columns() {
    const paths = Object.keys(this.displaySpace());
    return [
      { key: 'index', label: '#' }, { key: 'round', label: 'round', value: (t) => t.round + 1 }, { key: 'status', label: 'status' },
      ...paths.map((path) => ({ key: path, label: path, value: (t) => t.params[path] })),
      { key: 'val_acc', label: 'val acc' }, { key: 'val_loss', label: 'val loss' }, { key: 'train_acc', label: 'train acc' }, { key: 'steps', label: 'steps' },
    ];
  }

  renderTable() {
    const columns = this.columns();
    const valueOf = (column, trial) => (column.value ? column.value(trial) : trial[column.key]);
    const { key, descending } = this.sort;
    const column = columns.find((c) => c.key === key) ?? columns[0];
    const rows = [...this.trials].sort((a, b) => {
      const x = valueOf(column, a);
      const y = valueOf(column, b);
      if (x === y) return a.index - b.index;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * (descending ? -1 : 1);
    });
    const head = element('tr', {}, [...columns.map((c) => {
      const button = element('button', { type: 'button', text: c.label + (c.key === key ? (descending ? ' ▼' : ' ▲') : '') });
      button.addEventListener('click', () => {
        this.sort = { key: c.key, descending: c.key === key ? !descending : true };
        this.renderTable();
      });
      return element('th', { scope: 'col', 'aria-sort': c.key === key ? (descending ? 'descending' : 'ascending') : 'none' }, [button]);
    }), element('th', { scope: 'col', text: '' })]);
    const body = rows.map((trial) => element('tr', { 'data-index': String(trial.index), 'data-status': trial.status, title: trial.reason || '' }, [
      ...columns.map((c) => element('td', { text: format(valueOf(c, trial)) })),
      element('td', {}, [element('a', { href: this.trialUrl(trial), text: 'open', target: '_top' })]),
    ]));
    this.table.replaceChildren(element('thead', {}, [head]), element('tbody', {}, body));
  }

  openTrial(trial) {
    globalThis.open(this.trialUrl(trial), '_top');
  }

  /** The playground URL that reproduces a trial (its settings in the hash). */
  trialUrl(trial) {
    const values = valuesFromConfig(mergeConfig(defaults, trial.config));
    return `${this.playgroundUrl}${serializeHash('', values)}`;
  }

  // ---- Random vs grid -------------------------------------------------------------------------
  /**
   * Bergstra & Bengio's figure, live: the same budget (9 trials) run at random and on a grid, on
   * a problem where the learning rate matters and L2 (in 1e-8 … 1e-6) does not. The marginals
   * show random trying 9 learning rates where grid tries 3.
   */
  async randomVsGrid() {
    if (this.handle) return;
    const space = { 'train.lr': { log: [1e-3, 3] }, 'train.l2': { log: [1e-8, 1e-6] } };
    const body = this.demoFigure.body;
    body.replaceChildren(element('p', { text: 'Running 9 random and 9 grid trials…' }));
    this.demoButton.disabled = true;
    this.runButton.disabled = true;
    const results = {};
    for (const method of ['random', 'grid']) {
      const handle = search({ ...this.options(space, 7), method, trials: 9, ensemble: null });
      this.handle = handle;
      results[method] = await handle.results;
      this.handle = null;
    }
    this.demoButton.disabled = false;
    this.runButton.disabled = false;
    const distinct = (result) => new Set(result.trials.map((t) => t.params['train.lr'])).size;
    this.charts[RANDOM_VS_GRID_TITLE] = Object.fromEntries(Object.entries(results).map(([method, result]) => [method, {
      distinctLr: distinct(result), best: result.best?.val_acc ?? null, marginals: searchResultsData(result.trials, space),
    }]));
    body.replaceChildren(...['random', 'grid'].map((method) => element('div', { class: 'ts-search-demo', 'data-method': method }, [
      element('h4', { text: `${method}: ${distinct(results[method])} distinct learning rates, best validation accuracy ${format(results[method].best?.val_acc)}` }),
      svgNode(searchResultsSvg(searchResultsData(results[method].trials, space))),
    ])));
    this.demoFigure.caption.textContent = 'Same budget, 9 trials. Only the learning rate matters here: the grid spends its trials on 3 learning rates × 3 L2 values; random search tries 9 learning rates.';
  }

  dispose() {
    this.handle?.cancel();
    this.pool.terminate();
    this.container.replaceChildren();
  }
}
