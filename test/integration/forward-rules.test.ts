import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayAttempt } from '../../shared/capture';
import { captureViewSchema } from '../../shared/capture';
import { endpointViewSchema } from '../../shared/endpoint';
import { rawRequest, sha256 } from '../support/http';
import { startTarget, type TargetServer } from '../support/target-server';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let target: TargetServer;
beforeAll(async () => {
  server = await startTestServer({}, { replay: { forwardBackoffMs: () => 20 } });
  target = await startTarget();
});
afterAll(async () => {
  await target.close();
  await server.dispose();
});

async function endpointForwardingTo(forward: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await server.api('/api/endpoints', { method: 'POST', json: { forward, ...extra } });
  expect(res.status).toBe(201);
  return endpointViewSchema.parse(await res.json()).id;
}

/** Resolves with the first `count` forward attempts recorded for the endpoint. */
function forwardAttempts(endpointId: string, count: number): Promise<ReplayAttempt[]> {
  const seen: ReplayAttempt[] = [];
  return new Promise((resolve) => {
    const stop = server.hub.subscribe((event) => {
      if (event.type !== 'replay-result' || event.endpointId !== endpointId) return;
      seen.push(event.attempt);
      if (seen.length === count) {
        stop();
        resolve(seen);
      }
    });
  });
}

describe('async forward rule', () => {
  it('retries with backoff: a target failing twice then succeeding gets it, three attempts recorded', async () => {
    const endpointId = await endpointForwardingTo({ url: `${target.url}/dev`, mode: 'async', maxAttempts: 5 });
    let calls = 0;
    target.respond((_request, reply) => {
      calls += 1;
      reply.statusCode = calls <= 2 ? 503 : 200;
      reply.end(calls <= 2 ? 'down' : 'handled');
    });
    const attempts = forwardAttempts(endpointId, 3);
    const before = target.received.length;
    const body = Buffer.from('{"event":"order.paid"}');
    const res = await rawRequest(`${server.url}/h/${endpointId}/orders?v=2`, { headers: ['Content-Type', 'application/json'], body });
    expect(res.status).toBe(200); // the sender is answered at once, before forwarding
    const id = (JSON.parse(res.body.toString()) as { id: string }).id;

    expect((await attempts).map((a) => [a.attempt, a.status])).toEqual([[1, 503], [2, 503], [3, 200]]);
    const got = target.received.slice(before);
    expect(got.map((r) => r.url)).toEqual(Array(3).fill('/dev/orders?v=2'));
    expect(got.every((r) => r.sha256 === sha256(body))).toBe(true);
    const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${id}`)).json());
    expect(capture.replays.map((a) => [a.kind, a.attempt, a.status])).toEqual([['forward', 1, 503], ['forward', 2, 503], ['forward', 3, 200]]);
    await fetch(`${server.url}/healthz`);
    expect(calls).toBe(3); // delivered once successfully, then no more attempts
    target.respond((_r, reply) => void reply.end('ok'));
  });

  it('gives up after maxAttempts and does not retry a 4xx', async () => {
    const endpointId = await endpointForwardingTo({ url: target.url, mode: 'async', maxAttempts: 2 });
    target.respond((request, reply) => {
      reply.statusCode = request.body.toString() === 'bad' ? 400 : 500;
      reply.end();
    });
    const attempts = forwardAttempts(endpointId, 3);
    await fetch(`${server.url}/h/${endpointId}`, { method: 'POST', body: 'bad' });
    await fetch(`${server.url}/h/${endpointId}`, { method: 'POST', body: 'flaky' });
    const statuses = (await attempts).map((a) => a.status).sort();
    expect(statuses).toEqual([400, 500, 500]);
    target.respond((_r, reply) => void reply.end('ok'));
  });
});

describe('proxy forward rule', () => {
  it('answers the sender with the target\'s status, headers and body, and records it', async () => {
    const endpointId = await endpointForwardingTo({ url: `${target.url}/handler`, mode: 'proxy', timeoutMs: 2000 });
    const answer = Buffer.from([0x01, 0xff, 0x00, 0x7f]);
    target.respond((_request, reply) => {
      reply.writeHead(202, { 'content-type': 'application/x-custom', 'x-handler': 'v2' });
      reply.end(answer);
    });
    const recorded = forwardAttempts(endpointId, 1); // recorded just after the reply goes out
    const res = await rawRequest(`${server.url}/h/${endpointId}`, { headers: ['X-Event', 'ping'], body: 'payload' });
    expect(res.status).toBe(202);
    expect(res.headers['x-handler']).toBe('v2');
    expect(res.headers['content-type']).toBe('application/x-custom');
    expect(res.body.equals(answer)).toBe(true);
    expect(target.received.at(-1)?.body.toString()).toBe('payload');
    await recorded;
    const list = (await (await server.api(`/api/endpoints/${endpointId}/requests`)).json()) as { items: { id: string }[] };
    const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${list.items[0]?.id}`)).json());
    expect(capture.reply.status).toBe(202); // the reply actually sent
    expect(capture.replays).toMatchObject([{ kind: 'forward', status: 202, body: { encoding: 'base64', data: answer.toString('base64') } }]);
    target.respond((_r, reply) => void reply.end('ok'));
  });

  it('falls back to the configured response when the target is too slow', async () => {
    const endpointId = await endpointForwardingTo(
      { url: target.url, mode: 'proxy', timeoutMs: 300 },
      { response: { status: 201, body: 'fallback', headers: { 'content-type': 'text/plain' } } },
    );
    target.respond(() => undefined); // never answers
    const recorded = forwardAttempts(endpointId, 1);
    const started = performance.now();
    const res = await fetch(`${server.url}/h/${endpointId}`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('fallback');
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    await recorded;
    const list = (await (await server.api(`/api/endpoints/${endpointId}/requests`)).json()) as { items: { id: string }[] };
    const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${list.items[0]?.id}`)).json());
    expect(capture.replays[0]?.error).toMatch(/timeout/);
    expect(capture.reply.status).toBe(201);
    target.respond((_r, reply) => void reply.end('ok'));
  });

  it('falls back when the target is down', async () => {
    const down = await startTarget();
    await down.close();
    const endpointId = await endpointForwardingTo({ url: down.url, mode: 'proxy' });
    const res = await fetch(`${server.url}/h/${endpointId}`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });
});
