import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureViewSchema } from '../../shared/capture';
import { endpointViewSchema } from '../../shared/endpoint';
import { replayResultSchema, type ReplayResult } from '../../shared/replay';
import { forwardableHeaders } from '../../server/replay/outgoing';
import { rawRequest, sha256 } from '../support/http';
import { connectStream } from '../support/stream-client';
import { startTarget, type Received, type TargetServer } from '../support/target-server';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let target: TargetServer;
beforeAll(async () => {
  server = await startTestServer();
  target = await startTarget();
});
afterAll(async () => {
  await target.close();
  await server.dispose();
});

/** Sends a delivery with exact header order/case; resolves to the capture id. */
async function ingest(path: string, headers: string[], body: Buffer, method = 'POST'): Promise<string> {
  const res = await rawRequest(`${server.url}${path}`, { method, headers, body });
  return (JSON.parse(res.body.toString()) as { id: string }).id;
}

async function replay(captureId: string, json: unknown): Promise<{ status: number; body: unknown }> {
  const res = await server.api(`/api/requests/${captureId}/replay`, { method: 'POST', json });
  return { status: res.status, body: await res.json() };
}

async function replayOk(captureId: string, json: unknown): Promise<ReplayResult> {
  const { status, body } = await replay(captureId, json);
  expect(status, JSON.stringify(body)).toBe(200);
  return replayResultSchema.parse(body);
}

/** What the target got, minus what the client adds per connection. */
const endToEnd = (r: Received) => r.headers.filter(([name]) => !/^(host|content-length|connection)$/i.test(name));

