import { describe, expect, it } from 'vitest';
import { countNodes } from '../../../web/src/features/capture-detail/utils/json-count';

describe('countNodes', () => {
  it('counts nodes up to the limit, also for a huge top-level array', () => {
    expect(countNodes({ a: [1, 2, { b: 3 }] }, 100)).toBe(6);
    const huge = new Array(300_000).fill(1);
    expect(countNodes(huge, 401)).toBe(401);
  });
});
