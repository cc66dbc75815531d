import { startStaticServer } from '/work/main/bench/chromium.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
const root = process.argv[2] || '/work/main/dist';
const site = await startStaticServer(root);
const { chromium } = await import('playwright-core');
for (let i = 0; i < +(process.argv[3] || 2); i++) {
  const profile = mkdtempSync('/tmp/probe/p-');
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  await context.addInitScript(() => {
    window.__log = [];
    const log = (what) => window.__log.push([performance.now(), what]);
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(...args) { log('new Worker ' + String(args[0]).split('/').pop()); super(...args);
        this.addEventListener('message', (e) => { const t = e.data?.type; if (t && t !== 'history' || (t === 'history' && Array.prototype.some.call(e.data.history?.step ?? [], (s) => s >= 1))) log('<- ' + t); });
      }
      postMessage(m, ...r) { log('-> ' + (m?.type ?? m?.kind ?? JSON.stringify(m).slice(0, 40))); return super.postMessage(m, ...r); }
    };
    document.addEventListener('DOMContentLoaded', () => log('DCL'));
  });
  const page = context.pages()[0] ?? await context.newPage();
  const reqs = []; const tlog = [];
  page.on('console', (m) => { const t = m.text(); if (t.startsWith('T ')) tlog.push(t); });
  page.on('requestfinished', (r) => reqs.push(r));
  await page.goto(`${site.url}/#autoplay=1`);
  await page.waitForFunction(() => window.__log.some(([, w]) => w === '<- history'), null, { timeout: 30000, polling: 10 });
  const { log, origin } = await page.evaluate(() => ({ log: window.__log, origin: performance.timeOrigin }));
  const events = log.map(([t, w]) => [t, w]);
  for (const r of reqs) { const tm = r.timing(); events.push([tm.startTime - origin, 'req ' + new URL(r.url()).pathname + ' ' + (tm.responseEnd >= 0 ? '(' + tm.responseEnd.toFixed(0) + ' ms)' : '')]); }
  for (const t of tlog) { const [, at, ...w] = t.split(' '); events.push([+at - origin, 'W ' + w.join(' ')]); }
  events.sort((a, b) => a[0] - b[0]); const firstStep = events.find(([, w]) => w === '<- history')[0];
  console.log('--- load', i);
  for (const [t, w] of events) if (t < firstStep + 1) console.log(t.toFixed(0).padStart(6), w);
  await context.close(); rmSync(profile, { recursive: true, force: true });
}
process.exit(0);
