import type { SignatureVerdict } from '../../shared/verdicts';
import type { HmacConfig } from '../../shared/verify-config';
import type { RawDelivery } from '../delivery/raw-delivery';
import { diagnoseHmac } from './doctor';
import { fingerprint, hmac, sameBytes, truncated } from '../signing/digests';
import { checkFreshness, staleHint } from './freshness';
import { hmacSchemeOf, otherPlatformHint } from './hmac-presets';
import type { HmacScheme, ReceivedSignature, SchemeReading, SignedPayload } from './hmac-scheme';
import { keyOf, secretsOf } from './secret-keys';

interface Key {
  secret: string;
  key: Buffer;
}

interface Match {
  secret: string;
  payload: SignedPayload;
  signature: ReceivedSignature;
}

/** The first (secret, payload, signature) whose HMAC agrees; every comparison is constant-time. */
function findMatch(keys: Key[], payloads: SignedPayload[], signatures: ReceivedSignature[]): Match | null {
  for (const { secret, key } of keys) {
    for (const payload of payloads) {
      const digests = new Map<string, Buffer>();
      for (const signature of signatures) {
        let digest = digests.get(signature.algorithm);
        if (!digest) digests.set(signature.algorithm, (digest = hmac(signature.algorithm, key, payload.parts)));
        if (sameBytes(digest, signature.bytes)) return { secret, payload, signature };
      }
    }
  }
  return null;
}

function baseDetails(reading: SchemeReading, secrets: string[]): Record<string, unknown> {
  return {
    secrets: secrets.map(fingerprint),
    received: reading.signatures.map((s) => ({ header: s.header, digest: truncated(s.text) })),
    ...(reading.ignored && reading.ignored.length > 0 && { ignored: reading.ignored }),
    ...(reading.timestamp && { timestamp: reading.timestamp.value }),
  };
}

function accepted(scheme: HmacScheme, config: HmacConfig, reading: SchemeReading, match: Match, delivery: RawDelivery, nowMs: number): SignatureVerdict {
  const details = { ...baseDetails(reading, secretsOf(config)), matchedSecret: fingerprint(match.secret), ...(match.payload.label && { signedUrl: match.payload.label }) };
  const bodyProblem = reading.bodyCheck?.(delivery.body);
  if (bodyProblem) return { status: 'invalid', scheme: scheme.name, reason: bodyProblem, details };
  const algorithm = `HMAC-${match.signature.algorithm.toUpperCase()}`;
  if (reading.timestamp) {
    const tolerance = config.toleranceSec ?? scheme.defaultToleranceSec ?? 0;
    const fresh = checkFreshness(reading.timestamp.header, reading.timestamp.value, tolerance, nowMs);
    if (!fresh.ok && fresh.kind === 'unreadable') return { status: 'invalid', scheme: scheme.name, reason: fresh.reason, details };
    if (!fresh.ok && fresh.kind === 'stale') {
      return {
        status: 'expired',
        scheme: scheme.name,
        reason: `the ${algorithm} signature is genuine, but ${fresh.reason}`,
        hint: staleHint(fresh.ageSec, fresh.toleranceSec),
        details: { ...details, ageSec: fresh.ageSec, toleranceSec: fresh.toleranceSec },
      };
    }
    if (fresh.ok && fresh.ageSec !== null) Object.assign(details, { ageSec: fresh.ageSec, toleranceSec: tolerance });
  }
  return { status: 'valid', scheme: scheme.name, reason: `${match.signature.header} matches the ${algorithm} of the signed payload (secret ${fingerprint(match.secret)})`, details };
}

function rejected(scheme: HmacScheme, config: HmacConfig, reading: SchemeReading, keys: Key[], delivery: RawDelivery, nowMs: number, mayDiagnose: () => boolean): SignatureVerdict {
  const secrets = secretsOf(config);
  const first = reading.signatures[0] as ReceivedSignature;
  const payload = reading.payloads(delivery.body)[0];
  const computed = payload ? keys.map(({ secret, key }) => ({ secret: fingerprint(secret), digest: truncated(hmac(first.algorithm, key, payload.parts), first.encoding) })) : [];
  // The doctor tries dozens of HMACs: a budget keeps a flood of forged deliveries from buying CPU with it.
  const diagnosis = mayDiagnose()
    ? diagnoseHmac({ scheme, reading, secrets, body: delivery.body })
    : { cause: 'skipped', hint: 'Too many failing deliveries at once for the usual mistakes to be tried on each; compare the secret fingerprints in the details, and look at an earlier failing delivery for the diagnosis.' };
  let hint = diagnosis.hint;
  if (reading.timestamp && config.toleranceSec !== 0) {
    const fresh = checkFreshness(reading.timestamp.header, reading.timestamp.value, config.toleranceSec ?? scheme.defaultToleranceSec ?? 0, nowMs);
    if (!fresh.ok) hint += ` Also: ${fresh.reason}.`;
  }
  const count = reading.signatures.length;
  const reason =
    reading.malformed ??
    `${count === 1 ? `the signature in ${first.header} does` : `none of the ${count} signatures in ${first.header} do`} not match the HMAC-${first.algorithm.toUpperCase()} of the signed payload with ${secrets.length === 1 ? 'the configured secret' : `any of the ${secrets.length} configured secrets`}`;
  return {
    status: 'invalid',
    scheme: scheme.name,
    reason,
    hint,
    details: {
      ...baseDetails(reading, secrets), computed, diagnosis: { cause: diagnosis.cause, ...diagnosis.facts },
      ...(reading.timestamp && { toleranceSec: config.toleranceSec ?? scheme.defaultToleranceSec ?? 0 }),
    },
  };
}

/**
 * The verdict of an HMAC preset (or `custom`) over the raw body bytes: valid when any received
 * signature matches any configured secret (rotation), expired when it matches but the signed
 * timestamp is outside the tolerance, invalid otherwise — with the doctor's diagnosis.
 */
export function verifyHmac(delivery: RawDelivery, config: HmacConfig, nowMs: number, mayDiagnose: () => boolean = () => true): SignatureVerdict {
  const scheme = hmacSchemeOf(config);
  const reading = scheme.read(delivery, config);
  const secrets = secretsOf(config);
  if (reading.signatures.length === 0) {
    const hint = otherPlatformHint(delivery, config.preset);
    return { status: 'missing', scheme: scheme.name, reason: reading.missing ?? 'no signature', ...(hint && { hint }), details: baseDetails(reading, secrets) };
  }
  if (reading.unusable) return { status: 'invalid', scheme: scheme.name, reason: reading.unusable, details: baseDetails(reading, secrets) };
  const keys: Key[] = [];
  const unreadable: string[] = [];
  for (const secret of secrets) {
    const key = keyOf(secret, scheme.secretReading);
    if (key) keys.push({ secret, key });
    else unreadable.push(fingerprint(secret));
  }
  if (keys.length === 0) {
    const verdict = rejected(scheme, config, reading, keys, delivery, nowMs, mayDiagnose);
    // The reason reaches the sender in enforce mode: no fingerprint here (it is in the details).
    return { ...verdict, reason: `the configured secret is not base64 after its whsec_ prefix, as ${scheme.name} requires`, details: { ...verdict.details, unreadableSecrets: unreadable } };
  }
  const match = findMatch(keys, reading.payloads(delivery.body), reading.signatures);
  return match ? accepted(scheme, config, reading, match, delivery, nowMs) : rejected(scheme, config, reading, keys, delivery, nowMs, mayDiagnose);
}
