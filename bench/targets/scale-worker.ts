// One step of bench/scale.bench.ts, in its own process so memory figures are its own. Prints one
// JSON line of results. Steps: `fill <dir> <n>`, `measure <dir> <n>`, `empty <dir>`.
import { Writable } from 'node:stream';
import { buildEndpoint } from '../../server/api/endpoint-config';
import { TransferThreads } from '../../server/replay/transfer-threads';
import { importFile, writeExport } from '../../server/replay/transfer';
import { LocalHub } from '../../server/stream/hub';
import { LowdbStore } from '../../server/store/lowdb-store';
import type { NewCapture } from '../../server/store/store';
import { parseQuery } from '../../shared/query';
import { SKIPPED_SCHEMA, SKIPPED_SIGNATURE } from '../../shared/verdicts';

const [step, dir, count] = process.argv.slice(2) as [string, string, string];
const N = Number(count ?? 0);
const T0 = Date.UTC(2026, 0, 1);
const EVENTS = ['message.read', 'message.delivered', 'message.sent', 'invoice.paid', 'invoice.created', 'push', 'pull_request.opened', 'order.created', 'order.paid', 'customer.updated'];
export const RARE_AT = 0.37; // where the one capture holding the rare body word sits

/** Capture i: ~1 KiB JSON body, an hour of time per 3,600 captures, a delivery id, a few repeating fields. */
function capture(i: number, n: number): NewCapture {
  const word = i === Math.floor(n * RARE_AT) ? 'quokka' : 'routine';
  const body = Buffer.from(JSON.stringify({ type: EVENTS[i % EVENTS.length], id: `evt_${i}`, data: { conversation: i % 5000, note: `${word} update ${i}`, pad: 'x'.repeat(850) } }));
  return {
    endpointId: 'big', receivedAt: T0 + i * 1000, method: i % 10 === 0 ? 'PUT' : 'POST', path: `/hooks/${i % 7}`, query: '', peer: `10.0.${i % 4}.1`,
    headers: [['Content-Type', 'application/json'], ['X-Kind', `k${i % 13}`], ['User-Agent', 'bench']], body, size: body.length, contentType: 'application/json',
    reply: { status: i % 50 === 0 ? 503 : 200 }, verdicts: { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA },
    deliveryId: `evt_${i}`, duplicateOf: null, eventType: EVENTS[i % EVENTS.length] as string,
  };
}

/** RSS once garbage is collected and V8 has had a moment to give back what it no longer uses. */
async function rss(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  gc?.();
  gc?.();
  return process.memoryUsage().rss;
}

