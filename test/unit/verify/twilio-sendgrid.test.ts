import { createHash, createSign, generateKeyPairSync } from 'node:crypto';
import { EventWebhook } from '@sendgrid/eventwebhook';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../../server/verify';
import { delivery, NOW_MS, NOW_SEC, tamper, verifyConfig } from './fixtures';

const ctx = { now: () => NOW_MS };
const form = 'application/x-www-form-urlencoded';

describe('twilio preset', () => {
  const config = verifyConfig({ mode: 'enforce', hmac: { preset: 'twilio', secret: '12345' } });
  const statusBody = 'AccountSid=AC00000000000000000000000000000000&ApiVersion=2010-04-01&From=%2B15017122661&MessageSid=SM00000000000000000000000000000000&MessageStatus=delivered&SmsSid=SM00000000000000000000000000000000&SmsStatus=delivered&To=%2B15558675310';
  const paramsOf = (text: string) => Object.fromEntries(new URLSearchParams(text));

  it("accepts Twilio's documented example (Auth Token 12345, https://example.com/myapp.php?foo=1&bar=2)", async () => {
    const body = 'To=%2B18005551212&From=%2B14158675310&Digits=1234&Caller=%2B14158675310&CallSid=CA1234567890ABCDE';
    const headers: [string, string][] = [['Content-Type', form], ['X-Twilio-Signature', 'L/OH5YylLD5NRKLltdqwSvS0BnU=']];
    const verdict = await verifyDelivery(delivery({ url: 'https://example.com/myapp.php?foo=1&bar=2', body, headers }), config, ctx);
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'hmac:twilio' });
  });

  it("accepts a status callback signed with twilio-node's getExpectedTwilioSignature; rejects a changed parameter", async () => {
    const url = 'https://hooks.example.com/h/ep1/sms?tenant=7';
    const signature = twilio.getExpectedTwilioSignature('12345', url, paramsOf(statusBody));
    const headers: [string, string][] = [['Content-Type', form], ['X-Twilio-Signature', signature]];
    expect((await verifyDelivery(delivery({ url, body: statusBody, headers }), config, ctx)).status).toBe('valid');
    const changed = statusBody.replace('MessageStatus=delivered', 'MessageStatus=failed');
    expect((await verifyDelivery(delivery({ url, body: changed, headers }), config, ctx)).status).toBe('invalid');
  });

  it('accepts the URL with or without the default port, as twilio-node does', async () => {
    const signature = twilio.getExpectedTwilioSignature('12345', 'https://hooks.example.com:443/h/ep1', paramsOf(statusBody));
    const verdict = await verifyDelivery(delivery({ url: 'https://hooks.example.com/h/ep1', body: statusBody, headers: [['Content-Type', form], ['X-Twilio-Signature', signature]] }), config, ctx);
    expect(verdict.status).toBe('valid');
  });

  it('signs repeated parameters with their values sorted', async () => {
    const body = 'Body=hi&MediaUrl=https%3A%2F%2Fb&MediaUrl=https%3A%2F%2Fa&NumMedia=2';
    const url = 'https://hooks.example.com/h/ep1';
    const signature = twilio.getExpectedTwilioSignature('12345', url, { Body: 'hi', MediaUrl: ['https://b', 'https://a'], NumMedia: '2' });
    expect((await verifyDelivery(delivery({ url, body, headers: [['Content-Type', form], ['X-Twilio-Signature', signature]] }), config, ctx)).status).toBe('valid');
  });

  it('checks bodySHA256 for JSON bodies: URL signed alone, body bound by its hash', async () => {
    const body = '{"MessageSid":"SM1","MessageStatus":"sent"}';
    const url = `https://hooks.example.com/h/ep1?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const signature = twilio.getExpectedTwilioSignature('12345', url, {});
    const headers: [string, string][] = [['Content-Type', 'application/json'], ['X-Twilio-Signature', signature]];
    expect(twilio.validateRequestWithBody('12345', signature, url, body)).toBe(true);
    expect((await verifyDelivery(delivery({ url, body, headers }), config, ctx)).status).toBe('valid');
    const swapped = await verifyDelivery(delivery({ url, body: tamper(body), headers }), config, ctx);
    expect(swapped).toMatchObject({ status: 'invalid', reason: expect.stringContaining('bodySHA256') });
  });

  it('uses hmac.url (the public URL given to Twilio) in place of the URL Hookscope saw', async () => {
    const withUrl = verifyConfig({ mode: 'enforce', hmac: { preset: 'twilio', secret: '12345', url: 'https://public.example.org/twilio/' } });
    const signature = twilio.getExpectedTwilioSignature('12345', 'https://public.example.org/twilio/status?x=1', paramsOf(statusBody));
    const seen = delivery({ url: 'http://10.0.0.5:8080/h/ep1/status?x=1', body: statusBody, headers: [['Content-Type', form], ['X-Twilio-Signature', signature]] });
    expect((await verifyDelivery(seen, withUrl, ctx)).status).toBe('valid');
  });
});

describe('sendgrid preset (ECDSA P-256)', () => {
  // SendGrid's own test vector (sendgrid-nodejs packages/eventwebhook eventwebhook.spec.js).
  const published = {
    publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==',
    signature: 'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=',
    timestamp: '1588788367',
    body: JSON.stringify({ category: 'example_payload', event: 'test_event', message_id: 'message_id' }),
  };
  const headersOf = (signature: string, timestamp: string): [string, string][] => [
    ['X-Twilio-Email-Event-Webhook-Signature', signature],
    ['X-Twilio-Email-Event-Webhook-Timestamp', timestamp],
  ];
  const config = verifyConfig({ mode: 'enforce', hmac: { preset: 'sendgrid', publicKey: published.publicKey } });
  const atVector = { now: () => Number(published.timestamp) * 1000 };

  it("accepts SendGrid's published example, with the key as base64 DER or as PEM", async () => {
    const verdict = await verifyDelivery(delivery({ body: published.body, headers: headersOf(published.signature, published.timestamp) }), config, atVector);
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'ecdsa:sendgrid' });
    const pem = `-----BEGIN PUBLIC KEY-----\n${published.publicKey}\n-----END PUBLIC KEY-----\n`;
    const pemConfig = verifyConfig({ mode: 'enforce', hmac: { preset: 'sendgrid', publicKey: pem } });
    expect((await verifyDelivery(delivery({ body: published.body, headers: headersOf(published.signature, published.timestamp) }), pemConfig, atVector)).status).toBe('valid');
  });

  it('rejects a changed byte and another key; an old timestamp is expired', async () => {
    const otherKey = verifyConfig({ mode: 'enforce', hmac: { preset: 'sendgrid', publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==' } });
    const headers = headersOf(published.signature, published.timestamp);
    expect((await verifyDelivery(delivery({ body: tamper(published.body), headers }), config, atVector)).status).toBe('invalid');
    expect((await verifyDelivery(delivery({ body: published.body, headers }), otherKey, atVector)).status).toBe('invalid');
    expect((await verifyDelivery(delivery({ body: published.body, headers }), config, ctx)).status).toBe('expired');
  });

  it('accepts a fresh delivery signed with a new P-256 key pair (checked by @sendgrid/eventwebhook too)', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const spki = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const body = JSON.stringify([{ email: 'a@example.com', event: 'delivered', sg_event_id: 'sg1', timestamp: NOW_SEC }]);
    const signature = createSign('sha256').update(`${NOW_SEC}${body}`).sign(privateKey).toString('base64');
    const lib = new EventWebhook();
    expect(lib.verifySignature(lib.convertPublicKeyToECDSA(spki), body, signature, String(NOW_SEC))).toBe(true);
    const fresh = verifyConfig({ mode: 'enforce', hmac: { preset: 'sendgrid', publicKey: spki } });
    expect((await verifyDelivery(delivery({ body, headers: headersOf(signature, String(NOW_SEC)) }), fresh, ctx)).status).toBe('valid');
  });

  it('refuses a key that is not P-256, and needs publicKey rather than a secret', async () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const wrong = verifyConfig({ mode: 'enforce', hmac: { preset: 'sendgrid', publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString() } });
    const verdict = await verifyDelivery(delivery({ body: published.body, headers: headersOf(published.signature, published.timestamp) }), wrong, atVector);
    expect(verdict).toMatchObject({ status: 'invalid', reason: expect.stringContaining('not the EC P-256 key') });
    expect(() => verifyConfig({ mode: 'enforce', hmac: { preset: 'sendgrid', secret: 'x' } })).toThrow(/publicKey/);
  });
});
