import type { JWSHeaderParameters } from 'jose';
import type { KeyObject } from 'node:crypto';
import type { JwsAlgorithm, JwtConfig } from '../../shared/verify-config';
import type { VerifyRuntime } from './context';
import { algorithmsForKey, parsePublicJwk, parsePublicKey } from './public-keys';

const HMAC_ALGORITHMS: JwsAlgorithm[] = ['HS256', 'HS384', 'HS512'];
const ASYMMETRIC_ALGORITHMS: JwsAlgorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** A key ready for jose: bytes for HS*, a public KeyObject, or a resolver over the JWKS. */
export type JwtKeyInput = Uint8Array | KeyObject | ((header: JWSHeaderParameters) => Promise<Awaited<ReturnType<VerifyRuntime['jwks']['keyFor']>>>);

export type ResolvedJwtKey = { ok: true; key: JwtKeyInput; algorithms: JwsAlgorithm[]; description: string } | { ok: false; reason: string };

/**
 * The key of a JWT config and the algorithms it can verify: its type decides (HS* only for a
 * `secret`; RS/PS/ES/EdDSA only for public keys, by key type and curve), narrowed by the
 * configured allow-list. Parsed keys are cached by their text.
 */
export function resolveJwtKey(config: JwtConfig, runtime: VerifyRuntime): ResolvedJwtKey {
  const allow = (possible: JwsAlgorithm[]) => (config.algorithms ? possible.filter((alg) => config.algorithms?.includes(alg)) : possible);
  const key = config.key;
  switch (key.type) {
    case 'secret':
      return { ok: true, key: new TextEncoder().encode(key.value), algorithms: allow(HMAC_ALGORITHMS), description: 'shared secret' };
    case 'pem':
    case 'jwk': {
      const parsed = key.type === 'pem'
        ? runtime.publicKeys.get(`pem:${key.value}`, () => parsePublicKey(key.value))
        : runtime.publicKeys.get(`jwk:${JSON.stringify(key.value)}`, () => parsePublicJwk(key.value));
      if (!parsed.ok) return parsed;
      return { ok: true, key: parsed.key, algorithms: allow(algorithmsForKey(parsed.key)), description: `${key.type === 'pem' ? 'PEM' : 'JWK'} ${parsed.description} public key` };
    }
    case 'jwksUrl':
      return { ok: true, key: (header) => runtime.jwks.keyFor(key.value, header), algorithms: allow(ASYMMETRIC_ALGORITHMS), description: `JWKS ${key.value}` };
  }
}
