import { describe, expect, it } from 'vitest';
import { createCaptureIdGenerator } from '../../../server/store/capture-id';

describe('capture ids', () => {
  it('sort in the order they were made, also when the clock steps back', () => {
    let clock = 5_000;
    const next = createCaptureIdGenerator(() => clock);
    const ids = [next(), next()];
    clock = 1_000;
    ids.push(next());
    clock = 9_000;
    ids.push(next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
  });

  it('sort after the newest stored id even when the clock is behind it', () => {
    const stored = createCaptureIdGenerator(() => 1_795_000_000_000)();
    const next = createCaptureIdGenerator(() => 1_700_000_000_000, stored);
    const a = next();
    const b = next();
    expect(a > stored).toBe(true);
    expect(b > a).toBe(true);
  });
});
