// Base for the hand-drawn charts: a canvas that fills its host at the device pixel ratio and
// redraws from the last model when resized.

export class CanvasChart {
  constructor(host, label) {
    this.host = host;
    this.canvas = host.ownerDocument.createElement('canvas');
    this.canvas.setAttribute('aria-hidden', 'true'); // the figure carries the accessible name
    if (label) this.canvas.dataset.chart = label;
    host.append(this.canvas);
    this.context = this.canvas.getContext('2d');
    this.width = 0;
    this.height = 0;
    this.resizeObserver = new ResizeObserver(() => {
      if (this.#fit()) this.draw();
    });
    this.resizeObserver.observe(host);
    this.#fit();
  }

  #fit() {
    const width = Math.max(1, Math.floor(this.host.clientWidth));
    const height = Math.max(1, Math.floor(this.host.clientHeight));
    if (width === this.width && height === this.height) return false;
    const ratio = globalThis.devicePixelRatio || 1;
    this.width = width;
    this.height = height;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.context.setTransform(ratio, 0, 0, ratio, 0, 0);
    return true;
  }

  clear() {
    this.context.clearRect(0, 0, this.width, this.height);
  }

  /** Subclasses draw their current model here. */
  draw() {}

  destroy() {
    this.resizeObserver.disconnect();
    this.canvas.remove();
  }
}
