// No leak: 1,000 trainers created and disposed, and 100,000 W1-sized steps in one trainer, leave
// the wasm heap where it was after warm-up (linear memory only grows, so any leak of a trainer's
// buffers or of per-step allocations would show up as growth).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createTrainer, loadEngine } from '../../bindings/js/index.js';

// BENCHMARKS.md's W1: spiral, 2 -> 100 -> 100 -> 3 ReLU, batch 64, plain SGD lr 0.01, N = 512.
const W1 = {
  data: { dataset: 'spiral', classes: 3, samples: 512, val_fraction: 0 },
  model: { hidden: [100, 100], activation: 'relu', init: 'he' },
  train: { optimizer: 'sgd', lr: 0.01, batch_size: 64 },
  diagnostics: { cadence: 10, history: 1024 },
};

describe('wasm heap', () => {
  test('creating and disposing 1,000 trainers does not grow it', async () => {
    const engine = await loadEngine();
    const cycle = async (count) => {
      for (let i = 0; i < count; i++) {
        const trainer = await createTrainer({ ...W1, seed: i });
        trainer.step(2);
        trainer.getParams();
        trainer.history();
        trainer.predictGrid(-1, 1, -1, 1, 8);
        trainer.dispose();
      }
    };
    await cycle(50);  // warm-up: the allocator's pools reach their working size
    const afterWarmUp = engine.heapBytes();
    await cycle(950);
    assert.equal(engine.heapBytes(), afterWarmUp, `heap grew from ${afterWarmUp} to ${engine.heapBytes()} bytes`);
  });

  test('100,000 W1 steps in one trainer: heap and history stay bounded', async () => {
    const engine = await loadEngine();
    const trainer = await createTrainer(W1);
    trainer.step(5000);
    const afterWarmUp = engine.heapBytes();
    const checkpoints = [];
    for (let done = 5000; done < 100_000; done += 5000) {
      trainer.step(5000);
      checkpoints.push(engine.heapBytes());
    }
    assert.equal(trainer.stepsDone, 100_000);
    const history = trainer.history();
    assert.ok(history.step.length <= 1024, `history holds ${history.step.length} points`);
    assert.ok(history.step[history.step.length - 1] > 90_000, 'recording continues to the end of the run');
    assert.ok(checkpoints.every((bytes) => bytes === afterWarmUp), `heap after warm-up ${afterWarmUp}, checkpoints ${checkpoints}`);
    assert.equal(trainer.status.state, 'ok');
    trainer.dispose();
  });
});
