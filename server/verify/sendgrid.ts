import { createVerify, type KeyObject } from 'node:crypto';
import type { SignatureVerdict } from '../../shared/verdicts';
import type { HmacConfig } from '../../shared/verify-config';
import { headerValue, headerValues, type RawDelivery } from '../delivery/raw-delivery';
import type { VerifyRuntime } from './context';
import { decodeDigest, fingerprint, truncated } from '../signing/digests';
import { diagnoseBodyChange } from './doctor';
import { checkFreshness, staleHint } from './freshness';
import { parsePublicKey } from './public-keys';

const SCHEME = 'ecdsa:sendgrid';
const SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature';
const TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp';
/** SendGrid documents no freshness window; 300 s as for the other timestamped schemes (signatures.md §2). */
const DEFAULT_TOLERANCE_SEC = 300;

/** ECDSA P-256 / SHA-256 over `{timestamp}{raw body}` (no separator), DER signature. */
function ecdsaVerifies(key: KeyObject, timestamp: string, body: Buffer, signature: Buffer): boolean {
  try {
    return createVerify('sha256').update(timestamp).update(body).verify(key, signature);
  } catch {
    return false;
  }
}

/** Short fingerprint of the public key (SHA-256 of its DER), to compare with the key SendGrid shows. */
function keyFingerprint(key: KeyObject): string {
  return fingerprint(key.export({ format: 'der', type: 'spki' }));
}

/**
 * SendGrid Signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` (base64 DER ECDSA
 * P-256/SHA-256) over `X-Twilio-Email-Event-Webhook-Timestamp` + raw body, checked with the
 * verification key SendGrid shows (base64 DER SPKI). Asymmetric, so nothing secret is configured.
 */
export function verifySendgrid(delivery: RawDelivery, config: HmacConfig, runtime: VerifyRuntime): SignatureVerdict {
  const signatures = headerValues(delivery.headers, SIGNATURE_HEADER).map((s) => s.trim());
  const timestamp = headerValue(delivery.headers, TIMESTAMP_HEADER)?.trim() ?? null;
  if (signatures.length === 0) return { status: 'missing', scheme: SCHEME, reason: `no ${SIGNATURE_HEADER} header` };
  if (timestamp === null) return { status: 'missing', scheme: SCHEME, reason: `no ${TIMESTAMP_HEADER} header` };
  const text = config.publicKey ?? '';
  const parsed = runtime.publicKeys.get(`spki:${text}`, () => parsePublicKey(text));
  if (!parsed.ok) return { status: 'invalid', scheme: SCHEME, reason: parsed.reason };
  if (parsed.key.asymmetricKeyType !== 'ec' || parsed.key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    return { status: 'invalid', scheme: SCHEME, reason: `the configured public key is ${parsed.description}, not the EC P-256 key SendGrid signs with` };
  }
  const decoded = signatures.map((s) => decodeDigest(s, 'base64')).filter((s): s is Buffer => s !== null);
  const details: Record<string, unknown> = { key: keyFingerprint(parsed.key), received: signatures.map((s) => truncated(s)), timestamp };
  if (decoded.length === 0) return { status: 'invalid', scheme: SCHEME, reason: `${SIGNATURE_HEADER} is not base64`, details };
  const verifies = (body: Buffer) => decoded.some((signature) => ecdsaVerifies(parsed.key, timestamp, body, signature));
  const fresh = checkFreshness(TIMESTAMP_HEADER, timestamp, config.toleranceSec ?? DEFAULT_TOLERANCE_SEC, runtime.now());
  if (verifies(delivery.body)) {
    if (!fresh.ok && fresh.kind === 'unreadable') return { status: 'invalid', scheme: SCHEME, reason: fresh.reason, details };
    if (!fresh.ok && fresh.kind === 'stale') {
      return { status: 'expired', scheme: SCHEME, reason: `the ECDSA signature is genuine, but ${fresh.reason}`, hint: staleHint(fresh.ageSec, fresh.toleranceSec), details: { ...details, ageSec: fresh.ageSec } };
    }
    return { status: 'valid', scheme: SCHEME, reason: `${SIGNATURE_HEADER} verifies with the configured P-256 key ${details.key}`, details };
  }
  const diagnosis = diagnoseBodyChange(delivery.body, verifies);
  const hint =
    (diagnosis?.hint ?? `No usual mistake explains it: the delivery was signed with another key pair (the configured key has fingerprint ${details.key}; each SendGrid webhook has its own key — copy it again from Settings › Mail Settings › Event Webhooks), or the body was altered.`) +
    (!fresh.ok ? ` Also: ${fresh.reason}.` : '');
  return {
    status: 'invalid',
    scheme: SCHEME,
    reason: `${SIGNATURE_HEADER} does not verify over the timestamp and body with the configured key`,
    hint,
    details: { ...details, diagnosis: { cause: diagnosis?.cause ?? 'unknown', ...diagnosis?.facts } },
  };
}
