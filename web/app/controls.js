// Form controls generated from the schema: one labelled control per setting (the label text is
// the schema's, character for character, so screen readers and tests find it), grouped in
// fieldsets. Controls report changes; the controller decides what a change means.

import { settings, settingsById, settingOptions } from './state-schema.js';
import { formatNumber, nearestLadderIndex } from './format.js';
import { inapplicableReason } from './applicability.js';
import { buildLayerList } from './layer-editor.js';

let instanceCounter = 0;

/**
 * @param {Document} doc
 * @param {object} options
 * @param {string[]} options.ids       settings to show, in schema order
 * @param {boolean} [options.grouped]  wrap in fieldsets by group (the full playground)
 * @param {(id: string, value: any) => void} options.onChange
 */
export function createControls(doc, { ids, grouped = true, onChange }) {
  const instance = ++instanceCounter;
  const root = doc.createElement('div');
  root.className = grouped ? 'ts-controls ts-controls-grouped' : 'ts-controls ts-controls-inline';
  const controls = new Map();
  const groups = new Map();
  let presets = [];
  let locked = false; // the whole panel, until the engine has loaded
  let values = {};
  let context = {};  // facts about the run's config that the values do not show (applicability.js)
  // A control without effect for the current values is disabled, its reason in its description.
  const applyAvailability = () => {
    for (const [id, control] of controls) {
      const reason = id === 'preset' ? '' : inapplicableReason(id, values, context);
      control.input.disabled = locked || Boolean(reason);
      control.wrapper.classList.toggle('ts-inapplicable', Boolean(reason));
      if (!control.reason) {
        control.reason = doc.createElement('small');
        control.reason.className = 'ts-control-reason';
        control.reason.id = `${control.input.id}-reason`;
        control.wrapper.append(control.reason);
      }
      control.reason.textContent = reason;
      control.reason.hidden = !reason;
      if (reason) control.input.setAttribute('aria-describedby', control.reason.id);
      else control.input.removeAttribute('aria-describedby');
    }
  };

  for (const setting of settings.filter((s) => ids.includes(s.id))) {
    let parent = root;
    if (grouped) {
      if (!groups.has(setting.group)) {
        const fieldset = doc.createElement('fieldset');
        fieldset.className = 'ts-group';
        const legend = doc.createElement('legend');
        legend.textContent = setting.group;
        fieldset.append(legend);
        root.append(fieldset);
        groups.set(setting.group, fieldset);
      }
      parent = groups.get(setting.group);
    }
    const control = buildControl(doc, setting, `ts${instance}-${setting.id}`, (value) => onChange(setting.id, value));
    parent.append(control.wrapper);
    controls.set(setting.id, control);
  }

  return {
    element: root,
    controls,
    /** Show values without firing onChange. */
    setValues(next, preset, nextContext = {}) {
      values = next;
      context = nextContext;
      for (const [id, control] of controls) control.show(id === 'preset' ? preset ?? '' : next[id]);
      applyAvailability();
    },
    setPresets(list) {
      presets = list;
      controls.get('preset')?.setOptions(settingOptions(settingsById.get('preset'), { presets }));
    },
    setDisabled(disabled) {
      locked = disabled;
      applyAvailability();
    },
    /** The error under control `id` ('' clears it); false when that control is not shown or has none. */
    setError(id, text) {
      const control = controls.get(id);
      if (!control?.setError || control.wrapper.hidden) return false;
      control.setError(text);
      return true;
    },
    /** A note under control `id` (what its change did); '' or another id clears the others. */
    setNotice(id, text) {
      for (const [controlId, control] of controls) {
        const shown = controlId === id && Boolean(text);
        if (!control.notice && !shown) continue;
        if (!control.notice) {
          control.notice = doc.createElement('small');
          control.notice.className = 'ts-control-notice';
          control.notice.setAttribute('role', 'status');
          control.wrapper.append(control.notice);
        }
        control.notice.textContent = shown ? text : '';
        control.notice.hidden = !shown;
      }
    },
  };
}

