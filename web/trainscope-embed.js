// <train-scope>: the playground as a custom element for course pages. Two lines:
//   <script type="module" src="https://…/trainscope-embed.js"></script>
//   <train-scope preset="he-relu" controls="lr,init,norm" charts="loss,dead-relu" height="420"></train-scope>
//
// Attributes: preset, config (JSON, overrides the preset field by field), controls, charts
// (comma lists of ids, or "all"/"none"), height (px), autoplay, steps (stop after N steps).
// Each element runs its own worker inside its own shadow root (no styles leak in or out) and
// pauses while scrolled out of view. Events: `step` and `diverged` (CustomEvent, metrics in
// `detail`). Methods and properties: play(), pause(), reset(), config, lastMetrics, running.

import { Playground } from './app/controller.js';
import { chartIds, parseIdList, settings } from './app/state-schema.js';
import { EMBED_STYLESHEETS as STYLESHEETS } from './app/embed-styles.js';
import { isPlainObject } from './app/objects.js';
import { parseSpeed } from './app/pace.js';
import { fitChartsToHeight } from './app/fit.js';
import { SearchView } from './app/search/search-view.js';
import { mountOptimizersElement } from './app/optimizers/optimizers-embed.js';

// The most steps a step budget may ask for (the JS API's limit per call).
const MAX_STEPS = 1_000_000_000;

const DEFAULT_CHARTS = ['loss', 'accuracy'];
const DEFAULT_CONTROLS = ['lr'];

export class TrainScopeElement extends HTMLElement {
  #playground = null;
  #observer = null;
  #resizeObserver = null;
  #pausedOutOfView = false;
  #visible = true;
  #neededHeight = 0; // > 0: the given height was too small for the minimum plots

  #search = null;

  /** With view="search": the Search view (chartData('Search results'), trials, …); else null. */
  get searchView() {
    return this.#search;
  }

  #optimizers = null;

  /** With view="optimizers": the Optimizers view (drawnData(), chartData('Loss surface'), …); else null. */
  get optimizersView() {
    return this.#optimizers;
  }

  connectedCallback() {
    if (this.#playground || this.#search || this.#optimizers) return;
    const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    if (this.getAttribute('view') === 'search') {
      this.#mountSearch(shadow);
      return;
    }
    if (this.getAttribute('view') === 'optimizers') {
      shadow.append(...STYLESHEETS.map((href) => Object.assign(document.createElement('link'), { rel: 'stylesheet', href: href.href })));
      const container = Object.assign(document.createElement('div'), { className: 'ts-embed-root ts-embed-optimizers' });
      shadow.append(container);
      this.#applyHeight();
      this.#optimizers = mountOptimizersElement(this, container);
      return;
    }
    // The :host rules live in style.css: an inline <style> is refused under a strict
    // Content-Security-Policy (style-src 'self'), a stylesheet link is not.
    shadow.append(...STYLESHEETS.map((href) => Object.assign(document.createElement('link'), { rel: 'stylesheet', href: href.href })));
    const container = document.createElement('div');
    container.className = 'ts-embed-root';
    shadow.append(container);

    const notices = [];
    const list = (name, allowed, fallback, what) => {
      const text = this.getAttribute(name);
      if (text === null) return fallback;
      if (text.trim() === 'all') return allowed;
      if (text.trim() === 'none') return []; // as documented (an empty list shows none as well)
      const parsed = parseIdList(text, allowed, what);
      notices.push(...parsed.notices);
      return parsed.ids;
    };
    const controls = list('controls', settings.map((s) => s.id), DEFAULT_CONTROLS, 'control');
    const charts = list('charts', chartIds, DEFAULT_CHARTS, 'chart');
    let config;
    const configText = this.getAttribute('config');
    if (configText) {
      try {
        config = JSON.parse(configText);
        if (!isPlainObject(config)) throw new Error('not a JSON object');
      } catch (error) {
        notices.push(`The config attribute is not a JSON object (${error.message}); using the preset or defaults.`);
        config = undefined;
      }
    }
    const stepsText = this.getAttribute('steps');
    const steps = stepsText === null ? 0 : Number(stepsText);
    const stepsValid = Number.isInteger(steps) && steps > 0 && steps <= MAX_STEPS;
    if (stepsText !== null && !stepsValid) notices.push(`steps="${stepsText.slice(0, 40)}" is not a whole number from 1 to ${MAX_STEPS}; ignored.`);
    this.#applyHeight();

    this.#playground = new Playground(container, {
      layout: 'embed',
      controls,
      charts,
      autoplay: this.hasAttribute('autoplay') && this.getAttribute('autoplay') !== 'false',
      steps: stepsValid ? steps : undefined, // unset: the preset's budget (app/pace.js)
      speed: this.#speed(notices),
      initial: { preset: this.getAttribute('preset') ?? '', config, notices },
      onEvent: (type, detail) => {
        if (type === 'step' || type === 'diverged') this.dispatchEvent(new CustomEvent(type, { detail }));
        if (type === 'layout') requestAnimationFrame(() => this.#fitCharts());

        if (type === 'ready' && !this.#visible && this.#playground?.wantPlay) this.#pauseOutOfView();
      },
    });

    // Off-screen demos stop training (a course page may hold many); they resume when seen again.
    this.#observer = new IntersectionObserver((entries) => {
      const entry = entries[entries.length - 1];
      this.#visible = entry.isIntersecting;
      if (!this.#visible && (this.#playground.running || this.#playground.wantPlay)) this.#pauseOutOfView();
      else if (this.#visible && this.#pausedOutOfView) {
        this.#pausedOutOfView = false;
        this.#playground.play();
      }
    });
    this.#observer.observe(this);
    this.#resizeObserver = new ResizeObserver(() => this.#fitCharts());
    // A chart's legend gains rows with its data: its height counts towards the fit.
    this.shadowRoot.addEventListener('ts-legend-resize', () => requestAnimationFrame(() => this.#fitCharts()));
    this.#resizeObserver.observe(this);
  }

  /** speed="1|10|100|1000|max" (steps per second), or undefined for the preset's pace. */
  #speed(notices) {
    const text = this.getAttribute('speed');
    if (text === null) return undefined;
    const speed = parseSpeed(text.trim());
    if (speed === null) notices.push(`speed="${text.slice(0, 40)}" is not one of 1, 10, 100, 1000, max; ignored.`);
    return speed ?? undefined;
  }

  /**
   * With a fixed height, the charts get what the toolbar, controls and notices leave: measure the
   * overflow (or spare room) and spread it over the rows of charts.
   */
  #fitCharts() {
    if (!this.hasAttribute('height') || !this.shadowRoot) return;
    const root = this.shadowRoot.querySelector('.ts-app');
    if (!root) return;
    const given = Number(this.getAttribute('height'));
    const view = this.#playground?.view;
    // Measured without the note (it is there only because of the shortage it reports).
    view?.setSizeNotice('');
    const short = fitChartsToHeight(root, this, given);
    // Too little height for the minimum plots: grow to what they need (never clip) and say so.
    const note = short && view ? view.setSizeNotice(`These charts need more height than height="${given}": the element grew to fit them.`) : 0;
    const needed = short ? Math.ceil(short + note) : 0;
    if (needed !== this.#neededHeight) {
      this.#neededHeight = needed;
      this.style.height = `${needed || given}px`;
    }
    if (needed) this.dataset.neededHeight = String(needed);
    else delete this.dataset.neededHeight;
  }

