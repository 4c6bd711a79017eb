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
  | 'text-trimmed'
  // The sender's own mistakes with a correctly configured secret:
  /** the secret followed by a newline (`echo "$SECRET" > file`, a secret file or env var with its line end) */
  | 'sender-newline'
  /** the secret followed by CRLF (a secret file saved on Windows) */
  | 'sender-crlf'
  /** the secret followed by a space */
  | 'sender-space'
  /** the secret wrapped in double quotes kept as part of the value (.env, YAML, JSON config) */
  | 'sender-double-quoted'
  /** the secret wrapped in single quotes kept as part of the value */
  | 'sender-single-quoted'
  /** the base64 text of the secret used as the key */
  | 'sender-base64-text'
  /** the hex text of the secret used as the key */
  | 'sender-hex-text';

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
    case 'sender-newline':
      return Buffer.from(`${secret}\n`, 'utf8');
    case 'sender-crlf':
      return Buffer.from(`${secret}\r\n`, 'utf8');
    case 'sender-space':
      return Buffer.from(`${secret} `, 'utf8');
    case 'sender-double-quoted':
      return Buffer.from(`"${secret}"`, 'utf8');
    case 'sender-single-quoted':
      return Buffer.from(`'${secret}'`, 'utf8');
    case 'sender-base64-text':
      return Buffer.from(Buffer.from(secret, 'utf8').toString('base64'), 'utf8');
    case 'sender-hex-text':
      return Buffer.from(Buffer.from(secret, 'utf8').toString('hex'), 'utf8');
  }
}

/** Readings that are a mistake on the sender's side with a correctly configured secret. */
export const SENDER_READINGS: readonly SecretReading[] = [
  'sender-newline', 'sender-crlf', 'sender-space', 'sender-double-quoted', 'sender-single-quoted', 'sender-base64-text', 'sender-hex-text',
];

/** Readings the doctor tries besides the preset's own, in the order mistakes are usually made. */
export const ALTERNATIVE_READINGS: readonly SecretReading[] = [
  'text-trimmed', 'whsec-base64', 'text', 'text-without-whsec', 'text-with-whsec', 'base64', 'hex', ...SENDER_READINGS,
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
    case 'sender-newline':
      return 'the secret followed by a newline';
    case 'sender-crlf':
      return 'the secret followed by CRLF ("\\r\\n")';
    case 'sender-space':
      return 'the secret followed by a space';
    case 'sender-double-quoted':
      return 'the secret wrapped in double quotes';
    case 'sender-single-quoted':
      return 'the secret wrapped in single quotes';
    case 'sender-base64-text':
      return 'the base64 text of the secret';
    case 'sender-hex-text':
      return 'the hex text of the secret';
  }
}
