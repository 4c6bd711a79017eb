import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyOptions, type ProtectedHeaderParameters } from 'jose';
import type { SignatureVerdict } from '../../shared/verdicts';
import type { JwtConfig } from '../../shared/verify-config';
import { headerValues, type RawDelivery } from '../delivery/raw-delivery';
import type { VerifyRuntime } from './context';
import { sameText, sha256Hex } from '../signing/digests';
import { explainJwtError } from './jwt-errors';
import { resolveJwtKey, type JwtKeyInput } from './jwt-keys';

const SCHEME = 'jwt';

/** Token header members that point at keys; never followed (RFC 8725 §3.10), only reported. */
const KEY_POINTER_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'];

type Extracted = { token: string; header: string } | { missing: string };

/** The token from `Authorization: Bearer …` or the configured header (a `Bearer ` prefix is optional there). */
function extractToken(delivery: RawDelivery, config: JwtConfig): Extracted {
  const name = config.header ?? 'Authorization';
  const values = headerValues(delivery.headers, name);
  if (values.length === 0) return { missing: `no ${name} header` };
  const value = (values[0] as string).trim();
  const bearer = /^Bearer\s+(\S+)$/i.exec(value);
  if (name.toLowerCase() === 'authorization' && !bearer) return { missing: `${name} is not a Bearer token (it starts with "${value.split(/\s/)[0]?.slice(0, 10)}")` };
  return { token: bearer ? (bearer[1] as string) : value, header: name };
}

/** The token's header and claims, decoded without any check (shown marked unverified). */
function peek(token: string): { header: ProtectedHeaderParameters | null; claims: JWTPayload | null } {
  let header: ProtectedHeaderParameters | null = null;
  let claims: JWTPayload | null = null;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    // shown as far as it decodes
  }
  return { header, claims };
}

async function verifyWith(token: string, key: JwtKeyInput, options: JWTVerifyOptions): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], options)).payload;
  } catch (error) {
    // A JWKS with several keys fitting a token without `kid`: try each (jose leaves this to the caller).
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    for await (const candidate of error) {
      try {
        return (await jwtVerify(token, candidate, options)).payload;
      } catch (inner) {
        if (!(inner instanceof errors.JWSSignatureVerificationFailed)) throw inner;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

function optionsOf(config: JwtConfig, algorithms: string[], nowMs: number): JWTVerifyOptions {
  return {
    algorithms,
    ...(config.issuer !== undefined && { issuer: config.issuer }),
    ...(config.audience !== undefined && { audience: config.audience }),
    ...(config.maxAgeSec !== undefined && { maxTokenAge: config.maxAgeSec }),
    clockTolerance: config.clockToleranceSec ?? 30,
    // jose accepts a token without `exp` unless it is required (signatures.md §3).
    requiredClaims: config.requireExp === false ? [] : ['exp'],
    currentDate: new Date(nowMs),
  };
}

/** Refusals decided from the header alone, before any key is touched. */
function refuseByHeader(header: ProtectedHeaderParameters, allowed: string[], keyDescription: string): string | null {
  const alg = String(header.alg ?? '');
  if (alg === '' || alg.toLowerCase() === 'none') return 'the token is unsigned (alg "none"), which is never accepted';
  if (allowed.includes(alg)) return null;
  if (alg.startsWith('HS') && !keyDescription.startsWith('shared')) {
    return `the token claims ${alg} (HMAC), but the configured key is a ${keyDescription}: verifying it would treat public key material as a shared secret (key confusion), so it is refused`;
  }
  return `the token's alg ${alg} is not allowed for this key (${keyDescription}); allowed: ${allowed.join(', ') || 'none'}`;
}

/**
 * The verdict of a JWT-authenticated delivery, via jose: typed key, algorithm allow-list derived
 * from the key type, `none` and key confusion refused, `exp` required unless switched off, issuer /
 * audience / nbf / clock tolerance, optional body-hash claim. The decoded header and claims are in
 * the details, marked unverified when the token did not verify.
 */
export async function verifyJwt(delivery: RawDelivery, config: JwtConfig, runtime: VerifyRuntime): Promise<SignatureVerdict> {
  const extracted = extractToken(delivery, config);
  if ('missing' in extracted) return { status: 'missing', scheme: SCHEME, reason: extracted.missing };
  const cached = runtime.jwtTokens.get(config, extracted.token, runtime.now());
  if (cached) return accepted(delivery, config, cached.header, cached.payload, 'the configured key (this same token verified earlier; its times checked again)');
  const { header, claims } = peek(extracted.token);
  const ignored = header ? KEY_POINTER_HEADERS.filter((name) => name in header) : [];
  const details = (verified: boolean): Record<string, unknown> => ({
    token: { header, claims, verified },
    ...(ignored.length > 0 && { ignoredHeaders: ignored }),
  });
  if (!header) return { status: 'invalid', scheme: SCHEME, reason: `${extracted.header} does not hold a JWT (three base64url parts)`, details: details(false) };
  const key = resolveJwtKey(config, runtime);
  if (!key.ok) return { status: 'invalid', scheme: SCHEME, reason: key.reason, details: details(false) };
  const refusal = refuseByHeader(header, key.algorithms, key.description);
  if (refusal) return { status: 'invalid', scheme: SCHEME, reason: refusal, details: details(false) };
  let payload: JWTPayload;
  try {
    payload = await verifyWith(extracted.token, key.key, optionsOf(config, key.algorithms, runtime.now()));
  } catch (error) {
    const explained = await explainJwtError(error, { config, header, claims, nowMs: runtime.now(), runtime }, extracted.token);
    return { status: explained.status, scheme: SCHEME, reason: explained.reason, ...(explained.hint && { hint: explained.hint }), details: details(false) };
  }
  runtime.jwtTokens.remember(config, extracted.token, header, payload, runtime.now());
  return accepted(delivery, config, header, payload, `the ${key.description}`);
}

/** The verdict for a token whose signature and claims verified: valid unless the body-hash claim disagrees. */
function accepted(delivery: RawDelivery, config: JwtConfig, header: ProtectedHeaderParameters, payload: JWTPayload, by: string): SignatureVerdict {
  const details = { token: { header, claims: payload, verified: true } };
  if (config.bodyHashClaim) {
    const claimed = payload[config.bodyHashClaim];
    if (typeof claimed !== 'string' || !sameText(claimed.toLowerCase(), sha256Hex(delivery.body))) {
      return {
        status: 'invalid',
        scheme: SCHEME,
        reason: typeof claimed === 'string' ? `the token is genuine, but its ${config.bodyHashClaim} claim is not the SHA-256 of the body: the body was changed, or the token belongs to another delivery` : `the token has no ${config.bodyHashClaim} claim binding it to the body`,
        details,
      };
    }
  }
  return { status: 'valid', scheme: SCHEME, reason: `${String(header.alg)} token verified with ${by}${payload.iss ? ` (iss ${payload.iss})` : ''}`, details };
}
