import { describe, expect, it } from 'vitest';
import { captureMatcher, facetsOf, isFiltering, NO_FILTER } from '../../../web/src/features/requests/utils/filters';
import { summary } from './fixtures';

const signed = summary(1, { verdicts: { signature: { status: 'valid', scheme: 'hmac:github', reason: 'ok' }, schema: { status: 'valid', eventType: 'push', issues: [] } } });
const forged = summary(2, { method: 'PUT', path: '/orders/9', query: 'retry=1', verdicts: { signature: { status: 'invalid', scheme: 'hmac:stripe', reason: 'no' }, schema: { status: 'invalid', eventType: 'charge.failed', issues: [{ path: 'a', message: 'm' }] } } });
const rejected = summary(3, { method: 'GET', reply: { status: 413, rejected: 'too large' }, duplicateOf: 'c000001', deliveryId: 'evt_77' });
const all = [signed, forged, rejected];
const run = (filter: Partial<typeof NO_FILTER>) => all.filter(captureMatcher({ ...NO_FILTER, ...filter })).map((c) => c.id);

describe('capture filters', () => {
  it('matches everything without a filter', () => {
    expect(isFiltering(NO_FILTER)).toBe(false);
    expect(run({})).toEqual(['c000001', 'c000002', 'c000003']);
  });

  it('filters by method, event type and verdict', () => {
    expect(run({ method: 'PUT' })).toEqual(['c000002']);
    expect(run({ eventType: 'push' })).toEqual(['c000001']);
    expect(run({ verdict: 'signature-valid' })).toEqual(['c000001']);
    expect(run({ verdict: 'signature-failed' })).toEqual(['c000002']);
    expect(run({ verdict: 'schema-invalid' })).toEqual(['c000002']);
    expect(run({ verdict: 'rejected' })).toEqual(['c000003']);
    expect(run({ verdict: 'duplicate' })).toEqual(['c000003']);
  });

  it('matches every word of the free text, case-insensitively, across the summary', () => {
    expect(run({ text: 'ORDERS retry' })).toEqual(['c000002']);
    expect(run({ text: 'evt_77' })).toEqual(['c000003']);
    expect(run({ text: '413' })).toEqual(['c000003']);
    expect(run({ text: 'stripe charge' })).toEqual(['c000002']);
    expect(run({ text: 'orders push' })).toEqual([]);
    expect(isFiltering({ ...NO_FILTER, text: '  ' })).toBe(false);
  });

  it('lists the methods and event types present', () => {
    expect(facetsOf(all)).toEqual({ methods: ['GET', 'POST', 'PUT'], eventTypes: ['charge.failed', 'push'] });
  });
});