/** CPU seconds (this process, all threads) since `from`: unlike wall time, barely moved by a loaded machine. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function timed(times: number, run: (k: number) => Promise<unknown>): Promise<{ p50: number; p99: number; matched?: number }> {
  const ms: number[] = [];
  let last: unknown;
  for (let k = 0; k < times; k++) {
    const started = performance.now();
    last = await run(k);
    ms.push(performance.now() - started);
  }
  // A list page's `matched`, when the store gave it (field terms alone, cheap to count).
  const matched = (last as { matched?: number } | undefined)?.matched;
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), ...(matched !== undefined && { matched }) };
}

async function fill(): Promise<object> {
  const store = await LowdbStore.open({ dir, warn: () => undefined });
  await store.createEndpoint(buildEndpoint('big', { retention: { maxCaptures: 1_000_000 } }, 0));
  const started = performance.now();
  // As ingest stores them: concurrent appends sharing group commits, 256 captures per segment.
  for (let at = 0; at < N; at += 500) {
    await Promise.all(Array.from({ length: Math.min(500, N - at) }, (_, k) => store.append(capture(at + k, N))));
  }
  const seconds = (performance.now() - started) / 1000;
  const filled = await rss();
  await store.close();
  return { seconds, rss: filled };
}

async function measure(): Promise<object> {
  const before = await rss();
  const opened = performance.now();
  const openCpu = process.cpuUsage();
  const store = await LowdbStore.open({ dir, warn: () => undefined });
  const restartMs = performance.now() - opened;
  const restartCpu = cpuSeconds(openCpu);
  const after = await rss();
  const firstPage = await timed(50, (k) => store.list('big', k % 2 ? { limit: 50 } : { limit: 50, before: undefined }));
  const q = (text: string) => parseQuery(text, T0 + N * 1000);
  const queries: Record<string, { p50: number; p99: number; matched?: number }> = {
    delivery: await timed(40, (k) => store.list('big', { limit: 50, query: q(`delivery:evt_${(k * 7919) % N}`) })),
    event: await timed(40, () => store.list('big', { limit: 50, query: q('event:invoice.*') })),
    method: await timed(40, () => store.list('big', { limit: 50, query: q('method:PUT status:5xx') })),
    'time range': await timed(40, (k) => {
      const from = new Date(T0 + ((k * 104729) % N) * 1000).toISOString();
      const to = new Date(T0 + (((k * 104729) % N) + 3600) * 1000).toISOString();
      return store.list('big', { limit: 50, query: q(`after:${from} before:${to}`) });
    }),
    header: await timed(5, () => store.list('big', { limit: 50, query: q('header:x-kind=k7 method:PUT') })),
    'body word (one match among all)': await timed(5, () => store.list('big', { limit: 50, query: q('quokka') })),
  };
  // Exports as the route makes them: pages made into text in worker threads; then on the main thread alone.
  const exports: Record<string, { wall: number; mainWall: number; mainCpu: number }> = {};
  const exportThreads = new TransferThreads();
  for (const format of ['jsonl', 'har'] as const) {
    const once = async (threads: TransferThreads | undefined) => {
      let bytes = 0;
      const sink = new Writable({ write(chunk: Buffer, _enc, done) { bytes += chunk.length; done(); } });
      const started = performance.now();
      const cpu = process.cpuUsage();
      await writeExport(sink, store, 'big', format, 'http://bench', '0', undefined, threads);
      return { wall: bytes / 1e6 / ((performance.now() - started) / 1000), cpu: bytes / 1e6 / cpuSeconds(cpu) };
    };
    const viaThreads = await once(exportThreads);
    const mainThread = await once(undefined);
    exports[format] = { wall: viaThreads.wall, mainWall: mainThread.wall, mainCpu: mainThread.cpu };
  }
  await exportThreads.close();
  const file = Buffer.from(Array.from({ length: 20_000 }, (_, i) => {
    const c = capture(i, 20_000);
    return JSON.stringify({ receivedAt: c.receivedAt, method: c.method, path: c.path, query: c.query, peer: c.peer, headers: c.headers, body: { encoding: 'utf8', data: c.body.toString() } });
  }).join('\n'));
  await store.createEndpoint(buildEndpoint('imports', { retention: { maxCaptures: 1_000_000 } }, 0));
  // As the import route runs it (importFile: previews, event types, search text, the stream):
  // through worker threads three times (the first starts them), then on the main thread alone.
  const hub = new LocalHub();
  const threads = new TransferThreads();
  const timedImport = async (via: TransferThreads, key: string) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const { imported } = await importFile({ store, hub, threads: via }, 'imports', file, 'jsonl', key);
    if (imported !== 20_000) throw new Error(`imported ${imported}`);
    return { wall: 20_000 / ((performance.now() - started) / 1000), mainCpu: 20_000 / cpuSeconds(cpu) };
  };
  const viaThreads = [];
  for (let k = 0; k < 3; k++) viaThreads.push(await timedImport(threads, `bench-${k}`));
  await threads.close();
  const mainThread = await timedImport(new TransferThreads({ minBytes: Number.POSITIVE_INFINITY }), 'bench-main');
  await store.close();
  return { restartMs, restartCpu, rssBefore: before, rssAfter: after, firstPage, queries, exports, importPerSecond: { viaThreads, mainThread } };
}

const result = step === 'fill' ? await fill() : step === 'measure' ? await measure() : { rss: await rss() };
console.log(JSON.stringify(result));
process.exit(0);
