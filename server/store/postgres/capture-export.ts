import type { StoredCapture } from '../store';
import { captureFromRow, SUMMARY_COLUMNS, type CaptureRow } from './capture-rows';
import type { Database } from './database';

/**
 * Store.readAfter on PostgreSQL: whole captures after a cursor, oldest first, in one query —
 * at most `limit` rows, cut where the running total of body bytes passes `maxBytes` (the first
 * row always comes). NotFoundError is left to the caller (an unknown endpoint has no rows).
 */
export async function readCapturesAfter(db: Database, endpointId: string, cursor: string | undefined, limit: number, maxBytes: number): Promise<StoredCapture[]> {
  const { rows } = await db.query<CaptureRow>(
    `SELECT ${SUMMARY_COLUMNS}, headers, body, replays FROM (
       SELECT ${SUMMARY_COLUMNS}, headers, body,
              COALESCE((SELECT json_agg(r.attempt ORDER BY r.position) FROM capture_replays r WHERE r.capture_id = c.id), '[]') AS replays,
              sum(octet_length(body)) OVER (ORDER BY id) - octet_length(body) AS before_bytes
         FROM captures c WHERE endpoint_id = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3
     ) page WHERE before_bytes < $4 ORDER BY id`,
    [endpointId, cursor ?? null, limit, maxBytes],
  );
  return rows.map(captureFromRow);
}
