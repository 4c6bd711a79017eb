import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from '../../shared/verify-config';

/** A parsed public key, or why the configured text is not one. */
export type ParsedKey = { ok: true; key: KeyObject; description: string } | { ok: false; reason: string };

function describe(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec') return `EC ${details?.namedCurve ?? ''}`.trim();
  if (key.asymmetricKeyType?.startsWith('rsa')) return `${key.asymmetricKeyType.toUpperCase()} ${details?.modulusLength ?? ''} bits`;
  return String(key.asymmetricKeyType);
}

/**
 * A public key from PEM (SPKI, an X.509 certificate, or a private key whose public half is taken)
 * or from bare base64 DER SPKI — the form SendGrid shows its verification key in (signatures.md §2).
 */
export function parsePublicKey(text: string): ParsedKey {
  try {
    const trimmed = text.trim();
    const key = trimmed.includes('-----BEGIN')
      ? createPublicKey(trimmed)
      : createPublicKey({ key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
    return { ok: true, key, description: describe(key) };
  } catch (error) {
    return { ok: false, reason: `the configured public key cannot be read (${(error as Error).message}); give a PEM public key or certificate, or base64 DER (SPKI)` };
  }
}

/** A public key from a JWK (private and symmetric JWKs are refused by the config schema). */
export function parsePublicJwk(jwk: Record<string, unknown>): ParsedKey {
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    return { ok: true, key, description: describe(key) };
  } catch (error) {
    return { ok: false, reason: `the configured JWK is not a usable public key (${(error as Error).message})` };
  }
}

const EC_ALGORITHMS: Record<string, JwsAlgorithm> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

/**
 * The JWS algorithms a public key can verify (RFC 7518 §3.1): RSA → RS… and PS…, RSA-PSS → PS…,
 * EC by curve, Ed25519 → EdDSA. Never HS*: that is what makes key confusion impossible.
 */
export function algorithmsForKey(key: KeyObject): JwsAlgorithm[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec': {
      const alg = EC_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''];
      return alg ? [alg] : [];
    }
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      return [];
  }
}
