import type pg from 'pg';
import type { CaptureSummary, HeaderPairs } from '../../../shared/capture';
import { summaryOf } from '../capture-record';
import { silentLogger, type Logger } from '../../logging/logger';
import type { Database } from './database';
import { bodyDigest, metaDigest, sealed } from './row-checksums';
import { searchColumns } from './search-columns';

/** Body bytes one backfill batch may hold in memory. */
const MAX_BATCH_BYTES = 32 * 1024 * 1024;

/** search_version of a row whose summary could not be read: no term matches it. */
export const UNDERIVABLE = 0;

export interface BackfillOptions {
  /** Rows per transaction. */
  batch?: number;
  /** Where progress lines go. */
  logger?: Logger;
  /** How often a progress line is written at most, ms. */
  progressEveryMs?: number;
  /** How often to look again for rows to fill once done (rows from instances not yet upgraded), ms. */
  recheckEveryMs?: number;
}

interface PendingRow {
  id: string;
  endpoint_id: string;
  meta: string;
  headers: HeaderPairs;
  body: Buffer;
}

/**
 * Fills the search columns and checksums of rows stored before migration 0004 (search_version
 * IS NULL), newest first, a batch per transaction. Resumable by construction: what is done is
 * in the rows, so a restart goes on where it stopped, and several instances share the work
 * (FOR UPDATE SKIP LOCKED). Rows not reached yet are searched the slow way, so answers stay
 * correct meanwhile.
 *
 * Checksums of these rows are computed from their bytes as the backfill reads them: damage
 * done before that cannot be told apart from what was stored, and until then they are served
 * unverified (as before the upgrade). `hookscope check` counts them.
 */
export class SearchBackfill {
  private stopped = false;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly batch: number;
  private readonly logger: Logger;

  constructor(
    private readonly db: Database,
    private readonly options: BackfillOptions = {},
  ) {
    this.batch = options.batch ?? 500;
    this.logger = options.logger ?? silentLogger();
  }

  /** Starts a pass in the background (no-op while one runs); resolves when it ends (tests await it). */
  start(): Promise<void> {
    if (this.running) return this.running;
    const running = this.pass().then(
      () => undefined,
      (error: unknown) => {
        if (!this.stopped) this.logger.warn({ err: error }, `postgres: search backfill stopped (${(error as Error).message}); it resumes at the next start`);
      },
    ).finally(() => {
      this.running = null;
      if (!this.stopped && this.options.recheckEveryMs) this.timer = setTimeout(() => void this.start(), this.options.recheckEveryMs).unref();
    });
    this.running = running;
    return running;
  }

  /** Stops after the batch under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Fills every row found now; resolves to how many. */
  async pass(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM captures WHERE search_version IS NULL');
    const total = rows[0]?.n ?? 0;
    if (total === 0) return 0;
    this.logger.info(`postgres: filling search columns and checksums of ${total.toLocaleString('en-US')} captures stored before this version (queries stay correct meanwhile)`);
    let done = 0;
    let reported = Date.now();
    const started = reported;
    for (;;) {
      if (this.stopped) return done;
      const filled = await this.db.transaction((client) => this.fillBatch(client));
      if (filled === 0) break;
      done += filled;
      if (Date.now() - reported >= (this.options.progressEveryMs ?? 10_000)) {
        reported = Date.now();
        this.logger.info(`postgres: search backfill ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} captures`);
      }
    }
    this.logger.info(`postgres: search backfill done: ${done.toLocaleString('en-US')} captures in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return done;
  }

  private async fillBatch(client: pg.PoolClient): Promise<number> {
    // Sizes first: a batch holds at most MAX_BATCH_BYTES of bodies in memory (at least one row).
    const { rows: pending } = await client.query<{ id: string; size: number }>(
      `SELECT id, octet_length(body) AS size FROM captures WHERE search_version IS NULL
        ORDER BY endpoint_id DESC, id DESC LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [this.batch],
    );
    let bytes = 0;
    const ids = pending.filter((row, i) => (bytes += row.size) <= MAX_BATCH_BYTES || i === 0).map((row) => row.id);
    if (ids.length === 0) return 0;
    const { rows } = await client.query<PendingRow>('SELECT id, endpoint_id, meta::text AS meta, headers, body FROM captures WHERE id = ANY ($1)', [ids]);
    const filled = rows.map((row) => {
      const headersJson = JSON.stringify(row.headers);
      let search: string;
      let seal = true;
      try {
        const summary = summaryOf({ ...(JSON.parse(row.meta) as Omit<CaptureSummary, 'id' | 'endpointId'>), id: row.id, endpointId: row.endpoint_id });
        search = JSON.stringify(searchColumns({ ...summary, headers: row.headers, body: row.body }));
      } catch (error) {
        // Not a capture summary: matched by no field or word from now on; `hookscope check` reports it.
        this.logger.warn({ capture: row.id, err: error }, `postgres: capture ${row.id} cannot be indexed for search (${(error as Error).message})`);
        search = JSON.stringify({ version: UNDERIVABLE });
        seal = false; // nothing vouches for these bytes
      }
      return {
        id: row.id,
        metaSum: seal ? sealed(row.id, metaDigest(row.endpoint_id, row.meta)) : null,
        bodySum: seal ? sealed(row.id, bodyDigest(headersJson, row.body)) : null,
        search,
      };
    });
    await client.query(
      `UPDATE captures c SET meta_sum = u.meta_sum, body_sum = u.body_sum,
              search_version = (u.s->>'version')::smallint, method = u.s->>'method', status = (u.s->>'status')::integer,
              sig = u.s->>'sig', schema_status = u.s->>'schema', event_type = u.s->>'event', event_type_whole = u.s->>'eventWhole',
              path = u.s->>'path', path_whole = u.s->>'pathWhole', peer = u.s->>'peer',
              is_duplicate = (u.s->>'duplicate')::boolean, is_rejected = (u.s->>'rejected')::boolean,
              tags = ARRAY(SELECT jsonb_array_elements_text(u.s->'tags')),
              header_lines = ARRAY(SELECT jsonb_array_elements_text(u.s->'headers')), search_text = u.s->>'text'
         FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::jsonb[]) AS u(id, meta_sum, body_sum, s)
        WHERE c.id = u.id`,
      [filled.map((f) => f.id), filled.map((f) => f.metaSum), filled.map((f) => f.bodySum), filled.map((f) => f.search)],
    );
    return rows.length;
  }
}
