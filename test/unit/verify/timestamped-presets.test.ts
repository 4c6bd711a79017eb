import { createHmac } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../../server/verify';
import { delivery, NOW_MS, NOW_SEC, tamper, verifyConfig } from './fixtures';

const ctx = { now: () => NOW_MS };
const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1' } } });

describe('stripe preset', () => {
  const secret = 'whsec_test_5ecret';
  const config = verifyConfig({ mode: 'enforce', hmac: { preset: 'stripe', secret } });
  const header = (timestamp: number, s = secret, payload = body) => Stripe.webhooks.generateTestHeaderString({ payload, secret: s, timestamp });
  const check = (headers: [string, string][], payload: string | Buffer = body, cfg = config) => verifyDelivery(delivery({ body: payload, headers }), cfg, ctx);

  it('accepts a header made by stripe-node generateTestHeaderString (whsec_ used verbatim as the key)', async () => {
    const verdict = await check([['Stripe-Signature', header(NOW_SEC - 5)]]);
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'hmac:stripe' });
    expect(verdict.details?.ageSec).toBe(5);
  });

  it('rejects a changed byte and a wrong secret as invalid', async () => {
    expect((await check([['Stripe-Signature', header(NOW_SEC)]], tamper(body))).status).toBe('invalid');
    expect((await check([['Stripe-Signature', header(NOW_SEC, 'whsec_other')]])).status).toBe('invalid');
  });

  it('calls a genuine but stale signature expired, saying by how much; the future is checked too', async () => {
    const stale = await check([['Stripe-Signature', header(NOW_SEC - 3600)]]);
    expect(stale.status).toBe('expired');
    expect(stale.reason).toContain('1 h old, outside the tolerance of 5 min');
    expect(stale.hint).toContain('55 min beyond the tolerance');
    const future = await check([['Stripe-Signature', header(NOW_SEC + 3600)]]);
    expect(future.status).toBe('expired');
    expect(future.reason).toContain('in the future');
  });

  it('honours a configured tolerance, and 0 disables the check (replaying old captures)', async () => {
    const tight = verifyConfig({ mode: 'enforce', hmac: { preset: 'stripe', secret, toleranceSec: 10 } });
    expect((await check([['Stripe-Signature', header(NOW_SEC - 20)]], body, tight)).status).toBe('expired');
    const off = verifyConfig({ mode: 'enforce', hmac: { preset: 'stripe', secret, toleranceSec: 0 } });
    expect((await check([['Stripe-Signature', header(NOW_SEC - 86_400 * 30)]], body, off)).status).toBe('valid');
  });

  it('accepts any of several v1 signatures (Stripe during a secret roll) and ignores spaces after commas', async () => {
    const v1 = createHmac('sha256', secret).update(`${NOW_SEC}.${body}`).digest('hex');
    expect((await check([['Stripe-Signature', `t=${NOW_SEC}, v1=${'ab'.repeat(32)}, v1=${v1}`]])).status).toBe('valid');
  });

  it('never accepts a v0= signature, even a correct one', async () => {
    const v0 = createHmac('sha256', secret).update(`${NOW_SEC}.${body}`).digest('hex');
    const verdict = await check([['Stripe-Signature', `t=${NOW_SEC},v0=${v0}`]]);
    expect(verdict.status).toBe('missing');
    expect(verdict.reason).toContain('v0=');
  });

  it('refuses a signature without t=', async () => {
    const v1 = createHmac('sha256', secret).update(`.${body}`).digest('hex');
    expect(await check([['Stripe-Signature', `v1=${v1}`]])).toMatchObject({ status: 'invalid', reason: expect.stringContaining('no t= timestamp') });
  });

  it('accepts rotation with two configured secrets', async () => {
    const rotating = verifyConfig({ mode: 'enforce', hmac: { preset: 'stripe', secrets: ['whsec_old', 'whsec_new'] } });
    expect((await check([['Stripe-Signature', header(NOW_SEC, 'whsec_old')]], body, rotating)).status).toBe('valid');
    expect((await check([['Stripe-Signature', header(NOW_SEC, 'whsec_new')]], body, rotating)).status).toBe('valid');
  });
});

describe('slack preset', () => {
  // Slack's published example (api.slack.com/authentication/verifying-requests-from-slack).
  const docs = {
    secret: '8f742231b10e8888abcd99yyyzzz85a5',
    timestamp: '1531420618',
    body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
    signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
  };
  const config = verifyConfig({ mode: 'enforce', hmac: { preset: 'slack', secret: docs.secret } });
  const headers: [string, string][] = [['X-Slack-Request-Timestamp', docs.timestamp], ['X-Slack-Signature', docs.signature]];

  it("accepts Slack's documented example at its own time", async () => {
    const verdict = await verifyDelivery(delivery({ body: docs.body, headers }), config, { now: () => Number(docs.timestamp) * 1000 });
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'hmac:slack' });
  });

  it('calls the same example expired six minutes later, and invalid with one byte changed', async () => {
    const later = { now: () => (Number(docs.timestamp) + 360) * 1000 };
    expect((await verifyDelivery(delivery({ body: docs.body, headers }), config, later)).status).toBe('expired');
    const atTime = { now: () => Number(docs.timestamp) * 1000 };
    expect((await verifyDelivery(delivery({ body: tamper(docs.body), headers }), config, atTime)).status).toBe('invalid');
  });

  it('reports a missing timestamp header as missing', async () => {
    const verdict = await verifyDelivery(delivery({ body: docs.body, headers: [['X-Slack-Signature', docs.signature]] }), config, ctx);
    expect(verdict).toMatchObject({ status: 'missing', reason: 'no X-Slack-Request-Timestamp header' });
  });
});

