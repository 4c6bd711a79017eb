// Alerts on the embedded store, with an injected clock: a burst reaching its threshold sends one
// message per window to a local receiver (Slack-compatible `text` plus the facts), silence is
// noticed by the clock, failures are retried and recorded, the target policy applies, and a
// restart does not send a window again.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AlertAttempt, AlertMessage } from '../../shared/alerts';
import type { EndpointView } from '../../shared/endpoint';
import { connectStream } from '../support/stream-client';
import { startTarget, type TargetServer } from '../support/target-server';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/test-server';
import { tempDir } from '../support/temp-dir';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0); // the start of an hour: windows of 60 s and 1 h start here
let clock = T0;
let receiver: TargetServer;
let server: TestServer;

beforeAll(async () => {
  receiver = await startTarget();
});
afterAll(async () => receiver?.close());
afterEach(async () => {
  await server?.dispose();
  receiver.received.length = 0;
  receiver.respond((_r, res) => void res.end('ok'));
});

async function start(overrides = {}, dataDir?: string): Promise<TestServer> {
  clock = T0;
  return startTestServer({ ...(dataDir && { data: dataDir }), ...overrides }, { now: () => clock, alerts: { tickMs: 0, retryDelaysMs: [10, 10] } });
}

async function endpointWith(srv: TestServer, config: Record<string, unknown>): Promise<EndpointView> {
  const res = await srv.api('/api/endpoints', { method: 'POST', json: config });
  expect(res.status).toBe(201);
  return (await res.json()) as EndpointView;
}

const githubEnforced = { mode: 'enforce', hmac: { preset: 'github', secret: 'rotated' } };
const badSignature = (srv: TestServer, id: string) =>
  fetch(`${srv.url}/h/${id}`, { method: 'POST', headers: { 'X-Hub-Signature-256': 'sha256=00', 'content-type': 'application/json' }, body: '{"zen":"x"}' });
const messages = () => receiver.received.map((r) => JSON.parse(r.body.toString()) as AlertMessage);
const attempts = async (srv: TestServer, id: string) =>
  ((await (await srv.api(`/api/endpoints/${id}/alerts/attempts`)).json()) as { items: AlertAttempt[] }).items;

