import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_CLOSE_BAD_MESSAGE, STREAM_CLOSE_TOO_SLOW, STREAM_CLOSE_UNAUTHORIZED } from '../../shared/stream';
import { SKIPPED_SCHEMA, SKIPPED_SIGNATURE } from '../../shared/verdicts';
import { connectStream } from '../support/stream-client';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({}, { stream: { maxBufferedBytes: 64 * 1024, heartbeatMs: 300 } });
});
afterAll(() => server.dispose());

async function newEndpoint(): Promise<string> {
  const res = await server.api('/api/endpoints', { method: 'POST', json: { retention: { maxCaptures: 100_000 } } });
  return ((await res.json()) as { id: string }).id;
}

async function post(endpointId: string, body = 'x'): Promise<string> {
  const res = await fetch(`${server.url}/h/${endpointId}`, { method: 'POST', body });
  return ((await res.json()) as { id: string }).id;
}

const caughtUp = (endpointId: string) => (m: { type: string; endpointId?: string }) => m.type === 'caught-up' && m.endpointId === endpointId;

describe('stream authentication', () => {
  it('closes with 4401 on a wrong token', async () => {
    const client = await connectStream(server.url);
    client.send({ type: 'auth', token: 'wrong-token-wrong-token' });
    expect((await client.closed).code).toBe(STREAM_CLOSE_UNAUTHORIZED);
  });

  it('closes with 4401 when the first message is not auth', async () => {
    const client = await connectStream(server.url);
    client.send({ type: 'subscribe', subscriptions: [{ endpointId: 'default' }] });
    expect((await client.closed).code).toBe(STREAM_CLOSE_UNAUTHORIZED);
    expect(client.captureIds()).toEqual([]);
  });

  it('closes with 4400 on a malformed message', async () => {
    const client = await connectStream(server.url, TEST_TOKEN);
    client.ws.send('{"type":"subscribe","subscriptions":"all"}');
    expect((await client.closed).code).toBe(STREAM_CLOSE_BAD_MESSAGE);
  });
});

