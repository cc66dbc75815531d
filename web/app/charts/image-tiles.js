// Small images on a canvas, shared by the image charts (Filters, Predictions): one example or one
// filter, C x H x W channel-major, drawn as grey (C = 1) or RGB (C = 3; other counts show
// channel 0), each scaled to its own range so that weights and centred pixels show their pattern.

/** An offscreen canvas of `values` (channel-major C·H·W from `offset`), min → black, max → white. */
export function tileCanvas(doc, values, offset, [channels, height, width]) {
  const canvas = doc.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  const image = context.createImageData(width, height);
  const plane = height * width;
  const colour = channels === 3;
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < (colour ? 3 : 1) * plane; i++) {
    low = Math.min(low, values[offset + i]);
    high = Math.max(high, values[offset + i]);
  }
  const scale = high > low ? 255 / (high - low) : 0;
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) {
      const value = values[offset + (colour ? c : 0) * plane + p];
      image.data[p * 4 + c] = (value - low) * scale;
    }
    image.data[p * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

/** Columns and tile size that fit `count` square tiles (plus `below` px of text each) in w x h. */
export function tileGrid(count, width, height, below = 0) {
  let best = { columns: 1, size: 0 };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const size = Math.floor(Math.min(width / columns, height / rows - below)) - 4;
    if (size > best.size) best = { columns, size };
  }
  return best;
}
