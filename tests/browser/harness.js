// Shared setup for the browser tests: Debian's Chromium driven by playwright-core with a fresh
// profile (flags from TOOLCHAIN.md: without the background-networking ones Chromium keeps
// calling hosts this network refuses), the site served from dist/ on a free port, console
// error collection, and the screenshot folder.
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/serve.mjs';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const outputDir = join(repoRoot, 'test-output');
// `npm test` assembles dist/ before the browser suite; TRAINSCOPE_SITE points elsewhere if needed.
export const siteRoot = process.env.TRAINSCOPE_SITE ?? join(repoRoot, 'dist');

// Debian's Chromium; TRAINSCOPE_CHROMIUM points elsewhere (or at a missing file, to check that
// `npm test` reports the skipped browser tests and fails).
export const chromiumPath = process.env.TRAINSCOPE_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Why the browser suite cannot run here, or '' when it can. */
export function missingPrerequisite() {
  if (!existsSync(chromiumPath)) return `${chromiumPath} is not installed (node scripts/ensure-deps.mjs installs it)`;
  if (!existsSync(join(siteRoot, 'index.html'))) return `${siteRoot}/index.html is missing: run npm run build`;
  if (!existsSync(join(siteRoot, 'js', 'index.js'))) return `${siteRoot}/js/index.js is missing: run npm run build`;
  return '';
}

/** Starts the server and the browser; returns {url, context, newPage(), close()}. */
export async function startSession({ viewport = { width: 1440, height: 900 } } = {}) {
  const { server, url } = await startServer({ root: siteRoot, port: 0 });
  const profile = mkdtempSync(join(tmpdir(), 'trainscope-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
  });
  mkdirSync(outputDir, { recursive: true });
  return {
    url,
    context,
    /** A page that records console errors, page errors and dialogs (an alert() would be a script injection). */
    async newPage() {
      const page = await context.newPage();
      page.consoleErrors = [];
      page.dialogs = [];
      page.on('console', (message) => {
        if (message.type() === 'error') page.consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => page.consoleErrors.push(`pageerror: ${error.message}`));
      page.on('dialog', async (dialog) => {
        page.dialogs.push(dialog.message());
        await dialog.dismiss();
      });
      return page;
    },
    async close() {
      await context.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Generous: progress is awaited, never timed. */
export const PROGRESS_TIMEOUT = 120_000;

/** Waits until the playground's test hook reports that the engine answered and a run is ready. */
export async function waitForReady(page) {
  await page.waitForFunction(() => globalThis.trainscope?.getState().run >= 0, null, { timeout: PROGRESS_TIMEOUT });
}

export const state = (page) => page.evaluate(() => globalThis.trainscope.getState());

/** Waits until the step counter passes `step`. */
export async function waitForStep(page, step) {
  await page.waitForFunction((target) => (globalThis.trainscope.getState().step ?? 0) > target, step, { timeout: PROGRESS_TIMEOUT, polling: 100 });
  return state(page);
}

/**
 * One session per test file: registers the before/after hooks and returns `{skip, session}`
 * (`skip` is the reason the suite cannot run here, or false; `session` is set once started).
 */
export function useSession(options) {
  const skip = missingPrerequisite() || false; // '' would still mark the tests skipped
  const handle = { skip, session: null };
  before(async () => {
    if (!skip) handle.session = await startSession(options);
  });
  after(async () => {
    await handle.session?.close();
  });
  return handle;
}

/** How long opening a page may take before the test fails (a stuck Chromium fails one test, not the suite). */
export const OPEN_DEADLINE = 60_000;

/** `promise`, or a rejection naming `what` once `ms` have passed. */
export function withDeadline(promise, ms, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * A new page on `session` at `path` + `hash`, once the playground is ready (pass `ready: false`
 * for pages without one; `viewport` resizes the page first). newPage and goto have deadlines, so
 * a stuck browser fails this test.
 */
export async function openPlayground(session, hash = '', { path = 'index.html', ready = true, viewport = null } = {}) {
  const page = await withDeadline(session.newPage(), OPEN_DEADLINE, 'newPage');
  if (viewport) await page.setViewportSize(viewport);
  await withDeadline(page.goto(`${session.url}${path}${hash}`, { timeout: OPEN_DEADLINE }), OPEN_DEADLINE + 5_000, `goto ${path}${hash}`);
  if (ready) await waitForReady(page);
  return page;
}

/**
 * Page time (ms) at which the toolbar first shows a step > `step`: {time, step}. Checked once per
 * animation frame, with a deadline in the page and one around the call.
 */
export function stepTime(page, step, deadline = PROGRESS_TIMEOUT) {
  const inPage = page.evaluate(([target, ms]) => new Promise((resolve, reject) => {
    const started = performance.now();
    const check = () => {
      const current = globalThis.trainscope.getState().step ?? 0;
      if (current > target) resolve({ time: performance.now(), step: current });
      else if (performance.now() - started > ms) reject(new Error(`step stayed at ${current} (waiting for > ${target})`));
      else requestAnimationFrame(check);
    };
    check();
  }), [step, deadline]);
  return withDeadline(inPage, deadline + 5_000, `stepTime(${step})`);
}
