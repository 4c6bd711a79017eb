import type { HmacConfig } from '../../shared/verify-config';
import { decodeDigest } from '../signing/digests';

/** How a configured secret string becomes HMAC key bytes. */
export type SecretReading =
  /** the string's UTF-8 bytes (GitHub, Stripe — even `whsec_…` — Slack, Shopify, Twilio, Meta) */
  | 'text'
  /** base64 of the part after an optional `whsec_` (Standard Webhooks / Svix) */
  | 'whsec-base64'
  /** the string decoded as base64 */
  | 'base64'
  /** the string decoded as hex */
  | 'hex'
  /** the part after `whsec_`, as UTF-8 */
  | 'text-without-whsec'
  /** `whsec_` put in front of the string, as UTF-8 (a sender that kept the prefix) */
  | 'text-with-whsec'
  /** surrounding whitespace removed (a pasted secret with a trailing newline) */
  | 'text-trimmed';

/** Every configured secret, in order, without repeats. */
export function secretsOf(config: HmacConfig): string[] {
  const all = [...(config.secret === undefined ? [] : [config.secret]), ...(config.secrets ?? [])];
  return [...new Set(all)];
}

const WHSEC = 'whsec_';

/** The key bytes of a secret under a reading, or null when it cannot be read that way. */
export function keyOf(secret: string, reading: SecretReading): Buffer | null {
  switch (reading) {
    case 'text':
      return Buffer.from(secret, 'utf8');
    case 'whsec-base64':
      // Standard Webhooks: "the secret is base64 encoded, prefixed with whsec_"; the prefix is optional.
      return decodeDigest(secret.startsWith(WHSEC) ? secret.slice(WHSEC.length) : secret, 'base64');
    case 'base64':
      return decodeDigest(secret, 'base64');
    case 'hex':
      return decodeDigest(secret, 'hex');
    case 'text-without-whsec':
      return secret.startsWith(WHSEC) ? Buffer.from(secret.slice(WHSEC.length), 'utf8') : null;
    case 'text-with-whsec':
      return secret.startsWith(WHSEC) ? null : Buffer.from(`${WHSEC}${secret}`, 'utf8');
    case 'text-trimmed':
      return secret.trim() !== secret && secret.trim().length > 0 ? Buffer.from(secret.trim(), 'utf8') : null;
  }
}

/** Readings the doctor tries besides the preset's own, in the order mistakes are usually made. */
export const ALTERNATIVE_READINGS: readonly SecretReading[] = [
  'text-trimmed', 'whsec-base64', 'text', 'text-without-whsec', 'text-with-whsec', 'base64', 'hex',
];

/** How a person would describe a reading in a hint. */
export function describeReading(reading: SecretReading): string {
  switch (reading) {
    case 'text':
      return 'the secret string as text (UTF-8), whsec_ prefix included';
    case 'whsec-base64':
      return 'the secret base64-decoded (after dropping an optional whsec_ prefix)';
    case 'base64':
      return 'the secret base64-decoded';
    case 'hex':
      return 'the secret hex-decoded';
    case 'text-without-whsec':
      return 'the secret as text with the whsec_ prefix dropped';
    case 'text-with-whsec':
      return 'the secret as text with a whsec_ prefix in front';
    case 'text-trimmed':
      return 'the secret without its surrounding whitespace';
  }
}
