import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureListSchema } from '../../shared/capture';
import { endpointViewSchema, type EndpointView } from '../../shared/endpoint';
import { startTestServer, type TestServer } from '../support/test-server';

// The server's clock is ours: the bucket refills only when the test moves it.
const clock = { now: Date.UTC(2025, 0, 1) };
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({}, { now: () => clock.now });
});
afterAll(() => server.dispose());

async function endpoint(id: string): Promise<EndpointView> {
  return endpointViewSchema.parse(await (await server.api(`/api/endpoints/${id}`)).json());
}

const deliver = (id: string) => fetch(`${server.url}/h/${id}`, { method: 'POST', body: '{"n":1}' });

describe('per-endpoint rate limit', () => {
  it('answers 429 + Retry-After beyond the limit, counts the refusals and stores none of them', async () => {
    const created = await server.api('/api/endpoints', { method: 'POST', json: { name: 'limited', rateLimit: { perSecond: 1, burst: 2 } } });
    expect(created.status).toBe(201);
    const { id, rateLimit } = endpointViewSchema.parse(await created.json());
    expect(rateLimit).toEqual({ perSecond: 1, burst: 2 });

    expect((await deliver(id)).status).toBe(200);
    expect((await deliver(id)).status).toBe(200);
    const limited = await deliver(id);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(((await limited.json()) as { error: string }).error).toMatch(/over its rate limit \(1\/s, burst 2\)/);
    expect((await deliver(id)).status).toBe(429);

    const list = captureListSchema.parse(await (await server.api(`/api/endpoints/${id}/requests`)).json());
    expect(list.total).toBe(2); // counted, not stored
    expect((await endpoint(id)).rateLimitedCount).toBe(2);
    const metrics = await (await server.api('/metrics')).text();
    expect(metrics).toContain(`hookscope_ingest_rate_limited_total{endpoint="${id}"} 2`);

    clock.now += 1000; // one token back
    expect((await deliver(id)).status).toBe(200);
    expect((await deliver(id)).status).toBe(429);
    expect((await endpoint(id)).rateLimitedCount).toBe(3);
    expect((await endpoint('default')).rateLimitedCount).toBe(0);
  });

  it('is set, changed and removed through the API, and refused when malformed', async () => {
    const { id } = endpointViewSchema.parse(await (await server.api('/api/endpoints', { method: 'POST', json: {} })).json());
    expect((await endpoint(id)).rateLimit).toBeNull();
    const set = await server.api(`/api/endpoints/${id}`, { method: 'PATCH', json: { rateLimit: { perSecond: 0.5, burst: 1 } } });
    expect(endpointViewSchema.parse(await set.json()).rateLimit).toEqual({ perSecond: 0.5, burst: 1 });
    expect((await deliver(id)).status).toBe(200);
    const limited = await deliver(id);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');

    const other = await server.api(`/api/endpoints/${id}`, { method: 'PATCH', json: { name: 'renamed' } });
    expect(endpointViewSchema.parse(await other.json()).rateLimit).toEqual({ perSecond: 0.5, burst: 1 }); // kept

    const bad = await server.api(`/api/endpoints/${id}`, { method: 'PATCH', json: { rateLimit: { perSecond: 0, burst: 1.5 } } });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { details: { path: string }[] };
    expect(problem.details.map((d) => d.path).sort()).toEqual(['rateLimit.burst', 'rateLimit.perSecond']);

    const removed = await server.api(`/api/endpoints/${id}`, { method: 'PATCH', json: { rateLimit: null } });
    expect(endpointViewSchema.parse(await removed.json()).rateLimit).toBeNull();
    const statuses = await Promise.all(Array.from({ length: 20 }, () => deliver(id).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});
