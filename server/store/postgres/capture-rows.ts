import { randomBytes } from 'node:crypto';
import type { CaptureSummary, HeaderPairs, ReplayAttempt } from '../../../shared/capture';
import { summaryOf } from '../capture-record';
import type { StoredCapture } from '../store';
import { DamagedCaptureError } from '../../errors';
import { CAPTURES_TABLE, verifyBody, verifySummary } from './row-checksums';

/** Columns a summary is read from: `meta` as its stored text, so its checksum can be verified. */
export const SUMMARY_COLUMNS = 'id, endpoint_id, meta::text AS meta, meta_sum';

export interface SummaryRow {
  id: string;
  endpoint_id: string;
  /** The summary fields but id and endpointId, as JSON text. */
  meta: string;
  meta_sum: Buffer | null;
}

export interface CaptureRow extends SummaryRow {
  headers: HeaderPairs;
  body: Buffer;
  body_sum: Buffer | null;
  replays: ReplayAttempt[];
}

/** The summary of a row; DamagedCaptureError when it no longer matches its checksum. */
export function summaryFromRow(row: SummaryRow): CaptureSummary {
  verifySummary(row);
  let meta: Omit<CaptureSummary, 'id' | 'endpointId'>;
  try {
    meta = JSON.parse(row.meta) as Omit<CaptureSummary, 'id' | 'endpointId'>;
  } catch {
    throw new DamagedCaptureError(row.id, CAPTURES_TABLE, 'its metadata is not JSON');
  }
  return summaryOf({ ...meta, id: row.id, endpointId: row.endpoint_id });
}

/** The whole capture of a row; DamagedCaptureError when any part no longer matches its checksum. */
export function captureFromRow(row: CaptureRow): StoredCapture {
  verifyBody(row);
  return { ...summaryFromRow(row), headers: row.headers, body: row.body, replays: row.replays };
}

/** The `meta` column: every summary field but the two kept as columns. */
export function metaOf(capture: Omit<CaptureSummary, 'id'>): string {
  const { id: _id, endpointId: _endpointId, ...meta } = summaryOf({ ...capture, id: '' });
  return JSON.stringify(meta);
}

/**
 * The indexed delivery id column: text cannot hold NUL, which a payload-chosen id might; the
 * exact value stays in `meta`, and lookups apply the same mapping.
 */
export function deliveryIdColumn(deliveryId: string | null): string | null {
  return deliveryId === null ? null : deliveryId.replace(/\0/g, '\uFFFD');
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** The 7 random base-36 characters ending a capture id (ids are unique across endpoints). */
export function randomIdSuffix(): string {
  let out = '';
  for (const byte of randomBytes(7)) out += ALPHABET[byte % 36];
  return out;
}

/** The (ms, counter) ordering key of a lowdb-format capture id, or null for another format. */
export function idOrderKey(id: string): { ms: number; counter: number } | null {
  if (!/^[0-9a-z]{13}/.test(id)) return null;
  return { ms: parseInt(id.slice(0, 9), 36), counter: parseInt(id.slice(9, 13), 36) };
}
