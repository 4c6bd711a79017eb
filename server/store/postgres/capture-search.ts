import type pg from 'pg';
import type { CaptureSummary } from '../../../shared/capture';
import type { CaptureQuery } from '../../../shared/query';
import { scanQuery } from '../query-scan';
import type { StoredCapture } from '../store';
import { summaryFromRow, SUMMARY_COLUMNS, type SummaryRow } from './capture-rows';
import type { Database } from './database';
import { queryCondition } from './query-sql';

/**
 * How a page of a word or key search is found (choosePlan, pageRows). Measured at 1,000,000
 * captures: the indexes (a bitmap) read every match, about 18 µs each, while a walk along ids
 * from the newest reads about 5 µs per row until the page is full — quick when matches are
 * common and recent, seconds when they are old.
 */
export interface SearchTuning {
  /** Matches the planner may expect of words for the indexes to be used at once (a bitmap this size reads in tens of ms). */
  bitmapFirstMax: number;
  /**
   * The same for a query with an exact key (delivery id, peer, header): the planner's estimates
   * of `tags` are far from the truth (thousands for a key held once), so only a large estimate
   * is believed.
   */
  keyBitmapFirstMax: number;
  /** Beyond that: how long a walk along ids may take before the indexes find the page instead, ms. */
  walkBudgetMs: number;
  /** Called when a walk ran out of its budget (tests). */
  onWalkAbandoned?: () => void;
}

export const SEARCH_TUNING: SearchTuning = { bitmapFirstMax: 2_000, keyBitmapFirstMax: 20_000, walkBudgetMs: 80 };

/** What choosePlan decided: the planner's estimate, and whether a walk along ids is tried first. */
export interface SearchPlan {
  estimate: number;
  walkFirst: boolean;
}

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
export async function searchCaptures(
  db: Database, source: UnsearchableSource, endpointId: string, query: CaptureQuery, limit: number, before: string | undefined, tuning = SEARCH_TUNING,
): Promise<SearchPage> {
  const statement = searchStatement(endpointId, query, limit, before);
  const counted = queryCondition(query, 2);
  const matches = { from: `FROM captures WHERE endpoint_id = $1 AND search_version IS NOT NULL AND ${counted.sql}`, params: [endpointId, ...counted.params] };
  // One snapshot for everything: a row the backfill fills meanwhile is seen on exactly one side.
  return db.transaction(async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const plan = await choosePlan(client, endpointId, query, tuning);
    let estimate = plan?.estimate;
    let items = (await pageRows(client, statement, plan?.walkFirst === true, tuning)).map(summaryFromRow);
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
 * at most `bitmapFirstMax` matches, the walk is ruled out for this transaction and the indexes
 * find every match at once. Resolves to the estimate (undefined when none was needed).
 */
export async function choosePlan(client: pg.PoolClient, endpointId: string, query: CaptureQuery, tuning = SEARCH_TUNING): Promise<SearchPlan | undefined> {
  if (!query.terms.some(misjudged)) return undefined;
  const condition = queryCondition(query, 2);
  const estimate = await estimatedMatches(client, `FROM captures WHERE endpoint_id = $1 AND search_version IS NOT NULL AND ${condition.sql}`, [endpointId, ...condition.params]);
  const keyed = query.terms.some((term) => !term.negated && term.field !== 'text' && misjudged(term));
  if (estimate <= (keyed ? tuning.keyBitmapFirstMax : tuning.bitmapFirstMax)) {
    await client.query('SET LOCAL enable_indexscan = off');
    return { estimate, walkFirst: false };
  }
  return { estimate, walkFirst: !keyed };
}

/**
 * The rows of a page. Words expected to match more than `bitmapFirstMax` rows are first
 * looked for by a walk along ids within `walkBudgetMs` (a savepoint undoes its timeout); when the
 * walk runs out — the matches are old, or fewer than expected — the indexes find the page.
 */
async function pageRows(client: pg.PoolClient, statement: { text: string; values: unknown[] }, walkFirst: boolean, tuning: SearchTuning): Promise<SummaryRow[]> {
  if (!walkFirst) return (await client.query<SummaryRow>(statement.text, statement.values)).rows;
  await client.query('SAVEPOINT walk');
  let rows: SummaryRow[] | null = null;
  try {
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(tuning.walkBudgetMs))}`);
    await client.query('SET LOCAL enable_bitmapscan = off');
    rows = (await client.query<SummaryRow>(statement.text, statement.values)).rows;
  } catch (error) {
    if ((error as { code?: string }).code !== '57014') throw error; // 57014: cancelled by the timeout
    tuning.onWalkAbandoned?.();
  }
  await client.query('ROLLBACK TO SAVEPOINT walk'); // the settings above end here; the snapshot stays
  if (rows) return rows;
  await client.query('SET LOCAL enable_indexscan = off');
  return (await client.query<SummaryRow>(statement.text, statement.values)).rows;
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
