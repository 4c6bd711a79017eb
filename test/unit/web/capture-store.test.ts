import { describe, expect, it } from 'vitest';
import { CaptureStore } from '../../../web/src/features/requests/stores/capture-store';
import { mergeCaptures } from '../../../web/src/features/requests/utils/capture-list';
import { splitPaused } from '../../../web/src/features/requests/hooks/use-request-view';
import { ids, summary } from './fixtures';

describe('mergeCaptures', () => {
  it('prepends live arrivals newer than everything, newest first', () => {
    const known = new Set<string>();
    const first = mergeCaptures([], [summary(1), summary(2)], known);
    const next = mergeCaptures(first.items, [summary(3), summary(4)], known);
    expect(ids(next.items)).toEqual(['c000004', 'c000003', 'c000002', 'c000001']);
    expect(next.added).toEqual(['c000004', 'c000003']);
  });

  it('appends an older page and sorts an interleaved batch', () => {
    const known = new Set<string>();
    const page = mergeCaptures([], [summary(9), summary(8)], known);
    const older = mergeCaptures(page.items, [summary(5), summary(4)], known);
    expect(ids(older.items)).toEqual(['c000009', 'c000008', 'c000005', 'c000004']);
    const mixed = mergeCaptures(older.items, [summary(6), summary(10), summary(7)], known);
    expect(ids(mixed.items)).toEqual(['c000010', 'c000009', 'c000008', 'c000007', 'c000006', 'c000005', 'c000004']);
  });

  it('keeps each id once and returns the same array when nothing is new', () => {
    const known = new Set<string>();
    const page = mergeCaptures([], [summary(1), summary(2), summary(2)], known);
    expect(ids(page.items)).toEqual(['c000002', 'c000001']);
    const again = mergeCaptures(page.items, [summary(1), summary(2)], known);
    expect(again.items).toBe(page.items);
    expect(again.added).toEqual([]);
  });
});

describe('CaptureStore', () => {
  const page = (numbers: number[], nextBefore: string | null, total = numbers.length) => ({
    items: numbers.map((n) => summary(n)), nextBefore, total,
  });

  it('shows a capture delivered by the page and again by the stream (reconnect overlap) once', () => {
    const store = new CaptureStore(() => 0);
    store.addPage('ep', page([3, 2, 1], null), false);
    expect(store.cursorOf('ep')).toBe('c000003');
    for (const n of [2, 3, 4, 5, 4]) store.receive(summary(n)); // overlap, then new, then a repeat
    expect(store.cursorOf('ep')).toBe('c000005'); // advanced before the batch is applied
    store.flush();
    const state = store.get('ep');
    expect(ids(state.items)).toEqual(['c000005', 'c000004', 'c000003', 'c000002', 'c000001']);
    expect(state.total).toBe(5);
    expect([...state.fresh.keys()].sort()).toEqual(['c000004', 'c000005']);
  });

  it('merges stream captures that arrived before the first page', () => {
    const store = new CaptureStore();
    store.receive(summary(7));
    store.flush();
    store.addPage('ep', page([7, 6, 5], 'c000005', 40), false);
    const state = store.get('ep');
    expect(ids(state.items)).toEqual(['c000007', 'c000006', 'c000005']);
    expect(state.total).toBe(40);
    expect(state.nextBefore).toBe('c000005');
    store.addPage('ep', page([4, 3], null), true);
    expect(store.get('ep').nextBefore).toBeNull();
    expect(store.get('ep').items).toHaveLength(5);
  });

  it('removes, clears and forgets, and notifies subscribers', () => {
    const store = new CaptureStore();
    let calls = 0;
    store.subscribe(() => (calls += 1));
    store.addPage('ep', page([2, 1], null), false);
    store.remove('ep', 'c000001');
    expect(ids(store.get('ep').items)).toEqual(['c000002']);
    expect(store.get('ep').total).toBe(1);
    store.clear('ep');
    expect(store.get('ep').items).toEqual([]);
    expect(store.cursorOf('ep')).toBe('c000002'); // the stream keeps resuming after the newest seen
    store.receive(summary(1)); // an old id arriving after a clear is still shown (it is new to the store)
    store.flush();
    expect(store.get('ep').items).toHaveLength(1);
    store.forget('ep');
    expect(store.get('ep').items).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(5);
  });
});

describe('splitPaused', () => {
  it('holds back captures newer than the pause point', () => {
    const items = [summary(5), summary(4), summary(3)];
    expect(splitPaused(items, null)).toEqual({ live: items, held: 0 });
    const { live, held } = splitPaused(items, 'c000003');
    expect(held).toBe(2);
    expect(ids(live)).toEqual(['c000003']);
  });
});

describe('clearing up to a cursor', () => {
  it('keeps captures newer than the cursor taken before the clear was sent', () => {
    const store = new CaptureStore(() => 0);
    store.addPage('ep', { items: [summary(2), summary(1)], nextBefore: null, total: 2 }, false);
    const upTo = store.cursorOf('ep');
    store.receive(summary(3)); // arrived while the DELETE was in flight
    store.clear('ep', upTo);
    expect(store.get('ep').items.map((c) => c.id)).toEqual([summary(3).id]);
    store.clear('ep');
    expect(store.get('ep').items).toEqual([]);
  });
});
