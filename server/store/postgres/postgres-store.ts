import type pg from 'pg';
import type { CaptureSummary, DeliveryAttempt, ReplayAttempt } from '../../../shared/capture';
import type { Endpoint } from '../../../shared/endpoint';
import { silentLogger } from '../../logging/logger';
import { ConflictError, NotFoundError, StoreUnavailableError } from '../../errors';
import type { CapturePage, ListOptions, NewCapture, Store, StoredCapture } from '../store';
import { AppendBatcher } from './append-batcher';
import { importCapturesAtomically } from './atomic-import';
import { readCapturesAfter } from './capture-export';
import {
  captureFromRow, deliveryIdColumn, randomIdSuffix, summaryFromRow, SUMMARY_COLUMNS, type CaptureRow, type SummaryRow,
} from './capture-rows';
import { Database, withoutNul } from './database';
import { describeDatabase, toStoreError, type PoolOptions } from './pool';
import { searchCaptures } from './capture-search';
import { applyMigrations } from './schema-migrations';
import { SearchBackfill } from './search-backfill';
import { ensureSearchIndexes, type IndexState } from './search-indexes';

export interface PostgresStoreOptions extends PoolOptions {
  /** Clock for the time part of capture ids, ms. */
  now?: () => number;
  /** Random tail of capture ids (tests make it predictable). */
  newIdSuffix?: () => string;
  /**
   * Fill the search columns and checksums of rows stored before migration 0004 in the background
   * (default true; tests of the not-yet-filled state turn it off).
   */
  backfill?: boolean;
}

/** How long another instance's endpoint change may take to show here, ms. */
export const ENDPOINT_CACHE_MS = 1_000;

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/**
 * The shared store for teams and several instances: one PostgreSQL database (schema in
 * ./migrations, applied at open). Capture ids come from `hookscope_append[_batch]`, which
 * serializes appends per endpoint under the endpoint row's lock so ids commit in the order they
 * sort (see migrations/0001): cursors (`after`, `listAfter`) never skip a row that commits late.
 * Appends to one endpoint are group-committed (AppendBatcher).
 * Failures to reach the database reject with StoreUnavailableError (503 at the HTTP edge).
 */
export class PostgresStore implements Store {
  readonly description: string;
  readonly db: Database;
  /** Where the database is (the LISTEN/NOTIFY hub opens its own connection there). */
  readonly connectionString: string;
  /** Fills rows stored before the search columns existed (started by open). */
  readonly backfill: SearchBackfill;
  /** The search indexes: built at open on a new database, in the background on an upgraded one. */
  searchIndexes: IndexState = { built: Promise.resolve(), trigram: Promise.resolve(false), stop: () => Promise.resolve() };
  private readonly appends: AppendBatcher;
  private readonly ids: { now: () => number; suffix: () => string };
  private closing = false;
  private endpointCache = new Map<string, { endpoint: Endpoint; until: number }>();

  private constructor(options: PostgresStoreOptions) {
    this.description = describeDatabase(options.connectionString);
    this.connectionString = options.connectionString;
    this.db = new Database(options);
    this.ids = { now: options.now ?? Date.now, suffix: options.newIdSuffix ?? randomIdSuffix };
    this.appends = new AppendBatcher(this.db, this.ids.now, this.ids.suffix);
    this.backfill = new SearchBackfill(this.db, { ...(options.logger && { logger: options.logger }), recheckEveryMs: 10 * 60_000 });
  }

