import { describe, expect, it } from 'vitest';
import { answerHandshake, verifyDelivery } from '../../../server/verify';
import { delivery, NOW_MS, verifyConfig } from './fixtures';

const ctx = { now: () => NOW_MS };
const body = '{"session_id":1}';

describe('static header tokens', () => {
  // Treble's "Webhook Headers" example: {"Authorization":"Bearer 1234567890","X-API-Key":"1234567890"}.
  const treble = verifyConfig({
    mode: 'enforce',
    headerToken: [{ header: 'Authorization', value: 'Bearer 1234567890' }, { header: 'X-API-Key', value: 'key-old' }, { header: 'x-api-key', value: 'key-new' }],
  });

  it('requires every configured header, accepting any value given for the same header (rotation)', async () => {
    const ok = await verifyDelivery(delivery({ body, headers: [['authorization', 'Bearer 1234567890'], ['X-API-Key', 'key-new']] }), treble, ctx);
    expect(ok).toMatchObject({ status: 'valid', scheme: 'header-token' });
    const old = await verifyDelivery(delivery({ body, headers: [['Authorization', 'Bearer 1234567890'], ['X-Api-Key', 'key-old']] }), treble, ctx);
    expect(old.status).toBe('valid');
    const oneMissing = await verifyDelivery(delivery({ body, headers: [['Authorization', 'Bearer 1234567890']] }), treble, ctx);
    expect(oneMissing).toMatchObject({ status: 'missing', reason: 'no X-API-Key header' });
  });

  it('refuses a wrong value without echoing either value, and names a Bearer-prefix near miss', async () => {
    const wrong = await verifyDelivery(delivery({ body, headers: [['Authorization', 'Bearer 999'], ['X-API-Key', 'key-new']] }), treble, ctx);
    expect(wrong.status).toBe('invalid');
    expect(JSON.stringify(wrong)).not.toContain('1234567890');
    expect(JSON.stringify(wrong)).not.toContain('999');
    const bare = await verifyDelivery(delivery({ body, headers: [['Authorization', '1234567890'], ['X-API-Key', 'key-new']] }), treble, ctx);
    expect(bare.hint).toContain('prefix');
  });

  it('combines with a body signature: both must pass', async () => {
    const config = verifyConfig({ mode: 'enforce', hmac: { preset: 'shopify', secret: 's' }, headerToken: { header: 'X-Token', value: 't' } });
    const verdict = await verifyDelivery(delivery({ body, headers: [['X-Token', 't']] }), config, ctx);
    expect(verdict).toMatchObject({ status: 'missing', scheme: 'hmac:shopify', details: { otherSchemes: [{ scheme: 'header-token', status: 'valid' }] } });
  });
});

describe('GET subscription handshake', () => {
  const config = verifyConfig({ mode: 'enforce', subscriptionHandshake: { verifyToken: 'my-verify-token' } });
  const get = (query: string) => delivery({ method: 'GET', url: `https://hooks.example.com/h/ep1?${query}` });

  it('echoes the challenge when the verify token matches', () => {
    const answer = answerHandshake(get('hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=1158201444'), config);
    expect(answer).toMatchObject({ status: 200, body: '1158201444', verdict: { status: 'valid', scheme: 'subscription-handshake' } });
  });

  it('answers 403 to a wrong or absent token, and ignores requests that are not a handshake', () => {
    expect(answerHandshake(get('hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1'), config)).toMatchObject({ status: 403, verdict: { status: 'invalid' } });
    expect(answerHandshake(get('hub.mode=subscribe&hub.challenge=1'), config)).toMatchObject({ status: 403, verdict: { status: 'missing' } });
    expect(answerHandshake(get('foo=bar'), config)).toBeNull();
    expect(answerHandshake(get('hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=1'), verifyConfig({ mode: 'enforce' }))).toBeNull();
  });
});