describe('standard-webhooks preset (and svix)', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const config = verifyConfig({ mode: 'enforce', hmac: { preset: 'standard-webhooks', secret } });
  const signed = (id: string, at: Date, payload: string, s = secret) => new StandardWebhook(s).sign(id, at, payload);

  it('accepts a delivery signed by the standardwebhooks library', async () => {
    const at = new Date(NOW_MS - 2000);
    const headers: [string, string][] = [['webhook-id', 'msg_1'], ['webhook-timestamp', String(NOW_SEC - 2)], ['webhook-signature', signed('msg_1', at, body)]];
    expect(await verifyDelivery(delivery({ body, headers }), config, ctx)).toMatchObject({ status: 'valid', scheme: 'hmac:standard-webhooks' });
  });

  it('accepts the published example vector (msg_p5jXN8AQM9LWM0D4loKWxJek)', async () => {
    const headers: [string, string][] = [['webhook-id', 'msg_p5jXN8AQM9LWM0D4loKWxJek'], ['webhook-timestamp', '1614265330'], ['webhook-signature', 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=']];
    const verdict = await verifyDelivery(delivery({ body: '{"test": 2432232314}', headers }), config, { now: () => 1614265330 * 1000 });
    expect(verdict.status).toBe('valid');
  });

  it('accepts svix-* headers signed by the svix library, and a secret without the whsec_ prefix', async () => {
    const at = new Date(NOW_MS);
    const signature = new SvixWebhook(secret).sign('msg_2', at, body);
    const headers: [string, string][] = [['svix-id', 'msg_2'], ['svix-timestamp', String(NOW_SEC)], ['svix-signature', signature]];
    expect((await verifyDelivery(delivery({ body, headers }), config, ctx)).status).toBe('valid');
    const bare = verifyConfig({ mode: 'enforce', hmac: { preset: 'standard-webhooks', secret: secret.slice('whsec_'.length) } });
    expect((await verifyDelivery(delivery({ body, headers }), bare, ctx)).status).toBe('valid');
  });

  it('accepts a space-separated list where one signature matches (rotation on the sender side)', async () => {
    const good = signed('msg_3', new Date(NOW_MS), body);
    const other = signed('msg_3', new Date(NOW_MS), body, 'whsec_' + Buffer.from('another key of 24 bytes!').toString('base64'));
    const headers: [string, string][] = [['webhook-id', 'msg_3'], ['webhook-timestamp', String(NOW_SEC)], ['webhook-signature', `${other} v1a,ignoredEd25519 ${good}`]];
    const verdict = await verifyDelivery(delivery({ body, headers }), config, ctx);
    expect(verdict.status).toBe('valid');
    expect(verdict.details?.ignored).toEqual(['v1a,']);
  });

  it('rejects a changed id, a changed byte, and a stale timestamp', async () => {
    const at = new Date(NOW_MS);
    const sig = signed('msg_4', at, body);
    const base = (id: string, ts: string, payload: string | Buffer = body) => delivery({ body: payload, headers: [['webhook-id', id], ['webhook-timestamp', ts], ['webhook-signature', sig]] });
    expect((await verifyDelivery(base('msg_5', String(NOW_SEC)), config, ctx)).status).toBe('invalid');
    expect((await verifyDelivery(base('msg_4', String(NOW_SEC), tamper(body)), config, ctx)).status).toBe('invalid');
    const old = new Date(NOW_MS - 600_000);
    const staleSig = signed('msg_4', old, body);
    const stale = delivery({ body, headers: [['webhook-id', 'msg_4'], ['webhook-timestamp', String(NOW_SEC - 600)], ['webhook-signature', staleSig]] });
    expect((await verifyDelivery(stale, config, ctx)).status).toBe('expired');
  });

  it('keeps two concatenated webhook-signature headers apart', async () => {
    const sig = signed('msg_6', new Date(NOW_MS), body);
    const headers: [string, string][] = [['webhook-id', 'msg_6'], ['webhook-timestamp', String(NOW_SEC)], ['webhook-signature', 'v1,AAAA'], ['webhook-signature', sig]];
    expect((await verifyDelivery(delivery({ body, headers }), config, ctx)).status).toBe('valid');
  });
});
