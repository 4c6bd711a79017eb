import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureListSchema, captureViewSchema, type CaptureView } from '../../shared/capture';
import { endpointViewSchema } from '../../shared/endpoint';
import { curlCommandSchema, importResultSchema } from '../../shared/replay';
import { harSchema } from '../../server/replay/har-schema';
import { forwardableHeaders } from '../../server/replay/outgoing';
import { rawRequest, sha256 } from '../support/http';
import { startTarget, type Received, type TargetServer } from '../support/target-server';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let target: TargetServer;
let sourceId: string;

// Bodies that break naive exporters: binary, invalid UTF-8, gzip, empty, text with CR and quotes.
const deliveries: { method: string; path: string; headers: string[]; body: Buffer }[] = [
  { method: 'POST', path: '/github?a=1&b=%E2%9C%93', headers: ['Content-Type', 'application/json', 'X-Hub-Signature-256', 'sha256=00'], body: Buffer.from('{"note":"caf\\u00e9 \\/ \'quoted\'"}\n') },
  { method: 'PUT', path: '/bin', headers: ['Content-Type', 'application/octet-stream', 'X-Dup', '1', 'x-dup', '2'], body: Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x0a]) },
  { method: 'POST', path: '', headers: ['Content-Type', 'application/json', 'Content-Encoding', 'gzip'], body: gzipSync('{"zipped":true}') },
  { method: 'DELETE', path: '/empty', headers: [], body: Buffer.alloc(0) },
  { method: 'POST', path: '/form', headers: ['Content-Type', 'application/x-www-form-urlencoded'], body: Buffer.from('a=1\r\nb=it\'s&c=%20') },
];

beforeAll(async () => {
  server = await startTestServer();
  target = await startTarget();
  const endpoint = endpointViewSchema.parse(await (await server.api('/api/endpoints', { method: 'POST', json: { name: 'source' } })).json());
  sourceId = endpoint.id;
  for (const d of deliveries) await rawRequest(`${server.url}/h/${sourceId}${d.path}`, { method: d.method, headers: [...d.headers], body: d.body });
});
afterAll(async () => {
  await target.close();
  await server.dispose();
});

async function capturesOf(endpointId: string): Promise<CaptureView[]> {
  const page = captureListSchema.parse(await (await server.api(`/api/endpoints/${endpointId}/requests?limit=100`)).json());
  const views = await Promise.all(page.items.map(async (s) => captureViewSchema.parse(await (await server.api(`/api/requests/${s.id}`)).json())));
  return views.reverse(); // oldest first
}

const essence = (c: CaptureView) => ({ method: c.method, path: c.path, query: c.query, headers: c.headers, body: c.body, receivedAt: c.receivedAt, verdicts: c.verdicts });

async function roundTrip(format: 'har' | 'jsonl'): Promise<{ exported: string; original: CaptureView[]; imported: CaptureView[] }> {
  const exported = await (await server.api(`/api/endpoints/${sourceId}/export?format=${format}`)).text();
  const into = endpointViewSchema.parse(await (await server.api('/api/endpoints', { method: 'POST', json: {} })).json());
  const res = await server.api(`/api/endpoints/${into.id}/import`, { method: 'POST', body: exported, headers: { 'content-type': format === 'har' ? 'application/json' : 'application/x-ndjson' } });
  expect(res.status).toBe(201);
  expect(importResultSchema.parse(await res.json()).imported).toBe(deliveries.length);
  return { exported, original: await capturesOf(sourceId), imported: await capturesOf(into.id) };
}

describe('export and import', () => {
  it('exports HAR 1.2 that validates and round-trips through import byte-exact', async () => {
    const { exported, original, imported } = await roundTrip('har');
    const har = harSchema.parse(JSON.parse(exported));
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries).toHaveLength(deliveries.length);
    expect(har.log.entries[0]?.request.url).toBe(`${server.url}/h/${sourceId}/github?a=1&b=%E2%9C%93`);
    expect(imported.map(essence)).toEqual(original.map(essence));
    for (const [i, d] of deliveries.entries()) {
      const body = (await server.api(`/api/requests/${imported[i]?.id}/body`)).arrayBuffer();
      expect(sha256(Buffer.from(await body))).toBe(sha256(d.body));
    }
  });

  it('round-trips JSON Lines byte-exact', async () => {
    const { exported, original, imported } = await roundTrip('jsonl');
    expect(exported.trim().split('\n')).toHaveLength(deliveries.length);
    expect(imported.map(essence)).toEqual(original.map(essence));
  });

  it('refuses a malformed file with the problem named', async () => {
    const res = await server.api(`/api/endpoints/${sourceId}/import?format=har`, { method: 'POST', body: '{"log":{"version":"1.2"}}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/HAR/);
  });
});

describe('copy as curl', () => {
  it('produces a command that sends exactly the captured bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hookscope-curl-'));
    try {
      for (const capture of await capturesOf(sourceId)) {
        const res = await server.api(`/api/requests/${capture.id}/curl`, { method: 'POST', json: { url: `${target.url}/curl`, appendPath: true } });
        const { command, binaryBody } = curlCommandSchema.parse(await res.json());
        if (capture.body.encoding === 'base64') expect(binaryBody).toBe(true); // and text with CR goes through a file too
        const before = target.received.length;
        await promisify(execFile)('sh', ['-c', command], { cwd: dir });
        const got = target.received[before] as Received;
        expect(got.method).toBe(capture.method);
        expect(got.url).toBe(`/curl${capture.path}${capture.query ? `?${capture.query}` : ''}`);
        expect(got.sha256).toBe(sha256(Buffer.from(capture.body.data, capture.body.encoding === 'base64' ? 'base64' : 'utf8')));
        const sent = got.headers.filter(([name]) => !/^(host|content-length)$/i.test(name));
        expect(sent).toEqual(forwardableHeaders(capture.headers));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
