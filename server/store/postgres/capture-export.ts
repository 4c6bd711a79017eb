import type { StoredCapture } from '../store';
import { captureFromRow, SUMMARY_COLUMNS, type CaptureRow } from './capture-rows';
import type { Database } from './database';

/**
 * Store.readAfter on PostgreSQL: whole captures after a cursor, oldest first, in one query —
 * at most `limit` rows (taken first, by the cursor index), cut where the running total of body
 * bytes passes `maxBytes` (the first row always comes). An unknown endpoint has no rows: the
 * caller tells it apart. Every row's checksums are verified (captureFromRow): a damaged capture
 * stops the export with DamagedCaptureError rather than being written out changed.
 */
export async function readCapturesAfter(db: Database, endpointId: string, cursor: string | undefined, limit: number, maxBytes: number): Promise<StoredCapture[]> {
  const { rows } = await db.query<CaptureRow>(
    `SELECT ${SUMMARY_COLUMNS}, headers, body, body_sum,
            COALESCE((SELECT json_agg(r.attempt ORDER BY r.position) FROM capture_replays r WHERE r.capture_id = counted.id), '[]') AS replays
       FROM (SELECT page.*, sum(octet_length(page.body)) OVER (ORDER BY page.id) - octet_length(page.body) AS before_bytes
               FROM (SELECT ${SUMMARY_COLUMNS}, headers, body, body_sum FROM captures
                      WHERE endpoint_id = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3) page) counted
      WHERE before_bytes < $4 ORDER BY id`,
    [endpointId, cursor ?? null, limit, maxBytes],
  );
  return rows.map(captureFromRow);
}
