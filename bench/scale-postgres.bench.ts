// Search at scale on PostgreSQL (issue 10): fills one endpoint with 1,000,000 captures of about
// 1 KiB of JSON (varied words) in a throwaway cluster, in SQL, then prints p50/p99 of the first
// page and of each query kind through PostgresStore.list, the plans of word searches, and what
// the setup cost. `npm run bench -- scale-postgres` (heavy: runs only when named).
// BENCH_SCALE_CAPTURES (default 1,000,000) and BENCH_SCALE_RUNS (default 30) change the sizes;
// BENCH_SCALE_KEEP=1 keeps the filled cluster running and prints its URL, which
// BENCH_SCALE_URL=… then measures again without filling (the fill and its indexes take long).
import { createHash } from 'node:crypto';
import pg from 'pg';
import { buildEndpoint } from '../server/api/endpoint-config';
import { choosePlan, searchStatement } from '../server/store/postgres/capture-search';
import { PostgresStore } from '../server/store/postgres/postgres-store';
import { SearchBackfill } from '../server/store/postgres/search-backfill';
import { searchColumns } from '../server/store/postgres/search-columns';
import { parseQuery } from '../shared/query';
import { postgresMissingReason, startTestPostgres, type TestPostgres } from '../test/support/postgres';
import { EVENTS, fillRange, NEEDLE, STEP_MS, T0, vocabulary } from './support/scale-fill';

export const heavy = true;

const N = Number(process.env.BENCH_SCALE_CAPTURES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_SCALE_RUNS ?? 30);
const CHUNK = 20_000; // captures per INSERT
const ENDPOINT = 'scale';
const PAGE = 50; // the inspector's page of matches
const NEEDLE_AT = Math.floor(N / 1000) + 7; // an old capture: the 0.1% oldest

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const pick = (n: number) => 1 + Math.floor(Math.random() * n);
const share = (rows: number) => `${+Math.min(100, (rows / N) * 100).toPrecision(2)}%`;

export default async function scalePostgres(): Promise<void> {
  const missing = postgresMissingReason();
  if (missing) {
    console.log(`skipped: ${missing}`);
    return;
  }
  const reuse = process.env.BENCH_SCALE_URL;
  const server = reuse ? null : await startTestPostgres();
  let store: PostgresStore | undefined;
  try {
    const url = reuse ?? (await setUp(server as TestPostgres));
    store = await PostgresStore.open({ connectionString: url, max: 4, backfill: false });
    await sizes(store.db.pool);
    await sanity(store);
    await measure(store);
    await plans(store);
    if (!reuse) await upgradeCosts(store); // it changes rows: not on a database kept for more runs
  } finally {
    await store?.close();
    if (server && process.env.BENCH_SCALE_KEEP === '1') console.log(`\nkept: BENCH_SCALE_URL=${server.url.replace(/\/postgres$/, '/scale')} (stop it with pg_ctl; see its data_directory)`);
    else await server?.dispose();
  }
}

/** A filled database in a fresh cluster; resolves to its URL. */
async function setUp(server: TestPostgres): Promise<string> {
  const started = performance.now();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query("ALTER SYSTEM SET max_wal_size = '16GB'");
  await admin.query("ALTER SYSTEM SET checkpoint_timeout = '30min'");
  await admin.query('SELECT pg_reload_conf()');
  await admin.end();
  const url = await server.createDatabase('scale');
  const store = await PostgresStore.open({ connectionString: url, max: 2, backfill: false });
  console.log(`trigram index available: ${await store.searchIndexes.trigram}`);
  await store.createEndpoint(buildEndpoint(ENDPOINT, { retention: { maxCaptures: 1_000_000 } }, T0));
  await store.close();
  // Filling and building take minutes a statement: a pool without the store's timeouts.
  const bulk = new pg.Pool({ connectionString: url, max: 2 });
  const setup = await fill(bulk).finally(() => bulk.end());
  console.log(`setup: cluster + schema ${seconds(setup.schemaAt - started)}, fill ${N.toLocaleString('en-US')} captures ${seconds(setup.fill)}, indexes ${seconds(setup.indexes)} (trigram ${seconds(setup.trigram)}), vacuum analyze ${seconds(setup.vacuum)}; total ${seconds(performance.now() - started)}`);
  return url;
}

