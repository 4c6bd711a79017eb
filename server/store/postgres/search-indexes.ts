import pg from 'pg';
import { MIGRATION_LOCK_KEY } from './schema-migrations';
import type { Logger } from '../../logging/logger';

/** A search index: its name, what it is on, and the extensions it needs. */
export interface SearchIndex {
  name: string;
  on: string;
  /** Needs pg_trgm. */
  trigram?: true;
  /** Needs btree_gin. */
  btreeGin?: true;
}

/**
 * The indexes of the search columns (migration 0004), each partial on rows whose columns are
 * filled. Field terms walk a b-tree on (endpoint_id, field, id) backwards, so "the newest
 * matches" is a short range. Event types and paths are indexed as cut to 200 characters (the
 * b-tree entry limit); queries compare the whole value kept beside when there is one.
 */
export const SEARCH_INDEXES: readonly SearchIndex[] = [
  { name: 'captures_q_method_idx', on: '(endpoint_id, method, id) WHERE search_version IS NOT NULL' },
  { name: 'captures_q_status_idx', on: '(endpoint_id, status, id) WHERE search_version IS NOT NULL' },
  { name: 'captures_q_sig_idx', on: '(endpoint_id, sig, id) WHERE search_version IS NOT NULL' },
  { name: 'captures_q_schema_idx', on: '(endpoint_id, schema_status, id) WHERE search_version IS NOT NULL' },
  { name: 'captures_q_event_idx', on: '(endpoint_id, event_type, id) WHERE search_version IS NOT NULL' },
  { name: 'captures_q_path_idx', on: '(endpoint_id, path, id) WHERE search_version IS NOT NULL' },
  // INCLUDE id: the span of ids a time range covers is read from this index alone (capture-search.ts).
  { name: 'captures_q_time_idx', on: '(endpoint_id, received_at) INCLUDE (id) WHERE search_version IS NOT NULL' },
  { name: 'captures_q_duplicate_idx', on: '(endpoint_id, id) WHERE is_duplicate AND search_version IS NOT NULL' },
  { name: 'captures_q_rejected_idx', on: '(endpoint_id, id) WHERE is_rejected AND search_version IS NOT NULL' },
  { name: 'captures_q_tags_idx', on: 'USING gin (tags) WHERE search_version IS NOT NULL' },
  // Bare words, and words with an event type: one GIN index over both, so `word event:x` is
  // decided inside the index instead of reading every row holding the word (at a million
  // captures, ~10,000 rows read to keep ~250). pg_trgm and btree_gin are trusted extensions from
  // PostgreSQL 13: the database owner may create them.
  { name: 'captures_q_words_idx', on: 'USING gin (event_type, search_text gin_trgm_ops) WHERE search_version IS NOT NULL', trigram: true, btreeGin: true },
];

/** Words alone: built instead of captures_q_words_idx where btree_gin cannot be created, and dropped once that one exists. */
export const TEXT_INDEX: SearchIndex = { name: 'captures_q_text_idx', on: 'USING gin (search_text gin_trgm_ops) WHERE search_version IS NOT NULL', trigram: true };
const WORDS_INDEX = SEARCH_INDEXES.find((index) => index.btreeGin) as SearchIndex;

// Held while one instance builds indexes concurrently, so instances starting together build them
// once (the ASCII bytes of "hookidx " as a bigint).
const BUILD_LOCK_KEY = '7525356009680042016';

