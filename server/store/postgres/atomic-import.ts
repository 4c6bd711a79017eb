import type { NewCapture, StoredCapture } from '../store';
import { appendArrays } from './capture-columns';
import { deliveryIdColumn, metaOf } from './capture-rows';
import type { Database } from './database';
import { metaDigest, sealed } from './row-checksums';

const CHUNK = 500; // captures per hookscope_append_rows call, all in one transaction

/**
 * Store.importCaptures on PostgreSQL: every capture in one transaction, through
 * hookscope_append_rows (the same id scheme, endpoint lock, checksums and search columns as
 * appends), so a crash or an
 * error anywhere keeps none of them. `duplicateOf` points at the first capture with the same
 * delivery id, already stored or earlier in the batch. PostgreSQL keeps no import ids: a retry
 * after a commit the client never heard of stores the captures again.
 */
export async function importCapturesAtomically(
  db: Database, endpointId: string, captures: NewCapture[], now: () => number, newIdSuffix: () => string,
): Promise<StoredCapture[]> {
  return db.transaction(async (client) => {
    const wanted = [...new Set(captures.flatMap((c) => (c.deliveryId === null ? [] : [deliveryIdColumn(c.deliveryId) as string])))];
    const first = new Map<string, string>();
    if (wanted.length > 0) {
      const { rows } = await client.query<{ delivery_id: string; id: string }>(
        'SELECT delivery_id, min(id) AS id FROM captures WHERE endpoint_id = $1 AND delivery_id = ANY($2) GROUP BY delivery_id',
        [endpointId, wanted],
      );
      for (const row of rows) first.set(row.delivery_id, row.id);
    }
    const stored: StoredCapture[] = [];
    for (let start = 0; start < captures.length; start += CHUNK) {
      const chunk = captures.slice(start, start + CHUNK).map((c) => ({ ...c, endpointId, duplicateOf: c.deliveryId === null ? null : (first.get(deliveryIdColumn(c.deliveryId) as string) ?? null) }));
      const { rows } = await client.query<{ capture_id: string }>(
        'SELECT capture_id FROM hookscope_append_rows($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
        [endpointId, now(), ...appendArrays(chunk, newIdSuffix)],
      );
      for (const [i, capture] of chunk.entries()) {
        const id = (rows[i] as { capture_id: string }).capture_id;
        const key = capture.deliveryId === null ? null : (deliveryIdColumn(capture.deliveryId) as string);
        if (key !== null && !first.has(key)) first.set(key, id);
        else if (key !== null && capture.duplicateOf === null) {
          // Its first holder came earlier in this very chunk: only known now. The summary's
          // checksum and the is:duplicate column change with it.
          capture.duplicateOf = first.get(key) as string;
          const meta = metaOf(capture);
          await client.query('UPDATE captures SET meta = $2, meta_sum = $3, is_duplicate = true WHERE id = $1', [id, meta, sealed(id, metaDigest(endpointId, meta))]);
        }
        stored.push({ ...capture, id, replays: [] });
      }
    }
    return stored;
  });
}
