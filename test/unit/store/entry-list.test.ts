import { describe, expect, it } from 'vitest';
import { EntryList } from '../../../server/store/entry-list';

const entry = (n: number) => ({ id: `id${String(n).padStart(6, '0')}`, n });

describe('EntryList', () => {
  it('keeps order, searches by id and removes from the front across compactions', () => {
    const list = new EntryList<ReturnType<typeof entry>>();
    for (let i = 0; i < 5000; i++) list.push(entry(i));
    const removed = [];
    for (let i = 0; i < 4000; i += 7) removed.push(...list.shift(7));
    expect(removed.map((e) => e.n)).toEqual(Array.from({ length: removed.length }, (_, i) => i));
    expect(list.length).toBe(5000 - removed.length);
    expect(list.at(0)?.n).toBe(removed.length);
    expect(list.firstAfter(entry(4500).id)).toBe(4501 - removed.length);
    expect(list.firstAtOrAfter(entry(4500).id)).toBe(4500 - removed.length);
    expect(list.firstAfter('id')).toBe(0);
    expect(list.slice(0, 3).map((e) => e.n)).toEqual([removed.length, removed.length + 1, removed.length + 2]);
  });

  it('removes one entry by identity and refuses one it does not hold', () => {
    const list = new EntryList<ReturnType<typeof entry>>();
    const items = [0, 1, 2, 3].map(entry);
    items.forEach((e) => list.push(e));
    expect(list.remove(items[2] as ReturnType<typeof entry>)).toBe(true);
    expect(list.remove(entry(2))).toBe(false);
    expect(list.toArray().map((e) => e.n)).toEqual([0, 1, 3]);
  });
});
