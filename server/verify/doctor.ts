import type { DigestEncoding, HmacAlgorithm } from '../../shared/verify-config';
import { bodyVariants } from './body-variants';
import { DIGEST_BYTES, decodeDigest, fingerprint, hmac, sameBytes } from '../signing/digests';
import type { HmacScheme, ReceivedSignature, SchemeReading, SignedPayload } from './hmac-scheme';
import { ALTERNATIVE_READINGS, describeReading, keyOf, type SecretReading } from './secret-keys';

/** The doctor's finding: the usual mistake that would have produced the received signature. */
export interface Diagnosis {
  /** `secret-encoding`, `whsec-prefix`, `secret-whitespace`, `sender-secret-whitespace`, `sender-secret-quotes`, `sender-secret-encoding`, `body-reserialized`, `trailing-newline`, `wrong-algorithm`, `wrong-encoding`, `twilio-url`, `unknown`, `skipped`. */
  cause: string;
  hint: string;
  facts?: Record<string, unknown>;
}

/** What the doctor needs about a failed HMAC check. */
export interface HmacFailure {
  scheme: HmacScheme;
  reading: SchemeReading;
  secrets: string[];
  body: Buffer;
}

/**
 * Bodies above this are not re-hashed dozens of times: in enforce mode anyone can send forged
 * deliveries, and the doctor must not become a CPU lever (~40 HMACs of at most 64 KiB each).
 */
export const DOCTOR_MAX_BODY = 64 * 1024; // bytes

const ALGORITHMS: HmacAlgorithm[] = ['sha1', 'sha256', 'sha512'];

/** True when HMAC(key, payload) under `algorithm` (default: each signature's own) equals a signature's bytes. */
function anyMatch(key: Buffer, payloads: SignedPayload[], signatures: ReceivedSignature[], bytesOf = (s: ReceivedSignature) => s.bytes, algorithm?: HmacAlgorithm): SignedPayload | null {
  for (const payload of payloads) {
    const digests = new Map<HmacAlgorithm, Buffer>();
    for (const signature of signatures) {
      const alg = algorithm ?? signature.algorithm;
      let digest = digests.get(alg);
      if (!digest) digests.set(alg, (digest = hmac(alg, key, payload.parts)));
      if (sameBytes(digest, bytesOf(signature))) return payload;
    }
  }
  return null;
}

function secretCause(alt: SecretReading): string {
  if (alt === 'text-trimmed') return 'secret-whitespace';
  if (alt === 'sender-newline' || alt === 'sender-crlf' || alt === 'sender-space') return 'sender-secret-whitespace';
  if (alt === 'sender-double-quoted' || alt === 'sender-single-quoted') return 'sender-secret-quotes';
  if (alt === 'sender-base64-text' || alt === 'sender-hex-text') return 'sender-secret-encoding';
  if (alt === 'text-without-whsec' || alt === 'text-with-whsec') return 'whsec-prefix';
  return 'secret-encoding';
}

/** The sender's own mistakes with a secret that is configured right: say what to fix on their side. */
const SENDER_HINTS: Partial<Record<SecretReading, string>> = {
  'sender-newline': 'The sender signed with the secret plus a trailing newline: the secret was read with its line end (a secret file written with echo, `$(cat file)` in some tools, an environment variable set from a file, `echo "$SECRET" | …` feeding openssl). Strip the newline where the sender loads the secret (printf %s "$SECRET" instead of echo).',
  'sender-crlf': 'The sender signed with the secret plus a Windows line end ("\\r\\n"): the secret comes from a file saved with CRLF. Strip it where the sender loads the secret.',
  'sender-space': 'The sender signed with the secret plus a trailing space: trim the value where the sender loads it.',
  'sender-double-quoted': 'The sender signed with the secret wrapped in double quotes: the quotes were kept as part of the value (an .env file or config format that does not strip them). Remove the quotes on the sender\'s side.',
  'sender-single-quoted': 'The sender signed with the secret wrapped in single quotes: the quotes were kept as part of the value. Remove them on the sender\'s side.',
  'sender-base64-text': 'The sender used the base64 encoding of the secret as the key (it encoded the secret instead of using it, or stored it encoded and forgot to decode it). Use the secret itself as the key.',
  'sender-hex-text': 'The sender used the hex encoding of the secret as the key (it encoded the secret instead of using it, or stored it encoded and forgot to decode it). Use the secret itself as the key.',
};

