import type { HeaderPairs } from '../../shared/capture';

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
  // Lengths first: most names differ in length, and lower-casing each costs a string.
  for (const [key, value] of headers) if (key.length === lower.length && key.toLowerCase() === lower) return value;
  return null;
}

/** Every value of a header, in arrival order (repeats are not merged). */
export function headerValues(headers: HeaderPairs, name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value);
}
