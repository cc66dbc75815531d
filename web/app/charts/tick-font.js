// The size of the charts' tick and label text, from the CSS custom property --ts-tick-font on
// the chart's host (12 px by default; the lecture view sets 16 px or more, for a projector).

export const DEFAULT_TICK_FONT_PX = 12;

/** The tick font size in CSS pixels for a chart drawn in `host`. */
export function tickFontPx(host) {
  const value = Number.parseFloat(globalThis.getComputedStyle?.(host).getPropertyValue('--ts-tick-font') ?? '');
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_TICK_FONT_PX;
}

/** The canvas font string for `px`. */
export function tickFont(px) {
  return `${px}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`;
}
