// Headless Chromium measurements (Debian's /usr/bin/chromium through playwright-core):
//  - navigation → first finished training step of the served page, and the bytes of its first
//    load (every response until then, gzip -9 each);
//  - W1/W3 steps/s of the same protocol as node, inside a module worker page
//    (bench/chromium/worker-bench.html).
//
// The first finished step is the moment the page receives the first step's history rows from its
// training worker (web/app/worker.js posts {type: 'history'} after each time slice; the rows of
// the step-0 snapshot before training do not count): an init
// script observes messages of every Worker the page creates and sets
// performance.mark('trainscope:first-step') then (unless the page set that mark itself). The
// mark's startTime counts from navigation start. The page is opened with #autoplay=1. Each load
// uses a fresh profile, i.e. a cold HTTP and code cache: a first visit.
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { gzipBytes } from './sizes.mjs';

export const FIRST_STEP_MARK = 'trainscope:first-step';

// Runs in the page before its own scripts; only observes (listeners added first, so the mark is
// set before the page handles the message). Also marks the first message of every other type
// ('trainscope:worker-hello', '…-ready', …) for a breakdown of where the time goes.
function observeFirstStep(mark) {
  const NativeWorker = window.Worker;
  if (!NativeWorker) return;
  window.Worker = class ObservedWorker extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const type = event.data?.type;
        if (typeof type !== 'string') return;
        const typeMark = `trainscope:worker-${type}`;
        if (performance.getEntriesByName(typeMark).length === 0) performance.mark(typeMark);
        // The first history rows of a trained step (step ≥ 1; the step-0 snapshot does not count).
        const steps = type === 'history' ? event.data.history?.step : null;
        const trained = steps && Array.prototype.some.call(steps, (step) => step >= 1);
        if (trained && performance.getEntriesByName(mark).length === 0) performance.mark(mark);
      });
    }
  };
}

// Where the time to the first step goes: navigation milestones, the engine download, and the
// first message of each type from the worker (ms from navigation start).
function collectBreakdown() {
  const breakdown = {};
  const [navigation] = performance.getEntriesByType('navigation');
  if (navigation) {
    breakdown.responseEnd = navigation.responseEnd;
    breakdown.domContentLoaded = navigation.domContentLoadedEventEnd;
    breakdown.load = navigation.loadEventEnd;
  }
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  if (paint) breakdown.firstContentfulPaint = paint.startTime;
  for (const entry of performance.getEntriesByType('mark')) {
    if (entry.name.startsWith('trainscope:')) breakdown[entry.name.slice('trainscope:'.length)] = entry.startTime;
  }
  return breakdown;
}

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

// TOOLCHAIN.md: without the background-networking flags Chromium keeps dialling hosts this
// network refuses.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A static file server over `root` on 127.0.0.1 (uncompressed; no caching). */
export function startStaticServer(root) {
  const rootDir = path.resolve(root);
  const server = createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    let file = path.resolve(rootDir, '.' + urlPath);
    if (file !== rootDir && !file.startsWith(rootDir + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, {
      'Content-Type': MIME_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

async function withBrowser(callback) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'trainscope-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    return await callback(context);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * One cold load of `pageUrl`: milliseconds from navigation start to the first-step mark, and the
 * responses received until then.
 */
export async function measureFirstStep(pageUrl, { timeoutMs = 30000 } = {}) {
  return withBrowser(async (context) => {
    await context.addInitScript(observeFirstStep, FIRST_STEP_MARK);
    const page = context.pages()[0] ?? (await context.newPage());
    const responses = [];
    page.on('response', (response) => responses.push(response));
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(pageUrl, { waitUntil: 'load' });
    try {
      await page.waitForFunction(
        (mark) => performance.getEntriesByName(mark).length > 0,
        FIRST_STEP_MARK,
        { timeout: timeoutMs, polling: 10 },
      );
    } catch {
      throw new Error(
        `no performance.mark('${FIRST_STEP_MARK}') within ${timeoutMs} ms on ${pageUrl}` +
          (pageErrors.length ? ` (page errors: ${pageErrors.join('; ')})` : ''),
      );
    }
    const navigationToFirstStepMs = await page.evaluate(
      (mark) => performance.getEntriesByName(mark)[0].startTime,
      FIRST_STEP_MARK,
    );
    const breakdown = await page.evaluate(collectBreakdown);
    const requests = [];
    for (const response of responses) {
      if (response.status() !== 200) continue;
      const body = await response.body().catch(() => null);
      if (!body) continue;
      requests.push({ url: new URL(response.url()).pathname, bytes: body.length, gzipBytes: gzipBytes(body) });
    }
    return {
      navigationToFirstStepMs,
      breakdown,
      requests,
      firstLoadBytes: requests.reduce((sum, entry) => sum + entry.bytes, 0),
      firstLoadGzipBytes: requests.reduce((sum, entry) => sum + entry.gzipBytes, 0),
    };
  });
}

/**
 * The BENCHMARKS protocol for one workload in a module worker (fresh browser, fresh worker).
 * `baseUrl` serves the repository root (bench/, bindings/ and the engine build).
 */
export async function measureWorker(baseUrl, { workload, warmup, time, timeoutMs = 300000 }) {
  return withBrowser(async (context) => {
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    const query = new URLSearchParams({ workload, warmup: String(warmup), time: String(time) });
    await page.goto(`${baseUrl}/bench/chromium/worker-bench.html?${query}`);
    try {
      await page.waitForFunction(() => window.benchResult !== undefined, null, { timeout: timeoutMs, polling: 100 });
    } catch {
      return { error: `the worker page reported nothing within ${timeoutMs} ms; ${pageErrors.join('; ')}` };
    }
    return page.evaluate(() => window.benchResult);
  });
}
