// Checksums on PostgreSQL (issue 9): bytes changed behind Hookscope's back are refused on every
// read — never served — with an error naming the capture and the table, and
// checkPostgresStore (`hookscope check --store postgres`) reports the same rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DamagedCaptureError } from '../../server/errors';
import { checkPostgresStore } from '../../server/store/postgres/check-postgres';
import { PostgresStore } from '../../server/store/postgres/postgres-store';
import { SearchBackfill } from '../../server/store/postgres/search-backfill';
import { appendMany, BINARY_BODY, endpoint } from '../contract/store-fixtures';
import { postgresMissingReason, startTestPostgres, type TestPostgres } from '../support/postgres';
import { runCli } from '../support/child-server';
import { startTestServer } from '../support/test-server';

const missing = postgresMissingReason();
let server: TestPostgres;

describe.skipIf(missing)(`PostgreSQL checksums${missing ? ` — skipped: ${missing}` : ''}`, () => {
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => server?.dispose());

  it('a body byte changed with SQL is refused by the store and the API (never a 200 with other bytes), and the check names it', async () => {
    const url = await server.createDatabase();
    const app = await startTestServer({ store: 'postgres', databaseUrl: url });
    try {
      const sent = await fetch(`${app.url}/h/default/x`, { method: 'POST', body: new Uint8Array(BINARY_BODY), headers: { 'content-type': 'application/octet-stream' } });
      const { id } = (await sent.json()) as { id: string };
      const intact = await fetch(`${app.url}/h/default/y`, { method: 'POST', body: 'fine' });
      const { id: intactId } = (await intact.json()) as { id: string };
      expect((await checkPostgresStore({ connectionString: url })).findings).toEqual([]);

      const store = await PostgresStore.open({ connectionString: url, max: 2, backfill: false });
      try {
        await store.db.pool.query('UPDATE captures SET body = set_byte(body, 100, get_byte(body, 100) # 1) WHERE id = $1', [id]);
        const refused = await store.get(id).catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(DamagedCaptureError);
        expect((refused as Error).message).toMatch(new RegExp(`capture ${id} is damaged \\(its body or headers do not match the checksum written with them\\) in postgres table captures`));
        expect((await store.get(intactId))?.body.toString()).toBe('fine');
      } finally {
        await store.close();
      }
      for (const path of [`/api/requests/${id}`, `/api/requests/${id}/body`]) {
        const res = await app.api(path);
        expect(res.status).toBe(500);
        expect(((await res.json()) as { error: string }).error).toMatch(new RegExp(`capture ${id} is damaged .* in postgres table captures; it is not served`));
      }
      expect((await app.api(`/api/requests/${intactId}/body`)).status).toBe(200);

      const report = await checkPostgresStore({ connectionString: url });
      expect(report.checked).toEqual({ endpoints: 1, captures: 2, bytes: BINARY_BODY.length + 4 });
      expect(report.findings).toEqual([{
        where: 'postgres table captures', record: id, lost: '1 capture (refused on every read)',
        problem: `capture ${id} of endpoint default: its body or headers do not match the checksum written with them`,
      }]);
    } finally {
      await app.dispose();
    }
  });

  it('changed metadata or headers are refused by lists, reads and exports, and reported; a miscounted endpoint is reported', async () => {
    const url = await server.createDatabase();
    const store = await PostgresStore.open({ connectionString: url, max: 2 });
    try {
      await store.createEndpoint(endpoint('e'));
      const [a, b, c] = await appendMany(store, 'e', 3) as [string, string, string];
      await store.db.pool.query(`UPDATE captures SET meta = replace(meta::text, '"status":200', '"status":202')::json WHERE id = $1`, [a]);
      await store.db.pool.query(`UPDATE captures SET headers = jsonb_set(headers, '{0,1}', '"text/plain"') WHERE id = $1`, [b]);
      await expect(store.list('e', { limit: 10 })).rejects.toThrow(new RegExp(`capture ${a} is damaged \\(its metadata does not match`));
      await expect(store.listAfter('e', undefined, 10)).rejects.toBeInstanceOf(DamagedCaptureError);
      await expect(store.get(b)).rejects.toThrow(new RegExp(`capture ${b} is damaged \\(its body or headers`));
      await expect(store.readAfter('e', undefined, 10, 1 << 20)).rejects.toBeInstanceOf(DamagedCaptureError); // exports never write changed bytes
      expect((await store.list('e', { limit: 1 })).items.map((x) => x.id)).toEqual([c]); // what is intact is still served
      await store.db.pool.query("UPDATE endpoints SET capture_count = 5 WHERE id = 'e'");
      const report = await checkPostgresStore({ connectionString: url });
      expect(report.findings.map((f) => f.record)).toEqual(['e', a, b]);
      expect(report.findings[0]?.problem).toBe('endpoint e counts 5 captures but the captures table holds 3');
    } finally {
      await store.close();
    }
  });

  it('rows stored before checksums are served unverified and reported as unproven until the backfill seals them', async () => {
    const url = await server.createDatabase();
    const store = await PostgresStore.open({ connectionString: url, max: 2, backfill: false });
    try {
      await store.createEndpoint(endpoint('e'));
      await appendMany(store, 'e', 4);
      // As the previous version stored them: no checksums, no search columns.
      await store.db.pool.query('UPDATE captures SET meta_sum = NULL, body_sum = NULL, search_version = NULL');
      const old = (await store.list('e', { limit: 1 })).items[0]?.id as string;
      expect((await store.get(old))?.body.toString()).toBe('{"hello":"world"}');
      const unproven = await checkPostgresStore({ connectionString: url });
      expect(unproven.findings).toHaveLength(1);
      expect(unproven.findings[0]?.problem).toMatch(/^4 captures stored before checksums were kept have none yet, so they cannot be verified; Hookscope adds them/);
      await new SearchBackfill(store.db).pass();
      expect((await checkPostgresStore({ connectionString: url })).findings).toEqual([]);
      await store.db.pool.query("UPDATE captures SET body = 'changed'::bytea WHERE id = $1", [old]);
      await expect(store.get(old)).rejects.toBeInstanceOf(DamagedCaptureError);
    } finally {
      await store.close();
    }
  });

  it('hookscope check --store postgres --database-url verifies the rows: exit 0 intact, 1 naming a damaged capture; --repair is refused', async () => {
    const url = await server.createDatabase();
    const store = await PostgresStore.open({ connectionString: url, max: 2 });
    try {
      await store.createEndpoint(endpoint('e'));
      const [a] = await appendMany(store, 'e', 3) as [string];
      const intact = await runCli(['check', '--store', 'postgres', '--database-url', url]);
      expect(intact.output).toMatch(/^postgres 127\.0\.0\.1:\d+\/\w+: 1 endpoint\(s\), 3 capture\(s\)/);
      expect(intact.output).toContain('intact: every record matches its checksum');
      expect(intact.code).toBe(0);
      await store.db.pool.query("UPDATE captures SET body = set_byte(body, 2, 65) WHERE id = $1", [a]);
      const damaged = await runCli(['check', '--store', 'postgres', '--database-url', url, '--json']);
      expect(damaged.code).toBe(1);
      const report = JSON.parse(damaged.output) as { findings: { record: string; problem: string }[] };
      expect(report.findings).toEqual([expect.objectContaining({ record: a, problem: `capture ${a} of endpoint e: its body or headers do not match the checksum written with them` })]);
      const repair = await runCli(['check', '--repair', '--store', 'postgres', '--database-url', url]);
      expect(repair.code).not.toBe(0);
      expect(repair.output).toMatch(/--repair applies to a lowdb data folder; in PostgreSQL nothing is moved/);
      await expect(store.get(a)).rejects.toBeInstanceOf(DamagedCaptureError); // the check changed nothing
    } finally {
      await store.close();
    }
  });

  it('the check reports a schema older than checksums', async () => {
    const url = await server.createDatabase();
    const report = await checkPostgresStore({ connectionString: url });
    expect(report.findings[0]?.problem).toMatch(/schema is at version 0, older than checksums/);
  });
});
