#!/usr/bin/env node
// `npm start`: dependencies → wasm builds (SIMD and no-SIMD; no native build) → dist/ → serve it
// on http://127.0.0.1:8080/ (env PORT overrides).
import { join } from 'node:path';

import { build, repoRoot } from './build.mjs';
import { ensureDeps } from './ensure-deps.mjs';
import { startServer } from './serve.mjs';

try {
  ensureDeps();
  await build();
  const { url } = await startServer({ root: join(repoRoot, 'dist'), port: Number(process.env.PORT ?? 8080) });
  console.log(`\ntrainscope playground: ${url}\n(Ctrl+C to stop)`);
} catch (error) {
  console.error(`start: ${error.message}`);
  process.exit(1);
}
