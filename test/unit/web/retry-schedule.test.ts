import { describe, expect, it } from 'vitest';
import { describeSchedule, formatDelay } from '../../../web/src/features/capture-detail/utils/retry-schedule';

const at = (delaysSec: number[], last = 200) => {
  let t = 1_700_000_000_000;
  const times = [t, ...delaysSec.map((d) => (t += d * 1000))];
  return times.map((receivedAt, i) => ({ id: `c${i}`, receivedAt, status: i === times.length - 1 ? last : 503 }));
};

describe('the retry schedule', () => {
  it('formats delays in the unit a person reads', () => {
    expect([250, 1500, 10_000, 60_000, 90_000, 300_000, 3_600_000, 5_400_000].map(formatDelay))
      .toEqual(['250 ms', '1.5 s', '10 s', '1 min', '1 min 30 s', '5 min', '1 h', '1 h 30 min']);
  });

  it('states what the platform did, naming a steady backoff', () => {
    expect(describeSchedule(at([]))).toBeNull();
    expect(describeSchedule(at([10, 60, 300], 0))).toBe('Retried after 10 s, 1 min, 5 min (backoff ×5.5); gave up after 4 attempts, or has not retried yet.');
    expect(describeSchedule(at([5, 10, 20, 40]))).toBe('Retried after 5 s, 10 s, 20 s, 40 s (backoff ×2); succeeded on attempt 5.');
    expect(describeSchedule(at([30, 30, 30]))).toBe('Retried after 30 s, 30 s, 30 s (evenly); succeeded on attempt 4.');
    expect(describeSchedule(at([10, 12]))).toBe('Retried after 10 s, 12 s; succeeded on attempt 3.');
  });
});