function secretHint(scheme: HmacScheme, alt: SecretReading, secret: string): string {
  const senderSide = SENDER_HINTS[alt];
  if (senderSide) return `The signature matches when ${describeReading(alt)} is the key (secret ${fingerprint(secret)}): the configured secret is right. ${senderSide}`;
  const used = `The signature matches when ${describeReading(alt)} is the key (secret ${fingerprint(secret)}); ${scheme.name} uses ${describeReading(scheme.secretReading)}.`;
  if (alt === 'text-trimmed') return `${used} The configured secret has surrounding whitespace (usually a newline pasted with it): save it again without.`;
  if (alt === 'text-without-whsec') return `${used} The sender dropped the whsec_ prefix and used the rest as text. Keep the secret exactly as the platform shows it, or fix the sender.`;
  if (alt === 'text-with-whsec') return `${used} The sender kept a whsec_ prefix that the configured secret lacks: paste the whole secret, whsec_ included.`;
  if (scheme.secretReading === 'whsec-base64' && alt === 'text') return `${used} The sender used the whole whsec_… string as text, as Stripe does, instead of base64-decoding it as Standard Webhooks / Svix specify. If the platform is Stripe, use the stripe preset.`;
  if (alt === 'whsec-base64') return `${used} The sender base64-decoded the secret as Standard Webhooks / Svix do. If the platform follows Standard Webhooks, use the standard-webhooks preset.`;
  return `${used} The sender decodes the secret before using it: use a custom scheme, or fix the sender to use the secret as ${scheme.name} specifies.`;
}

function diagnoseSecret(failure: HmacFailure): Diagnosis | null {
  const { scheme, reading, secrets, body } = failure;
  const payloads = reading.payloads(body);
  for (const secret of secrets) {
    const expected = keyOf(secret, scheme.secretReading);
    for (const alt of ALTERNATIVE_READINGS) {
      // Without a whsec_ prefix, "whsec-base64" is plain base64: report it under that name.
      if (alt === scheme.secretReading || (alt === 'whsec-base64' && !secret.startsWith('whsec_'))) continue;
      const key = keyOf(secret, alt);
      if (!key || (expected && key.equals(expected))) continue;
      if (anyMatch(key, payloads, reading.signatures)) {
        return { cause: secretCause(alt), hint: secretHint(scheme, alt, secret), facts: { senderKey: alt, expectedKey: scheme.secretReading, secret: fingerprint(secret) } };
      }
    }
  }
  return null;
}

/**
 * Names the body change (trailing newline, JSON re-serialization) under which `reproduces` holds,
 * i.e. what the sender actually signed; used by every scheme that signs the body.
 */
export function diagnoseBodyChange(body: Buffer, reproduces: (signedBody: Buffer) => boolean): Diagnosis | null {
  if (body.length > DOCTOR_MAX_BODY) return null;
  for (const variant of bodyVariants(body)) {
    if (!reproduces(variant.body)) continue;
    const hint =
      variant.cause === 'trailing-newline'
        ? `The sender signed ${variant.description}, not the bytes that arrived: a newline was added or removed on the way (a proxy, a text-mode file, or a test script with echo). Sign and send the exact same bytes.`
        : `The signed body differs from the received body: the sender signed ${variant.description}, but the bytes that arrived are formatted differently. Something re-serialized the JSON in transit (a proxy or framework that parsed and re-encoded it, or a replay tool). Signatures cover raw bytes: forward them untouched.`;
    return { cause: variant.cause, hint, facts: { variant: variant.variant, bytesSigned: variant.body.length, bytesReceived: body.length } };
  }
  return null;
}

function diagnoseBody(failure: HmacFailure, keys: Buffer[]): Diagnosis | null {
  const { reading } = failure;
  return diagnoseBodyChange(failure.body, (signed) => {
    const payloads = reading.payloads(signed);
    return keys.some((key) => anyMatch(key, payloads, reading.signatures) !== null);
  });
}