/** Names of the search indexes that exist and are valid. */
async function validIndexes(pool: pg.Pool): Promise<Set<string>> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = 'captures'::regclass AND i.indisvalid`);
  return new Set(rows.map((r) => r.name));
}

/** Creates pg_trgm when missing; false (with a warning saying how to fix it) when it cannot. */
async function trigramAvailable(pool: pg.Pool, logger: Logger): Promise<boolean> {
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    return true;
  } catch (error) {
    logger.warn({ err: error }, `postgres: WARNING: the pg_trgm extension cannot be created (${(error as Error).message}); searching bodies for words works but scans every capture (slow on large endpoints). Fix: as a superuser, run CREATE EXTENSION pg_trgm; in this database (PostgreSQL 13+ lets the database owner do it), then restart Hookscope.`);
    return false;
  }
}

/** Creates btree_gin when missing; false (with a warning saying how to fix it) when it cannot. */
async function btreeGinAvailable(pool: pg.Pool, logger: Logger): Promise<boolean> {
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS btree_gin');
    return true;
  } catch (error) {
    logger.warn({ err: error }, `postgres: WARNING: the btree_gin extension cannot be created (${(error as Error).message}); words are searched with an index of their own, and a word with event: reads every capture holding the word. Fix: as a superuser, run CREATE EXTENSION btree_gin; in this database (PostgreSQL 13+ lets the database owner do it), then restart Hookscope.`);
    return false;
  }
}

export interface IndexState {
  /** Resolves when every index that can exist does (at once when they already did). */
  built: Promise<void>;
  /** Resolves true when word search has its trigram index, false when it scans. */
  trigram: Promise<boolean>;
  /** Abandons a build under way (the next start builds it again); for close. */
  stop(): Promise<void>;
}

const DONE = { built: Promise.resolve(), stop: () => Promise.resolve() };

/**
 * Makes sure the search indexes exist, each start. On an empty table (a new database) they are
 * built at once under the migration lock. On a table that holds captures (an upgraded database,
 * or pg_trgm installed since) the missing ones are built CONCURRENTLY in the background, so
 * appends go on meanwhile, by one instance at a time; queries are correct without them, only
 * slower. A build that failed halfway leaves an invalid index: it is dropped and built again.
 */
export async function ensureSearchIndexes(pool: pg.Pool, logger: Logger): Promise<IndexState> {
  const valid = await validIndexes(pool);
  let missing = SEARCH_INDEXES.filter((index) => !valid.has(index.name));
  // The words-alone index goes once the words-and-event one exists (an upgrade builds that first).
  const obsolete = valid.has(TEXT_INDEX.name) && !missing.includes(WORDS_INDEX) ? [TEXT_INDEX.name] : [];
  if (missing.length === 0 && obsolete.length === 0) return { ...DONE, trigram: Promise.resolve(true) };
  const trigram = !missing.some((index) => index.trigram) || (await trigramAvailable(pool, logger));
  if (!trigram) missing = missing.filter((index) => !index.trigram);
  else if (missing.includes(WORDS_INDEX) && !(await btreeGinAvailable(pool, logger))) {
    missing = [...missing.filter((index) => index !== WORDS_INDEX), ...(valid.has(TEXT_INDEX.name) ? [] : [TEXT_INDEX])];
  }
  const dropAfter = missing.includes(WORDS_INDEX) && valid.has(TEXT_INDEX.name) ? [TEXT_INDEX.name] : obsolete;
  const { rows } = await pool.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM captures) AS empty');
  if (rows[0]?.empty) {
    await buildNow(pool, [...missing.map((index) => `CREATE INDEX IF NOT EXISTS ${index.name} ON captures ${index.on}`), ...dropAfter.map((name) => `DROP INDEX IF EXISTS ${name}`)]);
    return { ...DONE, trigram: Promise.resolve(trigram) };
  }
  const client = new pg.Client({ connectionString: pool.options.connectionString, application_name: 'hookscope-index-build' });
  let stopped = false;
  const built = buildConcurrently(client, pool, missing, dropAfter, logger).catch((error: unknown) => {
    if (!stopped) logger.warn({ err: error }, `postgres: building search indexes stopped (${(error as Error).message}); searches scan until a later start builds them`);
    return false;
  });
  const stop = async () => {
    stopped = true;
    await client.end().catch(() => undefined); // the server cancels the build; it leaves an invalid index, rebuilt next time
    await built;
  };
  return { built: built.then(() => undefined), trigram: built.then((all) => trigram && all), stop };
}

async function buildNow(pool: pg.Pool, statements: string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      for (const sql of statements) await client.query(sql);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

/**
 * Resolves true when this instance built every missing index, false when another instance is at
 * it. On a connection of its own: a build takes minutes on a large table, longer than the
 * pool's statement and read timeouts allow.
 */
async function buildConcurrently(client: pg.Client, pool: pg.Pool, missing: readonly SearchIndex[], dropAfter: readonly string[], logger: Logger): Promise<boolean> {
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [BUILD_LOCK_KEY]);
    if (!rows[0]?.locked) return false; // released with the session
    for (const index of missing) {
      if ((await validIndexes(pool)).has(index.name)) continue;
      logger.info({ index: index.name }, `postgres: building search index ${index.name} (appends go on meanwhile; searches are slower until it is built)`);
      const started = Date.now();
      await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${index.name}`); // an invalid one a failed build left
      await client.query(`CREATE INDEX CONCURRENTLY ${index.name} ON captures ${index.on}`);
      logger.info({ index: index.name }, `postgres: search index ${index.name} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    for (const name of dropAfter) {
      await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
      logger.info({ index: name }, `postgres: search index ${name} dropped (${WORDS_INDEX.name} answers what it did)`);
    }
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}
