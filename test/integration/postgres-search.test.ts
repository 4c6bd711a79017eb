// Search on PostgreSQL beyond the Store contract: the indexes answer it (EXPLAIN), rows stored
// before the search columns existed answer correctly until and after the backfill, a database
// without pg_trgm still searches (with a warning), and `?q=` pages over HTTP.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureListSchema } from '../../shared/capture';
import { parseQuery } from '../../shared/query';
import { choosePlan, searchCaptures, searchStatement } from '../../server/store/postgres/capture-search';
import { PostgresStore } from '../../server/store/postgres/postgres-store';
import { SearchBackfill } from '../../server/store/postgres/search-backfill';
import { SEARCH_INDEXES, TEXT_INDEX } from '../../server/store/postgres/search-indexes';
import type { NewCapture } from '../../server/store/store';
import { LowdbStore } from '../../server/store/lowdb-store';
import { migrateLowdbToPostgres } from '../../server/store/postgres/migrate-command';
import { delivery, endpoint } from '../contract/store-fixtures';
import { tempDir } from '../support/temp-dir';
import { postgresMissingReason, startTestPostgres, type TestPostgres } from '../support/postgres';
import { startTestServer } from '../support/test-server';
import { capturingLogger } from '../support/capturing-logger';
import { silentLogger } from '../../server/logging/logger';

const missing = postgresMissingReason();
let server: TestPostgres;

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike', 'november'];
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** A delivery with a few varied words, a rare method and delivery id every so often. */
function varied(endpointId: string, i: number): NewCapture {
  const words = [0, 1, 2].map((k) => `${WORDS[(i * 7 + k * 3) % WORDS.length]}${(i * 31 + k) % 997}`);
  return delivery(endpointId, {
    method: i % 500 === 0 ? 'PUT' : 'POST',
    deliveryId: `x-github-delivery:d-${i}`,
    body: json({ type: i % 2 === 0 ? 'order.paid' : 'order.created', conversation: { id: i, text: words.join(' ') }, note: i === 1234 ? 'the quokka said hi' : 'routine' }),
  });
}

async function fill(store: PostgresStore, endpointId: string, n: number, make: (i: number) => NewCapture): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < n; start += 250) {
    const batch = Array.from({ length: Math.min(250, n - start) }, (_, k) => store.append(make(start + k)));
    ids.push(...(await Promise.all(batch)).map((c) => c.id));
  }
  return ids;
}

/**
 * Index names the plan of the page statement uses. A table of a few thousand small rows fits in
 * a few pages, where a sequential scan is honestly cheapest; with it off the planner still has
 * the walk along the id index to choose, so a plan naming the index shows it both applies to
 * the statement and beats walking. (bench/scale-postgres.bench.ts EXPLAINs at 1,000,000.)
 */
async function indexesUsed(store: PostgresStore, endpointId: string, q: string): Promise<string[]> {
  return [...(await planOf(store, endpointId, q)).matchAll(/"Index Name":"([^"]+)"/g)].map((m) => m[1] as string);
}

