/// <reference lib="esnext.disposable" />
// Hand-written declarations for the public trainscope API (bindings/js/index.js). Emscripten
// 3.1.6 cannot emit them; tests/js/typed-usage.ts is checked against this file by tsc --noEmit.

export type Dataset = 'spiral' | 'circles' | 'xor' | 'gaussians' | 'moons' | 'gaussian_cloud' | 'regression' | 'shapes' | 'fashion_mnist' | 'custom';
export type Preprocess = 'none' | 'center' | 'mean_image' | 'channel_mean' | 'standardize' | 'pca' | 'whiten';
export type Activation = 'identity' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'prelu' | 'elu' | 'maxout' | 'gelu' | 'silu';
export type Initializer =
  | 'zeros' | 'normal' | 'uniform' | 'xavier' | 'glorot_uniform' | 'glorot_normal' | 'he' | 'he_uniform' | 'lecun'
  | 'orthogonal';
export type Norm = 'none' | 'batch' | 'layer' | 'group' | 'instance';
export type NormPosition = 'before' | 'after';
export type ValFrom = 'train' | 'test';
export type Optimizer = 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam' | 'adamw';
export type Schedule = 'constant' | 'step' | 'exponential' | 'cosine';
export type Loss = 'softmax' | 'svm' | 'mse';

/** Numbers accepted as custom data: plain arrays or typed arrays. */
export type NumberArray = ArrayLike<number>;

export interface DataConfig {
  dataset: Dataset;
  /** Classes (spiral arms, blobs, cloud labels); 2 for circles, xor, moons. */
  classes: number;
  /** Examples before the validation split (custom: the number of rows). */
  samples: number;
  noise: number;
  /** Input dimensions: gaussian_cloud any, regression 1 or 2, custom the row length, else 2. */
  dims: number;
  /** Share held out for validation, in [0, 1). */
  val_fraction: number;
  preprocess: Preprocess;
  /** > 0: keep only the first train_limit training examples. */
  train_limit: number;
  /** Custom features: rows, or a flat row-major array / Float32Array with `dims`. Empty otherwise. */
  x: ReadonlyArray<ArrayLike<number>> | NumberArray;
  /** Custom labels 0..classes-1, or regression targets with loss 'mse'. Empty otherwise. */
  y: NumberArray;
  /** Validation examples: held out of the training set, or (fashion_mnist) the official test file's first ones. */
  val_from: ValFrom;
  /** Custom images: [C, H, W] of one example (x rows hold C·H·W values, channel-major); [] otherwise. */
  shape: number[];
}

/** One entry of model.layers. Conv and dense layers may override the model-level keys. */
export type LayerSpec =
  | ({ type: 'conv'; filters: number; size: number; stride?: number; pad?: number | 'same' } & LayerOverrides)
  | { type: 'pool'; size?: number; stride?: number; mode?: 'max' | 'avg' }
  | ({ type: 'dense'; units: number } & LayerOverrides);

export interface LayerOverrides {
  activation?: Activation;
  norm?: Norm;
  init?: Initializer;
  dropout?: number;
}

/** One row of trainer.summary(): shapes are [C, H, W] (dense features are [n, 1, 1]). */
export interface LayerSummary {
  type: 'conv' | 'pool' | 'dense' | 'output';
  /** Where the layer comes from: "model.layers[2]", "model.hidden[0]" or "output". */
  path: string;
  /** The tensor / diagnostics name ("hidden1", "output"); "" for pooling. */
  name: string;
  input: [number, number, number];
  output: [number, number, number];
  /** Trainable values: weights, biases, norm γ/β, activation parameters. */
  parameters: number;
  /** Forward multiply-adds per example. */
  multiply_adds: number;
  filters?: number;
  size?: number;
  stride?: number;
  pad?: number;
  mode?: 'max' | 'avg';
  activation?: Activation;
  norm?: Norm;
}

