// Whether the address asks for the Optimizers view: `?view=optimizers`, or `view=optimizers` in the
// hash. A module of its own so the pages can decide before loading the view.

/** True when the address asks for the Optimizers view. */
export function opensOptimizers(location = globalThis.location) {
  return new URLSearchParams(location.search).get('view') === 'optimizers' ||
    String(location.hash).replace(/^#/, '').split('&').includes('view=optimizers');
}