  /** Connects and migrates the schema; rejects (StoreUnavailableError) when the database is unreachable. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    const logger = options.logger ?? silentLogger();
    try {
      await applyMigrations(store.db.pool, logger);
    } catch (error) {
      await store.db.close().catch(() => undefined);
      throw toStoreError(error);
    }
    try {
      store.searchIndexes = await ensureSearchIndexes(store.db.pool, logger);
    } catch (error) {
      await store.db.close().catch(() => undefined);
      throw toStoreError(error);
    }
    if (options.backfill !== false) void store.backfill.start();
    return store;
  }

  /** A round trip to the database within 2 s (a probe must answer even when the network hangs). */
  async ready(): Promise<boolean> {
    if (this.db.isClosed) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 2_000)));
    const probe = this.db.query('SELECT 1').then(() => true, () => false);
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.searchIndexes.stop();
    await this.backfill.stop();
    await this.appends.idle();
    await this.db.close();
  }

  async listEndpoints(): Promise<Endpoint[]> {
    const { rows } = await this.db.query<{ config: Endpoint }>('SELECT config FROM endpoints ORDER BY position');
    return rows.map((r) => r.config);
  }

  /**
   * Ingest reads the endpoint on every delivery, so found endpoints are cached for
   * ENDPOINT_CACHE_MS: this instance's own changes show at once, another instance's within that
   * time. Absence is never cached (an endpoint created elsewhere takes deliveries at once).
   */
  async getEndpoint(id: string): Promise<Endpoint | null> {
    const hit = this.endpointCache.get(id);
    if (hit && hit.until > Date.now()) return structuredClone(hit.endpoint);
    const { rows } = await this.db.query<{ config: Endpoint }>('SELECT config FROM endpoints WHERE id = $1', [id]);
    const endpoint = rows[0]?.config ?? null;
    if (endpoint) {
      if (this.endpointCache.size >= 10_000) this.endpointCache.clear();
      this.endpointCache.set(id, { endpoint: structuredClone(endpoint), until: Date.now() + ENDPOINT_CACHE_MS });
    } else {
      this.endpointCache.delete(id);
    }
    return endpoint;
  }

  async createEndpoint(endpoint: Endpoint): Promise<Endpoint> {
    const { rowCount } = await this.db.query(
      'INSERT INTO endpoints (id, config, max_captures) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
      [endpoint.id, JSON.stringify(endpoint), endpoint.retention.maxCaptures],
    );
    if (rowCount === 0) throw new ConflictError(`endpoint ${endpoint.id} already exists`);
    return endpoint;
  }

  async updateEndpoint(endpoint: Endpoint): Promise<Endpoint> {
    this.endpointCache.delete(endpoint.id);
    await this.db.transaction(async (client) => {
      const { rows } = await client.query<{ capture_count: number }>(
        'UPDATE endpoints SET config = $2, max_captures = $3 WHERE id = $1 RETURNING capture_count',
        [endpoint.id, JSON.stringify(endpoint), endpoint.retention.maxCaptures],
      );
      const row = rows[0];
      if (!row) throw new NotFoundError(`no endpoint with id ${endpoint.id}`);
      if (row.capture_count > endpoint.retention.maxCaptures) await evictOldest(client, endpoint.id, row.capture_count - endpoint.retention.maxCaptures);
    });
    this.endpointCache.delete(endpoint.id); // again: a read during the write may have cached the old one
    return endpoint;
  }

  async deleteEndpoint(id: string): Promise<void> {
    this.endpointCache.delete(id);
    const { rowCount } = await this.db.query('DELETE FROM endpoints WHERE id = $1', [id]);
    this.endpointCache.delete(id);
    if (rowCount === 0) throw new NotFoundError(`no endpoint with id ${id}`);
  }

  async append(capture: NewCapture): Promise<StoredCapture> {
    if (this.closing) throw new StoreUnavailableError('the store is closed');
    const id = await this.appends.append(capture);
    return { ...capture, id, replays: [] };
  }

  async importCaptures(endpointId: string, captures: NewCapture[], _importId: string): Promise<StoredCapture[]> {
    if (this.closing) throw new StoreUnavailableError('the store is closed');
    return importCapturesAtomically(this.db, endpointId, captures, this.ids.now, this.ids.suffix);
  }

  async list(endpointId: string, options: ListOptions): Promise<CapturePage> {
    const total = await this.captureCount(endpointId);
    if (total === null) throw new NotFoundError(`no endpoint with id ${endpointId}`);
    if (options.query) {
      const before = options.before === undefined ? undefined : withoutNul(options.before);
      return { ...(await searchCaptures(this.db, this, endpointId, options.query, options.limit, before)), total };
    }
    const before = options.before ?? null;
    let items: CaptureSummary[];
    let more: boolean;
    if (options.after !== undefined) {
      // The `limit` oldest captures after the cursor, shown newest first.
      const { rows } = await this.db.query<SummaryRow & { older: boolean }>(
        `SELECT ${SUMMARY_COLUMNS}, EXISTS (SELECT 1 FROM captures o WHERE o.endpoint_id = $1 AND o.id <= $2) AS older
           FROM captures WHERE endpoint_id = $1 AND id > $2 AND ($3::text IS NULL OR id < $3) ORDER BY id LIMIT $4`,
        [endpointId, options.after, before, options.limit],
      );
      items = rows.map(summaryFromRow).reverse();
      more = rows[0]?.older ?? false;
    } else {
      // One row beyond the page tells whether an older page exists.
      const { rows } = await this.db.query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM captures WHERE endpoint_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
        [endpointId, before, options.limit + 1],
      );
      more = rows.length > options.limit;
      items = rows.slice(0, options.limit).map(summaryFromRow);
    }
    const last = items[items.length - 1];
    return { items, nextBefore: more && last ? last.id : null, total };
  }

  async listAfter(endpointId: string, cursor: string | undefined, limit: number): Promise<CaptureSummary[]> {
    const { rows } = await this.db.query<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM captures WHERE endpoint_id = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3`,
      [endpointId, cursor ?? null, limit],
    );
    if (rows.length === 0 && (await this.captureCount(endpointId)) === null) throw new NotFoundError(`no endpoint with id ${endpointId}`);
    return rows.map(summaryFromRow);
  }

  async readAfter(endpointId: string, cursor: string | undefined, limit: number, maxBytes: number): Promise<StoredCapture[]> {
    const captures = await readCapturesAfter(this.db, endpointId, cursor, limit, maxBytes);
    if (captures.length === 0 && (await this.captureCount(endpointId)) === null) throw new NotFoundError(`no endpoint with id ${endpointId}`);
    return captures;
  }

  async count(endpointId: string): Promise<number> {
    return (await this.captureCount(endpointId)) ?? 0;
  }

  async get(id: string): Promise<StoredCapture | null> {
    const { rows } = await this.db.query<CaptureRow>(
      `SELECT ${SUMMARY_COLUMNS}, headers, body, body_sum,
              COALESCE((SELECT json_agg(r.attempt ORDER BY r.position) FROM capture_replays r WHERE r.capture_id = c.id), '[]') AS replays
         FROM captures c WHERE id = $1`,
      [id],
    );
    return rows[0] ? captureFromRow(rows[0]) : null;
  }

  async findByDeliveryId(endpointId: string, deliveryId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ id: string }>(
      'SELECT id FROM captures WHERE endpoint_id = $1 AND delivery_id = $2 ORDER BY id LIMIT 1',
      [endpointId, deliveryIdColumn(deliveryId)],
    );
    return rows[0]?.id ?? null;
  }

  async deliveryAttempts(endpointId: string, deliveryId: string, limit: number): Promise<DeliveryAttempt[]> {
    // captures_delivery_idx (endpoint_id, delivery_id, id) serves both the filter and the order.
    const { rows } = await this.db.query<{ id: string; received_at: string; status: number }>(
      `SELECT id, received_at, (meta->'reply'->>'status')::integer AS status FROM captures
        WHERE endpoint_id = $1 AND delivery_id = $2 ORDER BY id LIMIT $3`,
      [endpointId, deliveryIdColumn(deliveryId), limit],
    );
    return rows.map((row) => ({ id: row.id, receivedAt: Number(row.received_at), status: row.status }));
  }

  async deleteCapture(raw: string): Promise<string | null> {
    const id = withoutNul(raw);
    return this.db.transaction(async (client) => {
      const { rows } = await client.query<{ endpoint_id: string }>('SELECT endpoint_id FROM captures WHERE id = $1', [id]);
      const endpointId = rows[0]?.endpoint_id;
      if (endpointId === undefined) return null;
      // Endpoint row first, then captures: the lock order of hookscope_append (no deadlock).
      await client.query('SELECT 1 FROM endpoints WHERE id = $1 FOR UPDATE', [endpointId]);
      const { rowCount } = await client.query('DELETE FROM captures WHERE id = $1', [id]);
      if (!rowCount) return null; // evicted meanwhile
      await client.query('UPDATE endpoints SET capture_count = capture_count - 1 WHERE id = $1', [endpointId]);
      return endpointId;
    });
  }

  async clearCaptures(raw: string): Promise<number> {
    const endpointId = withoutNul(raw);
    return this.db.transaction(async (client) => {
      const { rowCount: found } = await client.query('SELECT 1 FROM endpoints WHERE id = $1 FOR UPDATE', [endpointId]);
      if (!found) throw new NotFoundError(`no endpoint with id ${endpointId}`);
      const { rowCount } = await client.query('DELETE FROM captures WHERE endpoint_id = $1', [endpointId]);
      await client.query('UPDATE endpoints SET capture_count = 0 WHERE id = $1', [endpointId]);
      return rowCount ?? 0;
    });
  }

  async addReplayAttempt(captureId: string, attempt: ReplayAttempt): Promise<void> {
    try {
      await this.db.query('INSERT INTO capture_replays (capture_id, attempt) VALUES ($1, $2)', [captureId, JSON.stringify(attempt)]);
    } catch (error) {
      if ((error as { code?: string }).code === '23503') throw new NotFoundError(`no capture with id ${captureId}`);
      throw error;
    }
  }

  /** Newest capture id of every endpoint that holds any: where the LISTEN/NOTIFY hub starts. */
  async latestIds(): Promise<Map<string, string>> {
    const { rows } = await this.db.query<{ id: string; latest: string | null }>(
      'SELECT e.id, (SELECT max(c.id) FROM captures c WHERE c.endpoint_id = e.id) AS latest FROM endpoints e',
    );
    return new Map(rows.filter((r) => r.latest !== null).map((r) => [r.id, r.latest as string]));
  }

  private async captureCount(endpointId: string): Promise<number | null> {
    const { rows } = await this.db.query<{ capture_count: number }>('SELECT capture_count FROM endpoints WHERE id = $1', [endpointId]);
    return rows[0]?.capture_count ?? null;
  }
}

/** Deletes the `excess` oldest captures of an endpoint whose row the caller has locked. */
async function evictOldest(client: Queryable, endpointId: string, excess: number): Promise<void> {
  const { rowCount } = await client.query(
    'DELETE FROM captures WHERE id IN (SELECT id FROM captures WHERE endpoint_id = $1 ORDER BY id LIMIT $2)',
    [endpointId, excess],
  );
  await client.query('UPDATE endpoints SET capture_count = capture_count - $2 WHERE id = $1', [endpointId, rowCount ?? 0]);
}