export interface ModelConfig {
  hidden: number[];
  /** An ordered layer list (conv, pool, dense), the general form of `hidden`; give one of the two. */
  layers: LayerSpec[];
  activation: Activation;
  /** leaky_relu / elu / prelu slope; < 0 selects the activation's default. */
  alpha: number;
  init: Initializer;
  /** std for 'normal', bound for 'uniform'. */
  init_scale: number;
  bias_init: number;
  norm: Norm;
  /** Group norm: must divide every hidden width. */
  groups: number;
  norm_position: NormPosition;
  bn_momentum: number;
  norm_eps: number;
  /** Drop probability in [0, 1) (inverted dropout). */
  dropout: number;
  /** Orthogonal init gain. */
  gain: number;
}

export interface TrainConfig {
  optimizer: Optimizer;
  lr: number;
  momentum: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** adam/adamw: divide the moments by 1 − βᵗ (false shows the zero-biased first steps). Live. */
  bias_correction: boolean;
  decay: number;
  weight_decay: number;
  schedule: Schedule;
  decay_steps: number;
  gamma: number;
  min_lr: number;
  warmup: number;
  batch_size: number;
  l1: number;
  l2: number;
  loss: Loss;
  /** > 0: clip the global gradient norm. */
  clip: number;
  shuffle: boolean;
}

export interface DiagnosticsConfig {
  /** Per-layer diagnostics every `cadence` steps (0 = never). */
  cadence: number;
  probe_size: number;
  bins: number;
  /** Points kept per history series (older points are thinned). */
  history: number;
}

/** The full configuration (what `defaults` and `trainer.config` hold). */
export interface Config {
  seed: number;
  data: DataConfig;
  model: ModelConfig;
  train: TrainConfig;
  diagnostics: DiagnosticsConfig;
}

/** What createTrainer accepts: any subset of the keys; the rest take `defaults`. */
export interface PartialConfig {
  seed?: number;
  data?: Partial<DataConfig>;
  model?: Partial<ModelConfig>;
  train?: Partial<TrainConfig>;
  diagnostics?: Partial<DiagnosticsConfig>;
}

/** The keys trainer.set() changes without a reset. */
export interface LiveChanges {
  train?: Partial<Pick<TrainConfig,
    'lr' | 'momentum' | 'beta1' | 'beta2' | 'eps' | 'decay' | 'weight_decay' | 'schedule' | 'decay_steps' | 'gamma'
    | 'min_lr' | 'warmup' | 'l1' | 'l2' | 'clip'>>;
  model?: Partial<Pick<ModelConfig, 'dropout'>>;
}

export interface Problem {
  /** Dotted path of the offending key, e.g. "train.lr" or "data.x[3][1]"; "" for the whole config. */
  path: string;
  message: string;
  /** The allowed values, for names. */
  allowed?: string[];
}

/** Thrown for invalid configurations and arguments; the message names the first problem. */
export class ConfigError extends Error {
  readonly name: 'ConfigError';
  readonly code: 'ERR_TRAINSCOPE_CONFIG';
  readonly problems: Problem[];
  constructor(problems: Problem[]);
}

/** The engine's script or .wasm could not be imported, fetched, read or compiled. */
export class EngineLoadError extends Error {
  readonly name: 'EngineLoadError';
  readonly code: 'ERR_TRAINSCOPE_ENGINE_LOAD';
  /** The URL (or, for the packaged script, the path next to loader.js) that failed. */
  readonly url: string;
  readonly variant: EngineVariant;
}

/** trainer.step() on a run whose loss became NaN or exploded (until reset() or a new learning rate). */
export class DivergedError extends Error {
  readonly name: 'DivergedError';
  readonly code: 'ERR_TRAINSCOPE_DIVERGED';
  readonly step: number;
  readonly reason: string;
}

/** Any use of a trainer after dispose(). */
export class DisposedError extends Error {
  readonly name: 'DisposedError';
  readonly code: 'ERR_TRAINSCOPE_DISPOSED';
  /** The member that was used. */
  readonly method: string;
}

export type EngineVariant = 'simd' | 'nosimd';
/** One URL for the build that loads, or one per build. Relative URLs resolve against the page (node: the current directory). */
export type EngineFileUrl = string | URL | { simd?: string | URL; nosimd?: string | URL };

