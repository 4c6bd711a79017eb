// Large imports are parsed and encoded in worker threads, and large exports made into text there
// (server/replay/transfer-threads.ts). The same file imported that way and on the main thread
// gives the same answer, the same captures (bodies, headers, verdicts, event types, previews,
// duplicates), the same search results and the same errors; a retry stores nothing twice;
// deliveries arriving meanwhile keep id order; all of it survives a restart with every checksum
// checked; and an export made in threads is byte for byte the main thread's.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureListSchema, type CaptureSummary } from '../../shared/capture';
import { importResultSchema } from '../../shared/replay';
import { startTestServer, type TestServer } from '../support/test-server';
import { flipByteAt } from '../support/damage';
import { writeExport } from '../../server/replay/transfer';

let threaded: TestServer;
let plain: TestServer;

const N = 1600;
const EVENTS = ['message.read', 'message.delivered', 'conversation.closed', 'opt_out'];

/** Line i of a JSON Lines file that mixes every kind of body an export holds. */
function line(i: number): string {
  const kind = i % 6;
  const headers: [string, string][] = [['User-Agent', 'import-test'], ['X-Seq', String(i)]];
  let body: { encoding: 'utf8' | 'base64'; data: string };
  if (kind === 0) {
    headers.push(['Content-Type', 'application/octet-stream']);
    body = { encoding: 'base64', data: randomBytes(40 + (i % 50)).toString('base64') };
  } else if (kind === 1) {
    headers.push(['Content-Type', 'application/json']);
    body = { encoding: 'utf8', data: JSON.stringify({ type: EVENTS[i % EVENTS.length], conversation: i, note: `café ☕ número ${i}`, word: i === 1201 ? 'zanzibar' : 'routine' }) };
  } else if (kind === 2) {
    body = { encoding: 'utf8', data: '' };
  } else if (kind === 3) {
    headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    body = { encoding: 'utf8', data: `MessageStatus=delivered&To=%2B1555${i}&Body=hello+${i}` };
  } else if (kind === 4) {
    headers.push(['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']);
    body = { encoding: 'base64', data: gzipSync(JSON.stringify({ event: 'compressed', i })).toString('base64') };
  } else {
    headers.push(['Content-Type', 'text/plain; charset=utf-8']);
    body = { encoding: 'utf8', data: `plain text line ${i} with "quotes" and a \\ backslash\r\n${'pad '.repeat(60)}` };
  }
  return JSON.stringify({
    receivedAt: Date.UTC(2026, 5, 1) + i * 1000, method: kind === 2 ? 'DELETE' : 'POST', path: `/hooks/${i % 9}`, query: i % 4 === 0 ? `n=${i}&x=%E2%9C%93` : '',
    peer: `10.1.${i % 3}.7`, headers, body,
    ...(i % 7 === 0 && { reply: { status: 503, rejected: 'schema' } }),
    ...(i % 5 === 0 && { deliveryId: `dup-${i % 400}` }), // repeats across pieces of the file
    ...(i % 11 === 0 && { eventType: 'named.by.file' }),
  });
}

const file = Array.from({ length: N }, (_, i) => line(i)).join('\n') + '\n';

async function endpoint(server: TestServer, name: string): Promise<string> {
  const res = await server.api('/api/endpoints', { method: 'POST', json: { name, retention: { maxCaptures: 100_000 } } });
  return ((await res.json()) as { id: string }).id;
}

