import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import type { JwtConfig } from '../../shared/verify-config';
import { memoByIdentity } from '../memo-by-identity';
import { BoundedCache } from './bounded-cache';

/** How long a verified signature is trusted without checking it again, ms (a JWKS key may be withdrawn). */
const TRUST_MS = 60_000;

interface Entry {
  verifiedAt: number; // ms since epoch
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
}

/**
 * Tokens whose signature and issuer/audience already verified under a config. Senders reuse one
 * token for many deliveries (Google Pub/Sub keeps an OIDC token for up to an hour, static JWTs
 * never change), and an RSA verify is the costliest step on the ingest path. A hit skips only the
 * signature: the time-dependent claims (exp, nbf, iat age) are checked again on every delivery,
 * and a failing hit falls back to the full verification, which explains the failure.
 */
export class VerifiedTokenCache {
  private readonly entries = new BoundedCache<string, Entry>(1024);

  private static keyOf(config: JwtConfig, token: string): string {
    return `${configKey(config)}\u0000${token}`;
  }

  /** The cached verification of `token` under `config`, if it is still trusted and its times still hold. */
  get(config: JwtConfig, token: string, nowMs: number): Entry | null {
    const key = VerifiedTokenCache.keyOf(config, token);
    const entry = this.entries.peek(key);
    if (!entry) return null;
    if (nowMs - entry.verifiedAt > TRUST_MS || !timesHold(entry.payload, config, nowMs)) {
      this.entries.delete(key);
      return null;
    }
    return entry;
  }

  /** Remembers a token that fully verified under `config`. */
  remember(config: JwtConfig, token: string, header: ProtectedHeaderParameters, payload: JWTPayload, nowMs: number): void {
    this.entries.set(VerifiedTokenCache.keyOf(config, token), { verifiedAt: nowMs, header, payload });
  }
}

/** exp / nbf / iat-age as jose checks them (RFC 7519 §4.1.4–4.1.6), with the configured tolerance. */
function timesHold(payload: JWTPayload, config: JwtConfig, nowMs: number): boolean {
  const now = Math.floor(nowMs / 1000);
  const tolerance = config.clockToleranceSec ?? 30;
  if (typeof payload.exp === 'number' && payload.exp <= now - tolerance) return false;
  if (payload.exp === undefined && config.requireExp !== false) return false;
  if (typeof payload.nbf === 'number' && payload.nbf > now + tolerance) return false;
  if (config.maxAgeSec !== undefined) {
    if (typeof payload.iat !== 'number') return false;
    const age = now - payload.iat;
    if (age - tolerance > config.maxAgeSec || age < -tolerance) return false;
  }
  return true;
}

// Stored endpoint configs are frozen and shared: serialize each one once, not per delivery.
const configKey = memoByIdentity((config: JwtConfig) => JSON.stringify(config));
