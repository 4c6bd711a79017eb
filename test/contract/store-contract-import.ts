// Store contract, atomic imports: importCaptures stores a batch all or nothing, in order, after
// every earlier capture, with duplicate marks — the same on every implementation.
import { expect } from 'vitest';
import { NotFoundError } from '../../server/errors';
import { parseQuery } from '../../shared/query';
import type { NewCapture } from '../../server/store/store';
import type { StoreContext, caseFn } from './store-contract';
import { appendMany, BINARY_BODY, delivery, endpoint } from './store-fixtures';

type Case = ReturnType<typeof caseFn>;

export function runStoreImportCases(ctx: StoreContext, test: Case): void {
  test('importCaptures: all stored in order after existing ones, byte-exact, with duplicate marks', async () => {
    await ctx.store.createEndpoint(endpoint('a', 5000));
    const [before] = await appendMany(ctx.store, 'a', 1, () => ({ deliveryId: 'held' }));
    const batch: NewCapture[] = Array.from({ length: 1200 }, (_, i) =>
      delivery('elsewhere', { body: i === 7 ? BINARY_BODY : Buffer.from(`imported ${i}`), deliveryId: i === 3 ? 'held' : i === 10 || i === 900 ? 'twice' : i === 20 || i === 30 ? 'again' : null }));
    const stored = await ctx.store.importCaptures('a', batch, 'import-1');
    expect(stored).toHaveLength(1200);
    const ids = stored.map((c) => c.id);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0] as string > (before as string)).toBe(true);
    expect(stored.every((c) => c.endpointId === 'a')).toBe(true);
    expect(stored[3]?.duplicateOf).toBe(before);
    expect(stored[10]?.duplicateOf).toBeNull();
    expect(stored[900]?.duplicateOf).toBe(ids[10]);
    expect(stored[30]?.duplicateOf).toBe(ids[20]); // its first holder earlier in the same batch
    expect((await ctx.store.get(ids[7] as string))?.body.equals(BINARY_BODY)).toBe(true);
    expect((await ctx.store.get(ids[900] as string))?.duplicateOf).toBe(ids[10]);
    expect((await ctx.store.get(ids[30] as string))?.duplicateOf).toBe(ids[20]);
    const duplicates = await ctx.store.list('a', { limit: 10, query: parseQuery('is:duplicate') });
    expect(duplicates.items.map((c) => c.id)).toEqual([ids[900], ids[30], ids[3]]);
    expect((await ctx.store.list('a', { limit: 10, query: parseQuery('"imported 1199"') })).items.map((c) => c.id)).toEqual([ids[1199]]);
    expect((await ctx.store.listAfter('a', before, 2000)).map((c) => c.id)).toEqual(ids);
    await expect(ctx.store.importCaptures('missing', batch.slice(0, 2), 'import-2')).rejects.toBeInstanceOf(NotFoundError);
  });

  test('importCaptures: a batch that fails part-way keeps none of it; retention applies after', async () => {
    await ctx.store.createEndpoint(endpoint('a', 50));
    await appendMany(ctx.store, 'a', 5);
    const batch = Array.from({ length: 700 }, (_, i) => delivery('a', { body: Buffer.from(`n${i}`) }));
    (batch[650] as { body: unknown }).body = undefined; // not storable: the import fails there
    await expect(ctx.store.importCaptures('a', batch, 'broken')).rejects.toBeInstanceOf(Error);
    expect(await ctx.store.count('a')).toBe(5);
    const ok = await ctx.store.importCaptures('a', batch.slice(0, 100), 'fine');
    expect(await ctx.store.count('a')).toBe(50);
    expect((await ctx.store.list('a', { limit: 1 })).items[0]?.id).toBe(ok[99]?.id);
  });
}
