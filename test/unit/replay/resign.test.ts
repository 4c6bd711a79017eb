import { verify as verifyGithub } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import twilio from 'twilio';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HeaderPairs } from '../../../shared/capture';
import type { VerifyConfig } from '../../../shared/verify-config';
import { headerValue } from '../../../server/delivery/raw-delivery';
import type { OutgoingRequest } from '../../../server/delivery/outgoing-request';
import { ResignError, resignRequest, systemSigningClock } from '../../../server/signing/sign-request';

const json = Buffer.from('{"id":"evt_1","object":"event","type":"ping","data":{"object":{"note":"caf\\u00e9 \\/ é"}}}\n');
const request = (headers: HeaderPairs = [['Content-Type', 'application/json']], body = json, url = 'http://127.0.0.1:3000/hook'): OutgoingRequest =>
  ({ method: 'POST', url, headers, body });
const hmac = (preset: NonNullable<VerifyConfig['hmac']>['preset'], secret: string, extra: Partial<NonNullable<VerifyConfig['hmac']>> = {}): VerifyConfig =>
  ({ mode: 'observe', hmac: { preset, secret, ...extra } });
const header = (r: OutgoingRequest, name: string) => headerValue(r.headers, name) ?? '';
const objectOf = (r: OutgoingRequest) => Object.fromEntries(r.headers.map(([k, v]) => [k.toLowerCase(), v]));

describe('re-signing verifies with the providers\' official libraries', () => {
  it('stripe: constructEvent accepts it', () => {
    const secret = 'whsec_test_secret_123';
    const signed = resignRequest(request(), hmac('stripe', secret), undefined);
    const stripe = new Stripe('sk_test_unused');
    const event = stripe.webhooks.constructEvent(signed.body, header(signed, 'stripe-signature'), secret);
    expect(event.id).toBe('evt_1');
  });

  it('github: @octokit/webhooks-methods verify accepts it, and a wrong secret does not', async () => {
    const signed = resignRequest(request(), hmac('github', 'It\'s a Secret to Everybody'), undefined);
    expect(await verifyGithub('It\'s a Secret to Everybody', signed.body.toString('utf8'), header(signed, 'x-hub-signature-256'))).toBe(true);
    expect(await verifyGithub('another', signed.body.toString('utf8'), header(signed, 'x-hub-signature-256'))).toBe(false);
  });

  it('standard webhooks: Webhook.verify accepts it, with a fresh id and timestamp', () => {
    const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
    const original: HeaderPairs = [['Content-Type', 'application/json'], ['webhook-id', 'msg_old'], ['webhook-timestamp', '1'], ['webhook-signature', 'v1,old']];
    const signed = resignRequest(request(original), hmac('standard-webhooks', secret), undefined);
    expect(new Webhook(secret).verify(signed.body.toString('utf8'), objectOf(signed))).toMatchObject({ id: 'evt_1' });
    expect(header(signed, 'webhook-id')).not.toBe('msg_old');
    expect(signed.headers.filter(([k]) => k.toLowerCase().startsWith('webhook-'))).toHaveLength(3); // replaced in place, not added
  });

  it('svix: keeps the svix-* header family and svix verifies it', () => {
    const secret = `whsec_${Buffer.from('svix-secret-key-0123456789').toString('base64')}`;
    const signed = resignRequest(request([['svix-id', 'msg_1'], ['svix-timestamp', '1'], ['svix-signature', 'v1,x']]), hmac('standard-webhooks', secret), undefined);
    expect(new SvixWebhook(secret).verify(signed.body.toString('utf8'), objectOf(signed))).toMatchObject({ id: 'evt_1' });
  });

  it('twilio form post: validateRequest accepts the target URL and parameters', () => {
    const body = Buffer.from('To=%2B15550001111&From=%2B15552223333&Body=Hello+w%C3%B6rld&MediaUrl=b&MediaUrl=a');
    const url = 'http://127.0.0.1:3000/sms?x=1';
    const signed = resignRequest(request([['Content-Type', 'application/x-www-form-urlencoded']], body, url), hmac('twilio', 'auth-token-123'), undefined);
    const params: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(body.toString())) params[k] = k in params ? [params[k] as string, v].flat() : v;
    expect(twilio.validateRequest('auth-token-123', header(signed, 'x-twilio-signature'), signed.url, params)).toBe(true);
  });

  it('twilio JSON: binds the body through bodySHA256 and validateRequestWithBody accepts it', () => {
    const signed = resignRequest(request(), hmac('twilio', 'auth-token-123'), undefined);
    expect(signed.url).toContain('bodySHA256=');
    expect(twilio.validateRequestWithBody('auth-token-123', header(signed, 'x-twilio-signature'), signed.url, signed.body.toString('utf8'))).toBe(true);
  });

  it('slack and shopify: match the documented construction', () => {
    const clock = { nowSec: () => 1_700_000_000, newId: () => 'id' };
    const slack = resignRequest(request(), hmac('slack', 's3cr3t'), undefined, clock);
    const base = Buffer.concat([Buffer.from('v0:1700000000:'), json]);
    expect(header(slack, 'x-slack-signature')).toBe(`v0=${createHmac('sha256', 's3cr3t').update(base).digest('hex')}`);
    expect(header(slack, 'x-slack-request-timestamp')).toBe('1700000000');
    const shopify = resignRequest(request([['Shopify-Hmac-Sha256', 'old']]), hmac('shopify', 'shp'), undefined);
    expect(header(shopify, 'shopify-hmac-sha256')).toBe(createHmac('sha256', 'shp').update(json).digest('base64'));
  });

  it('custom: renders the template over the raw bytes with a fresh timestamp header', () => {
    const clock = { nowSec: () => 42, newId: () => 'abc' };
    const config = hmac('custom', 'k', { header: 'X-Sig', algorithm: 'sha512', encoding: 'base64', prefix: 'v1=', template: '{timestamp}.{body}', timestampHeader: 'X-Ts' });
    const signed = resignRequest(request(), config, undefined, clock);
    expect(header(signed, 'x-ts')).toBe('42');
    expect(header(signed, 'x-sig')).toBe(`v1=${createHmac('sha512', 'k').update(Buffer.concat([Buffer.from('42.'), json])).digest('base64')}`);
  });

  it('a given secret wins over the endpoint\'s', () => {
    const signed = resignRequest(request(), hmac('github', 'stored'), 'given', systemSigningClock);
    expect(header(signed, 'x-hub-signature-256')).toBe(`sha256=${createHmac('sha256', 'given').update(json).digest('hex')}`);
  });

  it('refuses what cannot be signed', () => {
    expect(() => resignRequest(request(), { mode: 'off' }, 'x')).toThrow(ResignError);
    expect(() => resignRequest(request(), { mode: 'observe', hmac: { preset: 'sendgrid', publicKey: 'MFkw' } }, 'x')).toThrow(/private key/);
    expect(() => resignRequest(request(), { mode: 'observe', hmac: { preset: 'github' } }, undefined)).toThrow(/no secret/);
  });
});
