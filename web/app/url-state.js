// The URL hash as state: "#preset=he-relu&lr=0.01&init=xavier". Reading and writing both walk
// the one schema in state-schema.js. Pure module: no DOM, testable in node.
//
// Nothing read here is ever interpreted as HTML: values are checked against the schema, and the
// notices quote the offending text as plain strings for textContent.

import { chartIds, parseIdList, parseSetting, serializeSetting, settings, settingsById } from './state-schema.js';
import { parseSpeed, serializeSpeed } from './pace.js';

/**
 * View options: which controls and charts an embed shows, autoplay, a step limit, the pace
 * ("Speed", steps/s or max), and `view=lecture` (the lecture view).
 */
export const viewOptions = ['controls', 'charts', 'autoplay', 'steps', 'speed', 'view'];
const controlIds = settings.map((s) => s.id);

function splitHash(hash) {
  const text = String(hash ?? '').replace(/^#/, '');
  const pairs = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const rawKey = equals < 0 ? part : part.slice(0, equals);
    const rawValue = equals < 0 ? '' : part.slice(equals + 1);
    pairs.push([decode(rawKey), decode(rawValue)]);
  }
  return pairs;
}

function decode(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text; // malformed %-escapes: keep the raw text, it will fail validation visibly
  }
}

/**
 * Parse a hash. `context.presetNames` lists the valid presets.
 * Returns {preset, values, view, notices}: `values` holds only the settings the URL set validly;
 * every invalid or unknown entry adds one specific notice and is otherwise ignored (so the field
 * keeps its default).
 */
export function parseHash(hash, context = {}) {
  const result = { preset: '', values: {}, view: {}, notices: [] };
  const seen = new Set();
  for (const [key, text] of splitHash(hash)) {
    if (seen.has(key)) result.notices.push(`“${clip(key)}” appears more than once in the link; using the last value.`);
    seen.add(key);
    const setting = settingsById.get(key);
    if (setting) {
      const parsed = parseSetting(setting, text, context);
      if (!parsed.ok) {
        result.notices.push(`${setting.label}: ${parsed.message}; using the default.`);
        if (key === 'preset') result.preset = '';
        else delete result.values[key];
        continue;
      }
      if (key === 'preset') result.preset = parsed.value;
      else result.values[key] = parsed.value;
      continue;
    }
    if (viewOptions.includes(key)) {
      parseViewOption(key, text, result);
      continue;
    }
    result.notices.push(`Unknown setting “${clip(key)}” in the link was ignored.`);
  }
  return result;
}

function parseViewOption(key, text, result) {
  if (key === 'controls' || key === 'charts') {
    const allowed = key === 'controls' ? controlIds : chartIds;
    if (text === 'all') {
      result.view[key] = 'all';
      return;
    }
    if (text === 'none' || text === '') {
      result.view[key] = [];
      return;
    }
    const { ids, notices } = parseIdList(text, allowed, key === 'controls' ? 'control' : 'chart');
    result.view[key] = ids;
    result.notices.push(...notices);
  } else if (key === 'autoplay') {
    if (['', '1', 'true', 'yes'].includes(text)) result.view.autoplay = true;
    else if (['0', 'false', 'no'].includes(text)) result.view.autoplay = false;
    else result.notices.push(`autoplay: “${clip(text)}” is not true or false; ignored.`);
  } else if (key === 'steps') {
    const steps = Number(text);
    if (Number.isInteger(steps) && steps > 0 && steps <= 1e7) result.view.steps = steps;
    else result.notices.push(`steps: “${clip(text)}” is not a whole number of steps (1 … 10000000); ignored.`);
  } else if (key === 'view') {
    if (text === 'lecture') result.view.view = 'lecture';
    else result.notices.push(`view: “${clip(text)}” is not lecture; ignored.`);
  } else if (key === 'speed') {
    const speed = parseSpeed(text);
    if (speed !== null) result.view.speed = speed;
    else result.notices.push(`speed: “${clip(text)}” is not one of 1, 10, 100, 1000, max; ignored.`);
  }
}

/** Serialize preset + every setting value (+ optional view options) in schema order. */
export function serializeHash(preset, values, view = {}) {
  const parts = [];
  if (preset) parts.push(`preset=${encode(preset)}`);
  for (const setting of settings) {
    if (setting.id === 'preset' || !(setting.id in values)) continue;
    parts.push(`${setting.id}=${encode(serializeSetting(setting, values[setting.id]))}`);
  }
  for (const key of viewOptions) {
    if (view[key] === undefined) continue;
    const value = key === 'speed' ? serializeSpeed(view[key]) : view[key];
    parts.push(`${key}=${encode(Array.isArray(value) ? value.join(',') : String(value))}`);
  }
  return parts.length ? `#${parts.join('&')}` : '';
}

// Commas stay readable in lists, and colons and equals signs in a layer list
// (net=conv:filters=8:size=5,pool): a fragment allows them, and a key ends at the first "=".
// Everything else outside [A-Za-z0-9._~-] is %-escaped.
function encode(text) {
  return encodeURIComponent(text).replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%3D/gi, '=');
}

function clip(text, length = 40) {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
