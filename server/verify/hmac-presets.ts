import type { HmacConfig, HmacPreset } from '../../shared/verify-config';
import { headerValue, type RawDelivery } from '../delivery/raw-delivery';
import { customScheme } from './custom-scheme';
import { afterPrefix, headerEntries, received, type HmacScheme, type ReceivedSignature, type SchemeReading } from './hmac-scheme';
import { twilioScheme } from './twilio-scheme';

const rawBody = (body: Buffer) => [{ parts: [body] }];

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex>` = HMAC-SHA256(secret, raw body); the legacy
 * `X-Hub-Signature: sha1=<hex>` is accepted too (docs.github.com, "Validating webhook deliveries").
 * Meta (WhatsApp Cloud API, Graph webhooks) signs the same way with the App Secret.
 */
function hubSignatureScheme(name: string): HmacScheme {
  return {
    name,
    secretReading: 'text',
    defaultToleranceSec: null,
    read(delivery) {
      const signatures: ReceivedSignature[] = [];
      let malformed: string | undefined;
      for (const [header, value] of headerEntries(delivery, ['x-hub-signature-256', 'x-hub-signature'])) {
        const sha256 = header.toLowerCase() === 'x-hub-signature-256';
        const digest = afterPrefix(value, sha256 ? 'sha256=' : 'sha1=');
        if (digest === null) malformed = `${header} does not start with "${sha256 ? 'sha256=' : 'sha1='}"`;
        signatures.push(received(header, digest ?? value.trim(), 'hex', sha256 ? 'sha256' : 'sha1'));
      }
      return {
        signatures,
        ...(signatures.length === 0 && { missing: 'no X-Hub-Signature-256 (or X-Hub-Signature) header' }),
        ...(malformed !== undefined && { malformed }),
        payloads: rawBody,
      };
    },
  };
}

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=…]` over `{t}.{raw body}`; the whole `whsec_…`
 * string is the key, as text. `v0=` (test-mode decoy) and unknown schemes are never accepted
 * (docs.stripe.com/webhooks/signatures). Parsed leniently: spaces around items are ignored.
 */
const stripe: HmacScheme = {
  name: 'hmac:stripe',
  secretReading: 'text',
  defaultToleranceSec: 300,
  read(delivery) {
    const signatures: ReceivedSignature[] = [];
    const ignored: string[] = [];
    let timestamp: SchemeReading['timestamp'];
    const entries = headerEntries(delivery, ['stripe-signature']);
    for (const [header, value] of entries) {
      for (const item of value.split(',')) {
        const eq = item.indexOf('=');
        const key = item.slice(0, eq === -1 ? undefined : eq).trim();
        const text = eq === -1 ? '' : item.slice(eq + 1).trim();
        if (key === 't') timestamp ??= { header, value: text };
        else if (key === 'v1') signatures.push(received(header, text, 'hex', 'sha256'));
        else if (key !== '') ignored.push(`${key}=`);
      }
    }
    const missing = entries.length === 0 ? 'no Stripe-Signature header' : signatures.length === 0 ? `Stripe-Signature has no v1= signature${ignored.length > 0 ? ` (only ${ignored.join(', ')}, which are never accepted)` : ''}` : undefined;
    const ts = timestamp?.value;
    return {
      signatures,
      ignored,
      ...(timestamp && { timestamp }),
      ...(missing !== undefined && { missing }),
      ...(signatures.length > 0 && !timestamp && { unusable: 'Stripe-Signature has no t= timestamp, so neither the signed payload nor its age can be checked' }),
      payloads: (body) => [{ parts: [`${ts ?? ''}.`, body] }],
    };
  },
};

/**
 * Slack: `X-Slack-Signature: v0=<hex>` = HMAC-SHA256 over `v0:{X-Slack-Request-Timestamp}:{raw body}`;
 * requests more than five minutes from now are refused (api.slack.com/authentication/verifying-requests-from-slack).
 */
const slack: HmacScheme = {
  name: 'hmac:slack',
  secretReading: 'text',
  defaultToleranceSec: 300,
  read(delivery) {
    const entries = headerEntries(delivery, ['x-slack-signature']);
    const signatures = entries.map(([header, value]) => received(header, afterPrefix(value, 'v0=') ?? value.trim(), 'hex', 'sha256'));
    const ts = headerValue(delivery.headers, 'x-slack-request-timestamp');
    const missing = entries.length === 0 ? 'no X-Slack-Signature header' : ts === null ? 'no X-Slack-Request-Timestamp header' : undefined;
    const malformed = entries.find(([, value]) => afterPrefix(value, 'v0=') === null);
    return {
      signatures: ts === null ? [] : signatures,
      ...(missing !== undefined && { missing }),
      ...(malformed && { malformed: `${malformed[0]} does not start with "v0="` }),
      ...(ts !== null && { timestamp: { header: 'X-Slack-Request-Timestamp', value: ts.trim() } }),
      payloads: (body) => [{ parts: [`v0:${ts?.trim() ?? ''}:`, body] }],
    };
  },
};

