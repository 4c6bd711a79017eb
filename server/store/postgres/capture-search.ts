import type pg from 'pg';
import type { CaptureSummary } from '../../../shared/capture';
import type { CaptureQuery } from '../../../shared/query';
import { scanQuery } from '../query-scan';
import type { StoredCapture } from '../store';
import { summaryFromRow, SUMMARY_COLUMNS, type SummaryRow } from './capture-rows';
import type { Database } from './database';
import { queryCondition } from './query-sql';

/**
 * Matches the planner may expect of a word or key search for its index to be used over a walk
 * along ids (choosePlan): a bitmap of this many rows is read well within the 500 ms target at
 * 1,000,000 captures, while a walk is only quick when matches are common and recent.
 */
const BITMAP_FIRST_MAX = 20_000;
/** Matches the planner may expect for `matched` to be counted (an index range that size counts in milliseconds). */
const COUNT_ESTIMATE_MAX = 1_000;
/** Longest a count may take all the same before the page goes without `matched`, ms. */
const COUNT_BUDGET_MS = 50;

export interface SearchPage {
  items: CaptureSummary[];
  nextBefore: string | null;
  matched?: number;
}

/** Where rows whose search columns are not filled yet are read from, to be decided in Node. */
export interface UnsearchableSource {
  get(id: string): Promise<StoredCapture | null>;
}

/**
 * The statement deciding one page of matches by SQL: `limit` + 1 rows (one more tells whether an
 * older page exists). Exported so tests and the bench can EXPLAIN exactly what runs.
 */
export function searchStatement(endpointId: string, query: CaptureQuery, limit: number, before: string | undefined): { text: string; values: unknown[] } {
  const condition = queryCondition(query, 4);
  const values = [endpointId, before ?? null, limit + 1, ...condition.params];
  // Time terms: the ids the time range spans bound the walk along ids. The planner assumes
  // matches are spread evenly, so for an old range it would walk from the newest capture
  // through everything after it; min/max come from the time index, whatever ids the rows got.
  const timeTerms = query.terms.filter((term) => term.field === 'after' || term.field === 'before');
  let span = '';
  let bounds = '';
  if (timeTerms.length > 0) {
    const time = queryCondition({ text: query.text, terms: timeTerms }, 4 + condition.params.length);
    values.push(...time.params);
    // OFFSET 0 keeps min/max from becoming "walk the ids until one is in range" — the very walk
    // this avoids; the range is read from the time index (which includes id) instead.
    span = `WITH span AS MATERIALIZED (SELECT min(id) AS lo, max(id) AS hi FROM (SELECT id FROM captures
      WHERE endpoint_id = $1 AND search_version IS NOT NULL AND ${time.sql} OFFSET 0) AS in_range) `;
    bounds = 'AND id >= (SELECT lo FROM span) AND id <= (SELECT hi FROM span) ';
  }
  return {
    text: `${span}SELECT ${SUMMARY_COLUMNS} FROM captures
      WHERE endpoint_id = $1 AND search_version IS NOT NULL AND ($2::text IS NULL OR id < $2) ${bounds}AND ${condition.sql}
      ORDER BY id DESC LIMIT $3`,
    values,
  };
}

/**
 * A page of the captures of an endpoint that match `query`, newest first, older than `before`.
 * Rows with search columns are decided by SQL (query-sql.ts) and their indexes; rows stored
 * before migration 0004 that the backfill has not reached yet are decided by the reference scan,
 * and the two are merged by id — so the answer is the same whatever the backfill has done.
 * `matched` is given when it is cheap: the whole answer fits the page, or the planner expects
 * at most COUNT_ESTIMATE_MAX matches and the count finishes within COUNT_BUDGET_MS (in the
 * same snapshot as the page).
 */
