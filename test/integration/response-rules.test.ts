// Response rules against a platform-like sender that retries on 5xx, resets and timeouts: the
// sender sees the injected failures as a platform would, and every attempt is captured with
// the rule that answered it and grouped into the delivery's timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureView } from '../../shared/capture';
import type { EndpointView } from '../../shared/endpoint';
import { attemptOnce, deliverWithRetries } from '../support/retrying-sender';
import { connectStream } from '../support/stream-client';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/test-server';
import { tempDir } from '../support/temp-dir';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.dispose());

async function endpointWith(srv: TestServer, config: Record<string, unknown>): Promise<EndpointView> {
  const res = await srv.api('/api/endpoints', { method: 'POST', json: config });
  expect(res.status).toBe(201);
  return (await res.json()) as EndpointView;
}

async function newestCapture(srv: TestServer, endpointId: string): Promise<CaptureView> {
  const list = (await (await srv.api(`/api/endpoints/${endpointId}/requests?limit=1`)).json()) as { items: { id: string }[] };
  return (await (await srv.api(`/api/requests/${list.items[0]?.id}`)).json()) as CaptureView;
}

const message = JSON.stringify({ type: 'message.created', data: { id: 'm1', text: 'hi' } });

describe('firstAttempts against a retrying sender', () => {
  it('fails the first two deliveries of one id with 503; the sender retries on its schedule and the timeline shows it', async () => {
    const ep = await endpointWith(server, { rules: [{ match: { eventType: 'message.*' }, fail: { firstAttempts: 2, status: 503 } }] });
    const lines = await deliverWithRetries({ url: `${server.url}/h/${ep.id}`, body: message, headers: { 'webhook-id': 'msg_1' }, schedule: [30, 90, 270] });
    expect(lines.map((l) => l.status)).toEqual([503, 503, 200]);
    expect(lines[1]!.at - lines[0]!.at).toBeGreaterThanOrEqual(30);
    expect(lines[2]!.at - lines[1]!.at).toBeGreaterThanOrEqual(90);

    const last = await newestCapture(server, ep.id);
    expect(last.eventType).toBe('message.created');
    expect(last.rule).toBeNull(); // fell through to the endpoint's response
    expect(last.deliveryAttempts.map((a) => a.status)).toEqual([503, 503, 200]);
    const [a1, a2, a3] = last.deliveryAttempts;
    expect(a3!.id).toBe(last.id);
    expect(a2!.receivedAt - a1!.receivedAt).toBeGreaterThanOrEqual(29);
    expect(a3!.receivedAt - a2!.receivedAt).toBeGreaterThanOrEqual(89);
    const first = (await (await server.api(`/api/requests/${a1!.id}`)).json()) as CaptureView;
    expect(first.rule).toEqual({ index: 0, action: 'fail', attempt: 1 });
    expect(first.duplicateOf).toBeNull();
    expect(last.duplicateOf).toBe(a1!.id);
    expect(first.deliveryAttempts).toEqual(last.deliveryAttempts); // any attempt shows the whole timeline

    // Another delivery id starts its own count.
    const again = await deliverWithRetries({ url: `${server.url}/h/${ep.id}`, body: message, headers: { 'webhook-id': 'msg_2' }, schedule: [10, 10, 10] });
    expect(again.map((l) => l.status)).toEqual([503, 503, 200]);
  });

  it('counts by the body hash when the platform sends no delivery id', async () => {
    const ep = await endpointWith(server, { rules: [{ fail: { firstAttempts: 1, status: 500 } }] });
    const lines = await deliverWithRetries({ url: `${server.url}/h/${ep.id}`, body: '{"n":1}', schedule: [10, 10] });
    expect(lines.map((l) => l.status)).toEqual([500, 200]);
    const last = await newestCapture(server, ep.id);
    expect(last.deliveryId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(last.deliveryAttempts.map((a) => a.status)).toEqual([500, 200]);
    expect((await attemptOnce(`${server.url}/h/${ep.id}`, '{"n":2}', {}, 10_000)).status).toBe(500); // a different body is a new delivery
  });

  it('counts across a restart: the count is read from the stored captures', async () => {
    const dir = await tempDir();
    const body = JSON.stringify({ type: 'invoice.paid' });
    let srv = await startTestServer({ data: dir.path });
    try {
      const ep = await endpointWith(srv, { rules: [{ fail: { firstAttempts: 2, status: 502 } }] });
      const send = () => attemptOnce(`${srv.url}/h/${ep.id}`, body, { 'webhook-id': 'evt_restart' }, 10_000);
      expect((await send()).status).toBe(502);
      await srv.close();
      srv = await startTestServer({ data: dir.path });
      expect((await send()).status).toBe(502);
      expect((await send()).status).toBe(200);
    } finally {
      await srv.close();
      await dir.remove();
    }
  });
});

describe('rules by path, event type and header', () => {
  it('the first matching rule answers; captures record which', async () => {
    const ep = await endpointWith(server, {
      response: { status: 200, headers: { 'X-Base': 'yes' } },
      rules: [
        { name: 'orders', match: { path: '/orders/*' }, response: { status: 201, body: '{"created":true}' } },
        { match: { eventType: 'invoice.*' }, response: { status: 202, headers: { 'X-Rule': 'invoice' } } },
        { match: { header: { name: 'x-env', value: 'stag*' } }, response: { status: 409 } },
        { match: { method: 'DELETE' }, fail: { status: 418 } },
      ],
    });
    const base = `${server.url}/h/${ep.id}`;
    const orders = await fetch(`${base}/orders/17`, { method: 'POST', body: JSON.stringify({ type: 'invoice.paid' }) });
    expect(orders.status).toBe(201);
    expect(orders.headers.get('x-base')).toBe('yes'); // the endpoint's headers stay unless the rule replaces them
    expect(await orders.text()).toBe('{"created":true}');
    const invoice = await fetch(`${base}/billing`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'invoice.paid' }) });
    expect(invoice.status).toBe(202);
    expect(invoice.headers.get('x-rule')).toBe('invoice');
    expect(((await invoice.json()) as { ok: boolean }).ok).toBe(true); // no body given: the default one
    expect((await fetch(base, { method: 'POST', headers: { 'X-Env': 'staging' }, body: '{}' })).status).toBe(409);
    expect((await fetch(base, { method: 'POST', headers: { 'X-Env': 'prod' }, body: '{}' })).status).toBe(200);
    const teapot = await fetch(`${base}/x`, { method: 'DELETE' });
    expect(teapot.status).toBe(418);
    expect(((await teapot.json()) as { error: string }).error).toMatch(/failure injected by response rule 4/);

    const list = (await (await server.api(`/api/endpoints/${ep.id}/requests`)).json()) as { items: CaptureView[] };
    expect(list.items.map((c) => [c.reply.status, c.rule?.index ?? null, c.rule?.action ?? null])).toEqual([
      [418, 3, 'fail'], [200, null, null], [409, 2, 'response'], [202, 1, 'response'], [201, 0, 'response'],
    ]);
    expect(list.items[4]?.rule?.name).toBe('orders');
  });

  it('an enforced signature check refuses before any rule answers', async () => {
    const ep = await endpointWith(server, { verify: { mode: 'enforce', hmac: { preset: 'github', secret: 's3cret' } }, rules: [{ response: { status: 201 } }] });
    expect((await fetch(`${server.url}/h/${ep.id}`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await newestCapture(server, ep.id)).rule).toBeNull();
  });
});