function diagnoseAlgorithm(failure: HmacFailure, keys: Buffer[]): Diagnosis | null {
  const { reading } = failure;
  const payloads = reading.payloads(failure.body);
  for (const algorithm of ALGORITHMS) {
    const candidates = reading.signatures.filter((s) => s.algorithm !== algorithm && s.bytes?.length === DIGEST_BYTES[algorithm]);
    if (candidates.length > 0 && keys.some((key) => anyMatch(key, payloads, candidates, undefined, algorithm))) {
      const expected = candidates[0]?.algorithm ?? 'sha256';
      return {
        cause: 'wrong-algorithm',
        hint: `The signature is HMAC-${algorithm.toUpperCase()}, but ${failure.scheme.name} expects HMAC-${expected.toUpperCase()}: the sender uses the wrong hash${failure.scheme.name === 'hmac:custom' ? ' (or set algorithm to ' + algorithm + ')' : ''}.`,
        facts: { senderAlgorithm: algorithm, expectedAlgorithm: expected },
      };
    }
  }
  return null;
}

function diagnoseEncoding(failure: HmacFailure, keys: Buffer[]): Diagnosis | null {
  const { reading } = failure;
  const payloads = reading.payloads(failure.body);
  for (const other of ['hex', 'base64'] as DigestEncoding[]) {
    const decodedOther = (s: ReceivedSignature) => (s.encoding === other ? null : decodeDigest(s.text, other));
    for (const algorithm of ALGORITHMS) {
      if (keys.some((key) => anyMatch(key, payloads, reading.signatures, decodedOther, algorithm))) {
        const expected = reading.signatures[0]?.encoding ?? 'hex';
        return {
          cause: 'wrong-encoding',
          hint: `Right HMAC, wrong encoding: the digest was sent as ${other}, but ${failure.scheme.name} expects ${expected}${algorithm !== reading.signatures[0]?.algorithm ? ` (and it is HMAC-${algorithm.toUpperCase()})` : ''}.`,
          facts: { senderEncoding: other, expectedEncoding: expected },
        };
      }
    }
  }
  return null;
}

function diagnoseAlternatives(failure: HmacFailure, keys: Buffer[]): Diagnosis | null {
  for (const alternative of failure.reading.alternatives?.(failure.body) ?? []) {
    if (keys.some((key) => anyMatch(key, [alternative.payload], failure.reading.signatures))) {
      return { cause: alternative.cause, hint: alternative.hint, ...(alternative.facts && { facts: alternative.facts }) };
    }
  }
  return null;
}

/**
 * Tries the usual mistakes one at a time and names the first that reproduces the received
 * signature: secret read as text / base64 / hex, `whsec_` kept or dropped, whitespace in the
 * secret, body re-serialized or its trailing newline changed, wrong hash, hex vs base64, and the
 * scheme's own (Twilio's URL as a proxy changed it). No secret or full digest ever goes in a hint.
 */
export function diagnoseHmac(failure: HmacFailure): Diagnosis {
  if (failure.body.length > DOCTOR_MAX_BODY) {
    return { cause: 'skipped', hint: `The body is over ${DOCTOR_MAX_BODY / 1024} KiB, so the usual mistakes were not tried. Check that the secret matches (fingerprints in the details) and that the body is forwarded byte for byte.` };
  }
  const keys = failure.secrets.map((s) => keyOf(s, failure.scheme.secretReading)).filter((k): k is Buffer => k !== null);
  const found =
    diagnoseSecret(failure) ?? diagnoseBody(failure, keys) ?? diagnoseAlgorithm(failure, keys) ?? diagnoseEncoding(failure, keys) ?? diagnoseAlternatives(failure, keys);
  if (found) return found;
  const prints = failure.secrets.map(fingerprint).join(', ');
  return {
    cause: 'unknown',
    hint: `No usual mistake explains it: most likely the platform signs with a different secret. The configured secret${failure.secrets.length > 1 ? 's have fingerprints' : ' has fingerprint'} ${prints} (first 8 hex of its SHA-256: printf %s "$SECRET" | sha256sum | cut -c1-8) — compare with the platform's. Otherwise the body was altered in transit.`,
  };
}