describe('replay of one capture', () => {
  it('sends the original method, sub-path, headers (order, case, repeats) and exact body bytes', async () => {
    const body = Buffer.from([0x7b, 0xff, 0x00, 0xfe, 0x0a, 0x80]); // invalid UTF-8 on purpose
    const id = await ingest('/h/default/github/push?x=1&y=%20', [
      'X-GitHub-Event', 'push', 'content-type', 'application/octet-stream', 'X-Tag', 'a', 'x-tag', 'b',
      'Connection', 'keep-alive', 'Keep-Alive', 'timeout=5', 'User-Agent', 'GitHub-Hookshot/abc',
    ], body, 'PUT');
    const result = await replayOk(id, { url: `${target.url}/base`, appendPath: true });

    const got = target.received.at(-1) as Received;
    const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${id}`)).json());
    expect(got.method).toBe('PUT');
    expect(got.url).toBe('/base/github/push?x=1&y=%20');
    expect(got.sha256).toBe(sha256(body));
    expect(endToEnd(got)).toEqual(forwardableHeaders(capture.headers));
    expect(endToEnd(got).map(([n]) => n)).toEqual(['X-GitHub-Event', 'content-type', 'X-Tag', 'x-tag', 'User-Agent']);
    expect(result.sent.bodySha256).toBe(sha256(body));
    expect(result.attempt).toMatchObject({ kind: 'replay', status: 200, body: { encoding: 'utf8', data: 'ok', truncated: false } });
    expect(capture.replays).toEqual([result.attempt]);
  });

  it('applies header overrides and a replacement body, and recomputes Content-Length', async () => {
    const id = await ingest('/h/default', ['Content-Type', 'application/json', 'X-Remove', '1', 'X-Keep', 'k'], Buffer.from('{"a":1}'));
    const replacement = '{"a":"é"}';
    await replayOk(id, { url: target.url, headers: { 'x-remove': null, 'X-Added': 'yes', 'content-type': 'application/vnd.x+json' }, body: { encoding: 'utf8', data: replacement } });
    const got = target.received.at(-1) as Received;
    expect(endToEnd(got)).toEqual([['content-type', 'application/vnd.x+json'], ['X-Keep', 'k'], ['X-Added', 'yes']]);
    expect(got.body.toString()).toBe(replacement);
    expect(got.headers).toContainEqual(['Content-Length', String(Buffer.byteLength(replacement))]);
    // The history keeps what was sent: the edited body and the headers as they went out.
    const [attempt] = captureViewSchema.parse(await (await server.api(`/api/requests/${id}`)).json()).replays;
    expect(attempt?.sent).toMatchObject({ method: 'POST', bodySize: Buffer.byteLength(replacement), body: { encoding: 'utf8', data: replacement, truncated: false } });
    expect(attempt?.sent?.headers).toEqual(got.headers.filter(([name]) => name.toLowerCase() !== 'connection')); // the agent's own
  });

  it('keeps no copy of an unedited body with the attempt', async () => {
    const id = await ingest('/h/default', ['Content-Type', 'application/json'], Buffer.from('{"same":true}'));
    const result = await replayOk(id, { url: target.url });
    expect(result.attempt.sent).toMatchObject({ bodySize: 13, bodySha256: sha256('{"same":true}') });
    expect(result.attempt.sent?.body).toBeUndefined();
  });

  it('re-signs with the endpoint\'s scheme so the handler\'s stripe library accepts it, and pushes the result live', async () => {
    const secret = 'whsec_replay_test_secret';
    const res = await server.api('/api/endpoints', { method: 'POST', json: { verify: { mode: 'observe', hmac: { preset: 'stripe', secret } } } });
    const endpoint = endpointViewSchema.parse(await res.json());
    const id = await ingest(`/h/${endpoint.id}`, ['Content-Type', 'application/json', 'Stripe-Signature', 't=1,v1=stale'], Buffer.from('{"id":"evt_9","object":"event"}'));
    const stripe = new Stripe('sk_test_unused');
    target.respond((request, reply) => {
      try {
        const event = stripe.webhooks.constructEvent(request.body, String(request.headers.find(([n]) => n.toLowerCase() === 'stripe-signature')?.[1]), secret);
        reply.end(`verified ${event.id}`);
      } catch (error) {
        reply.statusCode = 400;
        reply.end((error as Error).message);
      }
    });
    const stream = await connectStream(server.url, server.token);
    stream.send({ type: 'subscribe', subscriptions: [{ endpointId: endpoint.id }] });
    await stream.waitFor((m) => m.type === 'caught-up');
    try {
      const unsigned = await replayOk(id, { url: target.url });
      expect(unsigned.attempt.status).toBe(400); // the stale signature fails, as it should
      const signed = await replayOk(id, { url: target.url, resign: {} });
      expect(signed.attempt).toMatchObject({ status: 200, body: { data: 'verified evt_9' } });
      const pushed = await stream.waitFor((m) => m.type === 'replay-result' && m.attempt.id === signed.attempt.id);
      expect(pushed).toMatchObject({ endpointId: endpoint.id, captureId: id });
    } finally {
      stream.close();
      target.respond((_r, reply) => void reply.end('ok'));
    }
  });

  it('records what went wrong: refused connection, timeout', async () => {
    const id = await ingest('/h/default', [], Buffer.from('x'));
    const closed = await startTarget();
    await closed.close();
    const refused = await replayOk(id, { url: closed.url });
    expect(refused.attempt.error).toMatch(/connection refused/);
    target.respond(() => undefined); // never answers
    const slow = await replayOk(id, { url: target.url, timeoutMs: 200 });
    target.respond((_r, reply) => void reply.end('ok'));
    expect(slow.attempt.error).toMatch(/timeout/);
    expect(slow.attempt.durationMs).toBeGreaterThanOrEqual(150);
  });

  it('does not follow redirects unless asked, and caps the answer body', async () => {
    const id = await ingest('/h/default', [], Buffer.from('payload'));
    target.respond((request, reply) => {
      if (request.url === '/moved') return void reply.writeHead(307, { location: '/final' }).end();
      if (request.url === '/big') return void reply.end(Buffer.alloc(1024 * 1024, 0x61));
      reply.end(`final got ${request.body.toString()}`);
    });
    try {
      const before = target.received.length;
      const notFollowed = await replayOk(id, { url: `${target.url}/moved` });
      expect(notFollowed.attempt.status).toBe(307);
      expect(target.received.length).toBe(before + 1);
      const followed = await replayOk(id, { url: `${target.url}/moved`, followRedirects: true });
      expect(followed.attempt).toMatchObject({ status: 200, url: `${target.url}/final`, body: { data: 'final got payload' } });
      const big = await replayOk(id, { url: `${target.url}/big` });
      expect(big.attempt.body?.truncated).toBe(true);
      expect(big.attempt.body?.data.length).toBe(256 * 1024);
    } finally {
      target.respond((_r, reply) => void reply.end('ok'));
    }
  });

  it('answers 400 for an impossible re-sign or a bad URL, 404 for an unknown capture', async () => {
    const id = await ingest('/h/default', [], Buffer.from('x'));
    expect((await replay(id, { url: target.url, resign: {} })).body).toMatchObject({ error: expect.stringMatching(/cannot re-sign/) });
    expect((await replay(id, { url: 'file:///etc/passwd' })).status).toBe(400);
    expect((await replay('nope', { url: target.url })).status).toBe(404);
  });
});

describe('a delivery refused before its body was kept', () => {
  it('cannot be replayed or copied as curl (409 saying why), unless a body is given', async () => {
    const small = await startTestServer({ bodyLimit: 16 });
    try {
      const res = await rawRequest(`${small.url}/h/default`, { headers: ['Content-Type', 'text/plain'], body: Buffer.alloc(64, 'x') });
      expect(res.status).toBe(413);
      const { id } = JSON.parse(res.body.toString()) as { id: string };
      for (const route of ['replay', 'curl']) {
        const refused = await small.api(`/api/requests/${id}/${route}`, { method: 'POST', json: { url: target.url } });
        expect(refused.status).toBe(409);
        expect(((await refused.json()) as { error: string }).error).toMatch(/body was not kept/);
      }
      const given = await small.api(`/api/requests/${id}/curl`, { method: 'POST', json: { url: target.url, body: { encoding: 'utf8', data: 'x' } } });
      expect(given.status).toBe(200);
    } finally {
      await small.dispose();
    }
  });
});
