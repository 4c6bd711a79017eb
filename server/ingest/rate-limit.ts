import type { RateLimit } from '../../shared/rate-limit';

export type RateDecision = { ok: true } | { ok: false; retryAfterSec: number };

interface Bucket {
  tokens: number;
  at: number; // ms, when `tokens` was last brought up to date
  perSecond: number;
  burst: number;
}

/**
 * Per-endpoint token buckets for `rateLimit: { perSecond, burst }`, in this process's memory: with
 * several instances (PostgreSQL) each limits on its own, so together they accept up to N times
 * the rate. A limited delivery is counted here (since start), never stored.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly limited = new Map<string, number>();

  constructor(
    private readonly now: () => number, // ms
    private readonly onLimited: (endpointId: string) => void = () => undefined,
  ) {}

  /** Takes one delivery's token for `endpointId` under `limit` (null: unlimited, always ok). */
  take(endpointId: string, limit: RateLimit | null): RateDecision {
    if (!limit) {
      this.buckets.delete(endpointId); // a limit removed and set again starts full
      return { ok: true };
    }
    const bucket = this.refilled(endpointId, limit);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    this.limited.set(endpointId, (this.limited.get(endpointId) ?? 0) + 1);
    this.onLimited(endpointId);
    // Seconds until one whole token is back, rounded up: Retry-After takes whole seconds.
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond)) };
  }

  /** Deliveries refused for `endpointId` since this process started. */
  limitedCount(endpointId: string): number {
    return this.limited.get(endpointId) ?? 0;
  }

  private refilled(endpointId: string, limit: RateLimit): Bucket {
    const now = this.now();
    const bucket = this.buckets.get(endpointId);
    // A new or changed limit starts with a full bucket.
    if (!bucket || bucket.perSecond !== limit.perSecond || bucket.burst !== limit.burst) {
      const fresh = { tokens: limit.burst, at: now, ...limit };
      this.buckets.set(endpointId, fresh);
      return fresh;
    }
    const elapsed = Math.max(0, now - bucket.at) / 1000; // s; a clock that steps back adds nothing
    bucket.tokens = Math.min(limit.burst, bucket.tokens + elapsed * limit.perSecond);
    bucket.at = now;
    return bucket;
  }
}
