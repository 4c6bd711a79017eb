import { errors, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import type { SignatureVerdict } from '../../shared/verdicts';
import type { JwtConfig } from '../../shared/verify-config';
import type { VerifyRuntime } from './context';
import { fingerprint } from '../signing/digests';
import { humanSeconds } from './freshness';
import { JwksFetchError } from './jwks-cache';
import { keyOf } from './secret-keys';

export interface JwtFailureContext {
  config: JwtConfig;
  header: ProtectedHeaderParameters;
  claims: JWTPayload | null;
  nowMs: number;
  runtime: VerifyRuntime;
}

export interface ExplainedJwtError {
  status: SignatureVerdict['status'];
  reason: string;
  hint?: string;
}

const iso = (seconds: unknown) => (typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : String(seconds));

function expired(error: errors.JWTExpired, ctx: JwtFailureContext): ExplainedJwtError {
  const tolerance = ctx.config.clockToleranceSec ?? 30;
  if (error.claim === 'iat') {
    const age = typeof ctx.claims?.iat === 'number' ? ctx.nowMs / 1000 - ctx.claims.iat : NaN;
    return { status: 'expired', reason: `the token was issued ${humanSeconds(age)} ago, more than the maximum age of ${humanSeconds(ctx.config.maxAgeSec ?? 0)}`, hint: 'A delivery sent again long after it was signed (a retry from a queue, or a replay); or a clock is off.' };
  }
  const exp = ctx.claims?.exp;
  const ago = typeof exp === 'number' ? ctx.nowMs / 1000 - exp : NaN;
  return {
    status: 'expired',
    reason: `the token expired at ${iso(exp)}, ${humanSeconds(ago)} ago (clock tolerance ${tolerance} s)`,
    hint: `The token is genuine but ${humanSeconds(ago - tolerance)} past its exp beyond the tolerance: a token reused after its lifetime (a replay, a cached token, a slow retry), or a clock is off. Raise clockToleranceSec only if the clocks disagree.`,
  };
}

function claimFailed(error: errors.JWTClaimValidationFailed, ctx: JwtFailureContext): ExplainedJwtError {
  const { claim } = error;
  const got = ctx.claims?.[claim];
  if (error.reason === 'missing') {
    const hint = claim === 'exp' ? 'A token without exp stays valid forever if it leaks. If the platform really sends none, set requireExp: false on the endpoint.' : undefined;
    return { status: 'invalid', reason: `the token has no ${claim} claim, which is required`, ...(hint && { hint }) };
  }
  if (claim === 'iss') return { status: 'invalid', reason: `the token's issuer is ${JSON.stringify(got)}, expected ${JSON.stringify(ctx.config.issuer)}`, hint: 'The token comes from another issuer (another tenant, environment or platform): check the issuer configured on the endpoint.' };
  if (claim === 'aud') return { status: 'invalid', reason: `the token's audience is ${JSON.stringify(got)}, expected ${JSON.stringify(ctx.config.audience)}`, hint: 'The token was minted for another recipient. Google Pub/Sub, for instance, puts the push URL (or the audience you set) in aud.' };
  if (claim === 'nbf') return { status: 'invalid', reason: `the token is not valid before ${iso(got)} (${humanSeconds(Number(got) - ctx.nowMs / 1000)} from now)`, hint: 'The sender\'s clock is ahead of this host\'s: check NTP on both.' };
  if (claim === 'iat') return { status: 'invalid', reason: `the token's iat ${iso(got)} is in the future`, hint: 'The sender\'s clock is ahead of this host\'s.' };
  return { status: 'invalid', reason: `the token's ${claim} claim is not acceptable (${error.message})` };
}

/** For a shared secret: does the token verify when the secret is read another way (base64, hex, trimmed)? */
async function secretHint(ctx: JwtFailureContext, token: string | undefined): Promise<string | undefined> {
  if (ctx.config.key.type !== 'secret' || !token) return undefined;
  const secret = ctx.config.key.value;
  for (const reading of ['text-trimmed', 'base64', 'hex', 'whsec-base64'] as const) {
    const key = keyOf(secret, reading);
    if (!key || key.equals(Buffer.from(secret))) continue;
    try {
      await jwtVerify(token, new Uint8Array(key), { algorithms: ['HS256', 'HS384', 'HS512'], currentDate: new Date(0) });
      return `The token verifies when the secret is ${reading === 'text-trimmed' ? 'stripped of surrounding whitespace' : `${reading.replace('whsec-', '')}-decoded`} (secret ${fingerprint(secret)}): the sender uses the secret's bytes, not its text. Save the secret as the sender uses it.`;
    } catch (error) {
      if (!(error instanceof errors.JWSSignatureVerificationFailed)) return `The token's signature verifies when the secret is ${reading}-decoded: the sender uses the decoded bytes.`;
    }
  }
  return `No usual mistake explains it: the token was signed with another secret. The configured secret has fingerprint ${fingerprint(secret)} (first 8 hex of its SHA-256).`;
}

/** A jose error (or a JWKS fetch failure) as a verdict status, a reason and the doctor's hint. */
export async function explainJwtError(error: unknown, ctx: JwtFailureContext, token?: string): Promise<ExplainedJwtError> {
  if (error instanceof errors.JWTExpired) return expired(error, ctx);
  if (error instanceof errors.JWTClaimValidationFailed) return claimFailed(error, ctx);
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    const hint = await secretHint(ctx, token);
    return { status: 'invalid', reason: `the token's ${String(ctx.header.alg)} signature does not verify with the configured key`, ...(hint && { hint }) };
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    const url = ctx.config.key.type === 'jwksUrl' ? ctx.config.key.value : '';
    const kids = ctx.runtime.jwks.kidsOf(url) ?? [];
    return {
      status: 'invalid',
      reason: `no key in the JWKS matches the token (kid ${JSON.stringify(ctx.header.kid ?? null)}, alg ${String(ctx.header.alg)})`,
      hint: `The set at ${url} holds kid ${kids.map((k) => JSON.stringify(k)).join(', ') || '(none)'}. It is refetched on an unknown kid at most every 30 s; a kid that stays unknown was not issued by this JWKS.`,
    };
  }
  if (error instanceof JwksFetchError) return { status: 'invalid', reason: error.message, hint: 'Hookscope must reach the JWKS URL to verify tokens; check the URL and that this host can reach it.' };
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return { status: 'invalid', reason: `the token cannot be accepted: ${error.message}` };
  if (error instanceof errors.JOSEError) return { status: 'invalid', reason: `the token is malformed: ${error.message}` };
  return { status: 'invalid', reason: `the token could not be verified: ${(error as Error).message ?? String(error)}` };
}
