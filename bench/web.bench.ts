// The inspector in Chromium with an endpoint holding 10,000 captures: time from navigation to a
// rendered list (target < 1 s), time until all 10,000 are loaded, and frame times while scrolling
// the whole list. Figures from one run on a shared machine; the browser runs without a GPU.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { loadConfig } from '../server/config';
import { startServer } from '../server/serve';
import { SKIPPED_SCHEMA } from '../shared/verdicts';

const TOKEN = 'bench-token-0123456789abcdef';
const CAPTURES = 10_000;
const LOADS = 5;
const WEB_BUILD = fileURLToPath(new URL('../dist/web/index.html', import.meta.url));
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const ms = (value: number) => `${value.toFixed(1)} ms`;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;

// In-page code is kept as text: tsx (esbuild keepNames) would wrap compiled functions in a
// `__name` helper that does not exist in the page.

/** In the page: when the first row and the full list were rendered (ms since navigation start). */
const RECORD_RENDER_TIMES = `(() => {
  const total = ${CAPTURES};
  const check = () => {
    const list = document.querySelector('[role="listbox"]');
    if (window.__firstRow === undefined && list && list.querySelector('[role="option"]')) window.__firstRow = performance.now();
    const row = list && list.querySelector('[role="option"]');
    if (window.__allRows === undefined && row && list.scrollHeight >= total * row.offsetHeight) window.__allRows = performance.now();
  };
  const observer = new MutationObserver(() => {
    check();
    if (window.__allRows !== undefined) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['style'] });
})()`;

/** In the page: scrolls the list top to bottom, `step` px per frame; resolves to each frame's duration (ms). */
const SCROLL_FRAMES = `(step) => {
  const list = document.querySelector('[role="listbox"]');
  list.scrollTop = 0;
  return new Promise((resolve) => {
    const frames = [];
    let last = performance.now();
    const tick = (now) => {
      frames.push(now - last);
      last = now;
      list.scrollTop += step;
      if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) resolve(frames.slice(1));
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}`;

export default async function (): Promise<void> {
  if (!existsSync('/usr/bin/chromium')) throw new Error('Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)');
  if (!existsSync(WEB_BUILD)) throw new Error('the inspector is not built: run `npm run build` first');
  const data = await mkdtemp(join(tmpdir(), 'hookscope-web-bench-'));
  const server = await startServer({ config: { ...loadConfig([], {}), port: 0, host: '127.0.0.1', data, token: TOKEN, quiet: true } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  try {
    const endpoint = await server.store.getEndpoint('default');
    if (!endpoint) throw new Error('the default endpoint is missing');
    await server.store.updateEndpoint({ ...endpoint, retention: { maxCaptures: CAPTURES } });
    const fillStart = performance.now();
    const body = Buffer.from(JSON.stringify({ event: 'order.created', data: { id: 1, items: [{ sku: 'A-1', qty: 2 }] } }));
    for (let i = 0; i < CAPTURES; i += 1) {
      await server.store.append({
        endpointId: 'default', receivedAt: Date.now(), method: i % 7 === 0 ? 'GET' : 'POST', path: `/orders/${i}`, query: i % 3 === 0 ? 'retry=1' : '',
        peer: '127.0.0.1', headers: [['Content-Type', 'application/json'], ['User-Agent', 'bench']], body, size: body.length, contentType: 'application/json',
        reply: { status: 200 }, verdicts: { signature: { status: i % 5 === 0 ? 'invalid' : 'valid', scheme: 'hmac:github', reason: 'bench' }, schema: SKIPPED_SCHEMA },
        deliveryId: `d-${i}`, duplicateOf: null, eventType: null,
      });
    }
    console.log(`filled ${CAPTURES.toLocaleString()} captures through Store.append in ${ms(performance.now() - fillStart)}`);

    const firstRow: number[] = [];
    const allRows: number[] = [];
    for (let run = 0; run < LOADS; run += 1) {
      // bypassCSP lets the measuring code be evaluated from strings; the app itself is unchanged.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
      const page = await context.newPage();
      await page.addInitScript({ content: RECORD_RENDER_TIMES });
      await page.goto(`${server.url}/#token=${TOKEN}`);
      await page.waitForFunction('window.__allRows !== undefined', undefined, { timeout: 60_000 });
      const marks = (await page.evaluate('({ first: window.__firstRow, all: window.__allRows })')) as { first: number; all: number };
      firstRow.push(marks.first);
      allRows.push(marks.all);
      if (run < LOADS - 1) await context.close();
      else {
        const wheel = (await page.evaluate(`(${SCROLL_FRAMES})(120)`)) as number[];
        const frames = (await page.evaluate(`(${SCROLL_FRAMES})(600)`)) as number[];
        const janky = (list: number[]) => list.filter((f) => f > 25).length;
        console.log(`navigation → first rows rendered (${LOADS} cold loads): median ${ms(percentile(firstRow, 50))}, max ${ms(Math.max(...firstRow))} (target < 1000 ms)`);
        console.log(`navigation → all ${CAPTURES.toLocaleString()} rows loaded in the list: median ${ms(percentile(allRows, 50))}, max ${ms(Math.max(...allRows))}`);
        for (const [label, list] of [['120 px per frame (wheel speed)', wheel], ['600 px per frame (fling)', frames]] as const) {
          console.log(`scroll through ${CAPTURES.toLocaleString()} rows, ${label}, ${list.length} frames: mean ${ms(list.reduce((a, b) => a + b, 0) / list.length)}, p50 ${ms(percentile(list, 50))}, p95 ${ms(percentile(list, 95))}, p99 ${ms(percentile(list, 99))}, max ${ms(Math.max(...list))}; frames over 25 ms: ${janky(list)}`);
        }
        const rows = await page.locator('[role="option"]').count();
        console.log(`rows in the DOM while scrolling: ${rows} (virtualized)`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
    await rm(data, { recursive: true, force: true });
  }
}
