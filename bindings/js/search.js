// The hyperparameter search's full module surface (space, plots, runners) in one file at the top
// of the API folder: the page imports it as ../js/search.js, which the package's embed bundle keeps
// external like the rest of the API. The public entry point (index.js) exports search and runTrial.
export * from './search/index.js';
