import { randomBytes } from 'node:crypto';
import type { HeaderPairs } from '../../shared/capture';
import type { HmacConfig, VerifyConfig } from '../../shared/verify-config';
import { HttpError } from '../errors';
import { headerValue } from '../delivery/raw-delivery';
import { hmac, sha256Hex } from './digests';
import { setHeader, type OutgoingRequest } from '../delivery/outgoing-request';

/** Fresh timestamps and ids for schemes that sign them. */
export interface SigningClock {
  nowSec: () => number; // seconds since epoch
  newId: () => string;
}

export const systemSigningClock: SigningClock = {
  nowSec: () => Math.floor(Date.now() / 1000),
  newId: () => `msg_${randomBytes(16).toString('base64url')}`,
};

/** A replay cannot be re-signed as asked (no scheme, no secret, a scheme we cannot sign). Maps to 400. */
export class ResignError extends HttpError {
  constructor(message: string) {
    super(400, `cannot re-sign: ${message}`);
    this.name = 'ResignError';
  }
}

type Signer = (request: OutgoingRequest, secret: string, clock: SigningClock, config: HmacConfig) => OutgoingRequest;

const withHeaders = (request: OutgoingRequest, headers: HeaderPairs): OutgoingRequest => ({ ...request, headers });

/** GitHub and Meta: `X-Hub-Signature-256: sha256=<hex>` over the raw body (and the legacy sha1 header when the capture had it). */
const signHubSignature: Signer = (request, secret) => {
  let headers = setHeader(request.headers, 'X-Hub-Signature-256', `sha256=${hmac('sha256', secret, [request.body]).toString('hex')}`);
  if (headerValue(headers, 'x-hub-signature') !== null) headers = setHeader(headers, 'X-Hub-Signature', `sha1=${hmac('sha1', secret, [request.body]).toString('hex')}`);
  return withHeaders(request, headers);
};

/** Stripe signs `${t}.${body}`; the `whsec_` secret is the key verbatim. */
const signStripe: Signer = (request, secret, clock) => {
  const t = String(clock.nowSec());
  const v1 = hmac('sha256', secret, [`${t}.`, request.body]).toString('hex');
  return withHeaders(request, setHeader(request.headers, 'Stripe-Signature', `t=${t},v1=${v1}`));
};

/** Slack signs `v0:${ts}:${body}`. */
const signSlack: Signer = (request, secret, clock) => {
  const ts = String(clock.nowSec());
  let headers = setHeader(request.headers, 'X-Slack-Request-Timestamp', ts);
  headers = setHeader(headers, 'X-Slack-Signature', `v0=${hmac('sha256', secret, [`v0:${ts}:`, request.body]).toString('hex')}`);
  return withHeaders(request, headers);
};

/** Shopify: base64 HMAC of the raw body, under whichever of its two header names the capture used. */
const signShopify: Signer = (request, secret) => {
  const name = headerValue(request.headers, 'shopify-hmac-sha256') !== null ? 'Shopify-Hmac-Sha256' : 'X-Shopify-Hmac-Sha256';
  return withHeaders(request, setHeader(request.headers, name, hmac('sha256', secret, [request.body]).toString('base64')));
};

/** Standard Webhooks / Svix: `v1,<b64>` over `${id}.${ts}.${body}`, key = base64 of the secret after `whsec_`. */
const signStandardWebhooks: Signer = (request, secret, clock) => {
  const prefix = headerValue(request.headers, 'svix-signature') !== null || headerValue(request.headers, 'svix-id') !== null ? 'svix' : 'webhook';
  const id = clock.newId();
  const ts = String(clock.nowSec());
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = hmac('sha256', key, [`${id}.${ts}.`, request.body]).toString('base64');
  let headers = setHeader(request.headers, `${prefix}-id`, id);
  headers = setHeader(headers, `${prefix}-timestamp`, ts);
  headers = setHeader(headers, `${prefix}-signature`, `v1,${signature}`);
  return withHeaders(request, headers);
};

