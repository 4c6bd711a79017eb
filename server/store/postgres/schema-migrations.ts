import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { silentLogger, type Logger } from '../../logging/logger';
import { packagePath } from '../../package-files';

/** Versioned SQL files, `NNNN_name.sql`, applied in order and never edited once released. */
export const MIGRATIONS_DIR = packagePath('server/store/postgres/migrations');

// Arbitrary constant key of the session-level advisory lock that serializes schema changes
// between instances starting together (the ASCII bytes of "hookscop" as a bigint).
export const MIGRATION_LOCK_KEY = '7525356009647468400';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations shipped with this build, oldest first. */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  return Promise.all(files.map(async (file) => ({
    version: Number(file.slice(0, 4)),
    name: file.slice(5, -4),
    sql: await readFile(join(dir, file), 'utf8'),
  })));
}

/**
 * Brings the schema up to date: takes pg_advisory_lock so that of several instances starting at
 * once one migrates and the others wait and then find nothing to do; each migration runs in its
 * own transaction with its row in `schema_migrations`, so a failure leaves the previous version.
 * Resolves to the versions applied now. Rejects when the database is newer than this build.
 */
export async function applyMigrations(pool: pg.Pool, logger: Logger = silentLogger(), only?: Migration[]): Promise<number[]> {
  // `only`: a prefix of the shipped migrations (tests bring a database to an earlier version).
  const migrations = only ?? (await loadMigrations());
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const done = new Set(rows.map((r) => r.version));
      const newest = Math.max(0, ...done);
      const known = Math.max(0, ...migrations.map((m) => m.version));
      if (newest > known) throw new Error(`the database schema is at version ${newest}, newer than this Hookscope (${known}); upgrade Hookscope`);
      const applied: number[] = [];
      for (const migration of migrations.filter((m) => !done.has(m.version))) {
        logger.info({ version: migration.version, name: migration.name }, `postgres: applying migration ${migration.version} (${migration.name})`);
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}
