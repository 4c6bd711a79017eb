import { z } from 'zod';

/**
 * An endpoint's rate limit, a token bucket: `burst` deliveries may arrive at once after a quiet
 * spell, then `perSecond` a second on average. Deliveries beyond it are answered 429 with
 * Retry-After and counted, not stored.
 */
export const rateLimitSchema = z.strictObject({
  /** Sustained rate, deliveries per second (fractions allowed: 0.5 = one every 2 s). */
  perSecond: z.number().positive().max(100_000),
  /** Deliveries accepted at once when the bucket is full. */
  burst: z.number().int().min(1).max(100_000),
});
export type RateLimit = z.infer<typeof rateLimitSchema>;