export interface EngineOptions {
  /** Force (true) or avoid (false) the WebAssembly SIMD build; default: SIMD when supported. */
  simd?: boolean;
  /** false: this code never calls gradCheck(), so load the lite SIMD engine (trainscope_engine_lite.{js,wasm}:
   *  no gradient check, no schema export, a quarter fewer bytes); what the pages use. Without SIMD the full
   *  scalar engine loads. Default true. */
  gradCheck?: boolean;
  /** The folder holding trainscope_engine{,_nosimd}.{js,wasm}; default: the files the package (or your bundler) placed. */
  baseUrl?: string | URL;
  /** The engine script (trainscope_engine.js or trainscope_engine_nosimd.js); overrides baseUrl. */
  scriptUrl?: EngineFileUrl;
  /** The engine's .wasm; overrides baseUrl. */
  wasmUrl?: EngineFileUrl;
  /** Where a file is (name: e.g. 'trainscope_engine.wasm'); undefined keeps the default. Used when scriptUrl/wasmUrl do not say. */
  locateFile?: (name: string, variant: EngineVariant) => string | URL | undefined;
  /** The folder of an image dataset's gzipped IDX files (fashion_mnist); default: node
   *  /usr/share/datasets/fashion-mnist/, a page the build's data/fashion-mnist/ beside js/. */
  dataUrl?: string | URL;
}

export interface EngineInfo {
  readonly simd: boolean;
  readonly variant: EngineVariant;
  /** The URL of the .wasm that was loaded. */
  readonly url: string;
  /** Whether this engine has gradCheck() (false for the lite build). */
  readonly gradCheck: boolean;
  readonly buildInfo: { readonly simd: boolean; readonly eigen_vectorize: boolean; readonly instruction_sets: string; readonly grad_check: boolean };
}

export interface LoadedEngine extends EngineInfo {
  /** Current size of the engine's linear memory in bytes (it grows, never shrinks). */
  heapBytes(): number;
  /** Bytes the engine's allocator has handed out and not freed (mallinfo().uordblks): every leaked byte shows. */
  allocatedBytes(): number;
}

export interface StepMetrics {
  step: number;
  loss: number;
  data_loss: number;
  reg_loss: number;
  batch_acc: number;
  lr: number;
  grad_norm: number;
}

export interface History {
  step: Float64Array;
  loss: Float64Array;
  data_loss: Float64Array;
  reg_loss: Float64Array;
  batch_acc: Float64Array;
  lr: Float64Array;
  /** Steps at which the per-layer diagnostics below were recorded. */
  diag_step: Float64Array;
  /** Indexed [layer][point]. */
  dead_fraction: Float64Array[];
  zero_fraction: Float64Array[];
  saturated_fraction: Float64Array[];
  act_mean: Float64Array[];
  act_std: Float64Array[];
  weight_norm: Float64Array[];
  grad_norm: Float64Array[];
  update_ratio: Float64Array[];
  /** Incremented whenever the engine thins the history (a reader holding rows must refetch). */
  version: number;
  /** Layer names, the first index of every per-layer series: "hidden1", …, "output". */
  layers: string[];
  /** Histograms of the latest diagnostics event (its probe rows); `step` 0 and no layers before it. */
  histograms: {
    step: number;
    layers: Array<{
      name: string;
      pre: { hist: Float64Array; edges: Float64Array };
      act: { hist: Float64Array; edges: Float64Array };
    }>;
  };
}

export interface HistoryOptions {
  /** Only rows with a step after this one (compare `version` with the one you hold). */
  since?: number;
}

export interface Moments {
  mean: number;
  std: number;
  /** `bins` counts. */
  hist: number[];
  /** `bins + 1` edges. */
  edges: number[];
}

export interface LayerStats {
  name: string;
  units: number;
  activation: string;
  pre: Moments;
  act: Moments;
  dead_fraction: number;
  zero_fraction: number;
  saturated_fraction: number;
  weight_norm: number;
  grad_norm: number;
  update_ratio: number;
}

