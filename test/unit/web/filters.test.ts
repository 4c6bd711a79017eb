import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../shared/query';
import { matchesQuery } from '../../../shared/query-match';
import {
  facetsOf, NO_FILTERS, quickFiltersOf, withEventType, withMethod, withStatus, withVerdict,
} from '../../../web/src/features/requests/utils/filters';
import { applyHint, queryHints } from '../../../web/src/features/requests/utils/query-hints';
import { summary } from './fixtures';

const signed = summary(1, { eventType: 'push', verdicts: { signature: { status: 'valid', scheme: 'hmac:github', reason: 'ok' }, schema: { status: 'valid', eventType: 'push', issues: [] } } });
const forged = summary(2, { method: 'PUT', path: '/orders/9', query: 'retry=1', eventType: 'charge.failed', verdicts: { signature: { status: 'invalid', scheme: 'hmac:stripe', reason: 'no' }, schema: { status: 'invalid', eventType: 'charge.failed', issues: [{ path: 'a', message: 'm' }] } } });
const unsigned = summary(3, { method: 'GET', reply: { status: 413, rejected: 'too large' }, duplicateOf: 'c000001', deliveryId: 'evt_77', verdicts: { signature: { status: 'missing', scheme: 'hmac:github', reason: 'none' }, schema: { status: 'skipped', issues: [] } } });
const all = [signed, forged, unsigned];
const run = (text: string) => all.filter((c) => matchesQuery(parseQuery(text), { summary: c }) === true).map((c) => c.id);

describe('quick filters write query terms', () => {
  it('each menu choice becomes a term that selects what the menu says', () => {
    expect(run(withMethod('', 'PUT'))).toEqual(['c000002']);
    expect(run(withEventType('', 'push'))).toEqual(['c000001']);
    expect(run(withStatus('', '4xx'))).toEqual(['c000003']);
    expect(run(withVerdict('', 'signature-valid'))).toEqual(['c000001']);
    expect(run(withVerdict('', 'signature-failed'))).toEqual(['c000002', 'c000003']); // invalid and missing, not unchecked
    expect(run(withVerdict('', 'schema-invalid'))).toEqual(['c000002']);
    expect(run(withVerdict('', 'rejected'))).toEqual(['c000003']);
    expect(run(withVerdict('', 'duplicate'))).toEqual(['c000003']);
  });

  it('a choice replaces the term it owns, keeps the rest of the text, and "any" removes it', () => {
    expect(withMethod('conversation method:POST -ping', 'PUT')).toBe('conversation -ping method:PUT');
    expect(withMethod('conversation method:POST', null)).toBe('conversation');
    expect(withVerdict('sig:valid "order 42"', 'signature-failed')).toBe('"order 42" -sig:valid -sig:skipped');
    expect(withVerdict('-sig:valid -sig:skipped is:duplicate', 'all')).toBe('');
    expect(withEventType('x', 'order created')).toBe('x event:"order created"');
    expect(withStatus('status:503 y', '5xx')).toBe('y status:5xx');
  });

  it('the menus show what the box says', () => {
    expect(quickFiltersOf('')).toEqual(NO_FILTERS);
    expect(quickFiltersOf('wombat method:PUT status:5xx -sig:valid -sig:skipped event:"order created"')).toEqual({
      method: 'PUT', status: '5xx', verdict: 'signature-failed', eventType: 'order created',
    });
    expect(quickFiltersOf('-method:PUT status:503 is:rejected')).toEqual({ method: null, status: '503', verdict: 'rejected', eventType: null });
    expect(quickFiltersOf('method:PUT colour:red')).toEqual(NO_FILTERS); // does not parse: no menu claims anything
  });

  it('lists the methods and event types present', () => {
    expect(facetsOf(all)).toEqual({ methods: ['GET', 'POST', 'PUT'], eventTypes: ['charge.failed', 'push'] });
  });
});

describe('search hints', () => {
  const ctx = { methods: ['POST', 'PUT'], eventTypes: ['message.read', 'message.sent', 'push'] };
  const labels = (text: string, caret = text.length) => queryHints(text, caret, ctx, Date.UTC(2026, 10, 24))?.hints.map((h) => h.label);

  it('offers every field with an example, a phrase and a negation when nothing is typed', () => {
    const hints = queryHints('', 0, ctx)?.hints ?? [];
    expect(hints.map((h) => h.label)).toEqual(['method:', 'status:', 'sig:', 'schema:', 'event:', 'delivery:', 'path:', 'peer:', 'is:', 'after:', 'before:', 'header:', '"a phrase"', '-term']);
    expect(hints.find((h) => h.label === 'event:')?.description).toContain('event:message.*');
  });

  it('completes field names, then the values a field takes, with what this endpoint has seen', () => {
    expect(labels('s')).toEqual(['status:', 'sig:', 'schema:']);
    expect(labels('sta')).toEqual(['status:', 'sta']); // three letters may be a word to find too
    expect(labels('conversation si')).toEqual(['sig:']);
    expect(labels('sig:')).toEqual(['sig:valid', 'sig:invalid', 'sig:missing', 'sig:expired', 'sig:skipped']);
    expect(labels('-sig:in')).toEqual(['sig:invalid']);
    expect(labels('event:mes')).toEqual(['event:message.read', 'event:message.sent', 'event:message.*']);
    expect(labels('method:')).toEqual(['method:POST', 'method:PUT', 'method:PATCH', 'method:DELETE', 'method:GET']);
    expect(labels('after:')).toEqual(['after:-15m', 'after:-1h', 'after:-1d', 'after:-7d', 'after:2026-11-24']);
    expect(labels('wombat')).toEqual([]); // a bare word, nothing to complete
    expect(labels('"an open phr')).toBeUndefined(); // inside a phrase: nothing to suggest
  });

  it('a picked hint replaces the word under the caret and keeps its negation', () => {
    const at = (text: string, caret: number) => queryHints(text, caret, ctx)?.word;
    const word = at('wombat -sig:in path:/x', 13)!;
    expect(applyHint('wombat -sig:in path:/x', word, { insert: 'sig:invalid', label: '', description: '' })).toEqual({ text: 'wombat -sig:invalid path:/x', caret: 20 });
    const field = at('ev', 2)!;
    expect(applyHint('ev', field, { insert: 'event:', label: '', description: '' })).toEqual({ text: 'event:', caret: 6 });
  });
});
