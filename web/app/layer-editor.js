// The "Layer list" control: model.layers as one row per layer (its type and shape keys), buttons
// to add a conv, pool or dense layer and to remove one, and the engine's message inline when the
// sizes do not work out. Fields, ranges and defaults come from the engine's layer table
// (layer-list.js); the control reports the whole list as its URL text, like any other setting.

import { LAYER_TYPES, defaultText, editableKeys, layerListText, newLayer, parseKeyValue, parseLayerList } from './layer-list.js';

/**
 * @param {Document} doc
 * @param {string} id          the control's element id
 * @param {(text: string) => void} emit  the new list's text
 * @param {HTMLElement} wrapper  the control's wrapper (label and restart marker already in it)
 */
export function buildLayerList(doc, id, emit, wrapper) {
  const el = (tag, className, text) => {
    const element = doc.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  };
  // A fieldset: disabling it disables every field and button inside.
  const fieldset = el('fieldset', 'ts-layer-list');
  fieldset.id = id;
  const label = wrapper.querySelector('label');
  label.id = `${id}-label`;
  fieldset.setAttribute('aria-labelledby', label.id);
  const rows = el('ol', 'ts-layer-rows');
  const add = el('div', 'ts-layer-add');
  const error = el('p', 'ts-layer-error');
  error.setAttribute('role', 'alert');
  error.hidden = true;
  fieldset.append(rows, add, error);
  wrapper.append(fieldset);

  let layers = [];
  let shownText = null;

  const change = (next) => {
    showError('');
    emit(layerListText(next));
  };

  function showError(text, index = -1) {
    error.textContent = text;
    error.hidden = !text;
    [...rows.children].forEach((row, i) => row.classList.toggle('ts-layer-invalid', i === index));
  }

  for (const type of LAYER_TYPES) {
    const button = el('button', 'ts-button ts-layer-add-button', `+ ${type.name}`);
    button.type = 'button';
    button.setAttribute('aria-label', `Add a ${type.name} layer`);
    button.title = type.description;
    button.addEventListener('click', () => change([...layers, newLayer(type.name, layers)]));
    add.append(button);
  }

  function keyField(layer, index, key) {
    const name = `Layer ${index + 1} ${key.name}`;
    const fallback = defaultText(key);
    let input;
    if (key.kind === 'enum') {
      input = el('select');
      for (const value of key.values) input.append(new Option(value, value));
      input.value = String(layer[key.name] ?? fallback);
    } else {
      input = el('input');
      // pad also takes "same": a text field; the others are whole numbers in the key's range.
      input.type = key.kind === 'pad' ? 'text' : 'number';
      if (input.type === 'number') {
        input.min = String(key.min);
        input.max = String(key.max);
        input.step = key.kind === 'integer' ? '1' : 'any';
      }
      input.inputMode = key.kind === 'pad' ? 'text' : 'numeric';
      input.value = layer[key.name] === undefined ? '' : String(layer[key.name]);
      input.placeholder = fallback;
    }
    input.className = 'ts-layer-field';
    input.setAttribute('aria-label', name);
    input.title = `${key.doc}${key.min !== undefined ? `; ${key.min} … ${key.max}` : ''}`;
    input.addEventListener('change', () => {
      const parsed = parseKeyValue(key, input.value);
      if (!parsed.ok) {
        input.setAttribute('aria-invalid', 'true');
        showError(`Layer ${index + 1}: ${parsed.message}.`, index);
        return;
      }
      input.removeAttribute('aria-invalid');
      const next = layers.map((item) => ({ ...item }));
      if (parsed.value === undefined) delete next[index][key.name];
      else next[index][key.name] = parsed.value;
      change(next);
    });
    const field = el('label', 'ts-layer-key');
    field.append(doc.createTextNode(key.name), input);
    return field;
  }

  function row(layer, index) {
    const item = el('li', 'ts-layer');
    item.dataset.type = layer.type;
    const type = el('select', 'ts-layer-type');
    type.setAttribute('aria-label', `Layer ${index + 1} type`);
    for (const option of LAYER_TYPES) type.append(new Option(option.name, option.name));
    type.value = layer.type;
    type.addEventListener('change', () => {
      const next = layers.slice();
      next[index] = newLayer(type.value, layers.slice(0, index));
      change(next);
    });
    item.append(type, ...editableKeys(layer.type).map((key) => keyField(layer, index, key)));
    const remove = el('button', 'ts-button ts-quiet ts-layer-remove', '✕');
    remove.type = 'button';
    remove.setAttribute('aria-label', `Remove layer ${index + 1}`);
    remove.title = 'Remove this layer';
    // At least one layer: an empty list would be no network to edit.
    remove.disabled = layers.length === 1;
    remove.addEventListener('click', () => change(layers.filter((_, i) => i !== index)));
    item.append(remove);
    return item;
  }

  return {
    wrapper,
    input: fieldset,
    /** The list's text (undefined: the run has no layer list, the control hides). */
    show(text) {
      wrapper.hidden = text === undefined;
      if (text === undefined || text === shownText) return;
      const parsed = parseLayerList(text);
      if (!parsed.ok) return;
      shownText = text;
      layers = parsed.value;
      rows.replaceChildren(...layers.map(row));
      showError('');
    },
    /** The engine's message when the list does not build ('' clears it); the layer it names is marked. */
    setError(text) {
      const index = /^model\.layers\[(\d+)\]/.exec(text)?.[1];
      showError(text, index === undefined ? -1 : Number(index));
    },
  };
}
