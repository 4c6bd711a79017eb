import { describe, expect, it } from 'vitest';
import type { EndpointView } from '../../../shared/endpoint';
import { storedSecret, toDraft, toUpdate } from '../../../web/src/features/endpoint-settings/utils/draft';

const MASK = '••••1a2b3c4d';
const endpoint = (verify: EndpointView['verify']): EndpointView => ({
  id: 'ep', name: 'Payments', createdAt: 0, updatedAt: 0, captureCount: 0, ingestPath: '/h/ep', forward: null, rules: [], alerts: [], rateLimit: null, rateLimitedCount: 0,
  response: { status: 202, headers: { 'X-Reply': 'yes' }, delayMs: 0 },
  retention: { maxCaptures: 500 },
  verify,
  schema: { mode: 'off' },
});

describe('settings draft', () => {
  it('sends the mask back when the secret field is left empty (the server keeps the stored secret)', () => {
    const stored = endpoint({ mode: 'enforce', hmac: { preset: 'stripe', secret: MASK, toleranceSec: 300 } });
    const draft = toDraft(stored);
    expect(draft.secret).toBe('');
    expect(storedSecret(stored, draft.scheme)).toBe(MASK);
    const update = toUpdate(draft, stored);
    expect(update.verify).toEqual({ mode: 'enforce', hmac: { preset: 'stripe', secret: MASK, secrets: undefined, toleranceSec: 300 } });
    expect(update.response).toEqual({ status: 202, body: null, headers: { 'X-Reply': 'yes' }, delayMs: 0 });
    expect(update.retention).toEqual({ maxCaptures: 500 });
  });

  it('sends a newly typed secret and the custom scheme fields', () => {
    const stored = endpoint({ mode: 'off' });
    const draft = { ...toDraft(stored), scheme: 'hmac' as const, verifyMode: 'observe' as const, preset: 'custom' as const, secret: 'new-secret', customHeader: 'X-Sig', customPrefix: 'v1=' };
    expect(toUpdate(draft, stored).verify).toMatchObject({ mode: 'observe', hmac: { preset: 'custom', secret: 'new-secret', header: 'X-Sig', prefix: 'v1=', algorithm: 'sha256', encoding: 'hex' } });
  });

  it('turns verification off when no scheme is chosen and keeps a header token mask', () => {
    const stored = endpoint({ mode: 'observe', headerToken: { header: 'X-Token', value: MASK } });
    expect(toUpdate({ ...toDraft(stored), scheme: 'none' }, stored).verify).toEqual({ mode: 'off' });
    expect(toUpdate(toDraft(stored), stored).verify).toEqual({ mode: 'observe', headerToken: { header: 'X-Token', value: MASK } });
  });

  it('parses a custom JSON Schema and says so when it is not JSON', () => {
    const stored = endpoint({ mode: 'off' });
    const draft = { ...toDraft(stored), schemaMode: 'observe' as const, catalog: 'custom' as const, jsonSchema: '{"type":"object","required":["event"]}' };
    expect(toUpdate(draft, stored).schema).toEqual({ mode: 'observe', jsonSchema: { type: 'object', required: ['event'] } });
    expect(() => toUpdate({ ...draft, jsonSchema: '{nope' }, stored)).toThrow(/not valid JSON/);
    expect(toUpdate({ ...draft, catalog: 'whatsapp-cloud' }, stored).schema).toEqual({ mode: 'observe', catalog: 'whatsapp-cloud' });
  });

  it('keeps what the form does not show when an unrelated field is saved', () => {
    const tokens = endpoint({ mode: 'enforce', headerToken: [{ header: 'X-A', value: MASK }, { header: 'X-B', value: '••••99999999' }] });
    expect(toUpdate({ ...toDraft(tokens), status: "201" }, tokens).verify?.headerToken).toEqual([{ header: 'X-A', value: MASK }, { header: 'X-B', value: '••••99999999' }]);

    const twilio = endpoint({ mode: 'observe', hmac: { preset: 'twilio', secret: MASK, url: 'https://example.com/hook' } });
    expect(toUpdate(toDraft(twilio), twilio).verify?.hmac).toMatchObject({ preset: 'twilio', secret: MASK, url: 'https://example.com/hook' });

    const jwk = { kty: 'EC', crv: 'P-256', x: 'abc', y: 'def' };
    const jwtAndToken = endpoint({ mode: 'enforce', jwt: { key: { type: 'jwk', value: jwk } }, headerToken: { header: 'X-Api-Key', value: MASK } });
    const draft = toDraft(jwtAndToken);
    expect(draft.jwtKeyType).toBe('jwk');
    const verify = toUpdate(draft, jwtAndToken).verify;
    expect(verify?.jwt?.key).toEqual({ type: 'jwk', value: jwk });
    expect(verify?.headerToken).toEqual({ header: 'X-Api-Key', value: MASK });
    expect(() => toUpdate({ ...draft, jwtKey: '{oops' }, jwtAndToken)).toThrow(/JWK is not valid JSON/);
  });
});

describe('settings draft: rate limit', () => {
  it('shows the stored limit and sends it back, changed or removed', () => {
    const stored = { ...endpoint({ mode: 'off' }), rateLimit: { perSecond: 0.5, burst: 4 } };
    const draft = toDraft(stored);
    expect(draft).toMatchObject({ rateLimitOn: true, ratePerSecond: '0.5', rateBurst: '4' });
    expect(toUpdate(draft, stored).rateLimit).toEqual({ perSecond: 0.5, burst: 4 });
    expect(toUpdate({ ...draft, ratePerSecond: '25', rateBurst: '50' }, stored).rateLimit).toEqual({ perSecond: 25, burst: 50 });
    expect(toUpdate({ ...draft, rateLimitOn: false }, stored).rateLimit).toBeNull();
  });

  it('offers a starting limit when there is none, and sends none until it is switched on', () => {
    const stored = endpoint({ mode: 'off' });
    const draft = toDraft(stored);
    expect(draft.rateLimitOn).toBe(false);
    expect(toUpdate(draft, stored).rateLimit).toBeNull();
    expect(toUpdate({ ...draft, rateLimitOn: true }, stored).rateLimit).toEqual({ perSecond: 10, burst: 20 });
  });
});
