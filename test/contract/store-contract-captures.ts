// Store contract, capture methods: append, list/listAfter cursors, id order, retention,
// duplicate lookup, deletion, replay attempts, byte-exact bodies.
import { expect } from 'vitest';
import { NotFoundError } from '../../server/errors';
import type { StoreContext, caseFn } from './store-contract';
import { appendMany, BINARY_BODY, delivery, endpoint } from './store-fixtures';

type Case = ReturnType<typeof caseFn>;

export function runStoreCaptureCases(ctx: StoreContext, test: Case): void {
  runAppendCases(ctx, test);
  runCursorCases(ctx, test);
  runRetentionCases(ctx, test);
  runChangeCases(ctx, test);
}

function runAppendCases(ctx: StoreContext, test: Case): void {
  test('append: stores every field and reads it back whole; an unknown endpoint is a NotFoundError', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    const input = delivery('a', { deliveryId: 'evt_1', eventType: 'invoice.paid', reply: { status: 401, rejected: 'bad signature' } });
    const stored = await ctx.store.append(input);
    expect(stored).toEqual({ ...input, id: stored.id, replays: [] });
    expect(await ctx.store.get(stored.id)).toEqual(stored);
    expect((await ctx.store.list('a', { limit: 1 })).items[0]?.eventType).toBe('invoice.paid');
    expect((await ctx.store.list('a', { limit: 1 })).items[0]?.preview).toEqual(input.preview);
    expect(await ctx.store.get('no-such-capture')).toBeNull();
    await expect(ctx.store.append(delivery('missing'))).rejects.toBeInstanceOf(NotFoundError);
  });

  test('append: bodies are byte-exact (binary, invalid UTF-8, empty, 1 MiB) and headers keep order, case and repeats', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    const big = Buffer.alloc(1024 * 1024, 'xyz\u00e9\u0000');
    const bodies = [BINARY_BODY, Buffer.alloc(0), big, Buffer.from('\ufeff{"bom":true}')];
    const headers: [string, string][] = [['X-B', '2'], ['x-a', '1'], ['X-B', '3'], ['Content-Type', 'application/octet-stream']];
    const ids = [];
    for (const body of bodies) ids.push((await ctx.store.append(delivery('a', { body, headers }))).id);
    for (const [i, id] of ids.entries()) {
      const got = await ctx.store.get(id);
      expect(Buffer.isBuffer(got?.body)).toBe(true);
      expect(got?.body.equals(bodies[i] as Buffer)).toBe(true);
      expect(got?.headers).toEqual(headers);
    }
  });

  test('append: payload-chosen text (NUL, lone surrogates) in summary fields round-trips', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    const odd = 'id \u0000 \ud800 \udfff end';
    const input = delivery('a', { deliveryId: odd, path: '/p\u00e9', verdicts: { signature: { status: 'invalid', scheme: 'custom', reason: odd }, schema: { status: 'invalid', issues: [{ path: 'a', message: odd }] } } });
    const stored = await ctx.store.append(input);
    expect(await ctx.store.get(stored.id)).toEqual(stored);
    expect(await ctx.store.findByDeliveryId('a', odd)).toBe(stored.id);
  });

  test('ids: sort as strings in arrival order, also when the clock steps back or stands still', async () => {
    let clock = 1_800_000_000_000;
    const store = await ctx.reopen({ now: () => clock });
    await store.createEndpoint(endpoint('a'));
    const ids: string[] = [];
    for (const step of [0, 0, 5, -1000, 0, 1, -1, 2000]) {
      clock += step;
      ids.push((await store.append(delivery('a'))).id);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('ids: concurrent appends get distinct ids, and listing order is id order', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    await ctx.store.createEndpoint(endpoint('b'));
    const made = await Promise.all(Array.from({ length: 60 }, (_, i) => ctx.store.append(delivery(i % 3 ? 'a' : 'b'))));
    expect(new Set(made.map((c) => c.id)).size).toBe(60);
    const listed = (await ctx.store.listAfter('a', undefined, 100)).map((c) => c.id);
    expect(listed).toHaveLength(40);
    expect([...listed].sort()).toEqual(listed);
    const page = (await ctx.store.list('a', { limit: 100 })).items.map((c) => c.id);
    expect(page).toEqual([...listed].reverse());
  });
}

function runCursorCases(ctx: StoreContext, test: Case): void {
  test('list: newest first, paged with nextBefore until null, with the total', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    const ids = await appendMany(ctx.store, 'a', 25);
    const seen: string[] = [];
    let before: string | undefined;
    const sizes: number[] = [];
    for (;;) {
      const page = await ctx.store.list('a', { limit: 10, before });
      expect(page.total).toBe(25);
      sizes.push(page.items.length);
      seen.push(...page.items.map((c) => c.id));
      if (page.nextBefore === null) break;
      expect(page.nextBefore).toBe(page.items[page.items.length - 1]?.id);
      before = page.nextBefore;
    }
    expect(sizes).toEqual([10, 10, 5]);
    expect(seen).toEqual([...ids].reverse());
    expect((await ctx.store.list('a', { limit: 25 })).nextBefore).toBeNull();
    await expect(ctx.store.list('missing', { limit: 10 })).rejects.toBeInstanceOf(NotFoundError);
  });

  test('list: `after` gives the limit oldest newer captures, newest first; with `before` it is a window', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    const ids = await appendMany(ctx.store, 'a', 12);
    const page = await ctx.store.list('a', { limit: 3, after: ids[4] });
    expect(page.items.map((c) => c.id)).toEqual([ids[7], ids[6], ids[5]]);
    expect(page.nextBefore).toBe(ids[5]);
    const window = await ctx.store.list('a', { limit: 10, after: ids[2], before: ids[6] });
    expect(window.items.map((c) => c.id)).toEqual([ids[5], ids[4], ids[3]]);
    const fromStart = await ctx.store.list('a', { limit: 2, after: '0' });
    expect(fromStart.items.map((c) => c.id)).toEqual([ids[1], ids[0]]);
    expect(fromStart.nextBefore).toBeNull();
    const newest = await ctx.store.list('a', { limit: 5, after: ids[11] });
    expect(newest).toEqual({ items: [], nextBefore: null, total: 12 });
  });

  test('cursors: a deleted or evicted capture id still works as a cursor', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    const ids = await appendMany(ctx.store, 'a', 6);
    await ctx.store.deleteCapture(ids[2] as string);
    expect((await ctx.store.listAfter('a', ids[2], 10)).map((c) => c.id)).toEqual(ids.slice(3));
    expect((await ctx.store.list('a', { limit: 10, before: ids[2] })).items.map((c) => c.id)).toEqual([ids[1], ids[0]]);
  });

  test('cursors and ids holding NUL find nothing and keep their place in the order', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    const ids = await appendMany(ctx.store, 'a', 3);
    expect(await ctx.store.get('a\u0000b')).toBeNull();
    expect(await ctx.store.deleteCapture('a\u0000b')).toBeNull();
    expect(await ctx.store.getEndpoint('a\u0000')).toBeNull();
    expect((await ctx.store.listAfter('a', '\u0000', 10)).map((c) => c.id)).toEqual(ids);
    expect((await ctx.store.list('a', { limit: 10, before: '\u0000' })).items).toEqual([]);
    expect((await ctx.store.list('a', { limit: 10, after: `${ids[0]}\u0000` })).items.map((c) => c.id)).toEqual([ids[2], ids[1]]);
  });

  test('listAfter: oldest first from the start or after a cursor, at most limit; unknown endpoint is a NotFoundError', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    await ctx.store.createEndpoint(endpoint('b'));
    const ids = await appendMany(ctx.store, 'a', 7);
    await appendMany(ctx.store, 'b', 2);
    expect((await ctx.store.listAfter('a', undefined, 3)).map((c) => c.id)).toEqual(ids.slice(0, 3));
    expect((await ctx.store.listAfter('a', ids[3], 100)).map((c) => c.id)).toEqual(ids.slice(4));
    expect(await ctx.store.listAfter('a', ids[6], 100)).toEqual([]);
    const summary = (await ctx.store.listAfter('a', ids[5], 1))[0];
    expect(summary).not.toHaveProperty('body');
    expect(summary).not.toHaveProperty('headers');
    expect(summary?.endpointId).toBe('a');
    await expect(ctx.store.listAfter('missing', undefined, 10)).rejects.toBeInstanceOf(NotFoundError);
  });
}

