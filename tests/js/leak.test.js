// No leak: 1,000 trainers created and disposed, and 100,000 W1-sized steps in one trainer, leave
// the bytes in use by the engine's allocator (mallinfo().uordblks, exact to the byte) where they
// were after warm-up. The size of linear memory is checked too, but it grows in large chunks and
// would hide a small leak.
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
    await cycle(50);  // warm-up: the engine's one-time allocations (registries, static tables) are made
    const afterWarmUp = engine.heapBytes();
    const inUse = engine.allocatedBytes();
    await cycle(950);
    assert.equal(engine.allocatedBytes(), inUse, `bytes in use grew from ${inUse} to ${engine.allocatedBytes()}`);
    assert.equal(engine.heapBytes(), afterWarmUp, `heap grew from ${afterWarmUp} to ${engine.heapBytes()} bytes`);
  });

  test('100,000 W1 steps in one trainer: heap and history stay bounded', async () => {
    const engine = await loadEngine();
    const trainer = await createTrainer(W1);
    trainer.step(1000);
    const afterWarmUp = engine.heapBytes();
    const inUse = engine.allocatedBytes();
    const checkpoints = [];
    for (let done = 1000; done < 100_000; done += 3300) {
      trainer.step(Math.min(3300, 100_000 - done));
      checkpoints.push(engine.allocatedBytes());
    }
    assert.equal(trainer.stepsDone, 100_000);
    const history = trainer.history();
    assert.ok(history.step.length <= 1024, `history holds ${history.step.length} points`);
    assert.ok(history.step[history.step.length - 1] > 90_000, 'recording continues to the end of the run');
    assert.ok(checkpoints.every((bytes) => bytes === inUse), `bytes in use after step 1,000: ${inUse}; checkpoints ${checkpoints}`);
    assert.equal(engine.heapBytes(), afterWarmUp, 'linear memory did not grow');
    assert.equal(trainer.status.state, 'ok');
    trainer.dispose();
  });
});