function buildControl(doc, setting, id, emit) {
  const wrapper = doc.createElement('div');
  wrapper.className = `ts-control ts-control-${setting.control}`;
  wrapper.dataset.setting = setting.id;
  const label = doc.createElement('label');
  label.htmlFor = id;
  label.textContent = setting.label;
  if (setting.hint) label.title = setting.hint;
  if (setting.id === 'preset') {
    wrapper.append(label);
  } else {
    // Whether a change applies to the running model or starts training over, on the control itself.
    const head = doc.createElement('div');
    head.className = 'ts-control-head';
    const mode = doc.createElement('span');
    mode.className = `ts-apply ts-apply-${setting.live ? 'live' : 'restart'}`;
    mode.dataset.apply = setting.live ? 'live' : 'restart';
    mode.textContent = setting.live ? 'live' : '↻ restarts';
    mode.title = setting.live
      ? 'Applies to the running model at once: training goes on.'
      : 'Changes the network or the data: training starts over from step 0.';
    head.append(label, mode);
    wrapper.append(head);
  }

  if (setting.control === 'select') return buildSelect(doc, setting, id, emit, wrapper);
  if (setting.control === 'layer-list') return buildLayerList(doc, id, emit, wrapper);
  if (setting.control === 'number') return buildNumber(doc, setting, id, emit, wrapper);
  return buildSlider(doc, setting, id, emit, wrapper);
}

function buildSelect(doc, setting, id, emit, wrapper) {
  const select = doc.createElement('select');
  select.id = id;
  select.name = setting.id;
  const fill = (options) => {
    const current = select.value;
    select.replaceChildren(...options.map(({ value, text }) => new Option(text, value)));
    if (options.some((o) => o.value === current)) select.value = current;
  };
  fill(settingOptions(setting));
  select.addEventListener('change', () => {
    emit(setting.type === 'integer' ? Number(select.value) : select.value);
  });
  wrapper.append(select);
  return {
    wrapper,
    input: select,
    setOptions: fill,
    show(value) {
      const text = String(value ?? '');
      // A valid value from a link or preset that the list does not offer (e.g. 37 units).
      if (![...select.options].some((o) => o.value === text)) select.append(new Option(text, text));
      select.value = text;
    },
  };
}

function buildNumber(doc, setting, id, emit, wrapper) {
  const input = doc.createElement('input');
  input.type = 'number';
  input.id = id;
  input.name = setting.id;
  input.min = String(setting.min);
  input.max = String(setting.max);
  input.step = '1';
  input.inputMode = 'numeric';
  let shown = '';
  input.addEventListener('change', () => {
    const value = Number(input.value);
    if (input.value.trim() === '' || !Number.isInteger(value) || value < setting.min || value > setting.max) {
      input.value = shown; // refuse silently-wrong input: put the running value back
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    input.removeAttribute('aria-invalid');
    emit(value);
  });
  wrapper.append(input);
  return {
    wrapper,
    input,
    show(value) {
      shown = String(value);
      input.value = shown;
    },
  };
}

function buildSlider(doc, setting, id, emit, wrapper) {
  const row = doc.createElement('div');
  row.className = 'ts-slider-row';
  const input = doc.createElement('input');
  input.type = 'range';
  input.id = id;
  input.name = setting.id;
  const output = doc.createElement('output');
  output.htmlFor = id;
  output.className = 'ts-value';
  const ladder = setting.control === 'log-slider' ? setting.ladder : null;
  if (ladder) {
    input.min = '0';
    input.max = String(ladder.length - 1);
    input.step = '1';
  } else {
    input.min = String(setting.min);
    input.max = String(setting.max);
    input.step = String(setting.step);
  }
  const valueAt = () => (ladder ? ladder[Number(input.value)] : Number(input.value));
  const display = (value) => {
    const text = formatNumber(value);
    output.textContent = text;
    input.setAttribute('aria-valuetext', text);
  };
  // Live settings follow the thumb; structural ones rebuild the network only on release.
  input.addEventListener('input', () => {
    display(valueAt());
    if (setting.live) emit(valueAt());
  });
  input.addEventListener('change', () => {
    if (!setting.live) emit(valueAt());
  });
  row.append(input, output);
  wrapper.append(row);
  return {
    wrapper,
    input,
    show(value) {
      input.value = String(ladder ? nearestLadderIndex(ladder, value) : value);
      display(value); // the exact value, even between ladder steps (e.g. from a link)
    },
  };
}
