// The embedded store's search sidecars are derived data: deleted, cut short or stale, a query
// still finds exactly what the reference semantics say.
import { readdir, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEndpoint } from '../../../server/api/endpoint-config';
import { parseQuery } from '../../../shared/query';
import { matchesQuery } from '../../../shared/query-match';
import { delivery, openStore } from '../../support/damage';
import { tempDir } from '../../support/temp-dir';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

describe('lowdb query over search sidecars', () => {
  it('finds body words and headers when sidecars are missing or cut short, and rebuilds them', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    let store = await openStore(dir.path);
    await store.createEndpoint(buildEndpoint('e', {}, 0));
    const ids: string[] = [];
    for (let i = 0; i < 45; i++) ids.push((await store.append(delivery('e', i))).id);
    await store.close();
    const folder = join(dir.path, 'captures', 'e');
    const sidecars = (await readdir(folder)).filter((name) => name.endsWith('.search')).sort();
    expect(sidecars.length).toBe(5);
    await unlink(join(folder, sidecars[1] as string)); // segment 2: captures 10–19
    await truncate(join(folder, sidecars[3] as string), 100); // segment 4: cut inside its first record
    store = await openStore(dir.path);
    cleanups.push(() => store.close());
    const search = async (q: string) => (await store.list('e', { limit: 100, query: parseQuery(q) })).items.map((c) => c.id);
    expect(await search('payload-13')).toEqual([ids[13]]);
    expect(await search('payload-33')).toEqual([ids[33]]);
    expect(await search('"payload-4"')).toEqual([ids[44], ids[43], ids[42], ids[41], ids[40], ids[4]]);
    expect((await search('-payload-1')).length).toBe(45 - 11);
    expect(await search('header:content-type=application/* path:/p3*')).toEqual([ids[39], ids[38], ids[37], ids[36], ids[35], ids[34], ids[33], ids[32], ids[31], ids[30], ids[3]]);
    expect((await readdir(folder)).filter((name) => name.endsWith('.search'))).toHaveLength(5); // rebuilt
  });

  it('answers time ranges and delivery ids from the index as the reference does, out-of-order times and deletions included, with matched', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    const store = await openStore(dir.path); // segments of 10
    cleanups.push(() => store.close());
    await store.createEndpoint(buildEndpoint('e', {}, 0));
    const T = 1_700_000_000_000;
    // Mostly rising times, with a run imported from long ago in the middle (segment spans overlap).
    const at = (i: number) => (i >= 30 && i < 42 ? T - 1_000_000 + i * 7 : T + i * 1000);
    for (let i = 0; i < 60; i++) await store.append({ ...delivery('e', i), receivedAt: at(i), deliveryId: i % 3 === 0 ? `x-github-delivery:d${i % 9}` : `d${i % 9}` });
    const all = (await store.list('e', { limit: 100 })).items;
    for (const id of [all[5]?.id, all[40]?.id]) await store.deleteCapture(id as string);
    const kept = (await store.list('e', { limit: 100 })).items;
    const iso = (ms: number) => new Date(ms).toISOString();
    for (const q of [`after:${iso(T + 12_500)} before:${iso(T + 33_000)}`, `after:${iso(T - 1_000_000 + 250)}`, `before:${iso(T - 1_000_000 + 260)}`, `-after:${iso(T + 50_000)}`, 'delivery:d3', 'delivery:x-github-delivery:d0', `delivery:d0 before:${iso(T + 40_000)}`, 'delivery:nothing']) {
      const query = parseQuery(q);
      const expected = kept.filter((summary) => matchesQuery(query, { summary }) === true).map((c) => c.id);
      const pages: string[] = [];
      let before: string | undefined;
      let matched: number | undefined;
      do {
        const page = await store.list('e', { limit: 4, query, ...(before !== undefined && { before }) });
        matched ??= page.matched;
        pages.push(...page.items.map((c) => c.id));
        before = page.nextBefore ?? undefined;
      } while (before !== undefined);
      expect(pages, q).toEqual(expected);
      expect(matched, q).toBe(expected.length);
    }
    expect((await store.list('e', { limit: 4, query: parseQuery('payload-1') })).matched).toBeUndefined(); // a body word: not known without reading
  });
});
