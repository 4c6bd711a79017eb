// The cursor scheme of the PostgreSQL store: a capture that commits late is never skipped — not
// by `listAfter`, and not by an inspector streaming from another instance.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../server/store/postgres/postgres-store';
import { postgresMissingReason, startTestPostgres, type TestPostgres } from '../support/postgres';
import { connectStream } from '../support/stream-client';
import { startTestServer, TEST_TOKEN } from '../support/test-server';
import { delivery, endpoint } from '../contract/store-fixtures';

const missing = postgresMissingReason();
let server: TestPostgres;

/**
 * Another instance's append, frozen before COMMIT: it holds id N and the endpoint row lock.
 * `commit()` lets it finish.
 */
async function openLateAppend(url: string, endpointId: string): Promise<{ id: string; commit: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  const { rows } = await client.query<{ capture_id: string }>(
    `SELECT capture_id FROM hookscope_append($1, $2, 'latexxx', 0, NULL, '{"receivedAt":0,"method":"POST","path":"","query":"","peer":"","size":0,"contentType":null,"reply":{"status":200},"verdicts":{"signature":{"status":"skipped","scheme":"none","reason":"off"},"schema":{"status":"skipped","issues":[]}},"deliveryId":null,"duplicateOf":null}', '[]', ''::bytea)`,
    [endpointId, Date.now()],
  );
  return {
    id: (rows[0] as { capture_id: string }).capture_id,
    commit: async () => {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Resolves once some backend waits for a row lock (the second append queued behind the first). */
async function untilWaitingOnLock(url: string): Promise<void> {
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  try {
    for (let i = 0; i < 200; i += 1) {
      const { rows } = await probe.query<{ n: number }>("SELECT count(*)::integer AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
      if ((rows[0]?.n ?? 0) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('no append is waiting for the endpoint lock');
  } finally {
    await probe.end();
  }
}

describe.skipIf(missing)(`PostgreSQL cursor scheme${missing ? ` — skipped: ${missing}` : ''}`, () => {
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => server?.dispose());

  it('an append waits for an earlier uncommitted one; ids become visible in the order they sort', async () => {
    const url = await server.createDatabase();
    const store = await PostgresStore.open({ connectionString: url });
    try {
      await store.createEndpoint(endpoint('e'));
      const before = await store.append(delivery('e'));
      const late = await openLateAppend(url, 'e');
      const next = store.append(delivery('e'));
      await untilWaitingOnLock(url);
      // Nothing after `before` is visible yet: a cursor at `before` cannot jump over the late one.
      expect(await store.listAfter('e', before.id, 10)).toEqual([]);
      await late.commit();
      const after = await next;
      expect(late.id > before.id && after.id > late.id).toBe(true);
      expect((await store.listAfter('e', before.id, 10)).map((c) => c.id)).toEqual([late.id, after.id]);
    } finally {
      await store.close();
    }
  });

  it('an inspector on another instance receives a late-committing capture, in order, before the next one', async () => {
    const url = await server.createDatabase();
    const [a, b] = await Promise.all([0, 1].map(() => startTestServer({ store: 'postgres', databaseUrl: url })));
    const client = await connectStream((b as { url: string }).url, TEST_TOKEN);
    try {
      client.send({ type: 'subscribe', subscriptions: [{ endpointId: 'default' }] });
      await client.waitFor((m) => m.type === 'caught-up');
      // The late append is never announced on the hub (as if its instance died after COMMIT):
      // the notice of the next capture must bring it along.
      const late = await openLateAppend(url, 'default');
      const posted = fetch(`${a?.url}/h/default`, { method: 'POST', body: 'next' });
      await untilWaitingOnLock(url);
      await late.commit();
      const { id } = (await (await posted).json()) as { id: string };
      await client.waitFor((m) => m.type === 'capture' && m.capture.id === id);
      expect(client.captureIds()).toEqual([late.id, id]);
    } finally {
      client.close();
      await Promise.all([a, b].map((s) => s?.dispose()));
    }
  });
});