/** Drops the indexes a bulk load would maintain row by row, fills, builds them back in bulk. */
async function fill(pool: pg.Pool): Promise<{ schemaAt: number; fill: number; indexes: number; trigram: number; vacuum: number }> {
  const schemaAt = performance.now();
  const { rows: defs } = await pool.query<{ name: string; def: string }>(
    "SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'captures' AND indexname NOT IN ('captures_pkey', 'captures_endpoint_cursor_idx')");
  for (const { name } of defs) await pool.query(`DROP INDEX ${name}`);
  const t0 = performance.now();
  let next = 1;
  let done = 0;
  const worker = async () => {
    while (next <= N) {
      const from = next;
      next += CHUNK;
      await fillRange(pool, ENDPOINT, from, Math.min(N, from + CHUNK - 1), NEEDLE_AT);
      done += Math.min(N, from + CHUNK - 1) - from + 1;
      if (done % 200_000 < CHUNK) console.log(`  filled ${done.toLocaleString('en-US')} / ${N.toLocaleString('en-US')} (${seconds(performance.now() - t0)})`);
    }
  };
  await Promise.all([worker(), worker()]); // 2 cores
  const fillMs = performance.now() - t0;
  await pool.query('UPDATE endpoints SET capture_count = $2, last_ms = $3, last_counter = 0 WHERE id = $1', [ENDPOINT, N, T0 + N * STEP_MS]);
  const t1 = performance.now();
  let trigram = 0;
  await Promise.all([0, 1].map(async (w) => {
    const client = await pool.connect();
    try {
      await client.query("SET maintenance_work_mem = '1GB'");
      for (const [i, { name, def }] of defs.entries()) {
        if (i % 2 !== w) continue;
        const at = performance.now();
        await client.query(def);
        if (name === 'captures_q_words_idx') trigram = performance.now() - at;
      }
    } finally {
      client.release();
    }
  }));
  const indexes = performance.now() - t1;
  const t2 = performance.now();
  await pool.query('VACUUM ANALYZE captures');
  return { schemaAt, fill: fillMs, indexes, trigram, vacuum: performance.now() - t2 };
}

async function sizes(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ heap: string; indexes: string; trgm: string; avg: number }>(
    `SELECT pg_size_pretty(pg_table_size('captures')) AS heap, pg_size_pretty(pg_indexes_size('captures')) AS indexes,
            pg_size_pretty(coalesce(pg_relation_size(to_regclass('captures_q_words_idx')), 0)) AS trgm,
            (SELECT avg(octet_length(body))::integer FROM (SELECT body FROM captures LIMIT 10000) s) AS avg`);
  const r = rows[0];
  console.log(`sizes: table ${r?.heap}, indexes ${r?.indexes} (trigram ${r?.trgm}); average body ${r?.avg} bytes`);
}

