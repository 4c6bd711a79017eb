// Store contract, retries: `deliveryAttempts` lists an endpoint's captures with one delivery id,
// oldest first, with the status answered — the retry timeline and `firstAttempts` counting.
import { expect } from 'vitest';
import type { StoreContext, caseFn } from './store-contract';
import { appendMany, endpoint } from './store-fixtures';

type Case = ReturnType<typeof caseFn>;

export function runStoreAttemptCases(ctx: StoreContext, test: Case): void {
  test('deliveryAttempts: captures with one delivery id, oldest first, with their answers', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    await ctx.store.createEndpoint(endpoint('b'));
    const statuses = [503, 0, 200];
    const ids = await appendMany(ctx.store, 'a', 5, (i) => ({
      deliveryId: i % 2 === 0 ? 'webhook-id:msg_1' : 'webhook-id:other',
      receivedAt: 1_700_000_000_000 + i * 10_000,
      reply: { status: statuses[i / 2] ?? 200 },
    }));
    await appendMany(ctx.store, 'b', 1, () => ({ deliveryId: 'webhook-id:msg_1' })); // another endpoint's is not one of them
    const attempts = await ctx.store.deliveryAttempts('a', 'webhook-id:msg_1', 100);
    expect(attempts).toEqual([
      { id: ids[0], receivedAt: 1_700_000_000_000, status: 503 },
      { id: ids[2], receivedAt: 1_700_000_020_000, status: 0 },
      { id: ids[4], receivedAt: 1_700_000_040_000, status: 200 },
    ]);
    expect(await ctx.store.deliveryAttempts('a', 'webhook-id:msg_1', 2)).toEqual(attempts.slice(0, 2));
    expect(await ctx.store.deliveryAttempts('a', 'webhook-id:none', 10)).toEqual([]);
    expect(await ctx.store.deliveryAttempts('missing', 'webhook-id:msg_1', 10)).toEqual([]);
    await ctx.reopen();
    expect(await ctx.store.deliveryAttempts('a', 'webhook-id:msg_1', 100)).toEqual(attempts);
  });

  test('deliveryAttempts: deleted and evicted captures are gone from the list', async () => {
    await ctx.store.createEndpoint(endpoint('a', 3));
    const ids = await appendMany(ctx.store, 'a', 4, () => ({ deliveryId: 'x-github-delivery:1' }));
    expect((await ctx.store.deliveryAttempts('a', 'x-github-delivery:1', 10)).map((a) => a.id)).toEqual(ids.slice(1));
    await ctx.store.deleteCapture(ids[2] as string);
    expect((await ctx.store.deliveryAttempts('a', 'x-github-delivery:1', 10)).map((a) => a.id)).toEqual([ids[1], ids[3]]);
  });

  test('the rule that answered a capture survives storing and reopening', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    const rule = { index: 1, name: 'retry', action: 'fail' as const, attempt: 2 };
    const [withRule, without] = await appendMany(ctx.store, 'a', 2, (i) => (i === 0 ? { rule } : {}));
    await ctx.reopen();
    expect((await ctx.store.get(withRule as string))?.rule).toEqual(rule);
    expect((await ctx.store.get(without as string))?.rule).toBeNull();
    const page = await ctx.store.list('a', { limit: 10 });
    expect(page.items.map((item) => item.rule)).toEqual([null, rule]);
  });
}
