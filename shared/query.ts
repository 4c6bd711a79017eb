/**
 * The capture query language (`GET /api/endpoints/:id/requests?q=`), one definition for the
 * server's stores and the inspector's search box. Terms separated by spaces must all match; a
 * leading `-` negates a term; `"quoted phrases"` keep spaces. See README "Searching".
 *
 *   method:PUT  status:503  status:5xx  sig:invalid  schema:unknown  event:message.*
 *   delivery:<id>  path:/orders/*  peer:10.0.0.7  is:duplicate  is:rejected
 *   after:2026-11-24  before:2026-11-25T12:00  after:-1h  header:x-github-event=push
 *   conversation  "conversation 1234"  -ping
 *
 * Bare words and phrases match the body's text (JSON keys and string/number values, form
 * fields, text bodies), the path and the query string, case-insensitively, as substrings.
 */

export const SIGNATURE_STATUSES = ['valid', 'invalid', 'missing', 'expired', 'skipped'] as const;
export const SCHEMA_STATUSES = ['valid', 'invalid', 'unknown', 'skipped'] as const;
export const IS_FLAGS = ['duplicate', 'rejected'] as const;

/** Field names the language knows, in the order hints list them. */
export const QUERY_FIELDS = ['method', 'status', 'sig', 'schema', 'event', 'delivery', 'path', 'peer', 'is', 'after', 'before', 'header'] as const;
export type QueryField = (typeof QUERY_FIELDS)[number];

interface TermBase {
  /** `-term`: the capture must not match it. */
  negated: boolean;
  /** Where the term starts and ends in the query text (0-based, end exclusive), for the search box. */
  start: number;
  end: number;
}

export type QueryTerm = TermBase &
  (
    | { field: 'text'; /** Lower-cased text to find. */ value: string }
    | { field: 'method'; /** Upper-cased. */ value: string }
    | { field: 'status'; /** Inclusive range: `503` is 503–503, `5xx` is 500–599. */ min: number; max: number }
    | { field: 'sig'; value: (typeof SIGNATURE_STATUSES)[number] }
    | { field: 'schema'; value: (typeof SCHEMA_STATUSES)[number] }
    | { field: 'event' | 'delivery' | 'path' | 'peer'; /** Glob: `*` is any run of characters. */ pattern: string }
    | { field: 'is'; value: (typeof IS_FLAGS)[number] }
    | { field: 'after' | 'before'; /** ms since epoch: `after` keeps receivedAt ≥ at, `before` keeps receivedAt < at. */ at: number }
    | { field: 'header'; /** Lower-cased name. */ name: string; /** Glob on the value (case-insensitive); null: the header is present. */ pattern: string | null }
  );

/** A parsed query: every term must hold. No terms matches everything. */
export interface CaptureQuery {
  /** The text as given (term positions index into it). */
  text: string;
  terms: QueryTerm[];
}

/** A query that cannot be parsed: where (0-based) and what was expected there. */
export class QuerySyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly expected: string,
    detail: string,
  ) {
    super(`query error at character ${position + 1}: ${detail}; expected ${expected}`);
    this.name = 'QuerySyntaxError';
  }
}

const MAX_QUERY_LENGTH = 2000; // characters
const MAX_TERMS = 32;
const DURATION_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

interface Token {
  negated: boolean;
  /** Field name as written (lower-cased), or null for a bare word / phrase. */
  key: string | null;
  value: string;
  /** The value was quoted. */
  quoted: boolean;
  start: number;
  end: number;
  valueStart: number;
}

/** Reads a quoted run starting at `at` (the opening quote); returns the text and the index after the closing quote. */
function readQuoted(text: string, at: number): { value: string; next: number } {
  let value = '';
  let i = at + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '"') return { value, next: i + 1 };
    value += ch;
    i += 1;
  }
  throw new QuerySyntaxError(at, 'a closing quote (")', 'this quote is never closed');
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const space = (ch: string | undefined) => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
  while (i < text.length) {
    if (space(text[i])) {
      i += 1;
      continue;
    }
    const start = i;
    let negated = false;
    if (text[i] === '-') {
      negated = true;
      i += 1;
      if (i >= text.length || space(text[i])) throw new QuerySyntaxError(start, 'a term after "-"', '"-" negates the term that follows it, and none does');
    }
    if (text[i] === '"') {
      const { value, next } = readQuoted(text, i);
      if (next < text.length && !space(text[next])) throw new QuerySyntaxError(next, 'a space after the closing quote', 'text follows a phrase without a space');
      tokens.push({ negated, key: null, value, quoted: true, start, end: next, valueStart: i });
      i = next;
      continue;
    }
    let word = '';
    while (i < text.length && !space(text[i]) && text[i] !== '"' && text[i] !== ':') word += text[i++];
    if (text[i] === ':') {
      const valueStart = i + 1;
      if (text[valueStart] === '"') {
        const { value, next } = readQuoted(text, valueStart);
        tokens.push({ negated, key: word.toLowerCase(), value, quoted: true, start, end: next, valueStart });
        i = next;
        continue;
      }
      let value = '';
      i = valueStart;
      while (i < text.length && !space(text[i])) value += text[i++];
      tokens.push({ negated, key: word.toLowerCase(), value, quoted: false, start, end: i, valueStart });
      continue;
    }
    if (text[i] === '"') throw new QuerySyntaxError(i, 'a space before a quoted phrase', 'a quote starts in the middle of a word');
    tokens.push({ negated, key: null, value: word, quoted: false, start, end: i, valueStart: start + (negated ? 1 : 0) });
  }
  return tokens;
}

