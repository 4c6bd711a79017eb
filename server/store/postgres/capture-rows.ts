import { randomBytes } from 'node:crypto';
import type { CaptureSummary, HeaderPairs, ReplayAttempt } from '../../../shared/capture';
import { summaryOf } from '../capture-record';
import type { StoredCapture } from '../store';

/** Columns a summary is read from. */
export const SUMMARY_COLUMNS = 'id, endpoint_id, meta';

export interface SummaryRow {
  id: string;
  endpoint_id: string;
  meta: Omit<CaptureSummary, 'id' | 'endpointId'>;
}

export interface CaptureRow extends SummaryRow {
  headers: HeaderPairs;
  body: Buffer;
  replays: ReplayAttempt[];
}

export function summaryFromRow(row: SummaryRow): CaptureSummary {
  return summaryOf({ ...row.meta, id: row.id, endpointId: row.endpoint_id });
}

export function captureFromRow(row: CaptureRow): StoredCapture {
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
