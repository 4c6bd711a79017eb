import { createHash } from 'node:crypto';
import type { HeaderPairs } from '../../../shared/capture';
import { DamagedCaptureError } from '../../errors';

/** Where damaged captures are, for messages: the table that holds them. */
export const CAPTURES_TABLE = 'postgres table captures';

/**
 * Checksums of a capture row (migration 0004), SHA-256 both:
 *
 *   meta_sum = sha256(id '\n' sha256(endpoint_id '\n' meta))         — the summary as stored (json text)
 *   body_sum = sha256(id '\n' sha256(headers-json '\n' body bytes))  — the request as stored
 *
 * `headers-json` is JSON.stringify of the header pairs (jsonb keeps the strings, not the
 * spacing, so the text is rebuilt from the parsed value). The inner digests are computed in Node
 * at append, outside the endpoint's lock; the database binds them to the id it gives
 * (hookscope_append_rows), so a row's bytes cannot pass for another row's.
 */
export function metaDigest(endpointId: string, metaText: string): Buffer {
  return createHash('sha256').update(`${endpointId}\n${metaText}`).digest();
}

export function bodyDigest(headersJson: string, body: Buffer): Buffer {
  return createHash('sha256').update(`${headersJson}\n`).update(body).digest();
}

/** The stored sum: an inner digest bound to the capture id (what hookscope_append_rows computes in SQL). */
export function sealed(id: string, digest: Buffer): Buffer {
  return createHash('sha256').update(`${id}\n`).update(digest).digest();
}

export interface SummarySums {
  id: string;
  endpoint_id: string;
  /** The `meta` column as text (json keeps it as written). */
  meta: string;
  meta_sum: Buffer | null;
}

export interface BodySums {
  id: string;
  headers: HeaderPairs;
  body: Buffer;
  body_sum: Buffer | null;
}

/** Why a row's summary does not match its checksum, or null when it does (or has none yet). */
export function summaryDamage(row: SummarySums): string | null {
  if (row.meta_sum === null) return null; // stored before checksums; sealed by the backfill
  return sealed(row.id, metaDigest(row.endpoint_id, row.meta)).equals(row.meta_sum) ? null : 'its metadata does not match the checksum written with it';
}

/** Why a row's headers and body do not match their checksum, or null when they do (or have none yet). */
export function bodyDamage(row: BodySums): string | null {
  if (row.body_sum === null) return null;
  return sealed(row.id, bodyDigest(JSON.stringify(row.headers), row.body)).equals(row.body_sum) ? null : 'its body or headers do not match the checksum written with them';
}

/** Throws DamagedCaptureError when the summary part of a row was changed since it was written. */
export function verifySummary(row: SummarySums): void {
  const damage = summaryDamage(row);
  if (damage) throw new DamagedCaptureError(row.id, CAPTURES_TABLE, damage);
}

/** Throws DamagedCaptureError when the headers or body of a row were changed since they were written. */
export function verifyBody(row: BodySums): void {
  const damage = bodyDamage(row);
  if (damage) throw new DamagedCaptureError(row.id, CAPTURES_TABLE, damage);
}
