// The generated schema is the engine's: schema.generated.js equals what the built engine emits; the
// .d.ts unions list exactly the engine's names; every enumerated value builds a trainer; every
// out-of-range value is refused by validateConfig AND by the engine with the same field path; the
// JS memory estimate equals the engine's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { createTrainer, estimateMemoryBytes, validateConfig, withDefaults } from '../../bindings/js/index.js';
import { loadEngineModule } from '../../bindings/js/loader.js';
import { engineSchema } from '../../bindings/js/schema.generated.js';
import { GENERATED_SCHEMA, generatedSchemaSource } from '../../scripts/build.mjs';

const { module: engine } = await loadEngineModule();

// The engine's own verdict on a config: '' or "path: message".
const engineRefusal = (config) => engine.validateConfigJson(JSON.stringify(config));
const configAt = (path, value) => {
  const parts = path.split('.');
  return parts.length === 1 ? { [path]: value } : { [parts[0]]: { [parts[1]]: value } };
};
// A small, fast base so that every built trainer is cheap.
const small = { data: { samples: 40 }, model: { hidden: [8] }, diagnostics: { probe_size: 16, history: 64 } };
const merged = (a, b) => {
  const out = structuredClone(a);
  for (const [group, value] of Object.entries(b)) {
    out[group] = typeof value === 'object' && !Array.isArray(value) ? { ...(out[group] ?? {}), ...value } : value;
  }
  return out;
};

describe('generated schema', () => {
  test('bindings/js/schema.generated.js is what the built engine emits', () => {
    const committed = readFileSync(GENERATED_SCHEMA, 'utf8');
    assert.equal(committed, generatedSchemaSource(engine.schemaJson()),
      'the engine table changed: run `npm run build` and commit bindings/js/schema.generated.js');
  });

  test('every union of enumerated values in trainscope.d.ts lists exactly the engine\'s names', () => {
    const declarations = readFileSync(new URL('../../bindings/trainscope.d.ts', import.meta.url), 'utf8');
    const unionOf = (typeName) => {
      const match = new RegExp(`export type ${typeName} =([^;]*);`).exec(declarations);
      assert.ok(match, `trainscope.d.ts declares ${typeName}`);
      return [...match[1].matchAll(/'([^']*)'/g)].map((m) => m[1]);
    };
    const unions = {
      'data.dataset': 'Dataset', 'data.preprocess': 'Preprocess', 'data.val_from': 'ValFrom', 'model.activation': 'Activation',
      'model.init': 'Initializer', 'model.norm': 'Norm', 'model.norm_position': 'NormPosition',
      'train.optimizer': 'Optimizer', 'train.schedule': 'Schedule', 'train.loss': 'Loss',
    };
    const enumPaths = engineSchema.fields.filter((field) => field.kind === 'enum').map((field) => field.path);
    assert.deepEqual(enumPaths.sort(), Object.keys(unions).sort(), 'every enumerated key has a union in the .d.ts');
    for (const [path, typeName] of Object.entries(unions)) {
      const names = engineSchema.fields.find((field) => field.path === path).values.map((value) => value.name);
      assert.deepEqual(unionOf(typeName).sort(), [...names].sort(), `${typeName} (${path})`);
    }
  });
});

describe('the schema and the engine agree', () => {
  test('every enumerated value builds a trainer', async () => {
    // Values that need a partner setting to be valid.
    const partners = {
      'data.dataset': { regression: { train: { loss: 'mse' }, data: { dims: 1 } }, custom: { data: { x: [[0, 1], [1, 0], [1, 1], [0, 0]], y: [0, 1, 1, 0] } } },
      'data.val_from': { test: { data: { dataset: 'fashion_mnist' } } },
      'train.loss': {},
    };
    let built = 0;
    for (const field of engineSchema.fields.filter((entry) => entry.kind === 'enum')) {
      for (const { name } of field.values) {
        const config = merged(merged(small, configAt(field.path, name)), partners[field.path]?.[name] ?? {});
        if (field.path === 'data.dataset' && name === 'custom') delete config.data.samples;
        if (field.path === 'model.norm' && name === 'instance') {  // per channel: conv layers only
          config.data = { ...config.data, dataset: 'shapes' };
          config.model = { norm: 'instance', layers: [{ type: 'conv', filters: 2, size: 3 }] };
        }
        assert.deepEqual(validateConfig(config), [], `${field.path} = ${name}`);
        const trainer = await createTrainer(config);
        trainer.step(2);
        trainer.dispose();
        built += 1;
      }
    }
    assert.ok(built >= 40, `built ${built} trainers`);
  });

  test('every out-of-range value is refused by validateConfig and the engine with the same path', () => {
    let checked = 0;
    for (const field of engineSchema.fields) {
      if (!['number', 'integer', 'widths'].includes(field.kind)) continue;
      const bad = [];
      const step = field.kind === 'number' ? 1e-9 * Math.max(1, Math.abs(field.min ?? 1)) : 1;
      if (field.min !== undefined) bad.push(field.minExclusive ? field.min : field.min - step);
      if (field.max !== undefined && field.max < 1e9) bad.push(field.maxExclusive ? field.max : field.max + step);
      for (const value of bad) {
        const leaf = field.kind === 'widths' ? [value] : value;
        const path = field.kind === 'widths' ? `${field.path}[0]` : field.path;
        const config = configAt(field.path, leaf);
        const problems = validateConfig(config);
        assert.ok(problems.length > 0, `validateConfig accepts ${field.path} = ${JSON.stringify(leaf)}`);
        assert.equal(problems[0].path, path, `validateConfig: ${JSON.stringify(problems[0])}`);
        const refusal = engineRefusal(config);
        assert.ok(refusal.startsWith(`${path}: `), `engine on ${field.path} = ${JSON.stringify(leaf)}: "${refusal}"`);
        checked += 1;
      }
    }
    assert.ok(checked >= 40, `checked ${checked} values`);
  });

  test('an unknown enumerated value is refused by both, naming the key', () => {
    for (const field of engineSchema.fields.filter((entry) => entry.kind === 'enum')) {
      const config = configAt(field.path, 'no_such_value');
      assert.equal(validateConfig(config)[0]?.path, field.path);
      assert.match(engineRefusal(config), new RegExp(`^${field.path.replace('.', '\\.')}: unknown value 'no_such_value'`));
    }
  });

  test('the JS memory estimate equals the engine\'s', () => {
    const configs = [
      {},
      { model: { hidden: [500, 500, 500], activation: 'maxout', norm: 'batch' } },
      { model: { hidden: [64, 32], activation: 'prelu', norm: 'group', groups: 8 }, train: { batch_size: 7 } },
      { data: { dataset: 'gaussian_cloud', dims: 300, samples: 1000, preprocess: 'whiten' }, diagnostics: { history: 100000 } },
      { data: { dataset: 'regression', dims: 2 }, train: { loss: 'mse' }, model: { hidden: [] } },
      { data: { dataset: 'moons', val_fraction: 0.5 }, diagnostics: { probe_size: 10 } },
    ];
    for (const config of configs) {
      const js = estimateMemoryBytes(withDefaults(config)).total;
      const native = engine.estimateMemoryBytes(JSON.stringify(withDefaults(config)));
      assert.ok(Math.abs(js - native) <= 1, `${JSON.stringify(config)}: JS ${js} vs engine ${native}`);
    }
  });
});
