import { describe, expect, it } from 'vitest';
import { MemoryBudget } from '../../../server/ingest/memory-budget';
import { MemorySettler } from '../../../server/ingest/memory-settler';

const MiB = 1024 * 1024;

/** Timers run by hand: `advance(ms)` fires what is due. */
function manualTimers() {
  let now = 0;
  const timers: { at: number; run: () => void; cancelled: boolean }[] = [];
  return {
    setTimer(run: () => void, ms: number) {
      const timer = { at: now + ms, run, cancelled: false };
      timers.push(timer);
      return { cancel: () => void (timer.cancelled = true) };
    },
    advance(ms: number) {
      now += ms;
      for (const timer of timers.filter((t) => !t.cancelled && t.at <= now)) {
        timer.cancelled = true;
        timer.run();
      }
    },
  };
}

describe('memory settler', () => {
  const setup = () => {
    const timers = manualTimers();
    let collections = 0;
    const settler = new MemorySettler({ threshold: 64 * MiB, quietMs: 2000, collect: () => collections++, setTimer: timers.setTimer });
    const budget = new MemoryBudget(256 * MiB, { perBodyByte: 1, onChange: (used) => settler.observe(used) });
    return { timers, budget, collections: () => collections };
  };

  it('collects twice, a second apart, once a large burst has been over for the quiet time', () => {
    const { timers, budget, collections } = setup();
    const uploads = Array.from({ length: 8 }, () => budget.tryReserve(10 * MiB));
    uploads.forEach((u) => u?.release());
    timers.advance(1999);
    expect(collections()).toBe(0);
    timers.advance(1);
    expect(collections()).toBe(1);
    timers.advance(1000);
    expect(collections()).toBe(2);
    timers.advance(60_000);
    expect(collections()).toBe(2); // once per burst
  });

  it('waits while uploads keep arriving, and never collects after small traffic', () => {
    const { timers, budget, collections } = setup();
    budget.tryReserve(80 * MiB)?.release();
    timers.advance(1500);
    const next = budget.tryReserve(MiB); // not quiet: postponed
    timers.advance(5000);
    expect(collections()).toBe(0);
    next?.release();
    timers.advance(2000);
    expect(collections()).toBe(1);
    timers.advance(1000);
    for (let i = 0; i < 100; i++) budget.tryReserve(MiB)?.release(); // small bursts: below the threshold
    timers.advance(60_000);
    expect(collections()).toBe(2);
  });
});
