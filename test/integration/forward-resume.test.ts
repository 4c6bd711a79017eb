import { afterEach, describe, expect, it } from 'vitest';
import { captureViewSchema } from '../../shared/capture';
import { endpointViewSchema } from '../../shared/endpoint';
import { startTarget, type TargetServer } from '../support/target-server';
import { tempDir } from '../support/temp-dir';
import { startTestServer, type TestServer } from '../support/test-server';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function post(server: TestServer, endpointId: string, body: string): Promise<string> {
  const res = await fetch(`${server.url}/h/${endpointId}`, { method: 'POST', body });
  return ((await res.json()) as { id: string }).id;
}

async function forwardAttempts(server: TestServer, id: string) {
  const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${id}`)).json());
  return capture.replays.filter((attempt) => attempt.kind === 'forward');
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('async forward rules across a restart', () => {
  it('picks up unsettled deliveries, and only those, when the server starts again', async () => {
    const data = await tempDir();
    cleanups.push(data.remove);
    let target: TargetServer = await startTarget();
    const targetPort = target.port;
    await target.close(); // the handler is down while the first server runs

    const first = await startTestServer({ data: data.path }, { replay: { forwardBackoffMs: () => 60_000 } });
    const created = await first.api('/api/endpoints', { method: 'POST', json: { name: 'fwd' } });
    const endpointId = endpointViewSchema.parse(await created.json()).id;
    const beforeRule = await post(first, endpointId, 'before the rule');
    const patched = await first.api(`/api/endpoints/${endpointId}`, {
      method: 'PATCH', json: { forward: { url: `http://127.0.0.1:${targetPort}/hook`, mode: 'async', maxAttempts: 3 } },
    });
    const rule = endpointViewSchema.parse(await patched.json()).forward;
    expect(rule?.since).toBeGreaterThan(0);
    const pending = [await post(first, endpointId, 'one'), await post(first, endpointId, 'two')];
    await until(async () => (await forwardAttempts(first, pending[1] as string)).length === 1);
    expect((await forwardAttempts(first, pending[0] as string))[0]?.error).toMatch(/refused/);
    await first.close(); // retries were scheduled a minute later: they die with the process

    target = await startTarget('127.0.0.1', targetPort);
    cleanups.push(() => target.close());
    const second = await startTestServer({ data: data.path }, { replay: { forwardBackoffMs: () => 60_000 } });
    cleanups.push(() => second.close());
    await target.until(2);
    await until(async () => (await forwardAttempts(second, pending[1] as string)).length === 2);
    expect(target.received.map((r) => r.body.toString()).sort()).toEqual(['one', 'two']);
    for (const id of pending) {
      const attempts = await forwardAttempts(second, id);
      expect(attempts.map((a) => [a.attempt, a.status])).toEqual([[1, undefined], [2, 200]]);
    }
    expect(await forwardAttempts(second, beforeRule)).toEqual([]);

    // settled now: a third start sends nothing again
    await second.close();
    const third = await startTestServer({ data: data.path });
    cleanups.push(() => third.close());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(target.received).toHaveLength(2);
  });
});

describe('async forward retries', () => {
  it('stop when the rule is removed before the next attempt', async () => {
    const target = await startTarget();
    cleanups.push(() => target.close());
    target.respond((_request, res) => {
      res.statusCode = 503;
      res.end('down');
    });
    const server = await startTestServer({}, { replay: { forwardBackoffMs: () => 400 } });
    cleanups.push(() => server.dispose());
    const created = await server.api('/api/endpoints', { method: 'POST', json: { forward: { url: `${target.url}/hook`, mode: 'async', maxAttempts: 5 } } });
    const endpointId = endpointViewSchema.parse(await created.json()).id;
    const id = await post(server, endpointId, 'once');
    await until(async () => (await forwardAttempts(server, id)).length === 1);
    await server.api(`/api/endpoints/${endpointId}`, { method: 'PATCH', json: { forward: null } });
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(target.received).toHaveLength(1);
    expect(await forwardAttempts(server, id)).toHaveLength(1);
  });
});
