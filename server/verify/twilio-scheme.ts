import type { HmacConfig } from '../../shared/verify-config';
import { headerValue, type RawDelivery } from '../delivery/raw-delivery';
import { sha256Hex, sameText } from '../signing/digests';
import { headerEntries, received, type HmacScheme, type PayloadAlternative, type SignedPayload } from './hmac-scheme';

/**
 * The URL the platform requested. With `hmac.url` (the public URL the platform was given) that
 * URL's origin and path stand in for Hookscope's own, the sub-path and query as received appended;
 * otherwise the URL as Hookscope saw it (scheme and host from X-Forwarded-* when trust-proxy is on).
 */
export function signedUrlOf(delivery: RawDelivery, config: Pick<HmacConfig, 'url'>): string {
  if (!config.url) return delivery.url;
  const base = config.url.replace(/[?#].*$/, '').replace(/\/$/, '');
  return `${base}${delivery.path}${delivery.query ? `?${delivery.query}` : ''}`;
}

/**
 * Twilio's data string after the URL: every POST parameter sorted by name, `name + value`, repeated
 * names with their values sorted (twilio.com/docs/usage/webhooks/webhooks-security; twilio-node
 * `getExpectedTwilioSignature` also drops repeated identical values). GET and JSON bodies: none.
 */
export function twilioParamString(delivery: Pick<RawDelivery, 'method' | 'headers'>, body: Buffer): string {
  const type = headerValue(delivery.headers, 'content-type') ?? '';
  if (delivery.method !== 'POST' || !type.toLowerCase().includes('application/x-www-form-urlencoded')) return '';
  const byName = new Map<string, Set<string>>();
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    let values = byName.get(name);
    if (!values) byName.set(name, (values = new Set()));
    values.add(value);
  }
  let data = '';
  for (const name of [...byName.keys()].sort()) for (const value of [...(byName.get(name) as Set<string>)].sort()) data += name + value;
  return data;
}

interface UrlParts {
  scheme: string;
  host: string;
  port: string;
  path: string;
  rest: string;
}

/** Splits a URL without normalising it: Twilio signs the exact characters it requested. */
function splitUrl(url: string): UrlParts | null {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(.*)$/i.exec(url);
  if (!match) return null;
  const authority = match[2] as string;
  const portAt = authority.indexOf(':', authority.lastIndexOf(']') + 1);
  return {
    scheme: (match[1] as string).toLowerCase(),
    host: portAt === -1 ? authority : authority.slice(0, portAt),
    port: portAt === -1 ? '' : authority.slice(portAt + 1),
    path: match[3] as string,
    rest: match[4] as string,
  };
}

const join = (p: UrlParts) => `${p.scheme}://${p.host}${p.port ? `:${p.port}` : ''}${p.path}${p.rest}`;
const defaultPort = (scheme: string) => (scheme === 'https' ? '443' : '80');

function portVariants(url: string): string[] {
  const parts = splitUrl(url);
  if (!parts) return [url];
  const withPort = join({ ...parts, port: parts.port || defaultPort(parts.scheme) });
  const withoutPort = parts.port === defaultPort(parts.scheme) ? join({ ...parts, port: '' }) : url;
  return [url, withoutPort, withPort];
}

/**
 * The URL as received, with and without its default port, then as `new URL()` normalises it —
 * the candidates twilio-node's validateRequest tries, in its order.
 */
export function twilioUrlCandidates(url: string): string[] {
  let normalized: string[] = [];
  try {
    normalized = portVariants(new URL(url).href);
  } catch {
    // not a URL new URL() accepts: the raw candidates only
  }
  return [...new Set([...portVariants(url), ...normalized])];
}

/** What a proxy in front of Hookscope may have changed: scheme, port, trailing slash. */
export function proxiedUrlVariants(url: string): { url: string; change: string }[] {
  const parts = splitUrl(url);
  if (!parts) return [];
  const variants: { url: string; change: string }[] = [];
  const otherScheme = parts.scheme === 'https' ? 'http' : 'https';
  const slashed = parts.path.endsWith('/') ? parts.path.slice(0, -1) : `${parts.path}/`;
  for (const scheme of [parts.scheme, otherScheme]) {
    for (const port of [...new Set(['', parts.port, defaultPort(scheme)])]) {
      for (const path of [parts.path, slashed]) {
        const changes = [
          scheme !== parts.scheme && `${scheme}:// instead of ${parts.scheme}://`,
          port !== parts.port && (port ? `port :${port} added` : `port :${parts.port} removed`),
          path !== parts.path && (path.endsWith('/') ? 'a trailing slash added' : 'the trailing slash removed'),
        ].filter(Boolean);
        if (changes.length > 0) variants.push({ url: join({ ...parts, scheme, port, path }), change: changes.join(', ') });
      }
    }
  }
  return variants;
}

/**
 * Twilio: `X-Twilio-Signature` = base64 HMAC-SHA1(Auth Token, URL + sorted POST params). JSON
 * bodies: Twilio appends `bodySHA256=<hex>` to the URL, signs the URL alone, and the body must hash
 * to that value (twilio.com/docs/usage/webhooks/webhooks-security).
 */
export const twilioScheme: HmacScheme = {
  name: 'hmac:twilio',
  secretReading: 'text',
  defaultToleranceSec: null,
  read(delivery, config) {
    const signatures = headerEntries(delivery, ['x-twilio-signature']).map(([header, value]) => received(header, value.trim(), 'base64', 'sha1'));
    const url = signedUrlOf(delivery, config);
    const bodyHash = new URLSearchParams(delivery.query).get('bodySHA256');
    const data = (body: Buffer) => (bodyHash === null ? twilioParamString(delivery, body) : '');
    const payloads = (body: Buffer): SignedPayload[] => {
      const params = data(body);
      return twilioUrlCandidates(url).map((candidate) => ({ parts: [candidate, params], label: candidate }));
    };
    const alternatives = (body: Buffer): PayloadAlternative[] => {
      const params = data(body);
      return proxiedUrlVariants(url).map(({ url: variant, change }) => ({
        cause: 'twilio-url',
        hint: `Twilio signed ${variant}, but Hookscope saw ${url} (${change}). A proxy in front of Hookscope changed the URL: turn on trust-proxy (HOOKSCOPE_TRUST_PROXY) so X-Forwarded-Proto/Host are used, or set hmac.url to the public URL configured at Twilio.`,
        payload: { parts: [variant, params], label: variant },
        facts: { signedUrl: variant, receivedUrl: url },
      }));
    };
    return {
      signatures,
      ...(signatures.length === 0 && { missing: 'no X-Twilio-Signature header' }),
      payloads,
      alternatives,
      ...(bodyHash !== null && {
        bodyCheck: (body: Buffer) => (sameText(bodyHash.toLowerCase(), sha256Hex(body)) ? null : 'the body does not hash to the bodySHA256 in the URL: it was changed after Twilio signed it'),
      }),
    };
  },
};