/** The plan of the page statement, as EXPLAIN's JSON text (see indexesUsed); `without`: indexes dropped for it (and restored). */
async function planOf(store: PostgresStore, endpointId: string, q: string, without: string[] = []): Promise<string> {
  const statement = searchStatement(endpointId, parseQuery(q), 50, undefined);
  const client = await store.db.pool.connect();
  try {
    await client.query('BEGIN');
    for (const name of without) await client.query(`DROP INDEX ${name}`); // undone by the ROLLBACK
    await client.query('SET LOCAL enable_seqscan = off');
    await choosePlan(client, endpointId, parseQuery(q)); // as the store plans it
    const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values);
    return JSON.stringify(rows[0]?.['QUERY PLAN']);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

async function search(store: PostgresStore, endpointId: string, q: string): Promise<string[]> {
  const ids: string[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await store.list(endpointId, { limit: 7, query: parseQuery(q), ...(before !== undefined && { before }) });
    ids.push(...page.items.map((c) => c.id));
    if (page.nextBefore === null) return ids;
    before = page.nextBefore;
  }
}

describe.skipIf(missing)(`PostgreSQL search${missing ? ` — skipped: ${missing}` : ''}`, () => {
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => server?.dispose());

  it('answers body words with the trigram index and field terms with their b-trees (EXPLAIN)', async () => {
    const store = await PostgresStore.open({ connectionString: await server.createDatabase(), max: 4 });
    try {
      expect(await store.searchIndexes.trigram).toBe(true);
      await store.createEndpoint(endpoint('big', 10_000));
      const ids = await fill(store, 'big', 4000, (i) => varied('big', i));
      await store.db.pool.query('VACUUM ANALYZE captures'); // as autovacuum would: merges GIN pending lists, gathers statistics
      expect(await indexesUsed(store, 'big', 'quokka')).toContain('captures_q_words_idx');
      expect(await indexesUsed(store, 'big', '"quokka said"')).toContain('captures_q_words_idx');
      // A word with an event type is decided inside one index, both conditions at once.
      // (On a table this small the planner takes the event type's b-tree and reads the few rows; without it, the one index decides both.)
      expect(await planOf(store, 'big', 'quokka event:order.paid', ['captures_q_event_idx'])).toMatch(/"Index Name":"captures_q_words_idx",[^}]*"Index Cond":"\(\(event_type = 'order\.paid'::text\) AND \(search_text ~~ '%quokka%'::text\)\)"/);
      expect(await indexesUsed(store, 'big', 'method:PUT')).toContain('captures_q_method_idx');
      expect(await indexesUsed(store, 'big', 'delivery:d-77')).toContain('captures_q_tags_idx');
      const found = await store.list('big', { limit: 50, query: parseQuery('quokka') });
      expect(found.items.map((c) => c.id)).toEqual([ids[1234]]);
      expect(found.matched).toBe(1);
      const puts = await store.list('big', { limit: 3, query: parseQuery('method:PUT') });
      expect(puts.items.map((c) => c.id)).toEqual([ids[3500], ids[3000], ids[2500]]);
      expect(puts.matched).toBe(8); // counted within the budget: an index range of 8 entries
    } finally {
      await store.close();
    }
  });

  it('looks for a word expected to be common along ids within a budget, then by its index: the same pages either way', async () => {
    const url = await server.createDatabase();
    const store = await PostgresStore.open({ connectionString: url, max: 3, backfill: false });
    try {
      await store.createEndpoint(endpoint('walk', 10_000));
      const padding = 'lorem ipsum dolor '.repeat(30);
      const stored = await store.importCaptures('walk', Array.from({ length: 6000 }, (_, i) => delivery('walk', { body: json({ i, text: i < 400 ? `a wombat ${padding}` : padding }) })), 'walk-fill');
      const wombats = stored.slice(0, 400).map((c) => c.id).reverse(); // the oldest 400, newest first
      let abandoned = 0;
      const tuning = (walkBudgetMs: number) => ({ bitmapFirstMax: -1, keyBitmapFirstMax: 20_000, walkBudgetMs, onWalkAbandoned: () => void (abandoned += 1) });
      const page = (walkBudgetMs: number, before?: string) => searchCaptures(store.db, store, 'walk', parseQuery('wombat'), 50, before, tuning(walkBudgetMs));
      const walked = await page(60_000);
      expect(abandoned).toBe(0);
      expect(walked.items.map((c) => c.id)).toEqual(wombats.slice(0, 50));
      const fellBack = await page(1); // 5,600 newer rows without the word: no walk gets through them in 1 ms
      expect(abandoned).toBe(1);
      expect({ items: fellBack.items, nextBefore: fellBack.nextBefore }).toEqual({ items: walked.items, nextBefore: walked.nextBefore });
      const older = await page(1, walked.nextBefore as string);
      expect(older.items.map((c) => c.id)).toEqual(wombats.slice(50, 100));
    } finally {
      await store.close();
    }
  });

  it('answers correctly for rows stored before the search columns, before and after the backfill, which logs progress and seals them', async () => {
    const url = await server.createDatabase();
    const store = await PostgresStore.open({ connectionString: url, max: 4, backfill: false });
    const log = capturingLogger('info');
    const lines = () => log.records().map((r) => String(r.msg));
    try {
      await store.createEndpoint(endpoint('old', 5000));
      const make = (i: number) => delivery('old', { method: i % 3 === 0 ? 'PUT' : 'POST', body: json({ n: i, word: i % 50 === 7 ? 'wallaby' : 'emu' }) });
      const newer = await fill(store, 'old', 150, make);
      // What an instance of the previous version writes: hookscope_append_batch, no search columns, no checksums.
      await store.db.pool.query(
        `SELECT hookscope_append_batch('old', 1, ARRAY['aaaaaaa','bbbbbbb'], ARRAY[1,2]::bigint[], ARRAY[NULL,NULL]::text[], $1::json[], $2::jsonb[], $3::bytea[])`,
        [[0, 1].map(() => JSON.stringify({ ...summaryMeta(make(7)) })), [0, 1].map(() => JSON.stringify(make(7).headers)), [0, 1].map(() => make(7).body)],
      );
      // ...and rows older than that, stored by the previous version too: clear their columns.
      await store.db.pool.query(
        `UPDATE captures SET search_version = NULL, method = NULL, status = NULL, sig = NULL, schema_status = NULL, event_type = NULL, path = NULL,
           peer = NULL, is_duplicate = NULL, is_rejected = NULL, tags = NULL, header_lines = NULL, search_text = NULL, meta_sum = NULL, body_sum = NULL
         WHERE id = ANY ($1)`,
        [newer.filter((_, i) => i < 100)],
      );
      const expected = { wallaby: await search(store, 'old', 'wallaby'), puts: await search(store, 'old', 'method:PUT -wallaby') };
      expect(expected.wallaby.length).toBe(5); // 3 new + 2 from the old function
      expect(expected.puts.length).toBe(49);
      const { rows: before } = await store.db.pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM captures WHERE search_version IS NULL');
      expect(before[0]?.n).toBe(102);

      const filled = await new SearchBackfill(store.db, { batch: 40, progressEveryMs: 0, logger: log.logger }).pass();
      expect(filled).toBe(102);
      expect(lines()[0]).toMatch(/filling search columns and checksums of 102 captures/);
      expect(lines().some((line) => /search backfill 80\/102 captures/.test(line))).toBe(true);
      expect(lines().at(-1)).toMatch(/search backfill done: 102 captures/);
      const { rows: after } = await store.db.pool.query<{ unsealed: number }>('SELECT count(*) FILTER (WHERE search_version IS NULL OR meta_sum IS NULL OR body_sum IS NULL)::integer AS unsealed FROM captures');
      expect(after[0]?.unsealed).toBe(0);
      expect(await search(store, 'old', 'wallaby')).toEqual(expected.wallaby);
      expect(await search(store, 'old', 'method:PUT -wallaby')).toEqual(expected.puts);
      for (const id of expected.wallaby) expect((await store.get(id))?.body.toString()).toMatch(/wallaby/); // sealed, and they verify
    } finally {
      await store.close();
    }
  });

  it('works without pg_trgm where it cannot be created, warning with the fix; a later start builds missing indexes concurrently', async () => {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    const role = `limited_${Date.now().toString(36)}`;
    const name = `nopriv_${Date.now().toString(36)}`;
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN`);
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const inDb = new pg.Client({ connectionString: server.url.replace(/\/postgres$/, `/${name}`) });
    await inDb.connect();
    try {
      await inDb.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${role}`); // may create tables, not extensions
      const url = `postgres://${role}@127.0.0.1:${server.port}/${name}`;
      const first = capturingLogger('info');
      const store = await PostgresStore.open({ connectionString: url, max: 3, logger: first.logger });
      try {
        expect(await store.searchIndexes.trigram).toBe(false);
        const warning = first.records().find((r) => /pg_trgm/.test(String(r.msg)));
        expect(warning?.level).toBe('warn');
        expect(String(warning?.msg)).toMatch(/WARNING: the pg_trgm extension cannot be created \(permission denied[^)]*\); searching bodies for words works but scans every capture .* CREATE EXTENSION pg_trgm/);
        await store.createEndpoint(endpoint('plain'));
        const ids = await fill(store, 'plain', 300, (i) => varied('plain', i + 1000));
        expect(await search(store, 'plain', 'quokka')).toEqual([ids[234]]);
        expect(await search(store, 'plain', 'quokka -method:PUT')).toEqual([ids[234]]);
      } finally {
        await store.close();
      }
      const validNames = async (store: PostgresStore) => (await store.db.pool.query<{ name: string }>(
        "SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'captures'::regclass AND i.indisvalid AND c.relname LIKE 'captures_q_%' ORDER BY 1")).rows.map((r) => r.name);
      /** Opens the store again once its index builds are done: the store, and what it logged. */
      const reopened = async () => {
        const captured = capturingLogger('info');
        const opened = await PostgresStore.open({ connectionString: url, max: 3, logger: captured.logger });
        await opened.searchIndexes.built;
        return { opened, log: captured.records().map((r) => String(r.msg)).join('\n') };
      };
      await inDb.query('CREATE EXTENSION pg_trgm'); // what the warning asks a superuser to do
      await inDb.query('DROP INDEX captures_q_method_idx'); // as if left unbuilt by an upgrade
      const { opened: again, log } = await reopened();
      try {
        expect(await again.searchIndexes.trigram).toBe(true);
        // btree_gin cannot be created either: words get an index of their own, with the fix named.
        expect(log).toMatch(/WARNING: the btree_gin extension cannot be created \(permission denied[^)]*\); words are searched with an index of their own, .* CREATE EXTENSION btree_gin/);
        for (const name of ['captures_q_method_idx', 'captures_q_text_idx']) {
          expect(log).toMatch(new RegExp(`building search index ${name} \\(appends go on meanwhile[\\s\\S]*search index ${name} built in`));
        }
        expect(await validNames(again)).toEqual([...SEARCH_INDEXES.filter((index) => !index.btreeGin).map((index) => index.name), TEXT_INDEX.name].sort());
        expect(await search(again, 'plain', 'quokka')).toHaveLength(1);
      } finally {
        await again.close();
      }
      await inDb.query('CREATE EXTENSION btree_gin'); // the second fix: the next start builds the index of words and event types
      const third = await reopened();
      const upgraded = third.opened;
      try {
        expect(await upgraded.searchIndexes.trigram).toBe(true);
        expect(third.log).toMatch(/building search index captures_q_words_idx \(appends go on meanwhile[\s\S]*search index captures_q_words_idx built in[\s\S]*search index captures_q_text_idx dropped/);
        expect(await validNames(upgraded)).toEqual(SEARCH_INDEXES.map((index) => index.name).sort());
        expect(await search(upgraded, 'plain', 'quokka')).toHaveLength(1);
      } finally {
        await upgraded.close();
      }
    } finally {
      await inDb.end();
    }
  });

  it('pages ?q= matches over HTTP, newest first, with matched on the first page and 400 naming the position', async () => {
    const app = await startTestServer({ store: 'postgres', databaseUrl: await server.createDatabase() });
    try {
      const sent: string[] = [];
      for (let i = 0; i < 40; i += 1) {
        const res = await fetch(`${app.url}/h/default/orders/${i}`, { method: i % 4 === 0 ? 'PUT' : 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: i, note: i === 3 ? 'numbat here' : 'nothing' }) });
        sent.push(((await res.json()) as { id: string }).id);
      }
      const list = async (q: string, extra = '') => captureListSchema.parse(
        await (await app.api(`/api/endpoints/default/requests?q=${encodeURIComponent(q)}${extra}`)).json());
      const puts = sent.filter((_, i) => i % 4 === 0).reverse();
      const first = await list('method:PUT', '&limit=4');
      expect(first.items.map((c) => c.id)).toEqual(puts.slice(0, 4));
      expect(first.matched).toBe(10);
      expect(first.total).toBe(40);
      const seen = [...first.items.map((c) => c.id)];
      let before = first.nextBefore;
      while (before) {
        const page = await list('method:PUT', `&limit=4&before=${before}`);
        expect(page.matched).toBeUndefined(); // counted on the first page only
        seen.push(...page.items.map((c) => c.id));
        before = page.nextBefore;
      }
      expect(seen).toEqual(puts);
      const word = await list('numbat path:/orders/*');
      expect(word.items.map((c) => c.id)).toEqual([sent[3]]);
      expect(word.matched).toBe(1);
      const bad = await app.api(`/api/endpoints/default/requests?q=${encodeURIComponent('numbat sig:maybe')}`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { details: { position: number }[] }).details[0]?.position).toBe(11);
    } finally {
      await app.dispose();
    }
  });

  it('hookscope migrate fills the search columns and checksums of what it copies', async () => {
    const dir = await tempDir();
    const source = await LowdbStore.open({ dir: dir.path, warn: () => undefined });
    await source.createEndpoint(endpoint('default'));
    const ids: string[] = [];
    for (let i = 0; i < 30; i += 1) ids.push((await source.append(varied('default', i + 1220))).id);
    await source.close();
    const url = await server.createDatabase();
    await migrateLowdbToPostgres({ from: dir.path, to: url, logger: silentLogger() });
    const target = await PostgresStore.open({ connectionString: url, max: 3, backfill: false });
    try {
      const { rows } = await target.db.pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM captures WHERE search_version IS NULL OR meta_sum IS NULL OR body_sum IS NULL');
      expect(rows[0]?.n).toBe(0);
      expect(await search(target, 'default', 'quokka')).toEqual([ids[14]]);
      expect(await search(target, 'default', 'delivery:d-1225')).toEqual([ids[5]]);
    } finally {
      await target.close();
      await dir.remove();
    }
  });
});

function summaryMeta(capture: NewCapture): Record<string, unknown> {
  const { endpointId: _e, headers: _h, body: _b, ...meta } = capture;
  return meta;
}
