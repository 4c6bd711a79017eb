import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { DigestEncoding, HmacAlgorithm } from '../../shared/verify-config';

/** HMAC of the concatenated parts (no copy of the body is made). */
export function hmac(algorithm: HmacAlgorithm, key: Buffer | string, parts: readonly (Buffer | string)[]): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Bytes of an HMAC digest per algorithm: lets the doctor name the algorithm from a length. */
export const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2,3}={0,2})?$/;

/**
 * Decodes a received digest, or null when the text is not in that encoding. Hex case and base64
 * padding / URL alphabet do not matter: digests are compared as bytes (signatures.md §4.3).
 */
export function decodeDigest(text: string, encoding: DigestEncoding): Buffer | null {
  if (text.length === 0) return null;
  if (encoding === 'hex') return HEX.test(text) ? Buffer.from(text, 'hex') : null;
  if (!BASE64.test(text)) return null;
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length > 0 ? bytes : null;
}

/**
 * Constant-time equality of two byte strings. Lengths are compared first: a digest's length is
 * fixed by the algorithm and public, and `timingSafeEqual` throws on unequal lengths.
 */
export function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** Constant-time equality of two strings of any length (both are hashed first). */
export function sameText(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/**
 * First 8 hex digits of the SHA-256 of a secret: tells secrets apart in a verdict, useless to an
 * attacker. The same function as the API's masks, so a user can match them.
 */
export function fingerprint(secret: string | Buffer): string {
  if (typeof secret !== 'string') return sha256Hex(secret).slice(0, 8);
  let known = fingerprints.get(secret);
  if (known === undefined) {
    if (fingerprints.size >= 256) fingerprints.clear();
    known = sha256Hex(secret).slice(0, 8);
    fingerprints.set(secret, known);
  }
  return known;
}

// Verdicts name configured secrets on every delivery: hash each one once, not per delivery.
const fingerprints = new Map<string, string>();

/** A digest shown in a verdict: enough to compare by eye, never the whole value. */
export function truncated(digest: Buffer | string, encoding: DigestEncoding = 'hex'): string {
  const text = typeof digest === 'string' ? digest : digest.toString(encoding);
  return text.length <= 12 ? text : `${text.slice(0, 12)}…`;
}

/** Hex SHA-256 of bytes. */
export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
