// The whole HTTP path of an import: starts `hookscope serve` from the source tree argv[2] (its
// compiled server, dist/server, as `npm start` runs it: run `npm run build` first) on port argv[3]
// with a fresh data folder, POSTs a 20,000-line JSONL file of ~1 KiB JSON
// captures three times (each with its own Idempotency-Key), then once more with the first key
// (which must store nothing). Prints captures/s per POST, the retry's answer and the total held.
// Usage: node bin/run-ts.js bench/targets/import-http.ts . 18232
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const [tree, portText] = process.argv.slice(2) as [string, string];
const N = 20000;
const EVENTS = ['message.read', 'message.delivered', 'message.sent', 'invoice.paid', 'invoice.created', 'push', 'pull_request.opened', 'order.created', 'order.paid', 'customer.updated'];
function line(i: number): string {
  const body = JSON.stringify({ type: EVENTS[i % EVENTS.length], id: `evt_${i}`, data: { conversation: i % 5000, note: `routine update ${i}`, pad: 'x'.repeat(850) } });
  return JSON.stringify({ receivedAt: Date.UTC(2026, 0, 1) + i * 1000, method: i % 10 === 0 ? 'PUT' : 'POST', path: `/hooks/${i % 7}`, query: '', peer: `10.0.${i % 4}.1`, headers: [['Content-Type', 'application/json'], ['X-Kind', `k${i % 13}`], ['User-Agent', 'bench']], body: { encoding: 'utf8', data: body } });
}
const file = Buffer.from(Array.from({ length: N }, (_, i) => line(i)).join('\n'));
const token = 'bench-token-0123456789abcdef';
const data = await mkdtemp(join(tmpdir(), 'hs-http-'));
const child = spawn('node', ['bin/hookscope.js', 'serve', '--port', portText, '--data', data], { cwd: tree, env: { ...process.env, HOOKSCOPE_TOKEN: token }, stdio: 'ignore' });
const url = `http://127.0.0.1:${portText}`;
const auth = { authorization: `Bearer ${token}` };
for (;;) {
  try {
    if ((await fetch(`${url}/api/endpoints`, { headers: auth })).ok) break;
  } catch {
    // not listening yet
  }
  await new Promise((r) => setTimeout(r, 200));
}
await fetch(`${url}/api/endpoints/default`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ retention: { maxCaptures: 1_000_000 } }) });
const rates: number[] = [];
for (let k = 0; k < 3; k++) {
  const started = performance.now();
  const res = await fetch(`${url}/api/endpoints/default/import`, { method: 'POST', headers: { ...auth, 'idempotency-key': `bench-${k}`, 'content-type': 'application/x-ndjson' }, body: file });
  const answer = (await res.json()) as { imported: number };
  if (answer.imported !== N) throw new Error(`imported ${answer.imported}`);
  rates.push(Math.round(N / ((performance.now() - started) / 1000)));
}
// The same key again: nothing stored twice.
const retry = await fetch(`${url}/api/endpoints/default/import`, { method: 'POST', headers: { ...auth, 'idempotency-key': 'bench-0' }, body: file });
const again = { status: retry.status, ...((await retry.json()) as { imported: number; error?: string }) };
const total = ((await (await fetch(`${url}/api/endpoints/default/requests?limit=1`, { headers: auth })).json()) as { total: number }).total;
console.log(JSON.stringify({ rates, retry: again.status, retryImported: again.imported, retryError: again.error, total }));
child.kill();
await new Promise((resolve) => child.once('exit', resolve));
await rm(data, { recursive: true, force: true });
process.exit(0);
