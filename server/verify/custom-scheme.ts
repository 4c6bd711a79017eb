import type { HmacConfig } from '../../shared/verify-config';
import { headerValue, type RawDelivery } from '../delivery/raw-delivery';
import { afterPrefix, headerEntries, received, type HmacScheme, type ReceivedSignature, type SignedPayload } from './hmac-scheme';
import { signedUrlOf } from './twilio-scheme';

const PLACEHOLDER = /\{(body|timestamp|id|url)\}/g;

/** The template `{timestamp}.{body}` as parts, the body left as a Buffer (never copied into a string). */
export function fillTemplate(template: string, values: { body: Buffer; timestamp: string; id: string; url: string }): SignedPayload {
  const parts: (Buffer | string)[] = [];
  let at = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > at) parts.push(template.slice(at, match.index));
    const name = match[1] as 'body' | 'timestamp' | 'id' | 'url';
    parts.push(values[name]);
    at = match.index + match[0].length;
  }
  if (at < template.length) parts.push(template.slice(at));
  return { parts };
}

/** Splits a header value into signatures: a space- or comma-separated list, each maybe prefixed. */
function signaturesIn(header: string, value: string, config: HmacConfig): ReceivedSignature[] {
  const prefix = config.prefix ?? '';
  const items = prefix === '' ? value.split(/[\s,]+/).filter(Boolean) : splitPrefixed(value, prefix);
  return items.map((item) => received(header, item, config.encoding ?? 'hex', config.algorithm ?? 'sha256'));
}

/** `sha256=a, sha256=b` or `v1,a v1,b` → digests, the prefix removed (it may contain separators). */
function splitPrefixed(value: string, prefix: string): string[] {
  const digests: string[] = [];
  for (const chunk of value.split(/\s+/).filter(Boolean)) {
    const item = chunk.replace(/,$/, '');
    digests.push(afterPrefix(item, prefix) ?? item);
  }
  return digests;
}

/**
 * `custom`: the user describes the scheme — header, algorithm, encoding, prefix, signed-payload
 * template over `{body}`, `{timestamp}`, `{id}`, `{url}`, a timestamp header and its tolerance.
 */
export const customScheme: HmacScheme = {
  name: 'hmac:custom',
  secretReading: 'text',
  defaultToleranceSec: 300,
  read(delivery: RawDelivery, config: HmacConfig) {
    const header = config.header ?? 'x-signature';
    const entries = headerEntries(delivery, [header]);
    const signatures = entries.flatMap(([name, value]) => signaturesIn(name, value, config));
    const template = config.template ?? '{body}';
    const ts = config.timestampHeader ? headerValue(delivery.headers, config.timestampHeader) : null;
    const id = config.idHeader ? (headerValue(delivery.headers, config.idHeader) ?? '') : '';
    const missing =
      entries.length === 0 ? `no ${header} header`
      : config.timestampHeader && ts === null ? `no ${config.timestampHeader} header`
      : undefined;
    const prefix = config.prefix ?? '';
    const unprefixed = prefix !== '' && entries.some(([, value]) => !value.trim().toLowerCase().startsWith(prefix.toLowerCase()));
    const url = template.includes('{url}') ? signedUrlOf(delivery, config) : '';
    return {
      signatures: missing === undefined ? signatures : [],
      ...(missing !== undefined && { missing }),
      ...(unprefixed && { malformed: `${header} does not start with "${prefix}"` }),
      ...(ts !== null && { timestamp: { header: config.timestampHeader as string, value: ts.trim() } }),
      payloads: (body) => [fillTemplate(template, { body, timestamp: ts?.trim() ?? '', id, url })],
    };
  },
};
