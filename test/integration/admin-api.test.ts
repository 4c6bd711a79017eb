import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema } from '../../shared/api';
import { captureListSchema } from '../../shared/capture';
import { endpointViewSchema } from '../../shared/endpoint';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

async function createEndpoint(json: unknown = {}) {
  const res = await server.api('/api/endpoints', { method: 'POST', json });
  expect(res.status).toBe(201);
  return endpointViewSchema.parse(await res.json());
}

async function send(endpointId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${server.url}/h/${endpointId}`, { method: 'POST', body: `#${i}` });
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

describe('authentication', () => {
  it.each([
    ['no header', undefined],
    ['a wrong token', 'Bearer wrong-token-wrong-token'],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
  ])('refuses %s with 401 JSON', async (_name, authorization) => {
    const headers: Record<string, string> = authorization ? { authorization } : {};
    for (const path of ['/api/endpoints', '/api/endpoints/default/requests', '/api/requests/x', '/api/nothing']) {
      const res = await fetch(`${server.url}${path}`, { headers });
      expect(res.status, path).toBe(401);
      expect(apiErrorSchema.parse(await res.json()).error).toMatch(/token/);
    }
  });

  it('keeps ingest public', async () => {
    expect((await fetch(`${server.url}/h/default`, { method: 'POST', body: 'x' })).status).toBe(200);
  });
});

describe('endpoints', () => {
  it('has a default endpoint from the first start', async () => {
    const list = endpointViewSchema.array().parse(await (await server.api('/api/endpoints')).json());
    expect(list.map((e) => e.id)).toContain('default');
  });

  it('creates endpoints with 128-bit URL-safe ids and defaults', async () => {
    const a = await createEndpoint({ name: 'Payments' });
    const b = await createEndpoint();
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.name).toBe('Payments');
    expect(a.retention.maxCaptures).toBe(1000);
    expect(a.response).toEqual({ status: 200, headers: {}, delayMs: 0 });
    expect(a.ingestPath).toBe(`/h/${a.id}`);
  });

  it('updates name and merges response fields', async () => {
    const e = await createEndpoint({ response: { status: 201 } });
    const res = await server.api(`/api/endpoints/${e.id}`, { method: 'PATCH', json: { name: 'Renamed', response: { delayMs: 5 } } });
    const updated = endpointViewSchema.parse(await res.json());
    expect(updated.name).toBe('Renamed');
    expect(updated.response).toMatchObject({ status: 201, delayMs: 5 });
    expect(endpointViewSchema.parse(await (await server.api(`/api/endpoints/${e.id}`)).json()).name).toBe('Renamed');
    const custom = await server.api(`/api/endpoints/${e.id}`, { method: 'PATCH', json: { response: { body: 'custom' } } });
    expect(endpointViewSchema.parse(await custom.json()).response.body).toBe('custom');
    const reset = await server.api(`/api/endpoints/${e.id}`, { method: 'PATCH', json: { response: { body: null } } });
    const resetView = endpointViewSchema.parse(await reset.json());
    expect(resetView.response.body).toBeUndefined();
    expect(resetView.response.status).toBe(201);
  });

  it('validates bodies and lists every problem with its path', async () => {
    const res = await server.api('/api/endpoints', { method: 'POST', json: { name: '', response: { status: 99, delayMs: 60_000 }, bogus: 1 } });
    expect(res.status).toBe(400);
    const error = apiErrorSchema.parse(await res.json());
    const paths = (error.details ?? []).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'response.status', 'response.delayMs']));
    expect(error.details?.some((d) => /bogus/.test(d.message) || d.path === '(root)')).toBe(true);
  });

  it('answers malformed JSON with a readable 400', async () => {
    const res = await server.api('/api/endpoints', { method: 'POST', body: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(apiErrorSchema.parse(await res.json()).error).toBe('the request body is not valid JSON');
  });

  it('deletes an endpoint with its captures', async () => {
    const e = await createEndpoint();
    const [id] = await send(e.id, 2);
    expect((await server.api(`/api/endpoints/${e.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await server.api(`/api/endpoints/${e.id}`)).status).toBe(404);
    expect((await server.api(`/api/requests/${id}`)).status).toBe(404);
    expect((await fetch(`${server.url}/h/${e.id}`, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('answers JSON 404 for unknown ids and routes', async () => {
    for (const path of ['/api/endpoints/nope', '/api/requests/nope', '/api/endpoints/nope/requests', '/api/unknown/route']) {
      const res = await server.api(path);
      expect(res.status, path).toBe(404);
      expect(apiErrorSchema.parse(await res.json()).error.length).toBeGreaterThan(5);
    }
  });
});

describe('captures', () => {
  it('pages newest first with before/after cursors', async () => {
    const e = await createEndpoint();
    const ids = await send(e.id, 25);
    expect([...ids].sort()).toEqual(ids); // ids sort in arrival order
    const list = async (query: string) => captureListSchema.parse(await (await server.api(`/api/endpoints/${e.id}/requests?${query}`)).json());
    const first = await list('limit=10');
    expect(first.items.map((c) => c.id)).toEqual(ids.slice(15).reverse());
    expect(first.total).toBe(25);
    const second = await list(`limit=10&before=${first.nextBefore}`);
    expect(second.items.map((c) => c.id)).toEqual(ids.slice(5, 15).reverse());
    const third = await list(`limit=10&before=${second.nextBefore}`);
    expect(third.items.map((c) => c.id)).toEqual(ids.slice(0, 5).reverse());
    expect(third.nextBefore).toBeNull();
    const newer = await list(`limit=3&after=${ids[10]}`);
    expect(newer.items.map((c) => c.id)).toEqual(ids.slice(11, 14).reverse());
    const bad = await server.api(`/api/endpoints/${e.id}/requests?limit=0`);
    expect(bad.status).toBe(400);
  });

  it('evicts the oldest beyond the retention limit', async () => {
    const e = await createEndpoint({ retention: { maxCaptures: 5 } });
    const ids = await send(e.id, 12);
    const page = captureListSchema.parse(await (await server.api(`/api/endpoints/${e.id}/requests?limit=100`)).json());
    expect(page.items.map((c) => c.id)).toEqual(ids.slice(7).reverse());
    expect((await server.api(`/api/requests/${ids[0]}`)).status).toBe(404);
    expect((await server.api(`/api/requests/${ids[11]}`)).status).toBe(200);
    // lowering the limit evicts at once
    await server.api(`/api/endpoints/${e.id}`, { method: 'PATCH', json: { retention: { maxCaptures: 2 } } });
    const after = endpointViewSchema.parse(await (await server.api(`/api/endpoints/${e.id}`)).json());
    expect(after.captureCount).toBe(2);
  });

  it('deletes one capture and clears an endpoint', async () => {
    const e = await createEndpoint();
    const ids = await send(e.id, 3);
    expect((await server.api(`/api/requests/${ids[1]}`, { method: 'DELETE' })).status).toBe(204);
    expect((await server.api(`/api/requests/${ids[1]}`, { method: 'DELETE' })).status).toBe(404);
    let page = captureListSchema.parse(await (await server.api(`/api/endpoints/${e.id}/requests`)).json());
    expect(page.items.map((c) => c.id)).toEqual([ids[2], ids[0]]);
    const cleared = await server.api(`/api/endpoints/${e.id}/requests`, { method: 'DELETE' });
    expect(await cleared.json()).toEqual({ deleted: 2 });
    page = captureListSchema.parse(await (await server.api(`/api/endpoints/${e.id}/requests`)).json());
    expect(page.total).toBe(0);
    await send(e.id, 1);
    page = captureListSchema.parse(await (await server.api(`/api/endpoints/${e.id}/requests`)).json());
    expect(page.total).toBe(1);
  });
});

describe('health', () => {
  it('reports alive and ready', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { ready: boolean }).ready).toBe(true);
  });
});

describe('schema config', () => {
  it('refuses a custom JSON Schema that does not compile, with its path', async () => {
    const res = await server.api('/api/endpoints', { method: 'POST', json: { schema: { mode: 'observe', jsonSchema: { type: 'object', properties: { a: { type: 'no-such-type' } } } } } });
    expect(res.status).toBe(400);
    const error = apiErrorSchema.parse(await res.json());
    expect(error.details?.[0]?.path).toBe('schema.jsonSchema');
    expect(error.error).toMatch(/does not compile/);
    const ok = await server.api('/api/endpoints', { method: 'POST', json: { schema: { mode: 'observe', jsonSchema: { type: 'object', required: ['id'] } } } });
    expect(ok.status).toBe(201);
  });
});
