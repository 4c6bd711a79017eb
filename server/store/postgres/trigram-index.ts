import type pg from 'pg';

/** The trigram index of bare-word search (migration 0003 creates it when it can). */
export const TRIGRAM_INDEX = 'captures_q_text_idx';

// Held while one instance builds the index, so instances starting together build it once
// (the ASCII bytes of "hooktrgm" as a bigint).
const BUILD_LOCK_KEY = '7525356009674527341';

const BUILD_SQL = `CREATE INDEX CONCURRENTLY ${TRIGRAM_INDEX} ON captures USING gin (search_text gin_trgm_ops) WHERE search_version IS NOT NULL`;

/** Whether the trigram index exists and is usable. */
export async function hasTrigramIndex(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ valid: boolean }>(
    `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = 'captures'::regclass AND c.relname = $1`,
    [TRIGRAM_INDEX],
  );
  return rows[0]?.valid === true;
}

/**
 * Makes sure bare-word search has its trigram index. When migration 0003 could not create
 * pg_trgm (not installed, or the role may not create extensions), every start tries again and,
 * failing, warns once with what to do: search still works, by scanning. When the extension can
 * now be created, the index is built without blocking appends (CONCURRENTLY) — resolves when
 * it is there, or at once when another instance is building it.
 */
export async function ensureTrigramIndex(pool: pg.Pool, log: (message: string) => void): Promise<boolean> {
  if (await hasTrigramIndex(pool)) return true;
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  } catch (error) {
    log(`postgres: WARNING: the pg_trgm extension cannot be created (${(error as Error).message}); searching bodies for words works but scans every capture (slow on large endpoints). Fix: as a superuser, run CREATE EXTENSION pg_trgm; in this database (PostgreSQL 13+ lets the database owner do it), then restart Hookscope.`);
    return false;
  }
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [BUILD_LOCK_KEY]);
    if (!rows[0]?.locked) return false; // another instance is building it
    try {
      if (await hasTrigramIndex(pool)) return true;
      await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${TRIGRAM_INDEX}`); // an invalid one left by a build that failed
      log('postgres: building the trigram index for word search (appends go on meanwhile)');
      const started = Date.now();
      await client.query('SET statement_timeout = 0'); // minutes on a large table
      await client.query(BUILD_SQL);
      log(`postgres: trigram index built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return true;
    } finally {
      await client.query('RESET statement_timeout').catch(() => undefined);
      await client.query('SELECT pg_advisory_unlock($1)', [BUILD_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}
