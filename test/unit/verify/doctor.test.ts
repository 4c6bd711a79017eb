import { createHmac } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import type { SignatureVerdict } from '../../../shared/verdicts';
import { verifyDelivery } from '../../../server/verify';
import { delivery, NOW_MS, NOW_SEC, verifyConfig } from './fixtures';

const ctx = { now: () => NOW_MS };
const SECRET = 'Kq7-zX2-wP9';
const hubSig = (key: string | Buffer, data: string | Buffer, alg = 'sha256', enc: 'hex' | 'base64' = 'hex') => `sha256=${createHmac(alg, key).update(data).digest(enc)}`;
const value = { event: 'message.read', url: 'https://example.com/a/b', name: 'Café Olé', nested: { z: 1, a: [1, 2] } };
const compact = JSON.stringify(value);

async function github(secret: string, body: string | Buffer, signature: string): Promise<SignatureVerdict> {
  const config = verifyConfig({ mode: 'observe', hmac: { preset: 'github', secret } });
  return verifyDelivery(delivery({ body, headers: [['X-Hub-Signature-256', signature]] }), config, ctx);
}

/** The verdict must be invalid, diagnosed with `cause`, and never contain the secret. */
function expectDiagnosis(verdict: SignatureVerdict, cause: string, secret = SECRET, facts: Record<string, unknown> = {}): void {
  expect(verdict.status).toBe('invalid');
  expect(verdict.details?.diagnosis).toMatchObject({ cause, ...facts });
  expect(verdict.hint).toBeTruthy();
  expect(JSON.stringify(verdict)).not.toContain(secret);
}

describe('signature doctor: the secret', () => {
  it('names a secret the sender base64-decoded where the preset uses it as text', async () => {
    const secret = 'c2lnbmluZy1rZXktYnl0ZXM=';
    const verdict = await github(secret, compact, hubSig(Buffer.from(secret, 'base64'), compact));
    expectDiagnosis(verdict, 'secret-encoding', secret, { senderKey: 'base64' });
    expect(verdict.hint).toContain('base64-decoded');
  });

  it('names a secret the sender hex-decoded', async () => {
    const secret = '0123456789abcdef0123456789abcdef';
    expectDiagnosis(await github(secret, compact, hubSig(Buffer.from(secret, 'hex'), compact)), 'secret-encoding', secret, { senderKey: 'hex' });
  });

  it('names a Standard Webhooks sender that used the whsec_ string as text instead of base64', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const signature = `v1,${createHmac('sha256', secret).update(`msg_1.${NOW_SEC}.${compact}`).digest('base64')}`;
    const config = verifyConfig({ mode: 'observe', hmac: { preset: 'standard-webhooks', secret } });
    const headers: [string, string][] = [['webhook-id', 'msg_1'], ['webhook-timestamp', String(NOW_SEC)], ['webhook-signature', signature]];
    const verdict = await verifyDelivery(delivery({ body: compact, headers }), config, ctx);
    expectDiagnosis(verdict, 'secret-encoding', secret, { senderKey: 'text' });
    expect(verdict.hint).toContain('stripe preset');
  });

  it('names a Stripe secret whose whsec_ prefix the sender dropped', async () => {
    const secret = 'whsec_abcDEF123';
    const header = Stripe.webhooks.generateTestHeaderString({ payload: compact, secret: 'abcDEF123', timestamp: NOW_SEC });
    const config = verifyConfig({ mode: 'observe', hmac: { preset: 'stripe', secret } });
    const verdict = await verifyDelivery(delivery({ body: compact, headers: [['Stripe-Signature', header]] }), config, ctx);
    expectDiagnosis(verdict, 'whsec-prefix', secret, { senderKey: 'text-without-whsec' });
  });

  it('names a configured secret missing the whsec_ prefix the sender kept', async () => {
    const header = Stripe.webhooks.generateTestHeaderString({ payload: compact, secret: 'whsec_abcDEF123', timestamp: NOW_SEC });
    const config = verifyConfig({ mode: 'observe', hmac: { preset: 'stripe', secret: 'abcDEF123' } });
    const verdict = await verifyDelivery(delivery({ body: compact, headers: [['Stripe-Signature', header]] }), config, ctx);
    expectDiagnosis(verdict, 'whsec-prefix', 'abcDEF123', { senderKey: 'text-with-whsec' });
  });

  it('names a secret pasted with a trailing newline', async () => {
    expectDiagnosis(await github('s3cret-value\n', compact, hubSig('s3cret-value', compact)), 'secret-whitespace', 's3cret-value');
  });

  it.each([
    ['a trailing newline (echo "$SECRET")', `${SECRET}\n`, 'sender-secret-whitespace', 'sender-newline', 'trailing newline'],
    ['a Windows line end', `${SECRET}\r\n`, 'sender-secret-whitespace', 'sender-crlf', 'line end'],
    ['a trailing space', `${SECRET} `, 'sender-secret-whitespace', 'sender-space', 'trailing space'],
    ['double quotes', `"${SECRET}"`, 'sender-secret-quotes', 'sender-double-quoted', 'double quotes'],
    ['single quotes', `'${SECRET}'`, 'sender-secret-quotes', 'sender-single-quoted', 'single quotes'],
    ['its base64 text', Buffer.from(SECRET).toString('base64'), 'sender-secret-encoding', 'sender-base64-text', 'base64 encoding'],
    ['its hex text', Buffer.from(SECRET).toString('hex'), 'sender-secret-encoding', 'sender-hex-text', 'hex encoding'],
  ])('names a sender that signed with the secret plus %s, the configured secret being right', async (_what, senderKey, cause, reading, words) => {
    const verdict = await github(SECRET, compact, hubSig(senderKey, compact));
    expectDiagnosis(verdict, cause, SECRET, { senderKey: reading });
    expect(verdict.hint).toContain('the configured secret is right');
    expect(verdict.hint).toContain(words);
  });

  it('falls back to "another secret", with fingerprints only', async () => {
    const verdict = await github('the-real-secret', compact, hubSig('something-else', compact));
    expectDiagnosis(verdict, 'unknown', 'the-real-secret');
    expect(verdict.hint).toMatch(/fingerprint [0-9a-f]{8}/);
  });
});

