// Forward rules: deliveries/s through `async` forwarding to a local target (against plain ingest),
// and the latency `proxy` mode adds over calling the target directly. Hookscope and the target run
// in their own processes; forwarded deliveries are counted on Hookscope's live stream.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { WebSocket } from 'ws';
import { serverMessageSchema } from '../shared/stream';
import { fmt, load, payload, ratio, startTarget } from './support/load';

const TOKEN = 'bench-token-0123456789abcdef';
const BODY = payload(1024);
const DELIVERIES = Number(process.env.BENCH_FORWARD_DELIVERIES ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = 3; // latency rounds

async function createEndpoint(base: string, config: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${base}/api/endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ retention: { maxCaptures: 1_000_000 }, ...config }),
  });
  return ((await res.json()) as { id: string }).id;
}

/** Counts forward attempts of an endpoint as the stream reports them. */
async function forwardCounter(base: string, endpointId: string) {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/stream`);
  let ok = 0;
  let failed = 0;
  const errors = new Map<string, number>();
  let wanted = Infinity;
  let reached: () => void = () => undefined;
  ws.on('message', (data) => {
    const message = serverMessageSchema.parse(JSON.parse(data.toString()));
    if (message.type === 'ready') ws.send(JSON.stringify({ type: 'subscribe', subscriptions: [{ endpointId }] }));
    if (message.type !== 'replay-result' || message.attempt.kind !== 'forward') return;
    if (message.attempt.status !== undefined && message.attempt.status < 300) ok += 1;
    else {
      failed += 1;
      const why = message.attempt.error?.replace(/\d+/g, 'N') ?? `status ${message.attempt.status}`;
      errors.set(why, (errors.get(why) ?? 0) + 1);
    }
    if (ok + failed >= wanted) reached();
  });
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(JSON.stringify({ type: 'auth', token: TOKEN }));
  return {
    counts: () => ({ ok, failed, errors: [...errors].map(([why, n]) => `${n}× ${why}`).join('; ') }),
    until: (n: number) => new Promise<void>((resolve) => {
      wanted = n;
      reached = resolve;
      if (ok + failed >= n) resolve();
    }),
    close: () => ws.close(),
  };
}

/** Mean latency of sequential POSTs on one connection, ms: the run's length over the requests done (autocannon's histogram has whole-ms buckets, too coarse here). */
async function meanLatency(label: string, url: string): Promise<number> {
  await autocannon({ url, method: 'POST', body: BODY, headers: { 'content-type': 'application/json' }, connections: 1, duration: 1 });
  const result = await autocannon({ url, method: 'POST', body: BODY, headers: { 'content-type': 'application/json' }, connections: 1, duration: SECONDS });
  const mean = (result.duration * 1000) / Math.max(1, result.requests.total);
  console.log(`${label.padEnd(44)} mean ${mean.toFixed(3).padStart(7)} ms   p99 ${String(result.latency.p99).padStart(3)} ms   ${result.requests.average.toFixed(0)} req/s`);
  return mean;
}

async function asyncForwarding(base: string, targetUrl: string): Promise<void> {
  const plain = await createEndpoint(base, {});
  await load(`${base}/h/${plain}`, { body: BODY, seconds: 1 }); // warm-up
  const ingest = await load(`${base}/h/${plain}`, { body: BODY, amount: DELIVERIES });
  console.log(`${'(a) ingest, no forward rule'.padEnd(44)} ${fmt(ingest)}`);

  const forwarding = await createEndpoint(base, { forward: { url: `${targetUrl}/fwd`, mode: 'async' } });
  const counter = await forwardCounter(base, forwarding);
  const started = performance.now();
  const sent = await load(`${base}/h/${forwarding}`, { body: BODY, amount: DELIVERIES });
  const ingested = performance.now();
  await counter.until(DELIVERIES);
  const seconds = (performance.now() - started) / 1000;
  const { ok, failed, errors } = counter.counts();
  counter.close();
  const forwardRps = ok / seconds;
  console.log(`${'(b) ingest with an async forward rule'.padEnd(44)} ${fmt(sent)}`);
  console.log(`${'    forwarded to the target'.padEnd(44)} ${forwardRps.toFixed(0).padStart(7)} deliveries/s (${ok} ok, ${failed} failed, last ${((performance.now() - ingested) / 1000).toFixed(2)} s after ingest ended)`);
  if (failed > 0) console.log(`    failures: ${errors}`);
  console.log(`  forwarded deliveries/s vs plain ingest req/s   ${ratio(forwardRps, ingest.rps)}`);
  console.log(`  ingest req/s with a rule vs without            ${ratio(sent.rps, ingest.rps)}`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Alternates the three measurements over several rounds (fsync latency drifts on a shared disk) and compares medians. */
async function proxyLatency(base: string, targetUrl: string): Promise<void> {
  const plain = await createEndpoint(base, {});
  const proxy = await createEndpoint(base, { forward: { url: `${targetUrl}/fwd`, mode: 'proxy' } });
  const rounds: { direct: number; ingest: number; proxied: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`round ${round}/${ROUNDS}`);
    rounds.push({
      direct: await meanLatency('(c) target called directly', `${targetUrl}/fwd`),
      ingest: await meanLatency('(d) Hookscope ingest, no forward rule', `${base}/h/${plain}`),
      proxied: await meanLatency('(e) Hookscope ingest in proxy mode', `${base}/h/${proxy}`),
    });
  }
  const [direct, ingest, proxied] = (['direct', 'ingest', 'proxied'] as const).map((key) => median(rounds.map((r) => r[key]))) as [number, number, number];
  console.log(`  medians: direct ${direct.toFixed(3)} ms, ingest ${ingest.toFixed(3)} ms, proxy ${proxied.toFixed(3)} ms`);
  console.log(`  proxy mode adds ${(proxied - direct).toFixed(2)} ms over a direct call (e/c ${ratio(proxied, direct)}), ${(proxied - ingest).toFixed(2)} ms over plain ingest (e/d ${ratio(proxied, ingest)})`);
}

export default async function run(): Promise<void> {
  console.log(`1 KiB JSON POSTs; ${DELIVERIES} deliveries at 50 connections; latency at 1 connection, ${ROUNDS} rounds of ${SECONDS} s\n`);
  const target = await startTarget(['bin/run-ts.js', 'bench/targets/bare-http.ts']);
  const data = await mkdtemp(join(tmpdir(), 'hookscope-bench-forward-'));
  const hookscope = await startTarget(['bin/hookscope.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', data, '--token', TOKEN]);
  try {
    await asyncForwarding(hookscope.url, target.url);
    console.log('');
    await proxyLatency(hookscope.url, target.url);
  } finally {
    await hookscope.stop();
    await target.stop();
    await rm(data, { recursive: true, force: true });
  }
}
