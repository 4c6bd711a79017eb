import { describe, expect, it } from 'vitest';
import { parseQuery, QuerySyntaxError, withoutTerm } from '../../../shared/query';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const errorOf = (q: string): QuerySyntaxError => {
  try {
    parseQuery(q, NOW);
  } catch (error) {
    if (error instanceof QuerySyntaxError) return error;
    throw error;
  }
  throw new Error(`"${q}" parsed`);
};

describe('parseQuery', () => {
  it('reads field terms, words, phrases and negation with their positions', () => {
    const query = parseQuery('method:put -status:5xx "conversation 1234" -ping event:message.*', NOW);
    expect(query.terms).toEqual([
      { field: 'method', value: 'PUT', negated: false, start: 0, end: 10 },
      { field: 'status', min: 500, max: 599, negated: true, start: 11, end: 22 },
      { field: 'text', value: 'conversation 1234', negated: false, start: 23, end: 42 },
      { field: 'text', value: 'ping', negated: true, start: 43, end: 48 },
      { field: 'event', pattern: 'message.*', negated: false, start: 49, end: 64 },
    ]);
  });

  it('reads statuses, verdicts, flags, headers and quoted field values', () => {
    const [status, sig, schema, is, header, present, path] = parseQuery('status:503 sig:INVALID schema:unknown is:duplicate header:X-GitHub-Event=push header:x-a path:"/a b/*"', NOW).terms;
    expect(status).toMatchObject({ field: 'status', min: 503, max: 503 });
    expect(sig).toMatchObject({ field: 'sig', value: 'invalid' });
    expect(schema).toMatchObject({ field: 'schema', value: 'unknown' });
    expect(is).toMatchObject({ field: 'is', value: 'duplicate' });
    expect(header).toMatchObject({ field: 'header', name: 'x-github-event', pattern: 'push' });
    expect(present).toMatchObject({ field: 'header', name: 'x-a', pattern: null });
    expect(path).toMatchObject({ field: 'path', pattern: '/a b/*' });
  });

  it('reads dates (UTC unless zoned), date-times and durations back from now', () => {
    const at = (q: string) => (parseQuery(q, NOW).terms[0] as { at: number }).at;
    expect(at('after:2026-11-24')).toBe(Date.UTC(2026, 10, 24));
    expect(at('after:2026-11-24T10:30')).toBe(Date.UTC(2026, 10, 24, 10, 30));
    expect(at('before:2026-11-24T10:30:00+02:00')).toBe(Date.UTC(2026, 10, 24, 8, 30));
    expect(at('after:-1h')).toBe(NOW - 3_600_000);
    expect(at('after:7d')).toBe(NOW - 7 * 86_400_000);
  });

  it('handles escapes in phrases and an empty query', () => {
    expect(parseQuery('"say \\"hi\\""', NOW).terms[0]).toMatchObject({ field: 'text', value: 'say "hi"' });
    expect(parseQuery('   ', NOW).terms).toEqual([]);
  });

  it.each([
    ['method:PUT foo:bar', 11, /"foo" is not a field/],
    ['"open phrase', 0, /never closed/],
    ['status:abc', 7, /not a status/],
    ['status:600', 7, /not a status/],
    ['sig:maybe', 4, /one of valid, invalid, missing, expired, skipped/],
    ['schema:nope', 7, /one of valid, invalid, unknown, skipped/],
    ['after:yesterday', 6, /not a time/],
    ['method:', 7, /has no value/],
    ['word -', 5, /negates/],
    ['is:new', 3, /one of duplicate, rejected/],
    ['header:b@d=1', 7, /not a header name/],
    ['a"b"', 1, /middle of a word/],
  ])('%s is refused at character %i', (q, position, message) => {
    const error = errorOf(q);
    expect(error.position).toBe(position);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`at character ${position + 1}`);
  });

  it('removes one term for the inspector chips', () => {
    const query = parseQuery('method:POST  conversation status:5xx', NOW);
    expect(withoutTerm(query, query.terms[1] as (typeof query.terms)[number])).toBe('method:POST status:5xx');
  });
});
