// Schema migrations: applied once under an advisory lock, even by instances starting together;
// a database newer than the build stops start-up.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../server/logging/logger';
import { parseQuery } from '../../shared/query';
import { deliveryIdColumn, metaOf } from '../../server/store/postgres/capture-rows';
import { checkPostgresStore } from '../../server/store/postgres/check-postgres';
import { createPool } from '../../server/store/postgres/pool';
import { PostgresStore } from '../../server/store/postgres/postgres-store';
import { applyMigrations, loadMigrations } from '../../server/store/postgres/schema-migrations';
import { delivery, endpoint } from '../contract/store-fixtures';
import { postgresMissingReason, startTestPostgres, type TestPostgres } from '../support/postgres';

const missing = postgresMissingReason();
let server: TestPostgres;

describe.skipIf(missing)(`PostgreSQL schema migrations${missing ? ` — skipped: ${missing}` : ''}`, () => {
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => server?.dispose());

  it('are versioned files applied once, in order, when several instances start at the same moment', async () => {
    const url = await server.createDatabase();
    const versions = (await loadMigrations()).map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    const pools = Array.from({ length: 4 }, () => createPool({ connectionString: url, max: 2 }));
    try {
      const applied = await Promise.all(pools.map((pool) => applyMigrations(pool)));
      expect(applied.flat().sort((a, b) => a - b)).toEqual(versions); // each version by exactly one
      expect(await applyMigrations(pools[0] as pg.Pool)).toEqual([]);
      const { rows } = await (pools[0] as pg.Pool).query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(versions);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('upgrade a database at version 3 (alert windows) holding captures: version 4 (search, checksums) applies after it and fills the old rows', async () => {
    const url = await server.createDatabase();
    const pool = createPool({ connectionString: url, max: 2 });
    const ids: string[] = [];
    try {
      const upTo3 = (await loadMigrations()).filter((m) => m.version <= 3);
      expect(upTo3.map((m) => `${m.version} ${m.name}`)).toEqual(['1 initial', '2 append_batch', '3 alert_windows']);
      expect(await applyMigrations(pool, silentLogger(), upTo3)).toEqual([1, 2, 3]);
      // What a Hookscope at version 3 writes: an endpoint, captures through hookscope_append_batch, an alert window.
      const e = endpoint('old', 5000);
      await pool.query('INSERT INTO endpoints (id, config, max_captures) VALUES ($1, $2, $3)', [e.id, JSON.stringify(e), e.retention.maxCaptures]);
      const captures = Array.from({ length: 30 }, (_, i) => delivery('old', { method: i % 3 === 0 ? 'PUT' : 'POST', deliveryId: `webhook-id:d-${i}`, body: Buffer.from(JSON.stringify({ n: i, word: i === 17 ? 'wallaby' : 'emu' })) }));
      const { rows } = await pool.query<{ capture_id: string }>(
        'SELECT capture_id FROM hookscope_append_batch($1, $2, $3, $4, $5, $6, $7, $8)',
        ['old', 1_700_000_000_000, captures.map((_, i) => `s${String(i).padStart(6, '0')}`), captures.map((c) => c.receivedAt),
          captures.map((c) => deliveryIdColumn(c.deliveryId)), captures.map((c) => metaOf(c)), captures.map((c) => JSON.stringify(c.headers)), captures.map((c) => c.body)],
      );
      ids.push(...rows.map((r) => r.capture_id));
      await pool.query("INSERT INTO alert_windows (endpoint_id, alert_key, window_start) VALUES ('old', 'k', 1)");
    } finally {
      await pool.end();
    }

    const store = await PostgresStore.open({ connectionString: url, max: 3 });
    try {
      const { rows } = await store.db.pool.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => `${r.version} ${r.name}`)).toEqual(['1 initial', '2 append_batch', '3 alert_windows', '4 search_and_checksums']);
      // Correct before the backfill (the slow way), and after it (indexed, sealed).
      const search = async (q: string) => (await store.list('old', { limit: 50, query: parseQuery(q) })).items.map((c) => c.id);
      expect(await search('wallaby')).toEqual([ids[17]]);
      await store.searchIndexes.built;
      await store.backfill.start();
      const { rows: left } = await store.db.pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM captures WHERE search_version IS NULL OR meta_sum IS NULL OR body_sum IS NULL');
      expect(left[0]?.n).toBe(0);
      expect(await search('wallaby')).toEqual([ids[17]]);
      expect(await search('delivery:d-4 method:POST')).toEqual([ids[4]]);
      expect(await search('method:PUT')).toHaveLength(10);
      expect((await store.get(ids[17] as string))?.body.toString()).toContain('wallaby');
      expect((await checkPostgresStore({ connectionString: url })).findings).toEqual([]);
      const { rows: windows } = await store.db.pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM alert_windows');
      expect(windows[0]?.n).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('refuse a database migrated by a newer Hookscope', async () => {
    const url = await server.createDatabase();
    const pool = createPool({ connectionString: url });
    try {
      await applyMigrations(pool);
      await pool.query("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from the future')");
      await expect(applyMigrations(pool)).rejects.toThrow(/schema is at version 9999, newer than this Hookscope/);
    } finally {
      await pool.end();
    }
  });
});
