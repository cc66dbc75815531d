// Hyperparameter search (issue 12): random or grid search, log-space sampling, early stopping,
// successive halving, coarse-to-fine refinement and an ensemble of the best trials.
export { search, normalizeOptions, planRound, trialRecord, trialHash, compareTrials, ensembleOf, METHODS } from './search.js';
export { normalizeSpace, spaceObject, gridPoints, samplePoint, refineSpace, contains, SearchSpaceError, SAMPLINGS } from './space.js';
export { runTrial, validationProbabilities, CURVE_POINTS } from './trial.js';
export { createRandom, hashText, canonicalJson } from './random.js';
export { searchResultsData, searchSpaceData, searchResultsSvg, searchSpaceSvg, planeAxes, accuracyColour, SEARCH_RESULTS_TITLE, SEARCH_SPACE_TITLE } from './plots.js';