export interface SplitEvaluation {
  loss: number;
  acc: number;
  count: number;
}

export interface Evaluation {
  train: SplitEvaluation;
  val: SplitEvaluation;
}

export interface GradCheck {
  /** skipped: entries at a kink within θ ± 2h, or ill-conditioned (finite differences at h and 2h disagree). */
  tensors: { name: string; max_rel_error: number; checked: number; skipped: number; ill_conditioned: number }[];
  /** max |a − n| / max(|a|, |n|, floor) over checked entries; n is the fourth-order central difference, h = 1e-5. */
  max_rel_error: number;
  /** Entries compared over all tensors. */
  checked: number;
  /** Entries skipped over all tensors (kinks and ill-conditioned ones). */
  skipped: number;
  /** Of the skipped entries, those whose finite difference was unstable. */
  ill_conditioned: number;
  /** At least one entry checked and max_rel_error < 1e-5. */
  passed: boolean;
  /** Why it did not pass ("inconclusive: no entry checked", or the tensor over the bound); '' when it passed. */
  reason: string;
}

export interface InitialLossCheck {
  /** The loss with all scores ~0: ln(C) softmax, C − 1 svm, 0.5 mse on one-hot labels, ½·mean(target²) regression. */
  expected: number;
  measured: number;
  /** What `expected` is, from the engine's loss registry: "ln(C)", "C - 1", "0.5", "½·mean(target²)". */
  label: string;
  explanation: string;
}

export interface DataSplit {
  /** Row-major count x dims, raw (before preprocessing). */
  x: Float32Array;
  y: Float32Array;
  count: number;
  dims: number;
}

export interface TrainerStatus {
  state: 'ok' | 'diverged';
  step: number;
  reason: string;
}

export interface Param {
  name: string;
  layer: number;
  /** [rows, cols]; a weight matrix is fan_in x fan_out. */
  shape: [number, number];
  /** false for batch-norm running statistics. */
  trainable: boolean;
  values: Float32Array;
}

export interface ParamInput {
  name: string;
  shape?: [number, number] | number[];
  values: Float32Array | Float64Array | number[];
}

export interface TrainerJSON {
  format: 'trainscope-model';
  version: 1;
  config: Config;
  params: { name: string; shape: [number, number]; trainable: boolean; values: number[] }[];
}

export class Trainer {
  private constructor();
  /** A new trainer from trainer.toJSON() output (an object or its JSON text). */
  static fromJSON(json: TrainerJSON | string, options?: EngineOptions): Promise<Trainer>;
  /** A deep copy of the full configuration the engine runs. */
  readonly config: Config;
  readonly status: TrainerStatus;
  readonly engineInfo: EngineInfo;
  /** Classes, or 1 for regression: the last axis of predictGrid. */
  readonly outputs: number;
  readonly stepsDone: number;
  readonly disposed: boolean;
  step(n?: number): StepMetrics;
  history(options?: HistoryOptions): History;
  layerStats(): LayerStats[];
  evaluate(): Evaluation;
  gradCheck(): GradCheck;
  initialLossCheck(): InitialLossCheck;
  /** The architecture layer by layer: shapes, parameter counts and multiply-adds. */
  summary(): LayerSummary[];
  /** resolution² · outputs values, row-major, y from ymin (row 0) to ymax. */
  predictGrid(xmin: number, xmax: number, ymin: number, ymax: number, resolution: number): Float32Array;
  /** Evaluation-mode outputs of raw rows (flat or as rows of data.dims values): count · outputs values. */
  predict(x: NumberArray | ReadonlyArray<ArrayLike<number>>): Float32Array;
  /** Every conv / dense block's activation maps for validation example `index` (channel-major). */
  featureMaps(index: number): { name: string; path: string; shape: [number, number, number]; values: Float32Array }[];
  data(): { train: DataSplit; val: DataSplit };
  set(changes: LiveChanges): void;
  reset(seed?: number): void;
  getParams(): Param[];
  setParams(params: ParamInput[]): void;
  toJSON(): TrainerJSON;
  dispose(): void;
  /** `using trainer = await createTrainer(…)` disposes at the end of the block. */
  [Symbol.dispose](): void;
}

