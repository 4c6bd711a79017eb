import { createHash } from 'node:crypto';
import type { CaptureSummary, HeaderPairs } from '../../../shared/capture';
import { deliveryIdForms, peerForms } from '../../../shared/query';
import { captureSearchText } from '../query-scan';

/**
 * Version of the derivation below. Rows carry it in `search_version`; NULL means "not derived
 * yet" (stored before migration 4), and the backfill derives those.
 */
export const SEARCH_VERSION = 1;

/** Event types and paths are kept for b-trees cut at this length (and whole beside when longer). */
export const CUT = 200; // characters

/** Longest exact-match key kept whole in `tags`; a longer one is cut and ends with its hash. */
const MAX_TAG = 400; // characters

/**
 * What the query language needs of one capture, as columns (migration 0004). Every text is
 * NUL-free and well-formed (PostgreSQL text and jsonb refuse NUL and lone surrogates; both become
 * U+FFFD here and in query values alike).
 */
export interface SearchColumns {
  version: number;
  /** Upper-cased, at most 32 characters (the language's methods are at most 20 letters). */
  method: string;
  status: number;
  sig: string;
  schema: string;
  /** Lower-cased, cut at CUT characters; null when nothing names the event. */
  event: string | null;
  /** The whole lower-cased event type when it is longer than CUT, else null. */
  eventWhole: string | null;
  /** '/' for the bare endpoint URL, as `path:` sees it; cut at CUT characters. */
  path: string;
  /** The whole path when it is longer than CUT, else null. */
  pathWhole: string | null;
  peer: string;
  duplicate: boolean;
  rejected: boolean;
  /** Exact-match keys: delivery id forms, peer forms, header names and `name=value` lines. */
  tags: string[];
  /** Every header as `name=value`, lower-cased and whole (for `header:` globs). */
  headers: string[];
  /** Body search text, then path and query (server/store/query-scan.ts captureSearchText). */
  text: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as PostgreSQL can hold it: NUL and lone surrogates become U+FFFD. */
export function storableText(value: string): string {
  return value.replace(/\0/g, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}

/** An exact-match key: `<kind>:<value>`, cut with a hash of the whole when too long. */
export function tagOf(kind: 'd' | 'p' | 'h', value: string): string {
  const whole = `${kind}:${storableText(value)}`;
  if (whole.length <= MAX_TAG) return whole;
  return `${whole.slice(0, MAX_TAG - 34)}#${createHash('sha256').update(whole).digest('hex').slice(0, 32)}`;
}

/** Whether tagOf keeps the value whole (else it is cut and ends with its hash). */
export function tagIsWhole(kind: 'd' | 'p' | 'h', value: string): boolean {
  return `${kind}:${storableText(value)}`.length <= MAX_TAG;
}

/** A header as `header:` terms compare it: `name=value`, lower-cased. */
export function headerLine(name: string, value: string): string {
  return storableText(`${name.toLowerCase()}=${value.toLowerCase()}`);
}

/** The derived columns of a capture (the same for an append, an import and the backfill). */
export function searchColumns(capture: Omit<CaptureSummary, 'id'> & { headers: HeaderPairs; body: Buffer }): SearchColumns {
  const tags = new Set<string>();
  if (capture.deliveryId !== null) for (const form of deliveryIdForms(capture.deliveryId)) tags.add(tagOf('d', form));
  for (const form of peerForms(capture.peer)) tags.add(tagOf('p', form));
  const headers: string[] = [];
  for (const [name, value] of capture.headers) {
    tags.add(tagOf('h', name.toLowerCase()));
    tags.add(tagOf('h', `${name.toLowerCase()}=${value.toLowerCase()}`));
    headers.push(headerLine(name, value));
  }
  const event = capture.eventType === null ? null : storableText(capture.eventType.toLowerCase());
  const path = storableText(capture.path === '' ? '/' : capture.path);
  return {
    version: SEARCH_VERSION,
    method: storableText(capture.method.toUpperCase().slice(0, 32)),
    status: capture.reply.status,
    sig: capture.verdicts.signature.status,
    schema: capture.verdicts.schema.status,
    event: event === null ? null : event.slice(0, CUT),
    eventWhole: event !== null && event.length > CUT ? event : null,
    path: path.slice(0, CUT),
    pathWhole: path.length > CUT ? path : null,
    peer: storableText(capture.peer),
    duplicate: capture.duplicateOf !== null,
    rejected: capture.reply.rejected !== undefined,
    tags: [...tags],
    headers,
    text: storableText(captureSearchText(capture)),
  };
}
