import type { HeaderPairs } from '../../shared/capture';
import { SKIPPED_SCHEMA, SKIPPED_SIGNATURE } from '../../shared/verdicts';
import type { NewCapture } from '../store/store';

/** A delivery as it came off the wire, before any judgement. */
export interface RawDelivery {
  endpointId: string;
  method: string;
  /** Sub-path after `/h/:endpointId`, as sent (not decoded). */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  /** Full URL the sender used (scheme and host from the proxy headers when trusted). */
  url: string;
  headers: HeaderPairs;
  peer: string;
  body: Buffer;
  receivedAt: number; // ms since epoch
}

/** `rawHeaders` (flat name, value, name, value…) as pairs, order, case and repeats kept. */
export function headerPairs(rawHeaders: string[]): HeaderPairs {
  const pairs: HeaderPairs = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i] as string, rawHeaders[i + 1] as string]);
  return pairs;
}

/** First value of a header, matched case-insensitively, or null. */
export function headerValue(headers: HeaderPairs, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [key, value] of headers) if (key.toLowerCase() === lower) return value;
  return null;
}

/** Every value of a header, in arrival order (repeats are not merged). */
export function headerValues(headers: HeaderPairs, name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value);
}

/** Splits `/h/<id>/sub/path?x=1` into endpoint id, sub-path and query, without decoding. */
export function splitIngestUrl(originalUrl: string): { endpointId: string; path: string; query: string } {
  const q = originalUrl.indexOf('?');
  const pathname = q === -1 ? originalUrl : originalUrl.slice(0, q);
  const query = q === -1 ? '' : originalUrl.slice(q + 1);
  const rest = pathname.replace(/^\/h\//, '');
  const slash = rest.indexOf('/');
  const endpointId = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash));
  return { endpointId, path: slash === -1 ? '' : rest.slice(slash), query };
}

/** The capture record of a delivery, before verdicts are attached. */
export function newCapture(delivery: RawDelivery, reply: { status: number; rejected?: string }): NewCapture {
  return {
    endpointId: delivery.endpointId,
    receivedAt: delivery.receivedAt,
    method: delivery.method,
    path: delivery.path,
    query: delivery.query,
    peer: delivery.peer,
    headers: delivery.headers,
    body: delivery.body,
    size: delivery.body.length,
    contentType: headerValue(delivery.headers, 'content-type'),
    reply,
    verdicts: { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA },
    deliveryId: null,
    duplicateOf: null,
  };
}
