// trainscope: a neural-network training lab. The public JavaScript API (node, pages and module
// workers). See docs/notes/js-api.md and bindings/trainscope.d.ts.

export { createTrainer, Trainer } from './trainer.js';
export { defaults, withDefaults } from './defaults.js';
export { validateConfig, ConfigError, estimateMemoryBytes, MEMORY_BUDGET_BYTES, formatProblem } from './validate.js';
export { presets, getPreset } from './presets.js';
export { loadEngine, simdSupported } from './loader.js';
export { LIVE_KEYS, schema } from './schema.js';
export { parseCsv, CsvError } from './csv.js';
export { architectureLine, describeLayer, formatShape } from './architecture.js';
export { DisposedError, DivergedError, EngineLoadError } from './errors.js';
export { optimizerPath, SURFACES, OPTIMIZER_PATH_KEYS } from './optimizer-path.js';
export { optimizerPresets, getOptimizerPreset, raceOptimizers } from './optimizer-presets.js';
export { search, runTrial, SearchSpaceError } from './search/index.js';
