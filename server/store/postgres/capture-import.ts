import type { Endpoint } from '../../../shared/endpoint';
import type { StoredCapture } from '../store';
import { INSERT_COLUMNS, insertPlaceholders, insertValues } from './capture-columns';
import { idOrderKey } from './capture-rows';
import type { Database } from './database';

/**
 * Writes an endpoint as the source has it: inserted when new (keeping creation order), its
 * config replaced when present — so importing twice gives the same result.
 */
export async function upsertEndpoint(db: Database, endpoint: Endpoint): Promise<void> {
  await db.query(
    `INSERT INTO endpoints (id, config, max_captures) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET config = EXCLUDED.config, max_captures = EXCLUDED.max_captures`,
    [endpoint.id, JSON.stringify(endpoint), endpoint.retention.maxCaptures],
  );
}

/**
 * Copies captures with their ids, bytes and replay attempts; ids already present are left alone
 * (resolves to how many were new). Under the endpoint row lock, the endpoint's id clock is moved
 * past the newest imported id so captures appended later sort after them, and retention applies.
 */
export async function importCaptures(db: Database, endpointId: string, captures: StoredCapture[]): Promise<number> {
  return db.transaction(async (client) => {
    const { rows: locked } = await client.query<{ max_captures: number }>('SELECT max_captures FROM endpoints WHERE id = $1 FOR UPDATE', [endpointId]);
    if (!locked[0]) throw new Error(`endpoint ${endpointId} is not in the database`);
    let inserted = 0;
    for (const capture of captures) {
      const { rowCount } = await client.query(
        `INSERT INTO captures (${INSERT_COLUMNS}) VALUES (${insertPlaceholders()}) ON CONFLICT (id) DO NOTHING`,
        insertValues(capture, endpointId),
      );
      if (!rowCount) continue;
      inserted += 1;
      for (const attempt of capture.replays) {
        await client.query('INSERT INTO capture_replays (capture_id, attempt) VALUES ($1, $2)', [capture.id, JSON.stringify(attempt)]);
      }
    }
    const newest = captures.map((c) => idOrderKey(c.id)).filter((k) => k !== null).at(-1);
    if (newest) {
      await client.query(
        `UPDATE endpoints SET last_ms = $2, last_counter = $3
          WHERE id = $1 AND (last_ms, last_counter) < ($2::bigint, $3::integer)`,
        [endpointId, newest.ms, newest.counter],
      );
    }
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::integer AS n FROM captures WHERE endpoint_id = $1', [endpointId]);
    const count = rows[0]?.n ?? 0;
    const excess = Math.max(0, count - locked[0].max_captures);
    if (excess > 0) {
      await client.query('DELETE FROM captures WHERE id IN (SELECT id FROM captures WHERE endpoint_id = $1 ORDER BY id LIMIT $2)', [endpointId, excess]);
    }
    await client.query('UPDATE endpoints SET capture_count = $2 WHERE id = $1', [endpointId, count - excess]);
    return inserted;
  });
}
