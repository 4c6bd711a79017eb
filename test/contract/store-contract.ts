// The Store contract (server/store/store.ts), run against every implementation. A case an
// implementation cannot meet is skipped by name with a written reason.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../server/errors';
import type { Store } from '../../server/store/store';
import { runStoreAttemptCases } from './store-contract-attempts';
import { runStoreCaptureCases } from './store-contract-captures';
import { runStoreImportCases } from './store-contract-import';
import { runStoreQueryCases } from './store-contract-query';
import { appendMany, delivery, endpoint, type StoreHarness } from './store-fixtures';

export interface StoreContractOptions {
  name: string;
  /** A harness over fresh, empty data. */
  harness: () => Promise<StoreHarness>;
  /** Case title → why this implementation cannot meet it. */
  skip?: Record<string, string>;
}

/** Per-case state: the harness and the store opened on it. */
export interface StoreContext {
  harness: StoreHarness;
  store: Store;
  /** Closes the current store and opens another over the same data. */
  reopen(options?: { now?: () => number }): Promise<Store>;
}

/** `it`, or a skip whose title carries the reason. */
export function caseFn(skip: Record<string, string> | undefined) {
  return (title: string, fn: () => Promise<void>) => {
    const reason = skip?.[title];
    if (reason) it.skip(`${title} — skipped: ${reason}`, fn);
    else it(title, fn);
  };
}

export function runStoreContract(options: StoreContractOptions): void {
  describe(`Store contract: ${options.name}`, () => {
    const ctx = {} as StoreContext;
    beforeEach(async () => {
      ctx.harness = await options.harness();
      ctx.store = await ctx.harness.open();
      ctx.reopen = async (reopenOptions) => {
        await ctx.store.close();
        ctx.store = await ctx.harness.open(reopenOptions);
        return ctx.store;
      };
    });
    afterEach(async () => {
      await ctx.store.close();
      await ctx.harness.cleanup();
    });
    const test = caseFn(options.skip);
    runEndpointCases(ctx, test);
    runStoreCaptureCases(ctx, test);
    runStoreQueryCases(ctx, test);
    runStoreAttemptCases(ctx, test);
    runStoreImportCases(ctx, test);
    runLifecycleCases(ctx, test);
  });
}

type Case = ReturnType<typeof caseFn>;

function runEndpointCases(ctx: StoreContext, test: Case): void {
  test('endpoints: created ones are listed oldest first and read back equal', async () => {
    expect(await ctx.store.listEndpoints()).toEqual([]);
    const made = [endpoint('zeta'), endpoint('alpha'), endpoint('mid')];
    for (const e of made) expect(await ctx.store.createEndpoint(e)).toEqual(e);
    expect((await ctx.store.listEndpoints()).map((e) => e.id)).toEqual(['zeta', 'alpha', 'mid']);
    expect(await ctx.store.getEndpoint('alpha')).toEqual(made[1]);
    expect(await ctx.store.getEndpoint('nope')).toBeNull();
  });

  test('endpoints: creating an existing id is a ConflictError and changes nothing', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    await expect(ctx.store.createEndpoint({ ...endpoint('a'), name: 'other' })).rejects.toBeInstanceOf(ConflictError);
    expect((await ctx.store.getEndpoint('a'))?.name).toBe(endpoint('a').name);
    expect(await ctx.store.listEndpoints()).toHaveLength(1);
  });

  test('endpoints: update replaces the config; an unknown id is a NotFoundError', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    const changed = { ...endpoint('a'), name: 'Renamed', response: { status: 202, headers: { 'x-a': '1' }, body: 'ok', delayMs: 0 } };
    expect(await ctx.store.updateEndpoint(changed)).toEqual(changed);
    expect(await ctx.store.getEndpoint('a')).toEqual(changed);
    await expect(ctx.store.updateEndpoint(endpoint('missing'))).rejects.toBeInstanceOf(NotFoundError);
  });

  test('endpoints: delete removes the endpoint and all its captures; an unknown id is a NotFoundError', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    await ctx.store.createEndpoint(endpoint('b'));
    const [first] = await appendMany(ctx.store, 'a', 3);
    const [kept] = await appendMany(ctx.store, 'b', 1);
    await ctx.store.deleteEndpoint('a');
    expect(await ctx.store.getEndpoint('a')).toBeNull();
    expect(await ctx.store.get(first as string)).toBeNull();
    expect(await ctx.store.count('a')).toBe(0);
    expect((await ctx.store.get(kept as string))?.endpointId).toBe('b');
    await expect(ctx.store.deleteEndpoint('a')).rejects.toBeInstanceOf(NotFoundError);
    // The id can be used again, empty.
    await ctx.store.createEndpoint(endpoint('a'));
    expect((await ctx.store.list('a', { limit: 10 })).items).toEqual([]);
  });

  test('endpoints: text with NUL and lone surrogates round-trips', async () => {
    const odd = { ...endpoint('odd'), name: 'nul \u0000 and \ud800 lone' };
    await ctx.store.createEndpoint(odd);
    expect(await ctx.store.getEndpoint('odd')).toEqual(odd);
  });
}

function runLifecycleCases(ctx: StoreContext, test: Case): void {
  test('lifecycle: everything survives close and reopen, and new ids sort after the old', async () => {
    await ctx.store.createEndpoint(endpoint('a', 3));
    const ids = await appendMany(ctx.store, 'a', 5, (i) => ({ body: Buffer.from([i, 0, 255]), deliveryId: `d${i % 2}` }));
    await ctx.store.deleteCapture(ids[3] as string);
    await ctx.store.addReplayAttempt(ids[4] as string, { id: 'r1', kind: 'replay', url: 'http://x/', startedAt: 1, durationMs: 2, status: 200 });
    await ctx.store.createEndpoint(endpoint('b'));
    const store = await ctx.reopen();
    expect((await store.listEndpoints()).map((e) => e.id)).toEqual(['a', 'b']);
    expect((await store.listAfter('a', undefined, 10)).map((c) => c.id)).toEqual([ids[2], ids[4]]);
    const last = await store.get(ids[4] as string);
    expect(last?.body).toEqual(Buffer.from([4, 0, 255]));
    expect(last?.replays.map((r) => r.id)).toEqual(['r1']);
    expect(await store.count('a')).toBe(2);
    const next = await store.append(delivery('a'));
    expect(next.id > (ids[4] as string)).toBe(true);
  });

  test('lifecycle: ready() is true while open and false after close; calls after close reject', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    expect(ctx.store.description).toMatch(/\S/);
    expect(await ctx.store.ready()).toBe(true);
    const store = ctx.store;
    await store.close();
    expect(await store.ready()).toBe(false);
    await expect(store.append(delivery('a'))).rejects.toBeInstanceOf(Error);
    await expect(store.close()).resolves.toBeUndefined(); // closing twice is harmless
    ctx.store = await ctx.harness.open();
  });

  test('lifecycle: close waits for appends in flight, which are then durable', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    const pending = Array.from({ length: 20 }, () => ctx.store.append(delivery('a')));
    const closing = ctx.store.close();
    const settled = await Promise.allSettled(pending);
    await closing;
    const stored = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.id] : []));
    ctx.store = await ctx.harness.open();
    const kept = new Set((await ctx.store.listAfter('a', undefined, 100)).map((c) => c.id));
    for (const id of stored) expect(kept.has(id)).toBe(true);
  });
}