describe('signature doctor: the body', () => {
  const cases: [string, string, string][] = [
    ['compact', compact, JSON.stringify(value, null, 2)],
    ['pretty', JSON.stringify(value, null, 2), compact],
    ['sorted-keys', JSON.stringify({ a: [1, 2], event: 'x', z: 1 }), JSON.stringify({ z: 1, event: 'x', a: [1, 2] })],
    ['escaped-slashes', compact.replace(/\//g, '\\/'), compact],
    ['escaped-unicode', compact.replace(/é/g, '\\u00e9'), compact],
    ['spaced', JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ').replace(/([[{]) /g, '$1').replace(/ ([\]}])/g, '$1'), compact],
  ];
  for (const [variant, signed, arrived] of cases) {
    it(`names a body re-serialized in transit (sender signed ${variant})`, async () => {
      const verdict = await github(SECRET, arrived, hubSig(SECRET, signed));
      expectDiagnosis(verdict, 'body-reserialized', undefined, { variant });
      expect(verdict.hint).toContain('re-serialized');
    });
  }

  it('names a trailing newline added on the way, and one removed', async () => {
    expectDiagnosis(await github(SECRET, `${compact}\n`, hubSig(SECRET, compact)), 'trailing-newline', undefined, { variant: 'newline-removed' });
    expectDiagnosis(await github(SECRET, compact, hubSig(SECRET, `${compact}\n`)), 'trailing-newline', undefined, { variant: 'newline-added' });
  });
});

describe('signature doctor: algorithm, encoding, time, URL', () => {
  it('names the wrong hash (HMAC-SHA512 under a sha256= prefix)', async () => {
    const verdict = await github(SECRET, compact, `sha256=${createHmac('sha512', SECRET).update(compact).digest('hex')}`);
    expectDiagnosis(verdict, 'wrong-algorithm', undefined, { senderAlgorithm: 'sha512' });
  });

  it('names the wrong hash for a custom scheme configured sha256 but signed with sha1', async () => {
    const config = verifyConfig({ mode: 'observe', hmac: { preset: 'custom', secret: SECRET, header: 'X-Sig' } });
    const verdict = await verifyDelivery(delivery({ body: compact, headers: [['X-Sig', createHmac('sha1', SECRET).update(compact).digest('hex')]] }), config, ctx);
    expectDiagnosis(verdict, 'wrong-algorithm', undefined, { senderAlgorithm: 'sha1' });
  });

  it('names hex vs base64: right HMAC, wrong encoding', async () => {
    const verdict = await github(SECRET, compact, hubSig(SECRET, compact, 'sha256', 'base64'));
    expectDiagnosis(verdict, 'wrong-encoding', undefined, { senderEncoding: 'base64', expectedEncoding: 'hex' });
    expect(verdict.hint).toContain('Right HMAC, wrong encoding');
  });

  it('says by how much a timestamp is outside the tolerance', async () => {
    const secret = 'whsec_' + Buffer.from('twenty-four-byte-secret!').toString('base64');
    const at = new Date((NOW_SEC - 900) * 1000);
    const config = verifyConfig({ mode: 'observe', hmac: { preset: 'standard-webhooks', secret } });
    const headers: [string, string][] = [['webhook-id', 'm'], ['webhook-timestamp', String(NOW_SEC - 900)], ['webhook-signature', new StandardWebhook(secret).sign('m', at, compact)]];
    const verdict = await verifyDelivery(delivery({ body: compact, headers }), config, ctx);
    expect(verdict).toMatchObject({ status: 'expired', details: { ageSec: 900, toleranceSec: 300 } });
    expect(verdict.reason).toContain('15 min old');
    expect(verdict.hint).toContain('10 min beyond the tolerance');
  });

  const body = 'MessageSid=SM1&MessageStatus=delivered';
  const params = { MessageSid: 'SM1', MessageStatus: 'delivered' };
  const twilioCase = async (signedUrl: string, seenUrl: string) => {
    const config = verifyConfig({ mode: 'observe', hmac: { preset: 'twilio', secret: 'auth-token' } });
    const headers: [string, string][] = [['Content-Type', 'application/x-www-form-urlencoded'], ['X-Twilio-Signature', twilio.getExpectedTwilioSignature('auth-token', signedUrl, params)]];
    return verifyDelivery(delivery({ url: seenUrl, body, headers }), config, ctx);
  };

  it('names a Twilio URL a TLS-terminating proxy turned from https into http', async () => {
    const verdict = await twilioCase('https://hooks.example.com/h/ep1/sms', 'http://hooks.example.com/h/ep1/sms');
    expectDiagnosis(verdict, 'twilio-url', 'auth-token', { signedUrl: 'https://hooks.example.com/h/ep1/sms' });
    expect(verdict.hint).toContain('trust-proxy');
  });

  it('names a Twilio URL whose port a proxy changed, and a trailing slash', async () => {
    expectDiagnosis(await twilioCase('https://hooks.example.com/h/ep1', 'http://hooks.example.com:8080/h/ep1'), 'twilio-url', 'auth-token');
    const slash = await twilioCase('https://hooks.example.com/h/ep1/', 'https://hooks.example.com/h/ep1');
    expectDiagnosis(slash, 'twilio-url', 'auth-token');
    expect(slash.hint).toContain('trailing slash');
  });

  it('does not run on huge bodies (it would re-hash them dozens of times)', async () => {
    const big = 'x'.repeat(65 * 1024);
    const verdict = await github(SECRET, big, hubSig('other', big));
    expect(verdict.details?.diagnosis).toMatchObject({ cause: 'skipped' });
  });
});

describe('doctor budget', () => {
  it('allows a burst, then refills with time', async () => {
    const { DoctorBudget } = await import('../../../server/verify/context');
    const budget = new DoctorBudget(3);
    expect([budget.take(1000), budget.take(1000), budget.take(1000), budget.take(1000)]).toEqual([true, true, true, false]);
    expect(budget.take(1400)).toBe(true); // 0.4 s refills 1.2 tokens
    expect(budget.take(1400)).toBe(false);
  });
});
