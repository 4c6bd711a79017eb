import { isUtf8 } from 'node:buffer';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { HeaderPairs } from '../../shared/capture';
import { utf8OrNull } from './body-text';
import { headerValue } from './raw-delivery';

/** Text kept searchable per capture; a longer body is searchable in its first part only. */
export const MAX_SEARCH_TEXT = 256 * 1024; // characters
/** A compressed body is decoded for search up to this size (bounded work per delivery). */
const MAX_DECODED = 1024 * 1024; // bytes
/** Nesting walked in a JSON body (deeper values are not searchable; no recursion to overflow). */
const MAX_DEPTH = 64;

/** The separator between searchable pieces: a phrase never matches across two values. */
export const SEARCH_SEPARATOR = '\n';

function decoded(body: Buffer, headers: HeaderPairs): Buffer | null {
  const encoding = (headerValue(headers, 'content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  try {
    const options = { maxOutputLength: MAX_DECODED };
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body, options);
    if (encoding === 'deflate') return inflateSync(body, options);
    if (encoding === 'br') return brotliDecompressSync(body, options);
  } catch {
    return null;
  }
  return null;
}

/**
 * JSON keys and string/number values, in document order, without recursion: a stack of values
 * and a parallel stack of their depths (no pair allocated per value: imports walk thousands of bodies).
 */
export function jsonPieces(value: unknown, out: string[]): void {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  let length = 0;
  while (values.length > 0 && length < MAX_SEARCH_TEXT) {
    const next = values.pop();
    const depth = depths.pop() as number;
    if (typeof next === 'string' || typeof next === 'number') {
      const text = String(next);
      out.push(text);
      length += text.length + 1;
      continue;
    }
    if (next === null || typeof next !== 'object' || depth >= MAX_DEPTH) continue;
    // Pushed last child first, so they pop in document order (an object's key before its value).
    if (Array.isArray(next)) {
      for (let i = next.length - 1; i >= 0; i--) {
        values.push(next[i]);
        depths.push(depth + 1);
      }
    } else {
      const keys = Object.keys(next);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        values.push((next as Record<string, unknown>)[key], key);
        depths.push(depth + 1, depth + 1);
      }
    }
  }
}

/**
 * Body search texts already made from a parse of the body that something else needed too (an
 * import parses each JSON body once for its event type and this): keyed by the body's Buffer, so
 * an entry goes with the capture, and a body's text depends only on its bytes and its headers.
 */
const remembered = new WeakMap<Buffer, string>();

/** Records `text` as bodySearchText of `body` (made by jsonSearchText from the value bodySearchText would parse). */
export function rememberBodySearchText(body: Buffer, text: string): void {
  remembered.set(body, text);
}

/** Larger bodies are left to their own parses. */
const MAX_SHARED = 256 * 1024; // bytes

/**
 * True when the search text of this body is made by JSON.parse of exactly the text the checks
 * parse (validate/parse-body): not empty, not compressed, not a form, valid UTF-8 starting with
 * `{` or `[` once its BOM and leading space are dropped. Then a caller holding that parse may
 * hand it over (rememberBodySearchText + jsonSearchText) instead of the body being parsed again.
 */
export function searchTextSharesJsonParse(headers: HeaderPairs, body: Buffer): boolean {
  if (body.length === 0 || body.length > MAX_SHARED || !isUtf8(body)) return false;
  const encoding = headerValue(headers, 'content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return false;
  if ((headerValue(headers, 'content-type') ?? '').toLowerCase().includes('application/x-www-form-urlencoded')) return false;
  let at = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0; // a BOM
  while (at < body.length && (body[at] === 0x20 || body[at] === 0x09 || body[at] === 0x0a || body[at] === 0x0d)) at += 1;
  return body[at] === 0x7b || body[at] === 0x5b; // `{` or `[`
}

function joined(pieces: string[]): string {
  return pieces.join(SEARCH_SEPARATOR).slice(0, MAX_SEARCH_TEXT).toLowerCase();
}

/** The search text of a parsed JSON body (what bodySearchText gives for the body it was parsed from). */
export function jsonSearchText(value: unknown): string {
  const pieces: string[] = [];
  jsonPieces(value, pieces);
  return joined(pieces);
}

/**
 * What a bare word or phrase of a query searches in a capture's body, lower-cased: the keys and
 * string/number values of a JSON body, the names and values of a form, the text of any other
 * UTF-8 body; nothing for binary. A compressed body (gzip, deflate, br) is searched decoded.
 * Pieces are separated by SEARCH_SEPARATOR. At most MAX_SEARCH_TEXT characters.
 */
export function bodySearchText(headers: HeaderPairs, body: Buffer): string {
  if (body.length === 0) return '';
  const known = remembered.get(body);
  if (known !== undefined) return known;
  const bytes = decoded(body, headers);
  if (!bytes) return '';
  const text = utf8OrNull(bytes.length > MAX_DECODED ? bytes.subarray(0, MAX_DECODED) : bytes)?.replace(/^\uFEFF/, '');
  if (text === undefined || text === null) return '';
  const type = (headerValue(headers, 'content-type') ?? '').toLowerCase();
  const pieces: string[] = [];
  if (type.includes('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(text)) pieces.push(name, value);
  } else {
    const trimmed = text.trimStart();
    let parsed: unknown;
    let json = false;
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        parsed = JSON.parse(text);
        json = true;
      } catch {
        json = false;
      }
    }
    if (json) jsonPieces(parsed, pieces);
    else pieces.push(text);
  }
  return joined(pieces);
}

/** The path and query a bare word also searches: raw and percent-decoded, lower-cased. */
export function locationSearchText(path: string, query: string): string {
  const raw = `${path}${SEARCH_SEPARATOR}${query}`;
  let decodedText = raw;
  try {
    decodedText = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    // keep the raw form only
  }
  return (decodedText === raw ? raw : `${raw}${SEARCH_SEPARATOR}${decodedText}`).toLowerCase();
}