export function createTrainer(config?: PartialConfig, options?: EngineOptions): Promise<Trainer>;

/** "input 1×28×28 → conv 8@5×5 p2 → 8×28×28 → … → output 10" from trainer.summary(). */
export function architectureLine(rows: readonly LayerSummary[]): string;
/** "conv 8@5×5 s2 p1", "pool max 2×2", "dense 64", "output 10". */
export function describeLayer(row: LayerSummary): string;
/** [8, 28, 28] → "8×28×28"; [64, 1, 1] → "64". */
export function formatShape(shape: readonly number[]): string;

/** Every problem of a config; empty when valid. Never builds anything. */
export function validateConfig(config: unknown): Problem[];
export function formatProblem(problem: Problem): string;

export const defaults: Readonly<Config>;
/** `config` with every missing key filled from `defaults` (and the data-dependent defaults). */
export function withDefaults(config?: PartialConfig): Config;

export interface Preset {
  readonly name: string;
  readonly title: string;
  /** One paragraph: what to look for. */
  readonly explain: string;
  readonly config: Readonly<PartialConfig>;
}

/** The lecture presets in lecture order; `presets.byName('he-relu')` finds one. */
export const presets: ReadonlyArray<Preset> & { byName(name: string): Preset | undefined };
/** The preset called `name`; throws an Error listing the names when there is none. */
export function getPreset(name: string): Preset;

export function loadEngine(options?: EngineOptions): Promise<LoadedEngine>;
export function simdSupported(): boolean;

export interface MemoryEstimate {
  total: number;
  dataBytes: number;
  parameterBytes: number;
  activationBytes: number;
  diagnosticBytes: number;
}
export function estimateMemoryBytes(config: Config): MemoryEstimate;
export const MEMORY_BUDGET_BYTES: number;

/** Dotted paths of the keys trainer.set() changes without a reset. */
export const LIVE_KEYS: readonly string[];

export interface Rule {
  kind: 'integer' | 'number' | 'boolean' | 'enum' | 'widths' | 'data';
  values?: readonly string[];
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  live?: boolean;
  help: string;
}
/** The rule of every key (type, allowed values, range, live). */
export const schema: {
  seed: Rule;
  data: Record<keyof DataConfig, Rule>;
  model: Record<keyof ModelConfig, Rule>;
  train: Record<keyof TrainConfig, Rule>;
  diagnostics: Record<keyof DiagnosticsConfig, Rule>;
};

export class CsvError extends Error {
  readonly name: 'CsvError';
  readonly code: 'ERR_TRAINSCOPE_CSV';
  readonly line: number;
}
/** Custom data from CSV text: features, then the label (or target) in the last column. */
export function parseCsv(text: string, options?: { source?: string; targets?: boolean }): {
  x: number[][];
  y: number[];
  header: string[] | null;
};

// ---- The optimizer view: the engine's optimizers on 2-D loss surfaces --------------------------

export interface Surface {
  name: 'ill_conditioned' | 'rosenbrock' | 'saddle' | 'monkey_saddle' | 'local_minima' | 'beale';
  description: string;
  formula: string;
  /** [xmin, xmax, ymin, ymax]: the region the page plots. */
  view: [number, number, number, number];
  start: [number, number];
  /** The global minimum, or null for surfaces unbounded below (the saddles). */
  minimum: [number, number] | null;
}
export const SURFACES: ReadonlyArray<Surface>;

