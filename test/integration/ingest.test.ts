import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureListSchema, captureViewSchema } from '../../shared/capture';
import { rawRequest, sha256 } from '../support/http';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

async function deliver(body: Buffer | string, headers: Record<string, string> = {}, path = '/h/default') {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers });
  const json = (await res.json()) as { ok: boolean; id: string };
  return { res, id: json.id };
}

describe('search over the API', () => {
  it('answers ?q= with the matches and a malformed query with 400 naming the position', async () => {
    const hit = await deliver(JSON.stringify({ note: 'wombat sighting' }), { 'content-type': 'application/json' });
    await deliver(JSON.stringify({ note: 'nothing here' }), { 'content-type': 'application/json' });
    const found = captureListSchema.parse(await (await server.api(`/api/endpoints/default/requests?q=${encodeURIComponent('wombat method:POST')}`)).json());
    expect(found.items.map((item) => item.id)).toEqual([hit.id]);
    expect(found.matched).toBeUndefined(); // a body word: not cheap to count
    const posts = captureListSchema.parse(await (await server.api(`/api/endpoints/default/requests?limit=1&q=${encodeURIComponent('method:POST')}`)).json());
    expect(posts).toMatchObject({ items: [{ method: 'POST' }], matched: posts.total }); // field terms alone: counted in memory
    const bad = await server.api(`/api/endpoints/default/requests?q=${encodeURIComponent('method:POST colour:red')}`);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: string; details: { path: string; position: number }[] };
    expect(body.error).toMatch(/at character 13: "colour" is not a field/);
    expect(body.details[0]).toMatchObject({ path: 'q', position: 12 });
  });
});

