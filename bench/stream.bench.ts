// Live delivery: time from sending a webhook to its arrival at WebSocket subscribers (1, 10, 100),
// ingest throughput with 100 subscribers vs none, and the server's memory with 100 subscribers.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { fmt, load, payload, ratio, startTarget } from './support/load';

const TOKEN = 'bench-token-0123456789abcdef';
const BODY = payload(1024);

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Opens `n` authenticated subscribers of `endpointId`; `onCapture` gets (id, arrival time). */
async function subscribe(base: string, endpointId: string, n: number, onCapture: (id: string, at: number) => void): Promise<WebSocket[]> {
  return Promise.all(Array.from({ length: n }, () => new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/stream`);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token: TOKEN })));
    ws.on('error', reject);
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; capture?: { id: string }; endpointId?: string };
      if (message.type === 'ready') ws.send(JSON.stringify({ type: 'subscribe', subscriptions: [{ endpointId }] }));
      else if (message.type === 'caught-up') resolve(ws);
      else if (message.type === 'capture' && message.capture) onCapture(message.capture.id, performance.now());
    });
  })));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}

async function latency(base: string, endpointId: string, subscribers: number): Promise<string> {
  const sentAt = new Map<string, number>();
  const arrivals: { id: string; at: number }[] = [];
  const sockets = await subscribe(base, endpointId, subscribers, (id, at) => arrivals.push({ id, at }));
  for (let i = 0; i < 300; i++) {
    const start = performance.now();
    const res = await fetch(`${base}/h/${endpointId}`, { method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } });
    sentAt.set(((await res.json()) as { id: string }).id, start);
    await new Promise((resolve) => setTimeout(resolve, 3)); // ~250 deliveries/s
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const ws of sockets) ws.close();
  const samples = arrivals.flatMap(({ id, at }) => (sentAt.has(id) ? [at - (sentAt.get(id) as number)] : [])).sort((a, b) => a - b);
  const expected = 300 * subscribers;
  return `${String(subscribers).padStart(3)} subscribers: p50 ${percentile(samples, 50).toFixed(2)} ms, p99 ${percentile(samples, 99).toFixed(2)} ms (${samples.length}/${expected} deliveries)`;
}

export default async function run(): Promise<void> {
  const data = await mkdtemp(join(tmpdir(), 'hookscope-bench-'));
  const server = await startTarget(['bin/hookscope.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', data, '--token', TOKEN]);
  try {
    const res = await fetch(`${server.url}/api/endpoints`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{"name":"bench"}',
    });
    const endpointId = ((await res.json()) as { id: string }).id;
    console.log('send → WebSocket arrival (includes the durable store write), 300 deliveries at ~250/s:');
    for (const n of [1, 10, 100]) console.log(`  ${await latency(server.url, endpointId, n)}`);

    const rssIdle = await rssMiB(server.process.pid as number);
    const none = await load(`${server.url}/h/${endpointId}`, { body: BODY, seconds: 4 });
    const subscribers = await startTarget(['bin/run-ts.js', 'bench/targets/subscribers.ts', server.url, TOKEN, endpointId, '100']);
    const rssSubscribed = await rssMiB(server.process.pid as number);
    const hundred = await load(`${server.url}/h/${endpointId}`, { body: BODY, seconds: 4 });
    const rssLoaded = await rssMiB(server.process.pid as number);
    await subscribers.stop();
    console.log('\ningest at 50 connections:');
    console.log(`  no subscribers    ${fmt(none)}`);
    console.log(`  100 subscribers   ${fmt(hundred)}   (subscribers in a third process)`);
    console.log(`  ratio 100 subscribers / none: ${ratio(hundred.rps, none.rps)}`);
    console.log(`server RSS: ${rssIdle.toFixed(0)} MiB before, ${rssSubscribed.toFixed(0)} MiB with 100 subscribers idle, ${rssLoaded.toFixed(0)} MiB after load with them`);
  } finally {
    await server.stop();
    await rm(data, { recursive: true, force: true });
  }
}