describe('threshold alerts', () => {
  it('send one message per window once the threshold is reached, with the facts and a Slack text', async () => {
    server = await start();
    const ep = await endpointWith(server, { verify: githubEnforced, alerts: [{ on: 'signature-invalid', threshold: 3, windowSec: 60, url: `${receiver.url}/slack/T000/B000/XXXX` }] });
    const stream = await connectStream(server.url, TEST_TOKEN);
    stream.send({ type: 'subscribe', subscriptions: [{ endpointId: ep.id }] });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      clock = T0 + i * 1000;
      const res = await badSignature(server, ep.id);
      expect(res.status).toBe(401);
      ids.push(((await res.json()) as { id: string }).id);
    }
    await server.alerts.idle();
    expect(messages()).toEqual([{
      text: expect.stringMatching(/^Hookscope: 3 deliveries with a failed signature check on “Endpoint .+” \(.+\) within 1 min \(window from 2026-01-05T10:00:00.000Z\)\. Captures: /),
      endpointId: ep.id, alert: 'signature-invalid', count: 3, windowSec: 60, windowStart: T0, captureIds: ids.slice(0, 3),
    }]);
    expect(receiver.received[0]?.url).toBe('/slack/T000/B000/XXXX');
    expect(receiver.received[0]?.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1]).toBe('application/json');
    const event = await stream.waitFor((m) => m.type === 'alert-sent');
    expect(event).toMatchObject({ type: 'alert-sent', endpointId: ep.id, attempt: { status: 200, try: 1, count: 3 } });
    stream.close();

    // The next window starts counting again.
    for (let i = 0; i < 3; i += 1) {
      clock = T0 + 60_000 + i;
      await badSignature(server, ep.id);
    }
    await server.alerts.idle();
    expect(messages().map((m) => m.windowStart)).toEqual([T0, T0 + 60_000]);
    const recorded = await attempts(server, ep.id);
    expect(recorded.map((a) => [a.windowStart, a.status, a.try])).toEqual([[T0 + 60_000, 200, 1], [T0, 200, 1]]);
    expect(recorded[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/••••[0-9a-f]+$/); // the URL's secret path is not shown
  });

  it('schema-invalid and rejected count their own events; valid deliveries count for nothing', async () => {
    server = await start();
    const ep = await endpointWith(server, {
      schema: { mode: 'enforce', jsonSchema: { type: 'object', required: ['id'] } },
      alerts: [
        { on: 'schema-invalid', threshold: 2, windowSec: 3600, url: `${receiver.url}/schema` },
        { on: 'rejected', threshold: 3, windowSec: 3600, url: `${receiver.url}/rejected` },
      ],
    });
    const send = (body: string) => fetch(`${server.url}/h/${ep.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await send('{"id":1}');
    await send('{}');
    await server.alerts.idle();
    expect(receiver.received).toHaveLength(0);
    await send('{}');
    await server.alerts.idle();
    expect(messages().map((m) => [m.alert, m.count])).toEqual([['schema-invalid', 2]]);
    await send('{"nope":1}');
    await server.alerts.idle();
    expect(messages().map((m) => [m.alert, m.count])).toEqual([['schema-invalid', 2], ['rejected', 3]]);
  });
});

describe('silence', () => {
  it('is noticed by the clock, sent once per silent stretch, and re-armed by a delivery', async () => {
    server = await start();
    const ep = await endpointWith(server, { alerts: [{ on: 'silence', windowSec: 600, url: `${receiver.url}/quiet` }] });
    clock = T0 + 599_000;
    await server.alerts.tick();
    expect(receiver.received).toHaveLength(0);
    clock = T0 + 600_000;
    await server.alerts.tick();
    clock = T0 + 900_000;
    await server.alerts.tick();
    expect(messages()).toEqual([expect.objectContaining({ alert: 'silence', count: 0, windowSec: 600, windowStart: T0, captureIds: [] })]);
    expect(messages()[0]?.text).toBe(`Hookscope: no delivery on “${ep.name}” (${ep.id}) for 10 min, since 2026-01-05T10:00:00.000Z.`);

    await fetch(`${server.url}/h/${ep.id}`, { method: 'POST', body: 'hello' }); // at T0 + 15 min
    clock = T0 + 1_400_000;
    await server.alerts.tick();
    expect(receiver.received).toHaveLength(1);
    clock = T0 + 1_500_000;
    await server.alerts.tick();
    expect(messages().map((m) => m.windowStart)).toEqual([T0, T0 + 900_000]);
  });
});

describe('delivery of alert messages', () => {
  it('retries a receiver that fails, and records each try', async () => {
    server = await start();
    let calls = 0;
    receiver.respond((_r, res) => {
      calls += 1;
      res.statusCode = calls === 1 ? 503 : 200;
      res.end();
    });
    const ep = await endpointWith(server, { alerts: [{ on: 'rejected', threshold: 1, windowSec: 60, url: `${receiver.url}/flaky` }] });
    await fetch(`${server.url}/h/${ep.id}`, { method: 'POST', body: Buffer.alloc(11 * 1024 * 1024) }).catch(() => undefined); // 413
    await server.alerts.idle();
    expect(receiver.received).toHaveLength(2);
    expect((await attempts(server, ep.id)).map((a) => [a.try, a.status])).toEqual([[2, 200], [1, 503]]);
  });

  it('goes through the replay target policy', async () => {
    server = await start({ replayAllow: 'hooks.slack.com' });
    const ep = await endpointWith(server, { alerts: [{ on: 'rejected', threshold: 1, windowSec: 60, url: `${receiver.url}/internal` }], verify: githubEnforced });
    await badSignature(server, ep.id);
    await server.alerts.idle();
    expect(receiver.received).toHaveLength(0);
    const [refused] = await attempts(server, ep.id);
    expect(refused?.error).toMatch(/^refused by the target policy/);
    expect(refused?.status).toBeUndefined();
  });

  it('a window sent before a restart is not sent again after it', async () => {
    const dir = await tempDir();
    try {
      server = await start({}, dir.path);
      const ep = await endpointWith(server, { verify: githubEnforced, alerts: [{ on: 'signature-invalid', threshold: 1, windowSec: 3600, url: `${receiver.url}/once` }] });
      await badSignature(server, ep.id);
      await server.alerts.idle();
      await server.close();
      server = await start({}, dir.path);
      clock = T0 + HOUR / 2;
      await badSignature(server, ep.id);
      await server.alerts.idle();
      expect(receiver.received).toHaveLength(1);
      expect(await attempts(server, ep.id)).toHaveLength(1);
    } finally {
      await server.close();
      await dir.remove();
      server = undefined as unknown as TestServer;
    }
  });

  it('shows alert URLs masked, and a masked URL saved back keeps the real one', async () => {
    server = await start();
    const url = `${receiver.url}/services/T1/B2/secret-token`;
    const ep = await endpointWith(server, { alerts: [{ on: 'silence', windowSec: 60, url }] });
    expect(ep.alerts[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/••••[0-9a-f]+$/);
    expect(JSON.stringify(ep)).not.toContain('secret-token');
    const saved = await server.api(`/api/endpoints/${ep.id}`, { method: 'PATCH', json: { alerts: [{ ...ep.alerts[0], windowSec: 120 }] } });
    expect(saved.status).toBe(200);
    expect((await server.store.getEndpoint(ep.id))?.alerts[0]).toEqual({ on: 'silence', threshold: 1, windowSec: 120, url });
    const bad = await server.api(`/api/endpoints/${ep.id}`, { method: 'PATCH', json: { alerts: [{ on: 'noise', windowSec: 1, url: 'ftp://x' }] } });
    expect(bad.status).toBe(400);
  });
});