describe('ingest', () => {
  it('records the event type of every delivery, with the schema check off, in the capture and the list', async () => {
    const push = await deliver(JSON.stringify({ ref: 'refs/heads/main' }), { 'content-type': 'application/json', 'x-github-event': 'push' });
    const paid = await deliver(JSON.stringify({ id: 'evt_9', object: 'event', type: 'invoice.paid' }), { 'content-type': 'application/json' });
    const plain = await deliver('hello');
    const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${push.id}`)).json());
    expect(capture.eventType).toBe('push');
    expect(capture.verdicts.schema.status).toBe('skipped');
    const list = captureListSchema.parse(await (await server.api('/api/endpoints/default/requests?limit=3')).json());
    const byId = new Map(list.items.map((item) => [item.id, item.eventType]));
    expect(byId.get(paid.id)).toBe('invoice.paid');
    expect(byId.get(push.id)).toBe('push');
    expect(byId.get(plain.id)).toBeNull();
  });

  it('accepts every method and records method, sub-path and query', async () => {
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND']) {
      const res = await rawRequest(`${server.url}/h/default/a/b%20c?x=1&x=2&y=%C3%A9`, { method, body: method === 'GET' || method === 'HEAD' ? undefined : 'm' });
      expect(res.status, method).toBe(200);
      if (method === 'HEAD') {
        expect(res.body.length).toBe(0);
        continue;
      }
      const { id } = JSON.parse(res.body.toString()) as { id: string };
      const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${id}`)).json());
      expect(capture.method).toBe(method);
      expect(capture.path).toBe('/a/b%20c');
      expect(capture.query).toBe('x=1&x=2&y=%C3%A9');
      expect(capture.queryParams).toEqual([['x', '1'], ['x', '2'], ['y', 'é']]);
      expect(capture.peer).toMatch(/127\.0\.0\.1/);
    }
  });

  it.each([
    ['random binary', randomBytes(64 * 1024), 'application/octet-stream'],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0xc3, 0x28, 0x7d]), 'application/json'],
    ['empty', Buffer.alloc(0), 'text/plain'],
    ['5 MiB', randomBytes(5 * 1024 * 1024), 'application/octet-stream'],
    ['CRLF and BOM text', Buffer.from('\ufeffline1\r\nline2\r\n', 'utf8'), 'text/plain'],
  ])('keeps a %s body byte-exact', async (_name, body, type) => {
    const { res, id } = await deliver(body, { 'content-type': type });
    expect(res.status).toBe(200);
    const raw = await server.api(`/api/requests/${id}/body`);
    expect(raw.headers.get('content-type')).toBe(type);
    expect(sha256(Buffer.from(await raw.arrayBuffer()))).toBe(sha256(body));
    const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${id}`)).json());
    expect(capture.size).toBe(body.length);
    const decoded = capture.body.encoding === 'base64' ? Buffer.from(capture.body.data, 'base64') : Buffer.from(capture.body.data, 'utf8');
    expect(sha256(decoded)).toBe(sha256(body));
  });

  it('keeps a gzip body compressed as sent and shows it decoded', async () => {
    const json = JSON.stringify({ event: 'delivered', n: 1 });
    const body = gzipSync(json);
    const { id } = await deliver(body, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    const raw = Buffer.from(await (await server.api(`/api/requests/${id}/body`)).arrayBuffer());
    expect(sha256(raw)).toBe(sha256(body));
    const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${id}`)).json());
    expect(capture.body.encoding).toBe('base64');
    expect(capture.view).toEqual({ kind: 'json', value: { event: 'delivered', n: 1 } });
  });

  it('keeps repeated and mixed-case headers in arrival order', async () => {
    const res = await rawRequest(`${server.url}/h/default`, {
      headers: ['X-Signature', 'one', 'x-signature', 'two', 'X-MiXeD-CaSe', 'v', 'Content-Type', 'text/plain'],
      body: 'h',
    });
    const { id } = JSON.parse(res.body.toString()) as { id: string };
    const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${id}`)).json());
    const interesting = capture.headers.filter(([name]) => /^x-/i.test(name));
    expect(interesting).toEqual([['X-Signature', 'one'], ['x-signature', 'two'], ['X-MiXeD-CaSe', 'v']]);
  });

  it('captures malformed JSON as bytes and answers normally', async () => {
    const { res, id } = await deliver('{"broken": ', { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${id}`)).json());
    expect(capture.body).toEqual({ encoding: 'utf8', data: '{"broken": ' });
    expect(capture.view.kind).toBe('text');
  });

  it('shows JSON nested too deep for a tree as text instead of failing', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const { id } = await deliver(deep, { 'content-type': 'application/json' });
    const res = await server.api(`/api/requests/${id}`);
    expect(res.status).toBe(200);
    const capture = captureViewSchema.parse(await res.json());
    expect(capture.view.kind).toBe('text');
    expect(capture.body.data).toBe(deep);
  });

  it('derives form and multipart views from the bytes', async () => {
    const form = await deliver('MessageSid=SM1&MessageStatus=delivered&Body=a+b', { 'content-type': 'application/x-www-form-urlencoded' });
    const formView = captureViewSchema.parse(await (await server.api(`/api/requests/${form.id}`)).json()).view;
    expect(formView).toEqual({ kind: 'form', fields: [['MessageSid', 'SM1'], ['MessageStatus', 'delivered'], ['Body', 'a b']] });

    const data = new FormData();
    data.append('field', 'value');
    data.append('file', new Blob([new Uint8Array(randomBytes(1000))]), 'a.bin');
    const res = await fetch(`${server.url}/h/default`, { method: 'POST', body: data });
    const { id } = (await res.json()) as { id: string };
    const view = captureViewSchema.parse(await (await server.api(`/api/requests/${id}`)).json()).view;
    expect(view.kind).toBe('multipart');
    if (view.kind !== 'multipart') return;
    expect(view.parts.map((p) => [p.name, p.filename, p.size, p.text])).toEqual([['field', null, 5, 'value'], ['file', 'a.bin', 1000, null]]);
  });

  it('answers 404 JSON for an unknown endpoint and records nothing', async () => {
    const res = await fetch(`${server.url}/h/does-not-exist`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/no endpoint/);
  });

  it('refuses a body over the limit with 413 JSON and records the attempt without its body', async () => {
    const small = await startTestServer({ bodyLimit: 64 * 1024 });
    try {
      const res = await fetch(`${small.url}/h/default`, { method: 'POST', body: new Uint8Array(randomBytes(200 * 1024)) });
      expect(res.status).toBe(413);
      const reply = (await res.json()) as { error: string; id: string };
      expect(reply.error).toMatch(/over the limit of 65536 bytes/);
      const capture = captureViewSchema.parse(await (await small.api(`/api/requests/${reply.id}`)).json());
      expect(capture.reply.status).toBe(413);
      expect(capture.reply.rejected).toMatch(/limit/);
      expect(capture.size).toBe(200 * 1024);
      expect(capture.body.data).toBe('');
      // chunked upload without Content-Length is cut off too
      const chunked = await rawRequest(`${small.url}/h/default`, { headers: ['Transfer-Encoding', 'chunked'], body: randomBytes(100 * 1024) });
      expect(chunked.status).toBe(413);
      // and the server still serves
      expect((await fetch(`${small.url}/h/default`, { method: 'POST', body: 'ok' })).status).toBe(200);
    } finally {
      await small.dispose();
    }
  });

  it('answers oversize header sets and garbage with JSON 4xx and stays up', async () => {
    const res = await rawRequest(`${server.url}/h/default`, { headers: ['X-Huge', 'a'.repeat(64 * 1024)], body: 'x' }).catch(() => null);
    if (res) expect(res.status).toBe(431);
    const { connect } = await import('node:net');
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(reply).toMatch(/"error"/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('stores 500 concurrent deliveries exactly once each', async () => {
    const created = (await (await server.api('/api/endpoints', { method: 'POST', json: { name: 'burst', retention: { maxCaptures: 5000 } } })).json()) as { id: string };
    const replies = await Promise.all(
      Array.from({ length: 500 }, (_, i) => fetch(`${server.url}/h/${created.id}`, { method: 'POST', body: `delivery-${i}` }).then((r) => r.json() as Promise<{ id: string }>)),
    );
    const ids = new Set(replies.map((r) => r.id));
    expect(ids.size).toBe(500);
    const page = captureListSchema.parse(await (await server.api(`/api/endpoints/${created.id}/requests?limit=1000`)).json());
    expect(page.total).toBe(500);
    expect(new Set(page.items.map((c) => c.id))).toEqual(ids);
    const sizes = new Set(page.items.map((c) => c.size));
    expect([...sizes].every((s) => s >= 'delivery-0'.length)).toBe(true);
  });

  it('answers with the endpoint’s custom response after its delay', async () => {
    const created = (await (await server.api('/api/endpoints', {
      method: 'POST',
      json: { name: 'custom', response: { status: 202, headers: { 'X-Reply': 'yes' }, body: '<ok/>', delayMs: 300 } },
    })).json()) as { id: string };
    const started = Date.now();
    const res = await fetch(`${server.url}/h/${created.id}`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-reply')).toBe('yes');
    expect(await res.text()).toBe('<ok/>');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const page = captureListSchema.parse(await (await server.api(`/api/endpoints/${created.id}/requests`)).json());
    expect(page.items[0]?.reply.status).toBe(202);
  });
});

describe('trust proxy', () => {
  it('takes the peer from X-Forwarded-For only when told to', async () => {
    const plain = await fetch(`${server.url}/h/default`, { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.9' }, body: 'p' });
    const plainId = ((await plain.json()) as { id: string }).id;
    expect(captureViewSchema.parse(await (await server.api(`/api/requests/${plainId}`)).json()).peer).not.toContain('203.0.113.9');

    const proxied = await startTestServer({ trustProxy: 'loopback' });
    try {
      const res = await fetch(`${proxied.url}/h/default`, { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.9' }, body: 'p' });
      const id = ((await res.json()) as { id: string }).id;
      expect(captureViewSchema.parse(await (await proxied.api(`/api/requests/${id}`)).json()).peer).toBe('203.0.113.9');
    } finally {
      await proxied.dispose();
    }
  });
});
