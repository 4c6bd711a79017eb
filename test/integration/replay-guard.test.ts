import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureViewSchema } from '../../shared/capture';
import { endpointViewSchema } from '../../shared/endpoint';
import type { Resolver } from '../../server/replay/target-guard';
import { startTarget, type TargetServer } from '../support/target-server';
import { startTestServer, type TestServer } from '../support/test-server';

// Every address here is loopback: even if the guard let everything through, no packet would leave
// the machine. The allow-list names 127.0.0.2 only; 127.0.0.1 stands for "anything else".
const names: Record<string, string> = { 'allowed.test': '127.0.0.2', 'sneaky.test': '127.0.0.1' };
const resolver: Resolver = async (hostname) => {
  const address = names[hostname];
  if (!address) throw Object.assign(new Error(`no such test host ${hostname}`), { code: 'ENOTFOUND', hostname });
  return [{ address, family: 4 }];
};

let server: TestServer;
let allowed: TargetServer; // on 127.0.0.2
let other: TargetServer; // on 127.0.0.1
let captureId: string;
beforeAll(async () => {
  server = await startTestServer({ replayAllow: '127.0.0.2' }, { replay: { resolver, forwardBackoffMs: () => 10 } });
  allowed = await startTarget('127.0.0.2');
  other = await startTarget('127.0.0.1');
  const res = await fetch(`${server.url}/h/default`, { method: 'POST', body: 'guarded' });
  captureId = ((await res.json()) as { id: string }).id;
});
afterAll(async () => {
  await Promise.all([allowed.close(), other.close()]);
  await server.dispose();
});

const replay = (url: string) => server.api(`/api/requests/${captureId}/replay`, { method: 'POST', json: { url } });

describe('target policy (allow-list 127.0.0.2)', () => {
  it('replays to an allowed address', async () => {
    expect((await replay(`${allowed.url}/ok`)).status).toBe(200);
    expect(allowed.received).toHaveLength(1);
  });

  it('refuses an address outside the list with 403, sends nothing and records nothing', async () => {
    const res = await replay(`${other.url}/nope`);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/not in the replay allow-list/);
    expect(other.received).toHaveLength(0);
    const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${captureId}`)).json());
    expect(capture.replays).toHaveLength(1); // only the allowed one
  });

  it('checks the address a name resolves to', async () => {
    expect((await replay(`http://allowed.test:${allowed.port}/by-name`)).status).toBe(200);
    expect((await replay(`http://sneaky.test:${other.port}/by-name`)).status).toBe(403);
    expect(other.received).toHaveLength(0);
  });

  it('refuses a bulk replay up front', async () => {
    const res = await server.api('/api/endpoints/default/replay', { method: 'POST', json: { url: other.url } });
    expect(res.status).toBe(403);
  });

  it('records the refusal of a forward rule on the capture', async () => {
    const created = await server.api('/api/endpoints', { method: 'POST', json: { forward: { url: `${other.url}/fwd`, mode: 'async' } } });
    const endpoint = endpointViewSchema.parse(await created.json());
    const refused = new Promise((resolve) => {
      const stop = server.hub.subscribe((event) => {
        if (event.type === 'replay-result' && event.endpointId === endpoint.id) {
          stop();
          resolve(event.attempt);
        }
      });
    });
    await fetch(`${server.url}/h/${endpoint.id}`, { method: 'POST', body: 'x' });
    expect(await refused).toMatchObject({ kind: 'forward', attempt: 1, error: expect.stringMatching(/allow-list/) });
    expect(other.received).toHaveLength(0);
  });
});