/** Form parameters Twilio signs: names in JS sort order, each name's distinct values sorted (twilio-node's rule). */
function twilioParamString(body: Buffer): string {
  const params = new Map<string, Set<string>>();
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) params.set(name, (params.get(name) ?? new Set()).add(value));
  return [...params.keys()].sort().map((name) => [...(params.get(name) as Set<string>)].sort().map((v) => name + v).join('')).join('');
}

/**
 * Twilio: base64 HMAC-SHA1 of the URL the target is called at, followed for form posts by the
 * sorted parameters; other bodies are bound through `bodySHA256=<hex>` in the URL instead.
 */
const signTwilio: Signer = (request, secret) => {
  const type = (headerValue(request.headers, 'content-type') ?? '').toLowerCase();
  const form = type.startsWith('application/x-www-form-urlencoded');
  const url = new URL(request.url);
  if (!form && request.body.length > 0) url.searchParams.set('bodySHA256', sha256Hex(request.body));
  const data = url.href + (form ? twilioParamString(request.body) : '');
  const signature = hmac('sha1', secret, [Buffer.from(data, 'utf8')]).toString('base64');
  return { ...request, url: url.href, headers: setHeader(request.headers, 'X-Twilio-Signature', signature) };
}

/** Custom: `template` with `{body}`, `{timestamp}`, `{id}`, `{url}` rendered to bytes, signed as configured. */
const signCustom: Signer = (request, secret, clock, config) => {
  if (!config.header) throw new ResignError('the custom scheme has no signature header configured');
  const template = config.template ?? '{body}';
  const ts = String(clock.nowSec());
  const id = clock.newId();
  const parts = template.split(/(\{body\}|\{timestamp\}|\{id\}|\{url\})/).map((piece) => {
    if (piece === '{body}') return request.body;
    if (piece === '{timestamp}') return ts;
    if (piece === '{id}') return id;
    return piece === '{url}' ? request.url : piece;
  });
  const digest = hmac(config.algorithm ?? 'sha256', secret, parts).toString(config.encoding ?? 'hex');
  let headers = setHeader(request.headers, config.header, `${config.prefix ?? ''}${digest}`);
  if (config.timestampHeader && template.includes('{timestamp}')) headers = setHeader(headers, config.timestampHeader, ts);
  if (config.idHeader && template.includes('{id}')) headers = setHeader(headers, config.idHeader, id);
  return withHeaders(request, headers);
};

const SIGNERS: Partial<Record<HmacConfig['preset'], Signer>> = {
  github: signHubSignature,
  meta: signHubSignature,
  stripe: signStripe,
  slack: signSlack,
  shopify: signShopify,
  'standard-webhooks': signStandardWebhooks,
  twilio: signTwilio,
  custom: signCustom,
};

/**
 * The signer and key an endpoint's scheme needs: `secret` wins over the endpoint's own (first)
 * secret. Throws ResignError when the endpoint has no HMAC scheme or no secret, or for SendGrid
 * (signed with SendGrid's private key, which nobody but SendGrid holds).
 */
export function signingFor(verify: VerifyConfig, secret: string | undefined): { sign: (request: OutgoingRequest, clock: SigningClock) => OutgoingRequest } {
  const config = verify.hmac;
  if (!config) throw new ResignError('the endpoint has no HMAC signature scheme configured (verify.hmac)');
  const signer = SIGNERS[config.preset];
  if (!signer) throw new ResignError(`${config.preset} signatures are made with the provider's private key; Hookscope can only verify them`);
  const key = secret ?? config.secret ?? config.secrets?.[0];
  if (!key) throw new ResignError('no secret given and the endpoint has none configured');
  return { sign: (request, clock) => signer(request, key, clock, config) };
}

/** The request re-signed with the endpoint's HMAC scheme, a fresh timestamp and id where the scheme has them (see signingFor for errors). */
export function resignRequest(request: OutgoingRequest, verify: VerifyConfig, secret: string | undefined, clock: SigningClock = systemSigningClock): OutgoingRequest {
  return signingFor(verify, secret).sign(request, clock);
}
