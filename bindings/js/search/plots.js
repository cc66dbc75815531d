// The search's two pictures, as data and as standalone SVG (no DOM): "Search results" (validation
// accuracy against each searched hyperparameter, a log axis where it was sampled in log space,
// stopped trials marked) and "Search space" (the lr × reg plane coloured by validation accuracy).
// The CLI's `search report` writes these SVGs; the page draws the same data.

export const SEARCH_RESULTS_TITLE = 'Search results';
export const SEARCH_SPACE_TITLE = 'Search space';

const numeric = (spec) => spec && (spec.log || spec.uniform);

/**
 * Per searched path: {path, log, categories (choice values) | null, points: [{index, x, y, status}]}
 * with y the validation accuracy (null for a trial that did not finish: stopped, diverged, failed).
 */
export function searchResultsData(trials, space) {
  return Object.entries(space).map(([path, spec]) => ({
    path,
    log: Boolean(spec.log),
    categories: spec.choice ? spec.choice.map((value) => JSON.stringify(value)) : null,
    points: trials.map((trial) => ({ index: trial.index, x: trial.params[path], y: trial.val_acc ?? null, status: trial.status })),
  }));
}

/** The two numeric paths of the plane: train.lr and train.l2 when searched, else the first two numeric ones. */
export function planeAxes(space) {
  const paths = Object.keys(space).filter((path) => numeric(space[path]));
  const prefer = (wanted, others) => (paths.includes(wanted) ? wanted : paths.find((path) => !others.includes(path)));
  const x = prefer('train.lr', []);
  const y = prefer('train.l2', [x]);
  return x && y && x !== y ? [x, y] : null;
}

/** {x: {path, log}, y: {path, log}, points: [{index, x, y, acc, status}]}, or null with fewer than two numeric dimensions. */
export function searchSpaceData(trials, space) {
  const axes = planeAxes(space);
  if (!axes) return null;
  const [xPath, yPath] = axes;
  return {
    x: { path: xPath, log: Boolean(space[xPath].log) },
    y: { path: yPath, log: Boolean(space[yPath].log) },
    points: trials.map((trial) => ({ index: trial.index, x: trial.params[xPath], y: trial.params[yPath], acc: trial.val_acc ?? null, status: trial.status })),
  };
}

// Viridis, five stops: accuracy 0 → dark purple, 1 → yellow (readable in grey and by colour-blind eyes).
const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
export function accuracyColour(acc) {
  const t = Math.min(1, Math.max(0, acc)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(t));
  const f = t - i;
  const [r, g, b] = VIRIDIS[i].map((c, k) => Math.round(c + (VIRIDIS[i + 1][k] - c) * f));
  return `rgb(${r},${g},${b})`;
}

/** A scale mapping values to [p0, p1]: linear, or log10 when `log`. */
export function scale(values, log, p0, p1) {
  const usable = values.filter((v) => Number.isFinite(v) && (!log || v > 0)).map((v) => (log ? Math.log10(v) : v));
  let lo = usable.length ? Math.min(...usable) : 0;
  let hi = usable.length ? Math.max(...usable) : 1;
  if (hi === lo) { lo -= 0.5; hi += 0.5; }
  const map = (v) => p0 + (((log ? Math.log10(v) : v) - lo) / (hi - lo)) * (p1 - p0);
  return { map, lo, hi, log };
}

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const tick = (value, log) => (log ? `1e${Math.round(value)}` : Number(value.toPrecision(3)).toString());

function axisTicks(s) {
  const out = [];
  if (s.log) for (let e = Math.ceil(s.lo); e <= Math.floor(s.hi); e++) out.push({ at: 10 ** e, label: `1e${e}` });
  else for (let k = 0; k <= 4; k++) { const v = s.lo + ((s.hi - s.lo) * k) / 4; out.push({ at: v, label: tick(v, false) }); }
  return out;
}

const marker = (x, y, point, fill) => (point.status === 'ok' || point.status === 'pruned'
  ? `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4" fill="${fill}" stroke="#222" stroke-width="0.5" data-index="${point.index}" data-status="${point.status}"><title>trial ${point.index}</title></circle>`
  : `<path d="M${(x - 4).toFixed(1)},${(y - 4).toFixed(1)}l8,8m-8,0l8,-8" stroke="#d55e00" stroke-width="1.5" data-index="${point.index}" data-status="${escape(point.status)}"><title>trial ${point.index}: ${escape(point.status)}</title></path>`);