/** The filled rows are what Hookscope itself would have written: checksums verify, derived columns agree. */
async function sanity(store: PostgresStore): Promise<void> {
  for (const n of [1, NEEDLE_AT, pick(N), pick(N), N]) {
    const { rows } = await store.db.pool.query<{ id: string }>('SELECT id FROM captures WHERE delivery_id = $1', [`webhook-id:msg_${md5(String(n)).slice(0, 16)}`]);
    const capture = await store.get(rows[0]?.id as string); // verifies both checksums
    if (!capture) throw new Error(`capture ${n} missing`);
    const expected = searchColumns(capture);
    const { rows: stored } = await store.db.pool.query(
      `SELECT method, status, sig, schema_status AS schema, event_type AS event, event_type_whole AS "eventWhole", path, path_whole AS "pathWhole", peer, is_duplicate AS duplicate, is_rejected AS rejected, tags, header_lines AS headers, search_text AS text
         FROM captures WHERE id = $1`, [capture.id]);
    const row = stored[0] as Record<string, unknown>;
    for (const [key, want] of Object.entries(expected)) {
      if (key === 'version') continue;
      const same = Array.isArray(want) ? JSON.stringify([...want].sort()) === JSON.stringify([...(row[key] as string[])].sort()) : want === row[key];
      if (!same) throw new Error(`capture ${n}: the filled ${key} differs from what Hookscope derives: ${JSON.stringify(row[key])} vs ${JSON.stringify(want)}`);
    }
  }
  console.log('sanity: sampled rows verify their checksums and match the search columns Hookscope derives');
}

/** Query kinds: a label and a query per run (varied, so caches do not answer for us). */
async function kinds(store: PostgresStore): Promise<[string, (run: number) => string | null][]> {
  const words = vocabulary();
  const phrases: string[] = [];
  for (let i = 0; i < RUNS + 2; i += 1) {
    const { rows } = await store.db.pool.query<{ body: Buffer }>('SELECT body FROM captures WHERE delivery_id = $1', [`webhook-id:msg_${md5(String(pick(N))).slice(0, 16)}`]);
    const text = (JSON.parse(rows[0]?.body.toString() ?? '{}') as { data: { message: { text: string } } }).data.message.text.split(' ');
    phrases.push(`"${text[4]} ${text[5]}"`);
  }
  const end = T0 + N * STEP_MS;
  return [
    ['first page (no query)', () => null],
    ['delivery:<id> (1 match)', () => `delivery:msg_${md5(String(pick(N))).slice(0, 16)}`],
    ['event:<type> (2.5%)', (run) => `event:${EVENTS[run % EVENTS.length]}`],
    ['event:message.* (20%)', () => 'event:message.*'],
    ['method:DELETE (1%)', () => 'method:DELETE'],
    ['status:5xx (3%)', () => 'status:5xx'],
    [`after: before: (a 1 h window, ${share(1800)})`, () => { const at = T0 + pick(N) * STEP_MS; return `after:${iso(at)} before:${iso(at + 3_600_000)}`; }],
    [`after:-1d (the newest ${share(43_200)})`, () => `after:${iso(end - 86_400_000)}`],
    [`before:<first day> (the oldest ${share(43_200)})`, () => `before:${iso(T0 + 86_400_000)}`],
    ['header:x-request-id=<id> (1 match)', () => `header:x-request-id=req-${pick(N)}`],
    ['header:x-event-type=<type> (2.5%)', (run) => `header:x-event-type=${EVENTS[(run * 7) % EVENTS.length]}`],
    [`body word in 1 capture (${NEEDLE})`, () => NEEDLE],
    ['body word (~1% of captures)', () => words[pick(words.length) - 1] as string],
    ['phrase of two body words', (run) => phrases[run] as string],
    ['body word + event:', (run) => `${words[pick(words.length) - 1]} event:${EVENTS[run % EVENTS.length]}`],
    ['negation -sig:valid -schema:valid', () => '-sig:valid -schema:valid'],
    ['negation method:PUT -<word>', () => `method:PUT -${words[pick(words.length) - 1]}`],
  ];
}

