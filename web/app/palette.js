// Okabe–Ito: eight colours that stay distinct for the common forms of colour blindness.
export const okabeIto = {
  black: '#000000',
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
};

// Viridis (matplotlib's default map: perceptually uniform, monotonic in lightness, readable with
// the common colour-vision deficiencies and in greyscale), at its 11 published stops.
const VIRIDIS = ['#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c', '#22a884', '#44bf70', '#7ad151', '#bddf26', '#fde725'];
// The last stretch of viridis is yellow, too faint on white for a 1.5-px line.
const DEPTH_END = 0.86;

/** Viridis at t ∈ [0, 1], interpolated between the stops, as "#rrggbb". */
export function viridis(t) {
  const position = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const index = Math.min(VIRIDIS.length - 2, Math.floor(position));
  const fraction = position - index;
  const a = hexToRgb(VIRIDIS[index]);
  const b = hexToRgb(VIRIDIS[index + 1]);
  return `#${a.map((channel, i) => Math.round(channel + (b[i] - channel) * fraction).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * One colour per layer by depth, first layer (dark purple) → last layer (green): a sequential
 * palette, so "deeper" reads as "further along the scale", and any number of layers get distinct
 * colours (never a cycle: with 10 hidden layers the output is not hidden3's colour).
 */
export function depthColors(count) {
  if (count <= 1) return [viridis(0)];
  return Array.from({ length: count }, (_, index) => viridis((index / (count - 1)) * DEPTH_END));
}

/** CIE76 colour difference ΔE between two "#rrggbb" colours (sRGB → CIELAB, D65). */
export function colorDifference(first, second) {
  const [l1, a1, b1] = toLab(first);
  const [l2, a2, b2] = toLab(second);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

function toLab(hex) {
  const [r, g, b] = hexToRgb(hex).map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const xyz = [
    (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
    0.2126 * r + 0.7152 * g + 0.0722 * b,
    (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
  ].map((v) => (v > 216 / 24389 ? Math.cbrt(v) : (v * 24389 / 27 + 16) / 116));
  return [116 * xyz[1] - 16, 500 * (xyz[0] - xyz[1]), 200 * (xyz[1] - xyz[2])];
}

/** One colour per class in the decision boundary; yellow last (weak on white). */
export const classColors = [okabeIto.orange, okabeIto.sky, okabeIto.green, okabeIto.purple, okabeIto.vermillion, okabeIto.blue, okabeIto.black, okabeIto.yellow];

/** Colours of pinned runs (faded overlays). */
export const pinColors = [okabeIto.purple, okabeIto.green, okabeIto.orange, okabeIto.sky, okabeIto.black];

export function withAlpha(hex, alpha) {
  const value = parseInt(hex.slice(1), 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

export function hexToRgb(hex) {
  const value = parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}
