// Alerts with several instances on one PostgreSQL database: every instance counts every capture
// (through the LISTEN/NOTIFY hub) and notices silence, and the (endpoint, alert, window) row
// claimed with INSERT … ON CONFLICT makes exactly one of them send each window's message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../shared/alerts';
import type { HubEvent } from '../../shared/stream';
import { PostgresStore } from '../../server/store/postgres/postgres-store';
import { postgresMissingReason, spawnHookscope, startTestPostgres, type TestPostgres } from '../support/postgres';
import { startTarget, type TargetServer } from '../support/target-server';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/test-server';
import { tempDir } from '../support/temp-dir';

const missing = postgresMissingReason();
let pg: TestPostgres;
let receiver: TargetServer;

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
let clock = T0;

/** Resolves once `server`'s hub has delivered `n` captures of the endpoint (so its alerts saw them). */
function seen(server: TestServer, endpointId: string, n: number): Promise<void> {
  return new Promise((resolve) => {
    let count = 0;
    const stop = server.hub.subscribe((event: HubEvent) => {
      if (event.type === 'capture' && event.capture.endpointId === endpointId && ++count === n) {
        stop();
        resolve();
      }
    });
  });
}

const githubEnforced = { mode: 'enforce', hmac: { preset: 'github', secret: 'rotated' } };
const badSignature = (base: string, id: string) =>
  fetch(`${base}/h/${id}`, { method: 'POST', headers: { 'X-Hub-Signature-256': 'sha256=00' }, body: '{"zen":"x"}' });

describe.skipIf(missing)(`alerts on two instances${missing ? ` — skipped: ${missing}` : ''}`, () => {
  beforeAll(async () => {
    [pg, receiver] = await Promise.all([startTestPostgres(), startTarget()]);
  });
  afterAll(async () => {
    await receiver?.close();
    await pg?.dispose();
  });

  it('in process, same clock: a burst split over both instances and a silence each give one message', async () => {
    receiver.received.length = 0;
    const url = await pg.createDatabase();
    const options = { store: 'postgres' as const, databaseUrl: url };
    const extra = { now: () => clock, alerts: { tickMs: 0, retryDelaysMs: [] } };
    const [a, b] = [await startTestServer(options, extra), await startTestServer(options, extra)] as [TestServer, TestServer];
    try {
      const bKnows = new Promise<void>((resolve) => {
        const stop = b.hub.subscribe((event) => event.type === 'endpoint-updated' && (stop(), resolve()));
      });
      const created = await a.api('/api/endpoints', { method: 'POST', json: {
        verify: githubEnforced,
        alerts: [
          { on: 'signature-invalid', threshold: 4, windowSec: 60, url: `${receiver.url}/burst` },
          { on: 'silence', windowSec: 300, url: `${receiver.url}/quiet` },
        ],
      } });
      const { id } = (await created.json()) as { id: string };
      await bKnows; // b learns of the new endpoint's alerts from the hub (NOTIFY), then reads them
      await b.alerts.idle();
      const bothSaw = Promise.all([seen(a, id, 6), seen(b, id, 6)]);
      await Promise.all(Array.from({ length: 6 }, (_, i) => badSignature((i % 2 ? a : b).url, id)));
      await bothSaw;
      await Promise.all([a.alerts.idle(), b.alerts.idle()]);
      clock = T0 + 301_000; // five minutes and a second after the last delivery
      await Promise.all([a.alerts.tick(), b.alerts.tick()]);
      await Promise.all([a.alerts.tick(), b.alerts.tick()]);
      const sent = receiver.received.map((r) => [r.url, (JSON.parse(r.body.toString()) as AlertMessage).count]);
      expect(sent.sort()).toEqual([['/burst', 4], ['/quiet', 0]]);
      const store = await PostgresStore.open({ connectionString: url });
      try {
        const { rows } = await store.db.query<{ n: string }>('SELECT count(*) AS n FROM alert_windows');
        expect(Number(rows[0]?.n)).toBe(2);
      } finally {
        await store.close();
      }
    } finally {
      await Promise.all([a.dispose(), b.dispose()]);
    }
  }, 60_000);

  it('two hookscope processes: a burst to both sends its window once', async () => {
    receiver.received.length = 0;
    const url = await pg.createDatabase();
    const dirs = await Promise.all([tempDir(), tempDir()]);
    const instances = await Promise.all(dirs.map((dir) => spawnHookscope(['--store', 'postgres', '--database-url', url, '--data', dir.path], { HOOKSCOPE_TOKEN: TEST_TOKEN })));
    try {
      const [a, b] = instances.map((i) => i.url) as [string, string];
      const created = await fetch(`${a}/api/endpoints`, {
        method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
        // A day-long window: the burst below cannot straddle two windows unless it runs across midnight UTC.
        body: JSON.stringify({ verify: githubEnforced, alerts: [{ on: 'signature-invalid', threshold: 5, windowSec: 86_400, url: `${receiver.url}/burst` }] }),
      });
      const { id } = (await created.json()) as { id: string };
      // Both instances must know the endpoint's alerts before the burst (b hears of it via NOTIFY).
      await new Promise((resolve) => setTimeout(resolve, 300));
      await Promise.all(Array.from({ length: 10 }, (_, i) => badSignature(i % 2 ? a : b, id)));
      const [first] = await receiver.until(1, 30_000);
      // Both instances race for the same window; give the loser time to (not) send.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(receiver.received).toHaveLength(1);
      expect((JSON.parse(first!.body.toString()) as AlertMessage).count).toBe(5);
      const attempts = await fetch(`${b}/api/endpoints/${id}/alerts/attempts`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
      expect(((await attempts.json()) as { items: unknown[] }).items).toHaveLength(1);
    } finally {
      await Promise.all(instances.map((i) => i.stop()));
      await Promise.all(dirs.map((d) => d.remove()));
    }
  }, 60_000);
});
