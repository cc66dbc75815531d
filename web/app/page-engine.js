// The engine options of every engine the pages load (training worker, Search workers, optimizer
// view): no page calls gradCheck(), so they all share the lite SIMD engine, a quarter fewer bytes
// on a first visit (bindings/js/loader.js). One name, so the three never load two engines.
export const PAGE_ENGINE = Object.freeze({ gradCheck: false });