export async function searchCaptures(db: Database, source: UnsearchableSource, endpointId: string, query: CaptureQuery, limit: number, before: string | undefined): Promise<SearchPage> {
  const statement = searchStatement(endpointId, query, limit, before);
  const counted = queryCondition(query, 2);
  const matches = { from: `FROM captures WHERE endpoint_id = $1 AND search_version IS NOT NULL AND ${counted.sql}`, params: [endpointId, ...counted.params] };
  // One snapshot for everything: a row the backfill fills meanwhile is seen on exactly one side.
  return db.transaction(async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    let estimate = await choosePlan(client, endpointId, query);
    const page = await client.query<SummaryRow>(statement.text, statement.values);
    let items = page.rows.map(summaryFromRow);
    const pending = await hasUnsearchable(client, endpointId);
    if (pending) {
      const older = await scanUnsearchable(client, source, endpointId, query, limit + 1, before);
      items = [...items, ...older].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    }
    const more = items.length > limit;
    items = items.slice(0, limit);
    const nextBefore = more ? (items[items.length - 1] as CaptureSummary).id : null;
    let matched: number | undefined;
    if (before === undefined && !more) matched = items.length;
    else if (before === undefined && !pending) {
      estimate ??= await estimatedMatches(client, matches.from, matches.params);
      if (estimate <= COUNT_ESTIMATE_MAX) matched = await boundedCount(client, matches.from, matches.params);
    }
    return { items, nextBefore, ...(matched !== undefined && { matched }) };
  });
}

/** True while some rows of the endpoint await the backfill (a probe of a small partial index). */
async function hasUnsearchable(client: pg.PoolClient, endpointId: string): Promise<boolean> {
  const { rows } = await client.query<{ pending: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM captures WHERE endpoint_id = $1 AND search_version IS NULL) AS pending', [endpointId]);
  return rows[0]?.pending ?? false;
}

/**
 * Terms whose matches the planner tends to take for common and spread evenly — words (trigram
 * index) and exact keys (delivery ids, peers, headers: `tags`) — so it walks along ids through
 * them, which is slow when they are rare or old. When a query has one and the planner expects
 * at most BITMAP_FIRST_MAX matches, the walk is ruled out for this transaction and the indexes
 * find every match at once. Resolves to the estimate (undefined when none was needed).
 */
export async function choosePlan(client: pg.PoolClient, endpointId: string, query: CaptureQuery): Promise<number | undefined> {
  if (!query.terms.some(misjudged)) return undefined;
  const condition = queryCondition(query, 2);
  const estimate = await estimatedMatches(client, `FROM captures WHERE endpoint_id = $1 AND search_version IS NOT NULL AND ${condition.sql}`, [endpointId, ...condition.params]);
  if (estimate <= BITMAP_FIRST_MAX) await client.query('SET LOCAL enable_indexscan = off');
  return estimate;
}

function misjudged(term: CaptureQuery['terms'][number]): boolean {
  if (term.negated) return false;
  if (term.field === 'text' || term.field === 'header') return true;
  return (term.field === 'delivery' || term.field === 'peer') && !term.pattern.includes('*');
}

/** How many rows the planner expects to match (planning only, about a millisecond). */
async function estimatedMatches(client: pg.PoolClient, from: string, params: unknown[]): Promise<number> {
  const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(`EXPLAIN (FORMAT JSON) SELECT 1 ${from}`, params);
  return rows[0]?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? Infinity;
}

/** The number of matches, or undefined when counting takes longer than the budget. */
async function boundedCount(client: pg.PoolClient, from: string, params: unknown[]): Promise<number | undefined> {
  await client.query(`SET LOCAL statement_timeout = ${COUNT_BUDGET_MS}`);
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::integer AS n ${from}`, params);
    return rows[0]?.n;
  } catch (error) {
    if ((error as { code?: string }).code === '57014') return undefined; // cancelled: not cheap after all
    throw error;
  }
}

/** Up to `limit` matches among rows not backfilled yet, newest first, decided by the reference semantics. */
async function scanUnsearchable(client: pg.PoolClient, source: UnsearchableSource, endpointId: string, query: CaptureQuery, limit: number, before: string | undefined): Promise<CaptureSummary[]> {
  const scan = {
    pageBefore: async (cursor: string | undefined, size: number) => {
      const { rows } = await client.query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM captures WHERE endpoint_id = $1 AND search_version IS NULL AND ($2::text IS NULL OR id < $2)
          ORDER BY id DESC LIMIT $3`,
        [endpointId, cursor ?? null, size],
      );
      return rows.map(summaryFromRow);
    },
    get: (id: string) => source.get(id),
  };
  return (await scanQuery(scan, query, limit, before)).items;
}