/** "Search results" as an SVG document: one panel per hyperparameter, accuracy on y. */
export function searchResultsSvg(data) {
  const panelWidth = 260;
  const height = 240;
  const margin = { left: 44, right: 12, top: 30, bottom: 40 };
  const width = panelWidth * data.length;
  const parts = [];
  data.forEach((dim, d) => {
    const left = d * panelWidth + margin.left;
    const right = (d + 1) * panelWidth - margin.right;
    const top = margin.top;
    const bottom = height - margin.bottom;
    const yOf = (acc) => bottom - acc * (bottom - top);
    const xs = dim.categories
      ? { map: (v) => left + ((dim.categories.indexOf(JSON.stringify(v)) + 0.5) / dim.categories.length) * (right - left) }
      : scale(dim.points.map((p) => p.x), dim.log, left, right);
    parts.push(`<g class="panel" data-path="${escape(dim.path)}" data-log="${dim.log}">`);
    parts.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#999"/>`);
    parts.push(`<text x="${(left + right) / 2}" y="${height - 8}" text-anchor="middle" font-size="12">${escape(dim.path)}${dim.log ? ' (log)' : ''}</text>`);
    for (const acc of [0, 0.5, 1]) parts.push(`<text x="${left - 4}" y="${yOf(acc) + 4}" text-anchor="end" font-size="10">${acc}</text>`);
    const ticks = dim.categories ? dim.categories.map((label) => ({ at: JSON.parse(label), label })) : axisTicks(xs);
    for (const { at, label } of ticks) parts.push(`<text x="${xs.map(at).toFixed(1)}" y="${bottom + 14}" text-anchor="middle" font-size="10">${escape(label)}</text>`);
    for (const point of dim.points) parts.push(marker(xs.map(point.x), yOf(point.y ?? 0), point, '#0072b2'));
    parts.push('</g>');
  });
  return svgDocument(SEARCH_RESULTS_TITLE, width, height, [`<text x="8" y="16" font-size="13">${SEARCH_RESULTS_TITLE}: validation accuracy per trial (× = stopped)</text>`, ...parts]);
}

/** "Search space" as an SVG document: the plane, points coloured by validation accuracy. */
export function searchSpaceSvg(data) {
  const width = 360;
  const height = 320;
  const margin = { left: 56, right: 16, top: 30, bottom: 44 };
  if (!data) return svgDocument(SEARCH_SPACE_TITLE, width, 60, ['<text x="8" y="30" font-size="13">Search space: needs two numeric hyperparameters</text>']);
  const xs = scale(data.points.map((p) => p.x), data.x.log, margin.left, width - margin.right);
  const ys = scale(data.points.map((p) => p.y), data.y.log, height - margin.bottom, margin.top);
  const parts = [`<text x="8" y="16" font-size="13">${SEARCH_SPACE_TITLE}: colour = val accuracy, × = stopped</text>`,
    `<rect x="${margin.left}" y="${margin.top}" width="${width - margin.left - margin.right}" height="${height - margin.top - margin.bottom}" fill="none" stroke="#999"/>`,
    `<text x="${(width + margin.left) / 2}" y="${height - 8}" text-anchor="middle" font-size="12">${escape(data.x.path)}${data.x.log ? ' (log)' : ''}</text>`,
    `<text x="12" y="${height / 2}" font-size="12" transform="rotate(-90 12 ${height / 2})" text-anchor="middle">${escape(data.y.path)}${data.y.log ? ' (log)' : ''}</text>`];
  for (const { at, label } of axisTicks(xs)) parts.push(`<text x="${xs.map(at).toFixed(1)}" y="${height - margin.bottom + 14}" text-anchor="middle" font-size="10">${label}</text>`);
  for (const { at, label } of axisTicks(ys)) parts.push(`<text x="${margin.left - 4}" y="${(ys.map(at) + 3).toFixed(1)}" text-anchor="end" font-size="10">${label}</text>`);
  for (const point of data.points) parts.push(marker(xs.map(point.x), ys.map(point.y), point, point.acc === null ? '#999' : accuracyColour(point.acc)));
  return svgDocument(SEARCH_SPACE_TITLE, width, height, parts);
}

function svgDocument(title, width, height, parts) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n<title>${escape(title)}</title>\n<rect width="100%" height="100%" fill="#fff"/>\n${parts.join('\n')}\n</svg>\n`;
}
