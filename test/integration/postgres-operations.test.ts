// Operating Hookscope on PostgreSQL: readiness and 503s while the database is down, recovery on
// its own when it returns (store and stream), Prometheus metrics.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresMissingReason, startTestPostgres, type TestPostgres } from '../support/postgres';
import { connectStream } from '../support/stream-client';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/test-server';

const missing = postgresMissingReason();
let server: TestPostgres;

/** Re-checks `probe` until it holds (each probe is a real request; no fixed wait decides). */
async function eventually(probe: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const ingest = (app: TestServer, body = '{"n":1}') =>
  fetch(`${app.url}/h/default`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe.skipIf(missing)(`operations on PostgreSQL${missing ? ` — skipped: ${missing}` : ''}`, () => {
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => server?.dispose());

  it('while the database is down ingest and /readyz answer 503 JSON, and everything recovers by itself', async () => {
    const url = await server.createDatabase();
    const app = await startTestServer({ store: 'postgres', databaseUrl: url, databaseTimeoutMs: 2000 });
    const client = await connectStream(app.url, TEST_TOKEN);
    try {
      client.send({ type: 'subscribe', subscriptions: [{ endpointId: 'default' }] });
      await client.waitFor((m) => m.type === 'caught-up');
      expect((await ingest(app)).status).toBe(200);
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ready: true, store: expect.stringMatching(/^postgres 127\.0\.0\.1:\d+\/t/) });

      await server.stop();
      const refused = await ingest(app, '{"n":2}');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toMatch(/application\/json/);
      expect(await refused.json()).toEqual({ error: expect.stringMatching(/database is unavailable/) });
      expect((await fetch(`${app.url}/readyz`)).status).toBe(503);
      expect((await app.api('/api/endpoints')).status).toBe(503);
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200); // alive, just not ready

      await server.start();
      await eventually(async () => (await fetch(`${app.url}/readyz`)).status === 200, '/readyz to recover');
      const accepted = await ingest(app, '{"n":3}');
      expect(accepted.status).toBe(200);
      const { id } = (await accepted.json()) as { id: string };
      // The hub re-LISTENed on its own: the inspector connected before the outage gets it live.
      await client.waitFor((m) => m.type === 'capture' && m.capture.id === id, 15_000);
      const list = (await (await app.api('/api/endpoints/default/requests?limit=10')).json()) as { total: number };
      expect(list.total).toBe(2); // the refused delivery was never stored, and never acknowledged
    } finally {
      client.close();
      await app.dispose();
    }
  }, 90_000);

  it('an instance whose LISTEN connection was cut catches up on captures committed meanwhile', async () => {
    const url = await server.createDatabase();
    const [a, b] = (await Promise.all([0, 1].map(() => startTestServer({ store: 'postgres', databaseUrl: url })))) as [TestServer, TestServer];
    const client = await connectStream(b.url, TEST_TOKEN);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      client.send({ type: 'subscribe', subscriptions: [{ endpointId: 'default' }] });
      await client.waitFor((m) => m.type === 'caught-up');
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hookscope-hub'");
      // Committed while no instance listens: its notice reaches no one.
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) ids.push(((await (await ingest(a, `{"gap":${i}}`)).json()) as { id: string }).id);
      await client.waitFor((m) => m.type === 'capture' && m.capture.id === ids[2], 15_000);
      expect(client.captureIds()).toEqual(ids);
    } finally {
      client.close();
      await admin.end();
      await Promise.all([a, b].map((s) => s.dispose()));
    }
  });

  it('refuses to start with a clear error when the database cannot be reached', async () => {
    const unreachable = `postgres://hookscope@127.0.0.1:${server.port}/no_such_database`;
    await expect(startTestServer({ store: 'postgres', databaseUrl: unreachable })).rejects.toThrow(/no_such_database/);
  });

  it('/metrics needs the token and counts deliveries by endpoint and verdict, store latency and subscribers', async () => {
    const url = await server.createDatabase();
    const app = await startTestServer({ store: 'postgres', databaseUrl: url });
    const client = await connectStream(app.url, TEST_TOKEN);
    try {
      expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
      for (let i = 0; i < 3; i += 1) expect((await ingest(app)).status).toBe(200);
      const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/plain/);
      const text = await res.text();
      expect(text).toContain('hookscope_deliveries_total{endpoint="default",status="200",signature="skipped",schema="skipped"} 3');
      expect(text).toMatch(/hookscope_store_operation_seconds_count\{operation="append"\} 3/);
      expect(text).toMatch(/hookscope_store_operation_seconds_bucket\{le="0\.005",operation="append"\} \d/);
      expect(text).toContain('hookscope_stream_subscribers 1');
      expect(text).toContain('hookscope_forward_queue 0');
      expect(text).toContain('hookscope_process_resident_memory_bytes');
    } finally {
      client.close();
      await app.dispose();
    }
  });

  it('two servers starting together on an empty database migrate once and share one default endpoint', async () => {
    const url = await server.createDatabase();
    const apps = await Promise.all([0, 1].map(() => startTestServer({ store: 'postgres', databaseUrl: url })));
    try {
      for (const app of apps) {
        const endpoints = (await (await app.api('/api/endpoints')).json()) as { id: string }[];
        expect(endpoints.map((e) => e.id)).toEqual(['default']);
      }
    } finally {
      await Promise.all(apps.map((app) => app.dispose()));
    }
  });
});
