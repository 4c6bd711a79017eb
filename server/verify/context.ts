import type { KeyObject } from 'node:crypto';
import { BoundedCache } from './bounded-cache';
import { JwksCache } from './jwks-cache';
import { VerifiedTokenCache } from './jwt-cache';
import type { ParsedKey } from './public-keys';

/** What verification needs from outside: a clock, and caches that live as long as the app. */
export interface VerifyContext {
  now: () => number; // ms since epoch
  /** Parsed public keys by their configured text (PEM, base64 DER, JWK JSON). */
  publicKeys?: BoundedCache<string, ParsedKey>;
  /** JSON Web Key Sets by URL. */
  jwks?: JwksCache;
  /** Tokens already verified under a config (senders reuse tokens). */
  jwtTokens?: VerifiedTokenCache;
  /** How many failed signatures the doctor may diagnose now. */
  doctorBudget?: DoctorBudget;
}

/** A token bucket: `perSecond` diagnoses a second, bursts up to that many. */
export class DoctorBudget {
  private tokens: number;
  private at = 0; // ms of the last refill

  constructor(private readonly perSecond = 50) {
    this.tokens = perSecond;
  }

  take(nowMs: number): boolean {
    this.tokens = Math.min(this.perSecond, this.tokens + ((nowMs - this.at) / 1000) * this.perSecond);
    this.at = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** A fully provisioned context. */
export type VerifyRuntime = Required<VerifyContext>;

export interface VerifyContextOptions {
  now: () => number; // ms since epoch
  /** fetch used for JWKS URLs (tests pass a local one; default global fetch). */
  fetch?: typeof fetch;
  /** An unknown `kid` refetches the JWKS at most this often, ms. */
  jwksCooldownMs?: number;
}

/** A context with fresh caches: create one per app, not per request. */
export function createVerifyContext(options: VerifyContextOptions): VerifyRuntime {
  return {
    now: options.now,
    publicKeys: new BoundedCache<string, ParsedKey>(256),
    jwtTokens: new VerifiedTokenCache(),
    doctorBudget: new DoctorBudget(),
    jwks: new JwksCache({ now: options.now, ...(options.fetch && { fetch: options.fetch }), ...(options.jwksCooldownMs !== undefined && { cooldownMs: options.jwksCooldownMs }) }),
  };
}

/** Fills in caches a caller left out (unit tests pass only a clock). */
export function runtimeOf(context: VerifyContext): VerifyRuntime {
  if (context.publicKeys && context.jwks && context.jwtTokens && context.doctorBudget) return context as VerifyRuntime;
  const runtime = createVerifyContext({ now: context.now });
  return { ...runtime, ...context } as VerifyRuntime;
}

export type { KeyObject };
