import { describe, expect, it } from 'vitest';
import { HELD_PER_BODY_BYTE, largestAdmittedBody, MemoryBudget, SMALL_BODY } from '../../../server/ingest/memory-budget';

const MiB = 1024 * 1024;

describe('memory budget', () => {
  it('admits reservations while they fit and refuses the one that would go over', () => {
    const budget = new MemoryBudget(16 * MiB, { perBodyByte: 1 }); // charged 1:1 here; 1 MiB of headroom for small bodies
    const a = budget.tryReserve(8 * MiB);
    const b = budget.tryReserve(7 * MiB);
    expect(a && b).toBeTruthy();
    expect(budget.used).toBe(15 * MiB);
    expect(budget.tryReserve(1 * MiB)).toBeNull(); // large: may not eat into the headroom
    expect(budget.used).toBe(15 * MiB); // a refusal holds nothing
    a?.release();
    expect(budget.used).toBe(7 * MiB);
    expect(budget.tryReserve(8 * MiB)).not.toBeNull();
  });

  it('keeps the last part of the budget for small bodies', () => {
    const budget = new MemoryBudget(16 * MiB, { perBodyByte: 1 });
    expect(budget.headroom).toBe(1 * MiB);
    expect(budget.tryReserve(15 * MiB)).not.toBeNull();
    expect(budget.tryReserve(SMALL_BODY + 1)).toBeNull();
    const smalls = Array.from({ length: 16 }, () => budget.tryReserve(SMALL_BODY));
    expect(smalls.every((r) => r !== null)).toBe(true); // 16 × 64 KiB = the 1 MiB headroom
    expect(budget.used).toBe(16 * MiB);
    expect(budget.tryReserve(1)).toBeNull(); // never over the limit itself
    expect(budget.tryReserve(0)).not.toBeNull(); // an empty body needs nothing
  });

  it('grows a reservation chunk by chunk, and a grown upload loses the small-body headroom', () => {
    const budget = new MemoryBudget(16 * MiB, { perBodyByte: 1 });
    const other = budget.tryReserve(15 * MiB - SMALL_BODY);
    const chunked = budget.tryReserve(0);
    expect(other && chunked).toBeTruthy();
    expect(chunked?.grow(SMALL_BODY)).toBe(true); // still small: may use the headroom (15 MiB used now)
    expect(chunked?.grow(1)).toBe(false); // now large: it may not hold anything above limit − headroom
    expect(chunked?.bytes).toBe(SMALL_BODY); // a refused growth holds nothing more
    expect(budget.used).toBe(15 * MiB);
    expect(budget.tryReserve(SMALL_BODY)).not.toBeNull(); // while a small body still fits
    other?.release();
    expect(chunked?.grow(SMALL_BODY)).toBe(true);
  });

  it('releases once, however often release is called, and a released reservation cannot grow', () => {
    const budget = new MemoryBudget(16 * MiB, { perBodyByte: 1 });
    const keep = budget.tryReserve(2 * MiB);
    const r = budget.tryReserve(4 * MiB);
    r?.release();
    r?.release();
    expect(budget.used).toBe(2 * MiB);
    expect(r?.grow(1)).toBe(false);
    expect(r?.bytes).toBe(0);
    keep?.release();
    expect(budget.used).toBe(0);
    expect(budget.peak).toBe(6 * MiB);
  });

  it('charges each body byte what the store in use holds for it (the body, plus the driver\'s copy for PostgreSQL)', () => {
    expect(HELD_PER_BODY_BYTE).toEqual({ lowdb: 1.5, postgres: 3 });
    const budget = new MemoryBudget(256 * MiB, { perBodyByte: HELD_PER_BODY_BYTE.lowdb });
    const bodies = Array.from({ length: 17 }, () => budget.tryReserve(9 * MiB));
    expect(bodies.every((r) => r !== null)).toBe(true);
    expect(budget.used).toBe(229.5 * MiB);
    expect(budget.tryReserve(9 * MiB)).toBeNull(); // 13.5 MiB more would pass the 240 MiB large-body ceiling
    const chunked = budget.tryReserve(0);
    expect(chunked?.grow(MiB)).toBe(true);
    expect(budget.used).toBe(231 * MiB);
    chunked?.release();
    bodies.forEach((r) => r?.release());
    expect(budget.used).toBe(0);
  });

  it('names the largest body a budget can ever take, per store', () => {
    expect(largestAdmittedBody(256 * MiB, HELD_PER_BODY_BYTE.lowdb)).toBe(160 * MiB);
    expect(largestAdmittedBody(256 * MiB, HELD_PER_BODY_BYTE.postgres)).toBe(80 * MiB);
    const budget = new MemoryBudget(256 * MiB, { perBodyByte: HELD_PER_BODY_BYTE.postgres });
    expect(budget.tryReserve(80 * MiB)).not.toBeNull();
    expect(new MemoryBudget(256 * MiB, { perBodyByte: HELD_PER_BODY_BYTE.postgres }).tryReserve(80 * MiB + 1)).toBeNull();
  });
});
