// Two `hookscope serve` processes on one PostgreSQL database: deliveries spread over both reach
// a live inspector on each exactly once and in order; killing one mid-load loses nothing it
// acknowledged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../server/store/postgres/postgres-store';
import { postgresMissingReason, spawnHookscope, startTestPostgres, type HookscopeProcess, type TestPostgres } from '../support/postgres';
import { connectStream, type StreamClient } from '../support/stream-client';
import { TEST_TOKEN } from '../support/test-server';
import { tempDir } from '../support/temp-dir';

const missing = postgresMissingReason();
let server: TestPostgres;

/** Two instances started together (they race to migrate and to create `default`). */
async function startPair(url: string): Promise<HookscopeProcess[]> {
  const dirs = await Promise.all([tempDir(), tempDir()]);
  return Promise.all(dirs.map((dir) => spawnHookscope(['--store', 'postgres', '--database-url', url, '--data', dir.path], { HOOKSCOPE_TOKEN: TEST_TOKEN })));
}

async function createEndpoint(base: string): Promise<string> {
  const res = await fetch(`${base}/api/endpoints`, {
    method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'load', retention: { maxCaptures: 100_000 } }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function subscribe(base: string, endpointId: string): Promise<StreamClient> {
  const client = await connectStream(base, TEST_TOKEN);
  client.send({ type: 'subscribe', subscriptions: [{ endpointId }] });
  await client.waitFor((m) => m.type === 'caught-up');
  return client;
}

/** Resolves once the client holds `n` captures (woken by each message, no fixed sleeps). */
function untilCaptures(client: StreamClient, n: number, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (client.captureIds().length < n) return;
      client.ws.off('message', check);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      client.ws.off('message', check);
      reject(new Error(`stream got ${client.captureIds().length} of ${n} captures`));
    }, timeoutMs);
    client.ws.on('message', check);
    check();
  });
}

/** Sends `total` deliveries, `concurrency` at a time, to `pick(i)`; resolves to the acknowledged ids. */
async function load(total: number, concurrency: number, pick: (i: number) => string, onAck?: (count: number) => void): Promise<string[]> {
  const acked: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      for (let attempt = 0; ; attempt += 1) {
        const base = pick(i + attempt);
        try {
          const res = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: i }) });
          const body = (await res.json()) as { id?: string };
          if (res.status === 200 && body.id) {
            acked.push(body.id);
            onAck?.(acked.length);
            break;
          }
        } catch {
          // instance gone: like a load balancer, try the other one
        }
        if (attempt > 20) throw new Error(`delivery ${i} was never acknowledged`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return acked;
}

describe.skipIf(missing)(`two instances on one database${missing ? ` — skipped: ${missing}` : ''}`, () => {
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => server?.dispose());

  it('1,000 deliveries spread over both reach an inspector on each exactly once, in order', async () => {
    const url = await server.createDatabase();
    const instances = await startPair(url);
    try {
      const endpointId = await createEndpoint(instances[0]?.url as string);
      const clients = await Promise.all(instances.map((i) => subscribe(i.url, endpointId)));
      const targets = instances.map((i) => `${i.url}/h/${endpointId}`);
      const acked = await load(1000, 16, (i) => targets[i % 2] as string);
      expect(new Set(acked).size).toBe(1000);
      const expected = [...acked].sort();
      await Promise.all(clients.map((c) => untilCaptures(c, 1000)));
      // One more, acknowledged last: once it arrived, any duplicate of the first 1,000 would have too.
      const [last] = await load(1, 1, () => targets[1] as string);
      await Promise.all(clients.map((c) => untilCaptures(c, 1001)));
      for (const client of clients) expect(client.captureIds()).toEqual([...expected, last]);
      for (const client of clients) client.close();
    } finally {
      await Promise.all(instances.map((i) => i.stop()));
    }
  }, 120_000);

  it('SIGKILL of one instance mid-load loses no acknowledged capture', async () => {
    const url = await server.createDatabase();
    const [victim, survivor] = (await startPair(url)) as [HookscopeProcess, HookscopeProcess];
    try {
      const endpointId = await createEndpoint(survivor.url);
      const watcher = await subscribe(survivor.url, endpointId);
      const targets = [victim, survivor].map((i) => `${i.url}/h/${endpointId}`);
      const acked = await load(1000, 16, (i) => targets[i % 2] as string, (count) => {
        if (count === 300) victim.child.kill('SIGKILL');
      });
      expect(await victim.exited).toBeNull(); // killed by the signal, not exited
      const store = await PostgresStore.open({ connectionString: url });
      try {
        const kept = new Set((await store.listAfter(endpointId, undefined, 10_000)).map((c) => c.id));
        const lost = acked.filter((id) => !kept.has(id));
        expect(lost).toEqual([]);
      } finally {
        await store.close();
      }
      // The survivor's inspector got every acknowledged capture once and in order — also those the
      // victim committed but may not have announced before it died.
      await untilCaptures(watcher, acked.length);
      const streamed = watcher.captureIds();
      expect(new Set(streamed).size).toBe(streamed.length);
      expect(streamed).toEqual([...streamed].sort());
      const seen = new Set(streamed);
      expect(acked.filter((id) => !seen.has(id))).toEqual([]);
      watcher.close();
    } finally {
      await Promise.all([victim.stop(), survivor.stop()]);
    }
  }, 120_000);
});
