// Schema migrations: applied once under an advisory lock, even by instances starting together;
// a database newer than the build stops start-up.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../server/store/postgres/pool';
import { applyMigrations, loadMigrations } from '../../server/store/postgres/schema-migrations';
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