/**
 * Shopify: `X-Shopify-Hmac-Sha256: <base64>` = HMAC-SHA256(client secret, raw body); the Events
 * preview uses `Shopify-Hmac-Sha256` (shopify.dev, "Verify webhook deliveries").
 */
const shopify: HmacScheme = {
  name: 'hmac:shopify',
  secretReading: 'text',
  defaultToleranceSec: null,
  read(delivery) {
    const signatures = headerEntries(delivery, ['x-shopify-hmac-sha256', 'shopify-hmac-sha256']).map(([header, value]) =>
      received(header, value.trim(), 'base64', 'sha256'),
    );
    return { signatures, ...(signatures.length === 0 && { missing: 'no X-Shopify-Hmac-Sha256 header' }), payloads: rawBody };
  },
};

/**
 * Standard Webhooks (and Svix, with `svix-*` header names): `webhook-signature` is a space-separated
 * list of `v1,<base64>` over `{webhook-id}.{webhook-timestamp}.{raw body}`; the key is the base64
 * after an optional `whsec_` (standard-webhooks spec, "Verifying webhook authenticity").
 */
const standardWebhooks: HmacScheme = {
  name: 'hmac:standard-webhooks',
  secretReading: 'whsec-base64',
  defaultToleranceSec: 300,
  read(delivery) {
    const family = headerEntries(delivery, ['webhook-signature']).length > 0 ? 'webhook' : 'svix';
    const id = headerValue(delivery.headers, `${family}-id`);
    const ts = headerValue(delivery.headers, `${family}-timestamp`);
    const signatures: ReceivedSignature[] = [];
    const ignored: string[] = [];
    for (const [header, value] of headerEntries(delivery, [`${family}-signature`])) {
      for (const item of value.split(' ').filter(Boolean)) {
        const comma = item.indexOf(',');
        const version = comma === -1 ? '' : item.slice(0, comma);
        if (version === 'v1') signatures.push(received(header, item.slice(comma + 1), 'base64', 'sha256'));
        else ignored.push(version === '' ? item.slice(0, 12) : `${version},`);
      }
    }
    const missing =
      signatures.length === 0 ? `no v1 signature in webhook-signature / svix-signature${ignored.length > 0 ? ` (ignored: ${ignored.join(' ')})` : ''}`
      : id === null ? `no ${family}-id header` : ts === null ? `no ${family}-timestamp header` : undefined;
    return {
      signatures: missing === undefined ? signatures : [],
      ignored,
      ...(missing !== undefined && { missing }),
      ...(ts !== null && { timestamp: { header: `${family}-timestamp`, value: ts.trim() } }),
      payloads: (body) => [{ parts: [`${id ?? ''}.${ts?.trim() ?? ''}.`, body] }],
    };
  },
};

const SCHEMES: Record<Exclude<HmacPreset, 'sendgrid'>, HmacScheme> = {
  github: hubSignatureScheme('hmac:github'),
  meta: hubSignatureScheme('hmac:meta'),
  stripe,
  slack,
  shopify,
  'standard-webhooks': standardWebhooks,
  twilio: twilioScheme,
  custom: customScheme,
};

/** The scheme of an HMAC preset. */
export function hmacSchemeOf(config: HmacConfig): HmacScheme {
  return SCHEMES[config.preset as Exclude<HmacPreset, 'sendgrid'>];
}

/** Signature headers of every known platform: lets a `missing` verdict say what *did* arrive. */
export const KNOWN_SIGNATURE_HEADERS: Record<string, string> = {
  'x-hub-signature-256': 'github or meta',
  'stripe-signature': 'stripe',
  'x-slack-signature': 'slack',
  'x-shopify-hmac-sha256': 'shopify',
  'webhook-signature': 'standard-webhooks',
  'svix-signature': 'standard-webhooks (svix)',
  'x-twilio-signature': 'twilio',
  'x-twilio-email-event-webhook-signature': 'sendgrid',
  authorization: 'a JWT or header token',
};

/** A hint naming the platform whose signature header the delivery carries instead. */
export function otherPlatformHint(delivery: RawDelivery, configured: string): string | undefined {
  for (const [name] of delivery.headers) {
    const platform = KNOWN_SIGNATURE_HEADERS[name.toLowerCase()];
    if (platform && !platform.includes(configured)) {
      return `This delivery carries ${name}, which is how ${platform} signs: is the endpoint's preset (${configured}) the right one?`;
    }
  }
  return undefined;
}
