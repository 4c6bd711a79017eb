// Store contract, search: `list(endpointId, { query })` answers the query language
// (shared/query.ts) with the reference semantics of shared/query-match.ts, newest first, with
// cursor paging through the matches — the same on every implementation.
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { parseQuery } from '../../shared/query';
import type { Store } from '../../server/store/store';
import type { StoreContext, caseFn } from './store-contract';
import { appendMany, BINARY_BODY, delivery, endpoint } from './store-fixtures';

type Case = ReturnType<typeof caseFn>;

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0); // 2026-11-24T12:00:00Z
const HOUR = 3_600_000;

/** Ids of every match, newest first, paging `pageSize` at a time through `before`. */
async function search(store: Store, endpointId: string, q: string, pageSize = 1000): Promise<string[]> {
  const query = parseQuery(q, T0 + 100 * HOUR);
  const ids: string[] = [];
  let before: string | undefined;
  let matched: number | undefined; // given with the first page: every match counts
  for (let guard = 0; guard < 10_000; guard += 1) {
    const page = await store.list(endpointId, { limit: pageSize, ...(before !== undefined && { before }), query });
    ids.push(...page.items.map((item) => item.id));
    if (before === undefined) matched = page.matched;
    if (page.nextBefore === null) {
      if (matched !== undefined) expect(matched, `matched for ${q}`).toBe(ids.length);
      return ids;
    }
    expect(page.items.length).toBeGreaterThan(0);
    before = page.nextBefore;
  }
  throw new Error('paging never ended');
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const signature = (status: 'valid' | 'invalid' | 'missing' | 'expired' | 'skipped') => ({ status, scheme: status === 'skipped' ? 'none' : 'hmac:github', reason: 'r' });
const schema = (status: 'valid' | 'invalid' | 'unknown' | 'skipped') => ({ status, issues: [] });

/** A varied endpoint: 8 captures, named by their index in `ids` (oldest first). */
async function fillVaried(store: Store): Promise<string[]> {
  await store.createEndpoint(endpoint('q'));
  const made = [
    delivery('q', { method: 'POST', path: '/orders/17', body: json({ order: { id: 17, note: 'Conversation 1234 closed' } }), eventType: 'message.read', receivedAt: T0, deliveryId: 'x-github-delivery:abc-1', verdicts: { signature: signature('valid'), schema: schema('valid') } }),
    delivery('q', { method: 'PUT', path: '/orders/18', body: json({ order: { id: 18 } }), eventType: 'message.delivered', receivedAt: T0 + HOUR, reply: { status: 503, rejected: 'rule: fail' }, verdicts: { signature: signature('invalid'), schema: schema('invalid') } }),
    delivery('q', { method: 'POST', path: '', query: 'topic=Billing&x=%C3%A9t%C3%A9', body: Buffer.from('plain TEXT body with Needle'), headers: [['Content-Type', 'text/plain'], ['X-GitHub-Event', 'Push']], eventType: 'push', receivedAt: T0 + 2 * HOUR, verdicts: { signature: signature('missing'), schema: schema('unknown') } }),
    delivery('q', { method: 'POST', path: '/hooks', body: Buffer.from('MessageSid=SM1&MessageStatus=delivered&Body=hello+there'), headers: [['Content-Type', 'application/x-www-form-urlencoded']], eventType: 'twilio-messaging.status.delivered', receivedAt: T0 + 3 * HOUR, peer: '::ffff:10.0.0.7', verdicts: { signature: signature('expired'), schema: schema('skipped') } }),
    delivery('q', { method: 'DELETE', path: '/orders/17/items', body: Buffer.alloc(0), eventType: null, receivedAt: T0 + 4 * HOUR, reply: { status: 201 } }),
    delivery('q', { method: 'POST', path: '/gz', body: gzipSync(json({ compressed: 'zebra' })), headers: [['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']], eventType: 'invoice.paid', receivedAt: T0 + 5 * HOUR }),
    delivery('q', { method: 'POST', path: '/bin', body: BINARY_BODY, headers: [['Content-Type', 'application/octet-stream']], receivedAt: T0 + 6 * HOUR }),
    delivery('q', { method: 'POST', path: '/orders/17', body: json({ order: { id: 17, note: 'Conversation 1234 closed' } }), eventType: 'message.read', receivedAt: T0 + 7 * HOUR, deliveryId: 'x-github-delivery:abc-1', verdicts: { signature: signature('valid'), schema: schema('valid') } }),
  ];
  const ids: string[] = [];
  for (const capture of made) ids.push((await store.append(capture)).id);
  // The last one repeats the first delivery: ingest would mark it so.
  return ids;
}

export function runStoreQueryCases(ctx: StoreContext, test: Case): void {
  test('query: field terms (method, status, sig, schema, event with *, path glob, peer, is:, delivery)', async () => {
    const ids = await fillVaried(ctx.store);
    const pick = (...at: number[]) => at.map((i) => ids[i]).reverse(); // newest first
    expect(await search(ctx.store, 'q', 'method:put')).toEqual(pick(1));
    expect(await search(ctx.store, 'q', 'method:POST')).toEqual(pick(0, 2, 3, 5, 6, 7));
    expect(await search(ctx.store, 'q', 'status:503')).toEqual(pick(1));
    expect(await search(ctx.store, 'q', 'status:2xx')).toEqual(pick(0, 2, 3, 4, 5, 6, 7));
    expect(await search(ctx.store, 'q', 'status:5xx')).toEqual(pick(1));
    expect(await search(ctx.store, 'q', 'sig:invalid')).toEqual(pick(1));
    expect(await search(ctx.store, 'q', 'sig:expired')).toEqual(pick(3));
    expect(await search(ctx.store, 'q', 'schema:unknown')).toEqual(pick(2));
    expect(await search(ctx.store, 'q', 'event:message.*')).toEqual(pick(0, 1, 7));
    expect(await search(ctx.store, 'q', 'event:MESSAGE.READ')).toEqual(pick(0, 7));
    expect(await search(ctx.store, 'q', 'event:*delivered')).toEqual(pick(1, 3));
    expect(await search(ctx.store, 'q', 'path:/orders/*')).toEqual(pick(0, 1, 4, 7));
    expect(await search(ctx.store, 'q', 'path:/orders/17')).toEqual(pick(0, 7));
    expect(await search(ctx.store, 'q', 'path:/')).toEqual(pick(2));
    expect(await search(ctx.store, 'q', 'peer:10.0.0.7')).toEqual(pick(3));
    expect(await search(ctx.store, 'q', 'peer:10.0.*')).toEqual(pick(3));
    expect(await search(ctx.store, 'q', 'is:rejected')).toEqual(pick(1));
    expect(await search(ctx.store, 'q', 'delivery:abc-1')).toEqual(pick(0, 7));
    expect(await search(ctx.store, 'q', 'delivery:x-github-delivery:abc-1')).toEqual(pick(0, 7));
    expect(await search(ctx.store, 'q', 'delivery:abc-*')).toEqual(pick(0, 7));
    expect(await search(ctx.store, 'q', 'delivery:abc')).toEqual([]);
  });

  test('query: is:duplicate, time ranges, headers', async () => {
    await ctx.store.createEndpoint(endpoint('q'));
    const first = (await ctx.store.append(delivery('q', { deliveryId: 'd1', receivedAt: T0 }))).id;
    const second = (await ctx.store.append(delivery('q', { deliveryId: 'd1', duplicateOf: first, receivedAt: T0 + HOUR, headers: [['X-Shopify-Topic', 'orders/create'], ['X-Repeat', 'a']] }))).id;
    const third = (await ctx.store.append(delivery('q', { receivedAt: T0 + 26 * HOUR, headers: [['x-shopify-topic', 'ORDERS/paid']] }))).id;
    expect(await search(ctx.store, 'q', 'is:duplicate')).toEqual([second]);
    expect(await search(ctx.store, 'q', '-is:duplicate')).toEqual([third, first]);
    expect(await search(ctx.store, 'q', 'after:2026-11-24T12:30')).toEqual([third, second]);
    expect(await search(ctx.store, 'q', 'before:2026-11-24T13:00:00Z')).toEqual([first]);
    expect(await search(ctx.store, 'q', 'after:2026-11-24T12:00:00Z before:2026-11-25')).toEqual([second, first]);
    expect(await search(ctx.store, 'q', 'after:2026-11-25')).toEqual([third]);
    expect(await search(ctx.store, 'q', 'after:-80h')).toEqual([third]); // "now" is T0 + 100 h
    expect(await search(ctx.store, 'q', 'header:x-shopify-topic')).toEqual([third, second]);
    expect(await search(ctx.store, 'q', 'header:X-Shopify-Topic=orders/create')).toEqual([second]);
    expect(await search(ctx.store, 'q', 'header:x-shopify-topic=orders/*')).toEqual([third, second]);
    expect(await search(ctx.store, 'q', '-header:x-repeat')).toEqual([third]); // the fixture's default headers repeat X-Repeat
  });

  test('query: bare words and phrases search body text (JSON keys and values, forms, text, gzip), path and query', async () => {
    const ids = await fillVaried(ctx.store);
    const pick = (...at: number[]) => at.map((i) => ids[i]).reverse();
    expect(await search(ctx.store, 'q', 'conversation')).toEqual(pick(0, 7));
    expect(await search(ctx.store, 'q', '"conversation 1234"')).toEqual(pick(0, 7));
    expect(await search(ctx.store, 'q', '"1234 conversation"')).toEqual([]);
    expect(await search(ctx.store, 'q', 'note')).toEqual(pick(0, 7)); // a JSON key
    expect(await search(ctx.store, 'q', '18')).toEqual(pick(1)); // a JSON number value and the path
    expect(await search(ctx.store, 'q', 'needle')).toEqual(pick(2));
    expect(await search(ctx.store, 'q', 'billing')).toEqual(pick(2)); // the query string
    expect(await search(ctx.store, 'q', 'été')).toEqual(pick(2)); // the query string, percent-decoded
    expect(await search(ctx.store, 'q', '"hello there"')).toEqual(pick(3)); // a form field, decoded
    expect(await search(ctx.store, 'q', 'messagestatus')).toEqual(pick(3)); // a form field name
    expect(await search(ctx.store, 'q', 'zebra')).toEqual(pick(5)); // inside a gzip body
    expect(await search(ctx.store, 'q', 'items')).toEqual(pick(4)); // the path only
    expect(await search(ctx.store, 'q', 'nothing-has-this')).toEqual([]);
  });

  test('query: terms combine with AND; -term negates field terms, words and phrases', async () => {
    const ids = await fillVaried(ctx.store);
    const pick = (...at: number[]) => at.map((i) => ids[i]).reverse();
    expect(await search(ctx.store, 'q', 'method:POST conversation')).toEqual(pick(0, 7));
    expect(await search(ctx.store, 'q', 'method:POST -conversation')).toEqual(pick(2, 3, 5, 6));
    expect(await search(ctx.store, 'q', 'path:/orders/* -method:PUT -"conversation 1234"')).toEqual(pick(4));
    expect(await search(ctx.store, 'q', '-event:message.* -event:push status:2xx')).toEqual(pick(3, 4, 5, 6));
    expect(await search(ctx.store, 'q', '')).toEqual(pick(0, 1, 2, 3, 4, 5, 6, 7));
  });

  test('query: pages newest first through the matches with before; total is the endpoint count', async () => {
    await ctx.store.createEndpoint(endpoint('p'));
    const ids = await appendMany(ctx.store, 'p', 30, (i) => ({ method: i % 3 === 0 ? 'PUT' : 'POST' }));
    const puts = ids.filter((_, i) => i % 3 === 0).reverse();
    const query = parseQuery('method:PUT');
    const first = await ctx.store.list('p', { limit: 4, query });
    expect(first.items.map((c) => c.id)).toEqual(puts.slice(0, 4));
    expect(first.total).toBe(30);
    expect(first.nextBefore).toBe(puts[3]);
    expect(await search(ctx.store, 'p', 'method:PUT', 3)).toEqual(puts);
    const none = await ctx.store.list('p', { limit: 5, query: parseQuery('method:PATCH') });
    expect(none.items).toEqual([]);
    expect(none.nextBefore).toBeNull();
  });

  test('query: a body word in one capture among thousands is found, and paging past it ends', async () => {
    await ctx.store.createEndpoint(endpoint('big', 5000));
    const needleAt = 137;
    const ids: string[] = [];
    for (let start = 0; start < 3000; start += 100) {
      // 100 at a time: each store gives ids in call order, and group commit keeps this quick.
      const batch = Array.from({ length: 100 }, (_, k) => start + k).map((i) =>
        ctx.store.append(delivery('big', { body: json({ conversation: i, text: i === needleAt ? 'the quokka said hi' : `routine update number ${i}` }) })));
      ids.push(...(await Promise.all(batch)).map((stored) => stored.id));
    }
    expect([...ids].sort()).toEqual(ids);
    expect(await search(ctx.store, 'big', 'quokka', 50)).toEqual([ids[needleAt]]);
    expect(await search(ctx.store, 'big', '"quokka said"', 50)).toEqual([ids[needleAt]]);
    expect((await search(ctx.store, 'big', '-quokka', 1000)).length).toBe(2999);
  });

  test('query: payload-chosen text (NUL, lone surrogates) in any field breaks no query', async () => {
    await ctx.store.createEndpoint(endpoint('odd'));
    const odd = (await ctx.store.append(delivery('odd', {
      eventType: 'evt\u0000\uD800x', deliveryId: 'src:id\u0000z', peer: '::ffff:10.1.2.3',
      verdicts: { signature: { status: 'invalid', scheme: 'hmac:github', reason: 'nul \u0000 and \uDC00 here' }, schema: schema('invalid') },
      body: json({ text: 'caf\u0000e wombat \uD83D' }),
    }))).id;
    const plain = (await ctx.store.append(delivery('odd', { body: json({ text: 'plain' }) }))).id;
    expect(await search(ctx.store, 'odd', 'peer:10.1.*')).toEqual([odd]);
    expect(await search(ctx.store, 'odd', 'peer:::ffff:10.1.2.3')).toEqual([odd]);
    expect(await search(ctx.store, 'odd', 'event:evt*')).toEqual([odd]);
    expect(await search(ctx.store, 'odd', 'delivery:id*')).toEqual([odd]);
    expect(await search(ctx.store, 'odd', 'wombat sig:invalid')).toEqual([odd]);
    expect(await search(ctx.store, 'odd', '-event:evt* -wombat')).toEqual([plain]);
  });

  test('query: LIKE wildcards, backslashes and quotes in values are literal', async () => {
    await ctx.store.createEndpoint(endpoint('lit'));
    const pct = (await ctx.store.append(delivery('lit', { path: '/a_c', body: json({ note: 'save 50% now' }), eventType: 'x_y', deliveryId: "d%1'" }))).id;
    const abc = (await ctx.store.append(delivery('lit', { path: '/abc', body: json({ note: 'save 50 cents, back\\slash' }), eventType: 'xzy', deliveryId: 'd21' }))).id;
    expect(await search(ctx.store, 'lit', 'path:/a_c')).toEqual([pct]);
    expect(await search(ctx.store, 'lit', 'path:/a*c')).toEqual([abc, pct]);
    expect(await search(ctx.store, 'lit', '"50%"')).toEqual([pct]);
    expect(await search(ctx.store, 'lit', '"back\\\\slash"')).toEqual([abc]);
    expect(await search(ctx.store, 'lit', 'event:x_y')).toEqual([pct]);
    expect(await search(ctx.store, 'lit', "delivery:d%1'")).toEqual([pct]);
    expect(await search(ctx.store, 'lit', 'delivery:d_1')).toEqual([]);
    // Values longer than what an index keeps of them are still compared whole.
    const long = `/${'x'.repeat(240)}/end`;
    const longId = (await ctx.store.append(delivery('lit', { path: long, eventType: `e.${'y'.repeat(240)}` }))).id;
    expect(await search(ctx.store, 'lit', `path:${long}`)).toEqual([longId]);
    expect(await search(ctx.store, 'lit', `path:${long.slice(0, 200)}`)).toEqual([]);
    expect(await search(ctx.store, 'lit', `path:${long.slice(0, 210)}*`)).toEqual([longId]);
    expect(await search(ctx.store, 'lit', `path:${long.slice(0, 150)}*/end`)).toEqual([longId]);
    expect(await search(ctx.store, 'lit', `path:${long.slice(0, 150)}*/nope`)).toEqual([]);
    expect(await search(ctx.store, 'lit', `event:E.${'Y'.repeat(240)}`)).toEqual([longId]);
  });

  test('query: an unknown endpoint is a NotFoundError', async () => {
    await expect(ctx.store.list('nope', { limit: 5, query: parseQuery('method:POST') })).rejects.toThrow(/nope/);
  });
}