export interface OptimizerPathOptions {
  surface?: Surface['name'];
  /** ill_conditioned's curvature ratio: ½(x² + κy²), in [1, 10000]; default 10. */
  kappa?: number;
  /** Default: the surface's start. Both coordinates finite, in [-1000, 1000]. */
  start?: [number, number];
  /** 1 .. 100000; default 100. */
  steps?: number;
  /** Standard deviation of Gaussian noise added to each gradient coordinate (mini-batch stand-in); default 0. */
  noise?: number;
  seed?: number;
  optimizer?: TrainConfig['optimizer'];
  lr?: number;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  decay?: number;
  weight_decay?: number;
  bias_correction?: boolean;
  schedule?: TrainConfig['schedule'];
  decay_steps?: number;
  gamma?: number;
  min_lr?: number;
  warmup?: number;
}
export const OPTIMIZER_PATH_KEYS: ReadonlyArray<keyof OptimizerPathOptions>;

export interface OptimizerPathResult {
  surface: Surface['name'];
  optimizer: string;
  /** The start, then the point after each step (steps + 1 entries). */
  x: Float64Array;
  y: Float64Array;
  loss: Float64Array;
  steps: number;
  /** 'steps': the budget ran out; 'converged': an update no longer moved the point; 'diverged': it left [-1e6, 1e6]. */
  stopped: 'steps' | 'converged' | 'diverged';
  reason: string;
}
/** Runs the engine's optimizer and schedule on a 2-D surface. Bad options reject with a ConfigError naming the field. */
export function optimizerPath(options?: OptimizerPathOptions, engineOptions?: EngineOptions): Promise<OptimizerPathResult>;

export interface OptimizerRacer extends Partial<OptimizerPathOptions> {
  optimizer: TrainConfig['optimizer'];
  label: string;
}
export interface OptimizerPreset {
  name: 'sgd-zigzag' | 'saddle-escape' | 'momentum-overshoot' | 'adagrad-stalls' | 'adam-bias-correction' | 'lr-decay';
  title: string;
  explain: string;
  surface: Surface['name'];
  kappa?: number;
  start: [number, number];
  steps: number;
  noise?: number;
  seed?: number;
  /** The view's shared controls (lr, momentum, beta1, ...). */
  settings: Partial<OptimizerPathOptions>;
  racers: ReadonlyArray<OptimizerRacer>;
}
export const optimizerPresets: ReadonlyArray<OptimizerPreset>;
export function getOptimizerPreset(name: string): OptimizerPreset;
export function raceOptimizers(preset: OptimizerPreset, engineOptions?: EngineOptions):
  Promise<Array<{ label: string; optimizer: string; path: OptimizerPathResult }>>;

// ---- hyperparameter search (bindings/js/search/) --------------------------------------------

/** How one config path is sampled: 10^U(log10 lo, log10 hi), U(lo, hi), or one of the values. */
export type SearchDimension =
  | { log: [number, number] }
  | { uniform: [number, number] }
  | { choice: ReadonlyArray<string | number | boolean> };

/** Config paths ('train.lr', 'model.dropout', …) to how each is sampled; checked against the schema. */
export type SearchSpace = Record<string, SearchDimension>;

/** What a runner gets for one trial (structured-clone safe). */
export interface TrialSpec {
  index: number;
  config: PartialConfig;
  steps: number;
  earlyStop: { factor: number } | null;
  curvePoints: number;
  /** Whether to return validation-split class probabilities (for the ensemble). */
  probabilities: boolean;
}

export interface ValidationProbabilities {
  count: number;
  classes: number;
  labels: number[];
  /** count × classes, row-major. */
  values: number[];
}

export type TrialStatus = 'ok' | 'stopped' | 'diverged' | 'pruned' | 'failed';

export interface TrialResult {
  index: number;
  status: TrialStatus | 'cancelled';
  /** Why it stopped, e.g. "stopped at step 2: loss 53.5 > 3 × the initial 1.73"; '' when ok. */
  reason: string;
  stopped_at: number | null;
  steps: number;
  initial_loss: number | null;
  final_loss: number | null;
  train_loss: number | null;
  train_acc: number | null;
  val_loss: number | null;
  val_acc: number | null;
  /** The loss curve decimated to about curvePoints points (null where not finite). */
  curve: { step: number[]; loss: (number | null)[] };
  probabilities: ValidationProbabilities | null;
}

