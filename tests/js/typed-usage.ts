// Type-checked (tsc --noEmit, tests/js/typescript.test.js) against bindings/trainscope.d.ts through
// the package's own name, as a user's TypeScript project would import it. Never executed.
// The @ts-expect-error lines prove the declarations reject misuse (tsc fails if they do not).
import {
  ConfigError, Trainer, createTrainer, defaults, getPreset, loadEngine, presets, validateConfig, search,
  type Config, type History, type LayerStats, type Problem, type StepMetrics, type TrainerJSON,
} from 'trainscope';

export async function typedUsage(): Promise<number> {
  const engine = await loadEngine({ simd: false });
  const heap: number = engine.heapBytes();
  const simd: boolean = engine.simd;

  const problems: Problem[] = validateConfig({ train: { lr: -1 } });
  const first: string | undefined = problems[0]?.path;

  const trainer = await createTrainer({
    seed: 7,
    data: { dataset: 'spiral', samples: 200 },
    model: { hidden: [50, 50], activation: 'tanh', init: 'xavier', norm: 'batch', dropout: 0.1 },
    train: { optimizer: 'adam', lr: 1e-3, batch_size: 16, schedule: 'cosine' },
    diagnostics: { cadence: 5 },
  });
  const metrics: StepMetrics = trainer.step(10);
  const history: History = trainer.history();
  const deadInFirstLayer: Float64Array = history.dead_fraction[0];
  const newRows: History = trainer.history({ since: history.step[history.step.length - 1] });
  const thinned: boolean = newRows.version !== history.version;
  const firstLayerName: string = newRows.layers[0];
  const latestCounts: Float64Array = newRows.histograms.layers[0].act.hist;
  const stats: LayerStats[] = trainer.layerStats();
  const histogram: number[] = stats[0].act.hist;
  const evaluation = trainer.evaluate();
  const accuracy: number = evaluation.val.acc;
  const grid: Float32Array = trainer.predictGrid(-1, 1, -1, 1, 32);
  const outputs: number = trainer.outputs;
  const points: Float32Array = trainer.data().train.x;
  trainer.set({ train: { lr: 1e-4, l2: 1e-3 }, model: { dropout: 0.2 } });
  // @ts-expect-error structural keys are not live
  trainer.set({ model: { hidden: [10] } });
  trainer.reset(3);
  const params = trainer.getParams();
  const shape: [number, number] = params[0].shape;
  trainer.setParams([{ name: params[0].name, values: params[0].values }]);
  const json: TrainerJSON = trainer.toJSON();
  const copy: Trainer = await Trainer.fromJSON(JSON.stringify(json));
  const state: 'ok' | 'diverged' = copy.status.state;
  const config: Config = copy.config;
  copy.dispose();
  trainer.dispose();

  const custom = await createTrainer({
    data: { dataset: 'custom', x: [[0, 1], [1, 0]], y: [0, 1], val_fraction: 0 },
  });
  custom.dispose();
  const flat = await createTrainer({
    data: { dataset: 'custom', x: new Float32Array([0, 1, 1, 0]), dims: 2, y: new Float32Array([0, 1]), val_fraction: 0 },
  });
  flat.dispose();

  // @ts-expect-error unknown optimizer name
  await createTrainer({ train: { optimizer: 'adamx' } });
  // @ts-expect-error unknown key
  await createTrainer({ train: { learning_rate: 0.1 } });
  // @ts-expect-error lr is a number, not a string
  await createTrainer({ train: { lr: '0.1' } });
  // @ts-expect-error Trainer has no public constructor
  new Trainer();

  try {
    await createTrainer({ train: { lr: 0 } });
  } catch (error) {
    if (error instanceof ConfigError) console.log(error.problems.map((problem) => problem.message));
  }

  const lr: number = defaults.train.lr;
  const presetName: string = presets[0].name;
  const preset = presets.byName('he-relu');
  const explain: string | undefined = preset?.explain;
  const fromPreset = await createTrainer(getPreset('dead-relu').config);
  fromPreset.dispose();

  const searched = await search({ base: { model: { hidden: [8] } }, space: { 'train.lr': { log: [1e-3, 1] } }, trials: 2, steps: 5 })
    .on('trial', (trial) => console.log(trial.status, trial.params['train.lr']))
    .results;
  const bestAcc: number | null = searched.best?.val_acc ?? null;
  // @ts-expect-error method is random or grid
  search({ space: {}, method: 'bayes' });
  // @ts-expect-error a dimension is log, uniform or choice
  search({ space: { 'train.lr': { between: [1, 2] } } });

  return heap + Number(simd) + (first?.length ?? 0) + metrics.loss + deadInFirstLayer.length + histogram.length +
    accuracy + grid.length + outputs + points.length + shape[0] + Number(state === 'ok') + config.seed + lr +
    presetName.length + (explain?.length ?? 0) + (bestAcc ?? 0) + Number(thinned) + firstLayerName.length + latestCounts.length;
}
