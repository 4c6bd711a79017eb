// What response rules and alerts cost ingest: the same endpoint answered by no rule, by the 20th
// of 20 rules (19 that do not match: path, event type, header, body globs), by a `firstAttempts`
// rule (one delivery-id lookup per delivery), and with three threshold alerts watching.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, load, payload, ratio, startTarget, type LoadResult } from './support/load';

const TOKEN = 'bench-token-0123456789abcdef';
const BODY = payload(1024);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function measure(label: string, url: string, headers?: Record<string, string>): Promise<LoadResult> {
  await load(url, { body: BODY, seconds: 1, headers }); // warm-up
  const result = await load(url, { body: BODY, seconds: SECONDS, headers });
  console.log(`${label.padEnd(48)} ${fmt(result)}`);
  return result;
}

async function createEndpoint(base: string, config: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${base}/api/endpoints`, {
    method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ retention: { maxCaptures: 1000 }, ...config }),
  });
  if (res.status !== 201) throw new Error(`endpoint: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

const nonMatching = Array.from({ length: 19 }, (_, i) => [
  { match: { path: `/never/${i}/*` }, response: { status: 201 } },
  { match: { eventType: `never.${i}.*` }, response: { status: 202 } },
  { match: { header: { name: `x-never-${i}` } }, fail: { status: 500 } },
  { match: { bodyContains: `never-${i}` }, fail: { drop: true } },
][i % 4]);

export default async function run(): Promise<void> {
  console.log(`1 KiB JSON POSTs, 50 connections, ${SECONDS} s each, Hookscope (lowdb) in its own process\n`);
  const data = await mkdtemp(join(tmpdir(), 'hookscope-bench-'));
  const hookscope = await startTarget(['bin/hookscope.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', data, '--token', TOKEN]);
  try {
    const base = await measure('(a) no rules', `${hookscope.url}/h/${await createEndpoint(hookscope.url, {})}`);
    const twenty = await measure('(b) answered by the 20th of 20 rules', `${hookscope.url}/h/${await createEndpoint(hookscope.url, { rules: [...nonMatching, { response: { status: 202 } }] })}`);
    const counted = await measure('(c) a firstAttempts rule (id lookup per delivery)',
      `${hookscope.url}/h/${await createEndpoint(hookscope.url, { rules: [{ fail: { firstAttempts: 1, status: 503 } }] })}`);
    const alerts = ['signature-invalid', 'schema-invalid', 'rejected'].map((on) => ({ on, threshold: 1000, windowSec: 60, url: 'http://127.0.0.1:9/alerts' }));
    const watched = await measure('(d) three threshold alerts watching', `${hookscope.url}/h/${await createEndpoint(hookscope.url, { alerts })}`);
    console.log('\nratios (same run):');
    console.log(`  b/a  20 rules / none            req/s ${ratio(twenty.rps, base.rps)}, p99 ${ratio(twenty.p99, base.p99)}`);
    console.log(`  c/a  firstAttempts / none       req/s ${ratio(counted.rps, base.rps)}, p99 ${ratio(counted.p99, base.p99)}`);
    console.log(`  d/a  alerts / none              req/s ${ratio(watched.rps, base.rps)}, p99 ${ratio(watched.p99, base.p99)}`);
  } finally {
    await hookscope.stop();
    await rm(data, { recursive: true, force: true });
  }
}