async function importInto(server: TestServer, id: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return server.api(`/api/endpoints/${id}/import`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson', ...headers } });
}

/** Every capture's summary, oldest first. */
async function summaries(server: TestServer, id: string, q = ''): Promise<CaptureSummary[]> {
  const out: CaptureSummary[] = [];
  let before = '';
  for (;;) {
    const page = captureListSchema.parse(await (await server.api(`/api/endpoints/${id}/requests?limit=500${before}${q ? `&q=${encodeURIComponent(q)}` : ''}`)).json());
    out.push(...page.items);
    if (!page.nextBefore) return out.reverse();
    before = `&before=${page.nextBefore}`;
  }
}

/** The export's lines with ids left out (the captures' contents: bytes, headers, verdicts, event types). */
async function exported(server: TestServer, id: string): Promise<unknown[]> {
  const text = await (await server.api(`/api/endpoints/${id}/export?format=jsonl`)).text();
  return text.trim().split('\n').map((l) => {
    const { id: _id, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return rest;
  });
}

function withoutIds(list: CaptureSummary[]): unknown[] {
  const place = new Map(list.map((s, i) => [s.id, i]));
  return list.map(({ id: _id, endpointId: _endpoint, duplicateOf, ...rest }) => ({ ...rest, duplicateOf: duplicateOf === null ? null : (place.get(duplicateOf) ?? `outside:${duplicateOf.length}`) }));
}

beforeAll(async () => {
  threaded = await startTestServer({}, { replay: { transferThreads: { threads: 2, minBytes: 64 * 1024, exportMinCaptures: 0 } } });
  plain = await startTestServer({}, { replay: { transferThreads: { minBytes: Number.POSITIVE_INFINITY } } });
});
afterAll(async () => {
  await threaded?.dispose();
  await plain?.dispose();
});

describe('imports in worker threads', () => {
  it('store the same captures as the main thread: bodies, headers, verdicts, event types, previews, duplicates', async () => {
    const a = await endpoint(threaded, 'a');
    const b = await endpoint(plain, 'b');
    // One earlier capture whose delivery id the file repeats: the import marks its repeat a duplicate of it.
    const earlier = JSON.stringify({ receivedAt: 1, method: 'POST', path: '/', query: '', headers: [], body: { encoding: 'utf8', data: 'first' }, deliveryId: 'dup-5' });
    expect((await importInto(threaded, a, earlier)).status).toBe(201);
    expect((await importInto(plain, b, earlier)).status).toBe(201);
    const before = threaded.replay.transferThreads.imports;
    const [resA, resB] = await Promise.all([importInto(threaded, a, file), importInto(plain, b, file)]);
    expect(resA.status).toBe(201);
    expect(resB.status).toBe(201);
    const answerA = importResultSchema.parse(await resA.json());
    expect(answerA.imported).toBe(N);
    expect(importResultSchema.parse(await resB.json()).imported).toBe(N);
    expect(threaded.replay.transferThreads.imports).toBe(before + 1); // it went through the threads
    expect(plain.replay.transferThreads.imports).toBe(0);
    const listA = await summaries(threaded, a);
    const listB = await summaries(plain, b);
    expect(listA.map((s) => s.id).slice(1)).toEqual(answerA.ids);
    expect(withoutIds(listA)).toEqual(withoutIds(listB));
    expect(await exported(threaded, a)).toEqual(await exported(plain, b));
    // Spot checks that the comparison covers what it should.
    // 320 lines carry one of 80 delivery ids (each four times), and one repeats the earlier capture.
    expect(listA.filter((s) => s.duplicateOf !== null).length).toBe(320 - 80 + 1);
    expect(listA[2]?.eventType).toBe('message.delivered');
    expect(listA[12]?.eventType).toBe('named.by.file');
    expect(listA[2]?.preview?.text).toContain('café ☕ número 1');
  });

  it('find a body word held by one capture in a later piece, as the main thread does', async () => {
    const a = await endpoint(threaded, 'search-a');
    const b = await endpoint(plain, 'search-b');
    await importInto(threaded, a, file);
    await importInto(plain, b, file);
    const found = await summaries(threaded, a, 'zanzibar');
    expect(found).toHaveLength(1);
    expect(found[0]?.receivedAt).toBe(Date.UTC(2026, 5, 1) + 1201 * 1000);
    expect(withoutIds(await summaries(threaded, a, 'número method:POST event:message.*'))).toEqual(withoutIds(await summaries(plain, b, 'número method:POST event:message.*')));
  });

  it('refuse a file with a bad line anywhere with the main thread\'s answer, naming the first bad line, and store nothing', async () => {
    const a = await endpoint(threaded, 'bad-a');
    const b = await endpoint(plain, 'bad-b');
    const lines = file.trim().split('\n');
    const cases = [
      lines.map((l, i) => (i === 1400 ? '{"not json' : l)), // in the last piece
      lines.map((l, i) => (i === 1400 ? '{"not json' : i === 300 ? '{"receivedAt":1}' : l)), // the earlier of two, in an earlier piece
    ];
    for (const bad of cases) {
      const body = bad.join('\n');
      const [resA, resB] = await Promise.all([importInto(threaded, a, body), importInto(plain, b, body)]);
      expect(resA.status).toBe(400);
      const errorA = await resA.json();
      expect(errorA).toEqual(await resB.json());
      expect(JSON.stringify(errorA)).toMatch(bad === cases[0] ? /line 1401/ : /line 301/);
    }
    expect(await summaries(threaded, a)).toEqual([]);
  });

  it('store a HAR file the same way', async () => {
    const source = await endpoint(plain, 'har-source');
    await importInto(plain, source, file);
    const har = await (await plain.api(`/api/endpoints/${source}/export?format=har`)).text();
    const a = await endpoint(threaded, 'har-a');
    const b = await endpoint(plain, 'har-b');
    const before = threaded.replay.transferThreads.imports;
    const post = (server: TestServer, id: string) => server.api(`/api/endpoints/${id}/import?format=har`, { method: 'POST', body: har });
    expect((await post(threaded, a)).status).toBe(201);
    expect((await post(plain, b)).status).toBe(201);
    expect(threaded.replay.transferThreads.imports).toBe(before + 1);
    expect(withoutIds(await summaries(threaded, a))).toEqual(withoutIds(await summaries(plain, b)));
    expect(await exported(threaded, a)).toEqual(await exported(plain, b));
  });

  it('answer a retry with the same Idempotency-Key with the first import and store nothing twice', async () => {
    const a = await endpoint(threaded, 'retry');
    const first = importResultSchema.parse(await (await importInto(threaded, a, file, { 'idempotency-key': 'threads-1' })).json());
    const again = importResultSchema.parse(await (await importInto(threaded, a, file, { 'idempotency-key': 'threads-1' })).json());
    expect(again.ids).toEqual(first.ids);
    expect((await summaries(threaded, a)).length).toBe(N);
  });

  it('keep id order with deliveries arriving during the import, and all of it after a restart', async () => {
    const a = await endpoint(threaded, 'busy');
    const importing = importInto(threaded, a, file);
    const deliveries = Array.from({ length: 20 }, (_, i) => fetch(`${threaded.url}/h/${a}`, { method: 'POST', body: `live ${i}` }));
    const statuses = await Promise.all(deliveries.map((d) => d.then((r) => r.status)));
    expect((await importing).status).toBe(201);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const list = await summaries(threaded, a);
    expect(list).toHaveLength(N + 20);
    const ids = list.map((s) => s.id);
    expect([...ids].sort()).toEqual(ids); // oldest first is id order, as written
    // The import's captures are one unbroken run (its records were written as one batch).
    const imported = list.map((s) => s.path.startsWith('/hooks/'));
    const first = imported.indexOf(true);
    expect(imported.slice(first, first + N).every(Boolean)).toBe(true);
    const data = threaded.dataDir;
    const exportedBefore = await exported(threaded, a);
    await threaded.close();
    threaded = await startTestServer({ data }, { replay: { transferThreads: { threads: 2, minBytes: 64 * 1024, exportMinCaptures: 0 } } });
    expect(await exported(threaded, a)).toEqual(exportedBefore);
  });

  it('export byte for byte what the main thread exports, JSON Lines and HAR, with progress to the end', async () => {
    const a = await endpoint(threaded, 'export');
    await importInto(threaded, a, file);
    const exportWith = async (format: 'jsonl' | 'har', threads: boolean) => {
      const chunks: Buffer[] = [];
      const sink = new Writable({ write(chunk: Buffer, _encoding, done) { chunks.push(chunk); done(); } });
      const progress: number[] = [];
      await writeExport(sink, threaded.store, a, format, 'http://hookscope.test', '1.0.0', (done) => progress.push(done), threads ? threaded.replay.transferThreads : undefined);
      return { bytes: Buffer.concat(chunks), progress };
    };
    for (const format of ['jsonl', 'har'] as const) {
      const viaThreads = await exportWith(format, true);
      const mainThread = await exportWith(format, false);
      expect(viaThreads.bytes.length).toBeGreaterThan(500_000);
      expect(viaThreads.bytes.equals(mainThread.bytes)).toBe(true);
      expect(viaThreads.progress.at(-1)).toBe(N);
    }
    const har = JSON.parse((await exportWith('har', true)).bytes.toString('utf8')) as { log: { entries: unknown[] } };
    expect(har.log.entries).toHaveLength(N);
  });

  it('refuse to export a damaged capture from a thread, naming it, as the main thread does', async () => {
    const a = await endpoint(threaded, 'damaged');
    await importInto(threaded, a, file);
    const segment = join(threaded.dataDir, 'captures', a, '00000001.jsonl');
    await flipByteAt(segment, 'número 1201'); // in its metadata record (the preview): its checksum no longer matches
    const fail = (threads: boolean) => writeExport(new Writable({ write: (_c, _e, done) => done() }), threaded.store, a, 'jsonl', 'http://x', '1', undefined, threads ? threaded.replay.transferThreads : undefined);
    const [viaThreads, mainThread] = await Promise.allSettled([fail(true), fail(false)]);
    expect(viaThreads.status).toBe('rejected');
    expect(mainThread.status).toBe('rejected');
    const message = (r: PromiseSettledResult<void>) => ((r as PromiseRejectedResult).reason as Error).message;
    expect(message(viaThreads)).toMatch(/capture \w+ is damaged \(its metadata record fails its checksum\) in captures\/.+00000001\.jsonl at byte \d+/);
    expect(message(viaThreads)).toBe(message(mainThread));
  });
});
