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

/** One colour per layer (hidden1, hidden2, …, output), cycling. */
export const layerColors = [okabeIto.blue, okabeIto.orange, okabeIto.green, okabeIto.purple, okabeIto.sky, okabeIto.vermillion, okabeIto.black, okabeIto.yellow];

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