describe('drop and timeoutMs', () => {
  it('drop: the sender sees a reset connection, retries, and the retry gets through', async () => {
    const ep = await endpointWith(server, { rules: [{ fail: { drop: true, firstAttempts: 1 } }] });
    const lines = await deliverWithRetries({ url: `${server.url}/h/${ep.id}`, body: message, headers: { 'x-github-delivery': 'd-1' }, schedule: [20] });
    expect(lines.map((l) => l.error ?? l.status)).toEqual(['reset', 200]);
    const last = await newestCapture(server, ep.id);
    expect(last.deliveryAttempts.map((a) => a.status)).toEqual([0, 200]); // 0: nothing was answered
    const dropped = (await (await server.api(`/api/requests/${last.deliveryAttempts[0]?.id}`)).json()) as CaptureView;
    expect(dropped.rule).toEqual({ index: 0, action: 'drop', attempt: 1 });
    expect(dropped.body.data).toBe(message); // the dropped delivery is still kept
  });

  it('timeoutMs: the sender times out waiting; the capture is stored all the same', async () => {
    const ep = await endpointWith(server, { rules: [{ fail: { timeoutMs: 60_000 } }] });
    const outcome = await attemptOnce(`${server.url}/h/${ep.id}`, '{"slow":true}', {}, 300);
    expect(outcome.error).toBe('timeout'); // the sender's 300 ms, long before the rule's 60 s
    const capture = await newestCapture(server, ep.id);
    expect(capture.rule).toEqual({ index: 0, action: 'timeout' });
    expect(capture.reply.status).toBe(0);
  });

  it('timeoutMs shorter than the sender’s patience: the connection is closed without an answer', async () => {
    const ep = await endpointWith(server, { rules: [{ fail: { timeoutMs: 100 } }] });
    const started = performance.now();
    expect((await attemptOnce(`${server.url}/h/${ep.id}`, '{}', {}, 5_000)).error).toBe('reset');
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });
});

