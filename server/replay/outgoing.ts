import type { AttemptSent, HeaderPairs } from '../../shared/capture';
import { utf8OrNull } from '../delivery/body-text';
import type { BodyValue, HeaderOverrides, SentRequest } from '../../shared/replay';
import { sha256Hex } from '../signing/digests';
import { removeHeader, setHeader, type OutgoingRequest } from '../delivery/outgoing-request';

/** What a replay starts from: the parts of a capture that make a request. */
export interface CapturedRequest {
  method: string;
  /** Sub-path after `/h/:endpointId`, raw. */
  path: string;
  /** Raw query without `?`. */
  query: string;
  headers: HeaderPairs;
  body: Buffer;
}

export interface OutgoingOptions {
  url: string;
  headers?: HeaderOverrides;
  body?: BodyValue;
  appendPath?: boolean;
}

// RFC 9110 §7.6.1 hop-by-hop fields (plus the non-standard ones proxies still send); Host and
// Content-Length describe the old connection and body, so they are rebuilt for the new one.
const DROPPED = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization',
  'te', 'trailer', 'trailers', 'transfer-encoding', 'upgrade', 'host', 'content-length',
]);

/** Captured headers minus hop-by-hop ones (including those the Connection header names), Host and Content-Length. */
export function forwardableHeaders(headers: HeaderPairs): HeaderPairs {
  const named = new Set(
    headers.filter(([name]) => name.toLowerCase() === 'connection')
      .flatMap(([, value]) => value.split(',').map((token) => token.trim().toLowerCase())),
  );
  return headers.filter(([name]) => !DROPPED.has(name.toLowerCase()) && !named.has(name.toLowerCase()));
}

/** Applies overrides: a value replaces every entry of the name (spelled as in the override), null removes it. */
export function applyHeaderOverrides(headers: HeaderPairs, overrides: HeaderOverrides = {}): HeaderPairs {
  let result = headers;
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) {
      result = removeHeader(result, name);
      continue;
    }
    const lower = name.toLowerCase();
    const at = result.findIndex(([key]) => key.toLowerCase() === lower);
    result = setHeader(result, name, value).map(([key, v], i): [string, string] => (i === at ? [name, v] : [key, v]));
  }
  return forwardableHeaders(result);
}

export function decodeBody(value: BodyValue): Buffer {
  return Buffer.from(value.data, value.encoding === 'base64' ? 'base64' : 'utf8');
}

/**
 * Target URL, with the capture's sub-path and raw query appended when asked (query parameters of
 * both kept). The typed base is normalised by URL; what is appended stays byte for byte as the
 * sender wrote it (URL would re-encode `'`, `"`, `{`…, and a replay must send what was captured).
 */
export function targetUrl(base: string, capture: Pick<CapturedRequest, 'path' | 'query'>, append: boolean): string {
  const url = new URL(base);
  if (!append) return url.href;
  url.hash = '';
  const baseQuery = url.search.slice(1);
  url.search = '';
  const head = capture.path ? url.href.replace(/\/$/, '') + capture.path : url.href;
  const query = [baseQuery, capture.query].filter((part) => part !== '').join('&');
  return query ? `${head}?${query}` : head;
}

/**
 * The request target (path and query) of a URL exactly as written: everything after the
 * authority, without a fragment. `new URL(href).search` would percent-encode what the sender did not.
 */
export function requestTarget(href: string): string {
  const rest = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^#]*)/i.exec(href)?.[1] ?? '';
  if (rest === '') return '/';
  return rest.startsWith('?') ? `/${rest}` : rest;
}

/** The request a replay sends: original method, forwardable headers with overrides, exact body bytes unless replaced. */
export function buildOutgoing(capture: CapturedRequest, options: OutgoingOptions): OutgoingRequest {
  return {
    method: capture.method,
    url: targetUrl(options.url, capture, options.appendPath ?? false),
    headers: applyHeaderOverrides(forwardableHeaders(capture.headers), options.headers),
    body: options.body ? decodeBody(options.body) : capture.body,
  };
}

// Node sends a body-less POST/PUT/PATCH as chunked unless told the length; bodiless GETs carry none.
const NO_LENGTH_WHEN_EMPTY = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/** Headers exactly as they go on the wire: Host first, the request's own, Content-Length last. */
export function wireHeaders(request: OutgoingRequest): HeaderPairs {
  const pairs: HeaderPairs = [['Host', new URL(request.url).host], ...request.headers];
  if (request.body.length > 0 || !NO_LENGTH_WHEN_EMPTY.has(request.method.toUpperCase())) pairs.push(['Content-Length', String(request.body.length)]);
  return pairs;
}

/** Summary of what was sent, for the API answer. */
export function describeSent(request: OutgoingRequest): SentRequest {
  return {
    method: request.method,
    url: request.url,
    headers: wireHeaders(request),
    bodySize: request.body.length,
    bodySha256: sha256Hex(request.body),
  };
}

const MAX_SENT_BODY = 256 * 1024; // bytes of an edited body kept with the attempt

/** What a replay sent, for its attempt record: the body itself only when it is not the captured one. */
export function attemptSent(request: OutgoingRequest, captured: Buffer): AttemptSent {
  const sent = describeSent(request);
  if (request.body.equals(captured)) return sent;
  const kept = request.body.subarray(0, MAX_SENT_BODY);
  const text = utf8OrNull(kept);
  const truncated = kept.length < request.body.length;
  return { ...sent, body: text === null ? { encoding: 'base64', data: kept.toString('base64'), truncated } : { encoding: 'utf8', data: text, truncated } };
}