function runRetentionCases(ctx: StoreContext, test: Case): void {
  test('retention: the oldest captures beyond maxCaptures are evicted on append and when retention shrinks', async () => {
    await ctx.store.createEndpoint(endpoint('a', 5));
    const ids = await appendMany(ctx.store, 'a', 8);
    expect(await ctx.store.count('a')).toBe(5);
    expect((await ctx.store.listAfter('a', undefined, 100)).map((c) => c.id)).toEqual(ids.slice(3));
    expect(await ctx.store.get(ids[0] as string)).toBeNull();
    expect((await ctx.store.list('a', { limit: 10 })).total).toBe(5);
    await ctx.store.updateEndpoint(endpoint('a', 2));
    expect(await ctx.store.count('a')).toBe(2);
    expect((await ctx.store.listAfter('a', undefined, 100)).map((c) => c.id)).toEqual(ids.slice(6));
    await ctx.store.updateEndpoint(endpoint('a', 4));
    await appendMany(ctx.store, 'a', 3);
    expect(await ctx.store.count('a')).toBe(4);
  });

  test('retention: holds under concurrent appends', async () => {
    await ctx.store.createEndpoint(endpoint('a', 10));
    await Promise.all(Array.from({ length: 50 }, () => ctx.store.append(delivery('a'))));
    expect(await ctx.store.count('a')).toBe(10);
    expect(await ctx.store.listAfter('a', undefined, 100)).toHaveLength(10);
  });

  test('findByDeliveryId: the first retained capture with that delivery id, per endpoint', async () => {
    await ctx.store.createEndpoint(endpoint('a', 3));
    await ctx.store.createEndpoint(endpoint('b'));
    const ids = await appendMany(ctx.store, 'a', 3, (i) => ({ deliveryId: i === 1 ? 'other' : 'evt' }));
    expect(await ctx.store.findByDeliveryId('a', 'evt')).toBe(ids[0]);
    expect(await ctx.store.findByDeliveryId('b', 'evt')).toBeNull();
    expect(await ctx.store.findByDeliveryId('a', 'nope')).toBeNull();
    expect(await ctx.store.findByDeliveryId('missing', 'evt')).toBeNull();
    await appendMany(ctx.store, 'a', 1); // evicts ids[0]
    expect(await ctx.store.findByDeliveryId('a', 'evt')).toBe(ids[2]);
    await ctx.store.deleteCapture(ids[2] as string);
    expect(await ctx.store.findByDeliveryId('a', 'evt')).toBeNull();
  });

  test('count: captures held, 0 for an unknown endpoint', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    await appendMany(ctx.store, 'a', 4);
    expect(await ctx.store.count('a')).toBe(4);
    expect(await ctx.store.count('missing')).toBe(0);
  });
}