/** `2026-11-24`, `2026-11-24T10:00`, full ISO 8601 with a zone (no zone: UTC), or `-1h` / `-7d` before `now`. */
function parseTime(value: string, at: number, now: number): number {
  const relative = /^-?(\d{1,6})([smhdw])$/.exec(value);
  if (relative) return now - Number(relative[1]) * (DURATION_MS[relative[2] as string] as number);
  const iso = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (iso) {
    const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value) && value.length > 10 ? value : value.length === 10 ? `${value}T00:00:00Z` : `${value.replace(' ', 'T')}Z`;
    const ms = Date.parse(withZone);
    if (Number.isFinite(ms)) return ms;
  }
  throw new QuerySyntaxError(at, 'a date like 2026-11-24, 2026-11-24T10:00 (UTC unless a zone is given) or a duration back from now like -1h, -7d', `"${value}" is not a time`);
}

function oneOf<T extends string>(value: string, allowed: readonly T[], at: number, field: string): T {
  const lower = value.toLowerCase() as T;
  if (allowed.includes(lower)) return lower;
  throw new QuerySyntaxError(at, `one of ${allowed.join(', ')}`, `"${value}" is not a ${field} value`);
}

function termOf(token: Token, now: number): QueryTerm {
  const base = { negated: token.negated, start: token.start, end: token.end };
  if (token.key === null) {
    if (token.value === '') throw new QuerySyntaxError(token.start, 'text between the quotes', 'an empty phrase matches nothing useful');
    return { ...base, field: 'text', value: token.value.toLowerCase() };
  }
  const key = token.key;
  const at = token.valueStart;
  if (!(QUERY_FIELDS as readonly string[]).includes(key)) {
    const known = QUERY_FIELDS.map((f) => `${f}:`).join(', ');
    throw new QuerySyntaxError(token.start + (token.negated ? 1 : 0), `a field (${known}) or quotes around text holding a colon`, `"${key}" is not a field`);
  }
  if (token.value === '') throw new QuerySyntaxError(at, `a value after "${key}:"`, `"${key}:" has no value`);
  const value = token.value;
  switch (key as QueryField) {
    case 'method':
      if (!/^[A-Za-z]{1,20}$/.test(value)) throw new QuerySyntaxError(at, 'an HTTP method such as POST or PUT', `"${value}" is not a method`);
      return { ...base, field: 'method', value: value.toUpperCase() };
    case 'status': {
      const exact = /^([1-5]\d\d)$/.exec(value);
      if (exact) return { ...base, field: 'status', min: Number(exact[1]), max: Number(exact[1]) };
      const range = /^([1-5])xx$/i.exec(value);
      if (range) return { ...base, field: 'status', min: Number(range[1]) * 100, max: Number(range[1]) * 100 + 99 };
      throw new QuerySyntaxError(at, 'a status such as 503, or a class such as 5xx', `"${value}" is not a status`);
    }
    case 'sig':
      return { ...base, field: 'sig', value: oneOf(value, SIGNATURE_STATUSES, at, 'sig') };
    case 'schema':
      return { ...base, field: 'schema', value: oneOf(value, SCHEMA_STATUSES, at, 'schema') };
    case 'is':
      return { ...base, field: 'is', value: oneOf(value, IS_FLAGS, at, 'is') };
    case 'after':
    case 'before':
      return { ...base, field: key as 'after' | 'before', at: parseTime(value, at, now) };
    case 'header': {
      const eq = value.indexOf('=');
      const name = (eq === -1 ? value : value.slice(0, eq)).trim().toLowerCase();
      if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) throw new QuerySyntaxError(at, 'a header name, then optionally =value (header:x-github-event=push)', `"${name}" is not a header name`);
      return { ...base, field: 'header', name, pattern: eq === -1 ? null : value.slice(eq + 1) };
    }
    default:
      return { ...base, field: key as 'event' | 'delivery' | 'path' | 'peer', pattern: value };
  }
}

/**
 * Parses a query; throws QuerySyntaxError naming the position and what was expected there.
 * `now` (ms) anchors relative times such as `after:-1h`.
 */
export function parseQuery(text: string, now: number = Date.now()): CaptureQuery {
  if (text.length > MAX_QUERY_LENGTH) throw new QuerySyntaxError(MAX_QUERY_LENGTH, `at most ${MAX_QUERY_LENGTH} characters`, 'the query is too long');
  const terms = tokenize(text).map((token) => termOf(token, now));
  if (terms.length > MAX_TERMS) throw new QuerySyntaxError((terms[MAX_TERMS] as QueryTerm).start, `at most ${MAX_TERMS} terms`, 'the query has too many terms');
  return { text, terms };
}

/** A glob (`*` = any run of characters, everything else literal) as an anchored RegExp. */
export function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const source = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('[\\s\\S]*');
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '');
}

/**
 * What a delivery id query matches: the whole stored id, or the id without the `<source>:`
 * prefix Hookscope adds (`x-github-delivery:…`, `stripe:…`), so `delivery:<what the platform
 * sent>` finds it.
 */
export function deliveryIdForms(deliveryId: string): string[] {
  const colon = deliveryId.indexOf(':');
  return colon === -1 ? [deliveryId] : [deliveryId, deliveryId.slice(colon + 1)];
}

/** Whether a peer address matches `peer:<value>`: a glob on the address, IPv4-mapped IPv6 (`::ffff:1.2.3.4`) seen as the IPv4 address too. */
export function peerForms(peer: string): string[] {
  return peer.startsWith('::ffff:') && peer.includes('.') ? [peer, peer.slice(7)] : [peer];
}

/** The query with one term removed (the inspector's filter chips). */
export function withoutTerm(query: CaptureQuery, term: QueryTerm): string {
  return `${query.text.slice(0, term.start)}${query.text.slice(term.end)}`.replace(/\s+/g, ' ').trim();
}
