// The import step of bench/targets/scale-worker.ts alone, on an empty store: parses a 20,000-line
// JSONL file of ~1 KiB JSON captures and imports it as the HTTP route does (previews, stream
// publish). Prints one JSON line: captures/s for parsing alone, the store alone, and the whole.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEndpoint } from '../../server/api/endpoint-config';
import { importCaptures, parseImport } from '../../server/replay/transfer';
import { LowdbStore } from '../../server/store/lowdb-store';
import { LocalHub } from '../../server/stream/hub';

const N = Number(process.argv[2] ?? 20_000);
const EVENTS = ['message.read', 'message.delivered', 'message.sent', 'invoice.paid', 'invoice.created', 'push', 'pull_request.opened', 'order.created', 'order.paid', 'customer.updated'];

/** Line i as scale-worker writes it: no verdicts, delivery id or event type (another tool's file). */
function line(i: number): string {
  const body = JSON.stringify({ type: EVENTS[i % EVENTS.length], id: `evt_${i}`, data: { conversation: i % 5000, note: `routine update ${i}`, pad: 'x'.repeat(850) } });
  const headers = [['Content-Type', 'application/json'], ['X-Kind', `k${i % 13}`], ['User-Agent', 'bench']];
  return JSON.stringify({ receivedAt: Date.UTC(2026, 0, 1) + i * 1000, method: i % 10 === 0 ? 'PUT' : 'POST', path: `/hooks/${i % 7}`, query: '', peer: `10.0.${i % 4}.1`, headers, body: { encoding: 'utf8', data: body } });
}

const file = Buffer.from(Array.from({ length: N }, (_, i) => line(i)).join('\n'));
const dir = await mkdtemp(join(tmpdir(), 'hookscope-import-'));
const store = await LowdbStore.open({ dir, warn: () => undefined });
await store.createEndpoint(buildEndpoint('imports', { retention: { maxCaptures: 1_000_000 } }, 0));
const hub = new LocalHub();
const rates: Record<string, number> = {};
for (const round of [1, 2]) {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const captures = parseImport(file, 'jsonl', 'imports');
  const parsed = performance.now();
  const cpu1 = process.cpuUsage();
  await importCaptures({ store, hub }, 'imports', captures, `bench-${round}`);
  const done = performance.now();
  const cpu2 = process.cpuUsage();
  const seconds = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => (b.user + b.system - a.user - a.system) / 1e6;
  rates[`parseCpu${round}`] = N / seconds(cpu0, cpu1);
  rates[`importCapturesCpu${round}`] = N / seconds(cpu1, cpu2);
  rates[`wholeCpu${round}`] = N / seconds(cpu0, cpu2);
  rates[`parse${round}`] = N / ((parsed - started) / 1000);
  rates[`importCaptures${round}`] = N / ((done - parsed) / 1000);
  rates[`whole${round}`] = N / ((done - started) / 1000);
}
await store.close();
await rm(dir, { recursive: true, force: true });
console.log(JSON.stringify(Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, Math.round(v)]))));
process.exit(0);
