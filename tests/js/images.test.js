// Image datasets through the JS API: Fashion-MNIST loaded from Debian's package (or a dataUrl
// folder), the official test split as validation, clear errors for missing files and impossible
// sizes; the procedural shapes set and channel preprocessing.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { ConfigError, createTrainer, validateConfig } from '../../bindings/js/index.js';

const SYSTEM = '/usr/share/datasets/fashion-mnist';
const scratch = mkdtempSync(join(tmpdir(), 'trainscope-images-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function withTrainer(config, use, options) {
  const trainer = await createTrainer(config, options);
  try {
    return await use(trainer);
  } finally {
    trainer.dispose();
  }
}

describe('fashion_mnist', () => {
  test('the first images of the files, 28×28 in [0, 1], labels as in the files', async () => {
    await withTrainer({ data: { dataset: 'fashion_mnist', samples: 50, val_fraction: 0.2, val_from: 'test' }, model: { hidden: [16] } }, (trainer) => {
      const { train, val } = trainer.data();
      assert.equal(train.count, 40);
      assert.equal(val.count, 10);
      assert.equal(train.dims, 784);
      // The test file's first ten labels (read with Python's gzip module): 9 2 1 1 6 1 4 6 5 7.
      assert.deepEqual(Array.from(val.y), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
      assert.ok(train.x.every((v) => v >= 0 && v <= 1));
      // The first test image's pixel sum (Python: 33,456).
      let sum = 0;
      for (let j = 0; j < 784; j++) sum += val.x[j];
      assert.ok(Math.abs(sum * 255 - 33456) < 0.5, `pixel sum ${sum * 255}`);
      assert.deepEqual(trainer.summary()[0].input, [1, 28, 28]);
      assert.equal(trainer.config.data.dims, 784);
    });
  });

  test('a dataUrl folder with the four files works; a missing one says where it looked', async () => {
    const folder = join(scratch, 'copy');
    cpSync(SYSTEM, folder, { recursive: true });
    await withTrainer({ data: { dataset: 'fashion_mnist', samples: 20 }, model: { hidden: [4] } },
      (trainer) => assert.equal(trainer.data().train.count, 16), { dataUrl: pathToFileURL(`${folder}/`) });
    await assert.rejects(createTrainer({ data: { dataset: 'fashion_mnist', samples: 20 } }, { dataUrl: join(scratch, 'nowhere') }),
      /the fashion_mnist images could not be read from .*nowhere.*train-images-idx3-ubyte\.gz: .*dataUrl/);
  });

  test('impossible sizes and val_from on other datasets are errors naming the field', async () => {
    // The page's subset (the build's dist/data/fashion-mnist: 12,000 + 2,000 images).
    const subset = new URL('../../dist/data/fashion-mnist/', import.meta.url);
    await assert.rejects(createTrainer({ data: { dataset: 'fashion_mnist', samples: 12001, val_fraction: 0 } }, { dataUrl: subset }),
      (error) => error instanceof ConfigError && error.problems[0].path === 'data.samples' && /training file has 12000 images here/.test(error.message));
    await assert.rejects(createTrainer({ data: { dataset: 'fashion_mnist', samples: 30000, val_fraction: 0.5, val_from: 'test' } }),
      (error) => error instanceof ConfigError && error.problems[0].path === 'data.val_fraction' && /test file has 10000 images/.test(error.message));
    assert.equal(validateConfig({ data: { val_from: 'test' } })[0].path, 'data.val_from');
    assert.equal(validateConfig({ data: { val_from: 'dev' } })[0].path, 'data.val_from');
    assert.equal(validateConfig({ data: { dataset: 'fashion_mnist', dims: 100 } })[0].path, 'data.dims');
    assert.equal(validateConfig({ data: { dataset: 'fashion_mnist', classes: 3 } })[0].path, 'data.classes');
  });
});

describe('shapes and image preprocessing', () => {
  test('shapes: 3×16×16 colour images, deterministic from the seed, classes 2–10', async () => {
    const config = { seed: 4, data: { dataset: 'shapes', classes: 5, samples: 60 }, model: { hidden: [8] } };
    const first = await withTrainer(config, (trainer) => trainer.data().train.x);
    const again = await withTrainer(config, (trainer) => trainer.data().train.x);
    const other = await withTrainer({ ...config, seed: 5 }, (trainer) => trainer.data().train.x);
    assert.equal(first.length, 48 * 768);
    assert.deepEqual(first, again);
    assert.notDeepEqual(first, other);
    assert.equal(validateConfig({ data: { dataset: 'shapes', classes: 11 } })[0].path, 'data.classes');
    assert.deepEqual(validateConfig({ data: { dataset: 'shapes', classes: 10 } }), []);
  });

  test('none, mean_image and channel_mean feed the network different inputs (same seed, same weights)', async () => {
    // The by-hand numbers are the engine's test (tests/engine/test_images.cpp); here: each name
    // reaches the engine and changes what the first layer sees, so the first loss differs.
    const firstLoss = (preprocess) => withTrainer(
      { data: { dataset: 'shapes', classes: 4, samples: 200, preprocess }, model: { hidden: [16] } },
      (trainer) => trainer.step(1).loss);
    const losses = await Promise.all(['none', 'mean_image', 'channel_mean'].map(firstLoss));
    assert.equal(new Set(losses).size, 3, `first losses ${losses}`);
  });
});
