import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../server/ingest/rate-limit';

describe('rate limiter (token bucket per endpoint)', () => {
  const setup = () => {
    const clock = { now: 1_000_000 };
    const limited: string[] = [];
    return { clock, limited, limiter: new RateLimiter(() => clock.now, (id) => limited.push(id)) };
  };

  it('accepts a burst, then refuses with the seconds until the next token', () => {
    const { clock, limited, limiter } = setup();
    const limit = { perSecond: 0.5, burst: 3 };
    expect([1, 2, 3].map(() => limiter.take('ep', limit).ok)).toEqual([true, true, true]);
    expect(limiter.take('ep', limit)).toEqual({ ok: false, retryAfterSec: 2 });
    clock.now += 1000; // half a token back
    expect(limiter.take('ep', limit)).toEqual({ ok: false, retryAfterSec: 1 });
    clock.now += 1000;
    expect(limiter.take('ep', limit).ok).toBe(true);
    expect(limiter.limitedCount('ep')).toBe(2);
    expect(limited).toEqual(['ep', 'ep']);
  });

  it('refills at perSecond up to burst, never beyond', () => {
    const { clock, limiter } = setup();
    const limit = { perSecond: 10, burst: 5 };
    for (let i = 0; i < 5; i++) limiter.take('ep', limit);
    clock.now += 60_000;
    const taken = Array.from({ length: 7 }, () => limiter.take('ep', limit).ok);
    expect(taken).toEqual([true, true, true, true, true, false, false]);
  });

  it('keeps endpoints apart, lets everything through without a limit, and restarts full when the limit changes', () => {
    const { clock, limiter } = setup();
    expect(limiter.take('a', { perSecond: 1, burst: 1 }).ok).toBe(true);
    expect(limiter.take('a', { perSecond: 1, burst: 1 }).ok).toBe(false);
    expect(limiter.take('b', { perSecond: 1, burst: 1 }).ok).toBe(true);
    expect(Array.from({ length: 100 }, () => limiter.take('c', null).ok).every(Boolean)).toBe(true);
    expect(limiter.take('a', { perSecond: 1, burst: 2 }).ok).toBe(true);
    clock.now -= 10_000; // a clock stepping back adds no tokens
    expect(limiter.take('a', { perSecond: 1, burst: 2 }).ok).toBe(true);
    expect(limiter.take('a', { perSecond: 1, burst: 2 }).ok).toBe(false);
    expect(limiter.limitedCount('a')).toBe(2);
    expect(limiter.limitedCount('c')).toBe(0);
  });
});