async function measure(store: PostgresStore): Promise<void> {
  console.log(`\nPostgresStore.list, ${PAGE} per page, ${RUNS} runs per kind after 2 warm-up runs (ms):`);
  console.log(`${'query'.padEnd(44)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}  matches on page / matched`);
  for (const [label, make] of await kinds(store)) {
    const times: number[] = [];
    let found = 0;
    let counted = 0;
    for (let run = -2; run < RUNS; run += 1) {
      const q = make(Math.max(0, run));
      if (run === 0 && q !== null && process.env.BENCH_SCALE_PLANS) await showPlan(store, q);
      const at = performance.now();
      const page = await store.list(ENDPOINT, { limit: PAGE, ...(q !== null && { query: parseQuery(q) }) }).catch((error: Error) => error);
      const ms = performance.now() - at;
      if (page instanceof Error) {
        console.log(`${label.padEnd(44)} failed after ${ms.toFixed(0)} ms: ${page.message}`);
        break;
      }
      if (run < 0) continue;
      times.push(ms);
      found += page.items.length;
      if (page.matched !== undefined) counted += 1;
    }
    if (times.length === 0) continue;
    times.sort((a, b) => a - b);
    const p = (q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] as number).toFixed(1);
    console.log(`${label.padEnd(44)} ${p(0.5).padStart(8)} ${p(0.99).padStart(8)}  ${(found / times.length).toFixed(1)} / ${counted}/${times.length} counted`);
  }
}

/** EXPLAIN ANALYZE of the page statement of a query: its nodes, the indexes it used, and its time. */
async function showPlan(store: PostgresStore, q: string): Promise<void> {
  const query = parseQuery(q);
  const statement = searchStatement(ENDPOINT, query, PAGE, undefined);
  const client = await store.db.pool.connect();
  let rows: { 'QUERY PLAN': unknown }[];
  try {
    await client.query('BEGIN');
    await choosePlan(client, ENDPOINT, query); // as the store plans it
    rows = (await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`, statement.values)).rows;
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
  const plan = JSON.stringify(rows[0]?.['QUERY PLAN']);
  const nodes = [...plan.matchAll(/"Node Type":"([^"]+)"/g)].map((m) => m[1]).join(' > ');
  const used = [...new Set([...plan.matchAll(/"Index Name":"([^"]+)"/g)].map((m) => m[1]))];
  const time = /"Execution Time":([\d.]+)/.exec(plan)?.[1];
  console.log(`    plan of ${q}: ${nodes}; indexes ${used.join(', ') || 'none'}; ${time} ms`);
}

/** Plans of word searches: a rare word, a common one, a phrase. */
async function plans(store: PostgresStore): Promise<void> {
  console.log('');
  for (const q of [NEEDLE, vocabulary()[42] as string, `"${vocabulary()[7]} ${vocabulary()[8]}"`]) await showPlan(store, q);
}

/**
 * What an upgrade to this schema costs on a table this size: migration 4 builds one index over
 * every row while appends wait (measured here as the same build); the other search indexes are
 * then built concurrently, and the backfill fills the rows stored before (its rate measured on a
 * slice made to look old).
 */
async function upgradeCosts(store: PostgresStore): Promise<void> {
  const client = new pg.Client({ connectionString: store.connectionString });
  await client.connect();
  const at = performance.now();
  try {
    await client.query('CREATE INDEX bench_upgrade_idx ON captures (endpoint_id, id) WHERE search_version IS NOT NULL');
    const build = performance.now() - at;
    await client.query('DROP INDEX bench_upgrade_idx');
    await client.query('UPDATE captures SET search_version = NULL, meta_sum = NULL, body_sum = NULL WHERE id IN (SELECT id FROM captures ORDER BY id DESC LIMIT $1)', [Math.min(20_000, N)]);
    await backfillRate(store, build);
  } finally {
    await client.end();
  }
}

async function backfillRate(store: PostgresStore, build: number): Promise<void> {
  const t0 = performance.now();
  const filled = await new SearchBackfill(store.db).pass();
  const rate = filled / ((performance.now() - t0) / 1000);
  console.log(`\nupgrade of a table this size: migration 4 blocks appends for about ${seconds(build)} (one index over every row); backfill ${Math.round(rate).toLocaleString('en-US')} captures/s (${filled.toLocaleString('en-US')} made old), about ${seconds((N / rate) * 1000)} for the whole table, in the background`);
}