describe('stream delivery', () => {
  it('sends everything without a cursor, then live captures', async () => {
    const endpointId = await newEndpoint();
    const before = [await post(endpointId), await post(endpointId)];
    const client = await connectStream(server.url, TEST_TOKEN);
    client.send({ type: 'subscribe', subscriptions: [{ endpointId }] });
    await client.waitFor(caughtUp(endpointId));
    expect(client.captureIds()).toEqual(before);
    const live = await post(endpointId, '{"live":true}');
    const message = await client.waitFor((m) => m.type === 'capture' && m.capture.id === live);
    expect(message.type === 'capture' && message.capture).toMatchObject({ id: live, endpointId, method: 'POST', size: 13 });
    client.close();
  });

  it('resumes after a cursor', async () => {
    const endpointId = await newEndpoint();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await post(endpointId));
    const client = await connectStream(server.url, TEST_TOKEN);
    client.send({ type: 'subscribe', subscriptions: [{ endpointId, cursor: ids[1] }] });
    await client.waitFor(caughtUp(endpointId));
    expect(client.captureIds()).toEqual(ids.slice(2));
    client.close();
  });

  it('neither loses nor doubles deliveries that arrive during the catch-up', async () => {
    const endpointId = await newEndpoint();
    const initial: string[] = [];
    for (let i = 0; i < 1200; i++) {
      const stored = await server.store.append({
        endpointId, receivedAt: Date.now(), method: 'POST', path: '', query: '', peer: '127.0.0.1', headers: [], body: Buffer.from(`seed ${i}`),
        size: 6, contentType: null, reply: { status: 200 }, verdicts: { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA }, deliveryId: null, duplicateOf: null, eventType: null,
      });
      initial.push(stored.id);
    }
    const cursor = initial[99];
    // Four senders keep delivering while the client subscribes and catches up, and a little after.
    const liveIds: string[] = [];
    let posting = true;
    const sender = async () => {
      while (posting) liveIds.push(await post(endpointId, 'during catch-up'));
    };
    const senders = [sender(), sender(), sender(), sender()];
    await new Promise((resolve) => setTimeout(resolve, 30));
    const client = await connectStream(server.url, TEST_TOKEN);
    client.send({ type: 'subscribe', subscriptions: [{ endpointId, cursor }] });
    await client.waitFor(caughtUp(endpointId), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    posting = false;
    await Promise.all(senders);
    expect(liveIds.length).toBeGreaterThan(10);
    const expected = [...initial.slice(100), ...liveIds].sort();
    const last = expected[expected.length - 1];
    await client.waitFor((m) => m.type === 'capture' && m.capture.id === last, 10_000);
    const received = client.captureIds();
    expect(new Set(received).size).toBe(received.length); // no duplicate
    expect(received).toEqual(expected); // no gap, in order
    client.close();
  });

  it('announces deletions, clears and endpoint changes', async () => {
    const endpointId = await newEndpoint();
    const id = await post(endpointId);
    const client = await connectStream(server.url, TEST_TOKEN);
    client.send({ type: 'subscribe', subscriptions: [{ endpointId }] });
    await client.waitFor(caughtUp(endpointId));
    await server.api(`/api/requests/${id}`, { method: 'DELETE' });
    await client.waitFor((m) => m.type === 'capture-deleted' && m.id === id);
    await server.api(`/api/endpoints/${endpointId}/requests`, { method: 'DELETE' });
    await client.waitFor((m) => m.type === 'captures-cleared' && m.endpointId === endpointId);
    await server.api(`/api/endpoints/${endpointId}`, { method: 'PATCH', json: { name: 'renamed' } });
    await client.waitFor((m) => m.type === 'endpoint-updated' && m.endpoint.name === 'renamed');
    await server.api(`/api/endpoints/${endpointId}`, { method: 'DELETE' });
    await client.waitFor((m) => m.type === 'endpoint-deleted' && m.endpointId === endpointId);
    client.close();
  });

  it('reports an unknown endpoint without closing', async () => {
    const client = await connectStream(server.url, TEST_TOKEN);
    client.send({ type: 'subscribe', subscriptions: [{ endpointId: 'no-such-endpoint' }] });
    const error = await client.waitFor((m) => m.type === 'error');
    expect(error.type === 'error' && error.message).toMatch(/no-such-endpoint/);
    client.send({ type: 'ping' });
    await client.waitFor((m) => m.type === 'pong');
    client.close();
  });
});

describe('stream resources', () => {
  it('cuts off a consumer that stops reading, keeping server memory bounded', async () => {
    const endpointId = await newEndpoint();
    const big = 'y'.repeat(200);
    for (let i = 0; i < 3000; i++) {
      await server.store.append({
        endpointId, receivedAt: Date.now(), method: 'POST', path: `/${big}`, query: big, peer: '127.0.0.1', headers: [], body: Buffer.alloc(0),
        size: 0, contentType: null, reply: { status: 200 }, verdicts: { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA }, deliveryId: null, duplicateOf: null, eventType: null,
      });
    }
    const client = await connectStream(server.url, TEST_TOKEN);
    const clientsBefore = server.stream.clients;
    // Stop reading: the socket's data stays in the kernel and the server's send buffer grows.
    (client.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    client.send({ type: 'subscribe', subscriptions: [{ endpointId }] });
    const deadline = Date.now() + 10_000;
    while (server.stream.clients >= clientsBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(server.stream.clients).toBeLessThan(clientsBefore);
    (client.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await client.closed;
    expect([STREAM_CLOSE_TOO_SLOW, 1006]).toContain(closed.code);
  });

  it('drops a peer that stops answering pings', async () => {
    const client = await connectStream(server.url, TEST_TOKEN);
    const clientsBefore = server.stream.clients;
    (client.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const deadline = Date.now() + 5000;
    while (server.stream.clients >= clientsBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(server.stream.clients).toBeLessThan(clientsBefore);
    client.ws.terminate();
  });
});

describe('stream upgrades', () => {
  it('survives clients that reset an upgrade to the wrong path', async () => {
    const { connect } = await import('node:net');
    await Promise.all(Array.from({ length: 20 }, () => new Promise<void>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(`GET /nope HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n${'j'.repeat(100_000)}`);
        socket.resetAndDestroy();
        resolve();
      });
      socket.on('error', () => resolve());
    })));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