function runChangeCases(ctx: StoreContext, test: Case): void {
  test('deleteCapture: resolves to the endpoint id, then null; the capture is gone from every view', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    const ids = await appendMany(ctx.store, 'a', 3);
    expect(await ctx.store.deleteCapture(ids[1] as string)).toBe('a');
    expect(await ctx.store.deleteCapture(ids[1] as string)).toBeNull();
    expect(await ctx.store.deleteCapture('never-was')).toBeNull();
    expect(await ctx.store.get(ids[1] as string)).toBeNull();
    expect(await ctx.store.count('a')).toBe(2);
    expect((await ctx.store.list('a', { limit: 10 })).items.map((c) => c.id)).toEqual([ids[2], ids[0]]);
  });

  test('clearCaptures: resolves to how many there were; later appends sort after the cleared ids', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    await ctx.store.createEndpoint(endpoint('b'));
    const ids = await appendMany(ctx.store, 'a', 4);
    await appendMany(ctx.store, 'b', 2);
    expect(await ctx.store.clearCaptures('a')).toBe(4);
    expect(await ctx.store.count('a')).toBe(0);
    expect(await ctx.store.get(ids[0] as string)).toBeNull();
    expect(await ctx.store.count('b')).toBe(2);
    expect(await ctx.store.clearCaptures('a')).toBe(0);
    const next = await ctx.store.append(delivery('a'));
    expect(next.id > (ids[3] as string)).toBe(true);
  });

  test('addReplayAttempt: attempts are kept in order; a missing capture is a NotFoundError', async () => {
    await ctx.store.createEndpoint(endpoint('a'));
    const [id] = await appendMany(ctx.store, 'a', 1);
    const first = { id: 'r1', kind: 'replay' as const, url: 'http://127.0.0.1:9/x', startedAt: 1, durationMs: 3, status: 502, headers: [['a', 'b']] as [string, string][], body: { encoding: 'utf8' as const, data: 'nul \u0000', truncated: false } };
    const second = { id: 'r2', kind: 'forward' as const, url: 'http://127.0.0.1:9/y', startedAt: 2, durationMs: 1, error: 'ECONNREFUSED', attempt: 2 };
    await ctx.store.addReplayAttempt(id as string, first);
    await ctx.store.addReplayAttempt(id as string, second);
    expect((await ctx.store.get(id as string))?.replays).toEqual([first, second]);
    await expect(ctx.store.addReplayAttempt('missing', first)).rejects.toBeInstanceOf(NotFoundError);
    await ctx.store.deleteCapture(id as string);
    await expect(ctx.store.addReplayAttempt(id as string, first)).rejects.toBeInstanceOf(NotFoundError);
  });
}