describe('the rules preview', () => {
  it('evaluates a sample against draft rules, stores nothing, and explains each rule', async () => {
    const ep = await endpointWith(server, { rules: [{ response: { status: 204 } }] });
    const preview = async (json: unknown) => server.api(`/api/endpoints/${ep.id}/rules/preview`, { method: 'POST', json });
    const draft = [
      { match: { path: '/orders/*' }, response: { status: 201 } },
      { match: { eventType: 'message.*' }, fail: { firstAttempts: 2, status: 503 } },
    ];
    const res = await preview({ rules: draft, request: { path: '/messages', headers: [['webhook-id', 'msg_9']], body: message } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      eventType: 'message.created',
      deliveryId: 'webhook-id:msg_9',
      trace: [
        { index: 0, matched: false, note: 'path /messages does not match /orders/*' },
        { index: 1, matched: true, note: 'fails with 503 (attempt 1 of the first 2)' },
      ],
      answer: { rule: { index: 1, action: 'fail', attempt: 1 }, status: 503, note: 'fails with 503 (attempt 1 of the first 2)' },
    });
    const third = (await (await preview({ rules: draft, request: { path: '/messages', body: message }, previousAttempts: 2 })).json()) as { answer: unknown; deliveryId: string };
    expect(third.answer).toEqual({ rule: null, status: 200, delayMs: 0, note: 'no rule answers: the endpoint’s response' });
    expect(third.deliveryId).toMatch(/^sha256:/);
    const saved = (await (await preview({ request: {} })).json()) as { answer: { status: number } };
    expect(saved.answer.status).toBe(204); // no draft: the saved rules
    expect((await (await server.api(`/api/endpoints/${ep.id}`)).json() as EndpointView).captureCount).toBe(0);

    const bad = await preview({ rules: [{ match: {} }], request: {} });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { details: { message: string }[] }).details[0]?.message).toMatch(/either response or fail/);
    expect((await server.api('/api/endpoints/nope/rules/preview', { method: 'POST', json: { request: {} } })).status).toBe(404);
  });

  it('rule changes are saved with PATCH and refused with a readable error when malformed', async () => {
    const ep = await endpointWith(server, {});
    const stream = await connectStream(server.url, TEST_TOKEN);
    stream.send({ type: 'subscribe', subscriptions: [{ endpointId: ep.id }] });
    await stream.waitFor((m) => m.type === 'caught-up');
    const ok = await server.api(`/api/endpoints/${ep.id}`, { method: 'PATCH', json: { rules: [{ match: { path: '/a' }, fail: { rate: 0.5 } }] } });
    expect(((await ok.json()) as EndpointView).rules).toEqual([{ match: { path: '/a' }, fail: { rate: 0.5 } }]);
    const update = await stream.waitFor((m) => m.type === 'endpoint-updated'); // rule changes reach inspectors as endpoint updates
    expect(update.type === 'endpoint-updated' && update.endpoint.rules).toEqual([{ match: { path: '/a' }, fail: { rate: 0.5 } }]);
    stream.close();
    const bad = await server.api(`/api/endpoints/${ep.id}`, { method: 'PATCH', json: { rules: [{ fail: { drop: true, timeoutMs: 10 } }] } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/one of status, drop or timeoutMs/);
  });
});