  #pauseOutOfView() {
    this.#pausedOutOfView = true;
    this.#playground.pause();
  }

  // view="search": the hyperparameter search (a pool of workers), over the config attribute's
  // config; trials open in the playground page beside this script's page.
  #mountSearch(shadow) {
    shadow.append(...STYLESHEETS.map((href) => Object.assign(document.createElement('link'), { rel: 'stylesheet', href: href.href })));
    const container = document.createElement('div');
    container.className = 'ts-embed-root ts-embed-search';
    shadow.append(container);
    let base;
    try {
      base = JSON.parse(this.getAttribute('config') ?? 'null') ?? undefined;
      if (base !== undefined && !isPlainObject(base)) base = undefined;
    } catch {
      base = undefined;
    }
    // Trials open in the playground: the `playground` attribute, else index.html beside this script.
    const playgroundUrl = this.getAttribute('playground') ?? new URL('./', import.meta.url).href;
    this.#search = new SearchView(container, { playgroundUrl, ...(base ? { baseConfig: () => base } : {}) });
  }

  disconnectedCallback() {
    this.#search?.dispose();
    this.#search = null;
    this.#optimizers?.dispose();
    this.#optimizers = null;
    this.#observer?.disconnect();
    this.#resizeObserver?.disconnect();
    this.#playground?.destroy();
    this.#playground = null;
    this.shadowRoot?.replaceChildren();
  }

  #applyHeight() {
    const height = Number(this.getAttribute('height'));
    if (Number.isFinite(height) && height > 0) {
      this.style.height = `${height}px`;
    }
  }

  play() {
    this.#pausedOutOfView = false;
    this.#playground?.play();
  }

  pause() {
    this.#pausedOutOfView = false;
    this.#playground?.pause();
  }

  reset() {
    this.#playground?.reset();
  }

  /** The configuration the element trains (null until the engine has loaded). */
  get config() {
    return this.#playground?.config ?? null;
  }

  /** The latest step's metrics: {step, loss, data_loss, reg_loss, batch_acc, lr, grad_norm}. */
  get lastMetrics() {
    return this.#playground?.lastMetrics ?? null;
  }

  /** True while the worker is training. */
  get running() {
    return Boolean(this.#playground?.running);
  }

  /** True when training stopped because the element scrolled out of view. */
  get pausedOutOfView() {
    return this.#pausedOutOfView;
  }

  /** Full state, as the playground's test hook reports it. */
  getState() {
    return this.#playground?.getState() ?? null;
  }
}

if (!customElements.get('train-scope')) customElements.define('train-scope', TrainScopeElement);