/** One finished trial as search() reports it (and the CLI writes it, one JSON line each). */
export interface TrialRecord extends Omit<TrialResult, 'probabilities' | 'status'> {
  status: TrialStatus;
  round: number;
  /** Successive-halving rung of its last run. */
  rung?: number;
  /** Identifies the trial's config, step budget and early stopping in a results file. */
  hash: string;
  /** The config seed (data, split, initialization): the same for every trial of a search. */
  seed: number;
  params: Record<string, string | number | boolean>;
  config: PartialConfig;
  steps_planned: number;
  /** Taken from `completed` rather than run. */
  resumed?: boolean;
}

export type TrialRunner = (spec: TrialSpec, context: { signal: AbortSignal }) => Promise<TrialResult>;

export interface SearchOptions {
  /** The config every trial starts from; its seed fixes the data for all trials. */
  base?: PartialConfig;
  space: SearchSpace;
  /** Default 'random'; grid uses floor(trials^(1/D)) levels per dimension, log-spaced on log ones. */
  method?: 'random' | 'grid';
  /** Trials per round (default 20). */
  trials?: number;
  /** Steps per trial (default 300). */
  steps?: number;
  /** Sampling seed (default 1). */
  seed?: number;
  /** Stop a trial whose loss exceeds factor × its initial loss (default {factor: 3}); false: never. */
  earlyStop?: { factor?: number } | false | null;
  /** Successive halving: every trial runs minSteps, the best 1/eta run eta times longer, … */
  halving?: { eta?: number; minSteps?: number };
  /** Coarse to fine: `rounds` more rounds, each in ranges shrunk around the `keep` best so far. */
  refine?: { rounds?: number; keep?: number };
  /** Average the k best trials' validation probabilities (1-D and 2-D data). */
  ensemble?: { k?: number };
  /** Trials run at a time (default 1); the results do not depend on it. */
  workers?: number;
  /** Run only trials with index % count === index - 1 (not with refine, halving or ensemble). */
  shard?: { index: number; count: number };
  /** Where trials run (default: runTrial, in this realm). */
  runTrial?: TrialRunner;
  /** Records of a previous run: a trial with the same index and hash is reused, not run. */
  completed?: TrialRecord[];
  curvePoints?: number;
}

export interface SearchRound {
  round: number;
  space: SearchSpace;
  trials: number;
  best: TrialRecord | null;
  /** Ranges widened because the best sat at their edge, e.g. 'train.lr (high)'. */
  widened: string[];
}

export interface SearchResults {
  /** Finished trials by index. */
  trials: TrialRecord[];
  best: TrialRecord | null;
  rounds: SearchRound[];
  /** The last round's space. */
  space: SearchSpace;
  ensemble: { members: number[]; val_acc: number | null; val_loss: number | null; reason?: string } | null;
  cancelled: boolean;
}

export interface SearchProgress { done: number; total: number; round: number; rung: number }

export interface SearchHandle {
  on(event: 'trial', listener: (trial: TrialRecord) => void): SearchHandle;
  on(event: 'progress', listener: (progress: SearchProgress) => void): SearchHandle;
  on(event: 'round', listener: (round: SearchRound) => void): SearchHandle;
  off(event: 'trial' | 'progress' | 'round', listener: (...args: any[]) => void): SearchHandle;
  pause(): void;
  resume(): void;
  /** Starts no new trial and drops the ones in flight; `results` keeps the finished ones. */
  cancel(): void;
  readonly paused: boolean;
  /** The finished trials so far, by index. */
  readonly trials: TrialRecord[];
  readonly results: Promise<SearchResults>;
}

/** Random or grid search; throws a SearchSpaceError naming a bad key at once. */
export function search(options: SearchOptions): SearchHandle;
/** Trains one trial in this realm (what search() uses unless given another runner). */
export function runTrial(spec: TrialSpec, context?: { signal?: AbortSignal; engineOptions?: EngineOptions }): Promise<TrialResult>;

export class SearchSpaceError extends Error {
  readonly name: 'SearchSpaceError';
  /** The config path the problem is about. */
  readonly path: string;
}
