import { afterEach, describe, expect, it } from 'vitest';
import { captureListSchema, captureViewSchema } from '../../shared/capture';
import { startTarget, type TargetServer } from '../support/target-server';
import { tempDir } from '../support/temp-dir';
import { capturingLogger } from '../support/capturing-logger';
import { startTestServer } from '../support/test-server';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

describe('shutdown', () => {
  it('waits for a proxied delivery whose sender hung up, and records it', async () => {
    const data = await tempDir();
    cleanups.push(data.remove);
    const target: TargetServer = await startTarget();
    cleanups.push(() => target.close());
    target.respond(async (_request, res) => {
      await new Promise((resolve) => setTimeout(resolve, 600));
      res.end('handled late');
    });
    const logged = capturingLogger();
    const server = await startTestServer({ data: data.path }, { logger: logged.logger });
    const created = await server.api('/api/endpoints', { method: 'POST', json: { forward: { url: `${target.url}/slow`, mode: 'proxy' } } });
    const endpointId = ((await created.json()) as { id: string }).id;

    const abort = new AbortController();
    const sent = fetch(`${server.url}/h/${endpointId}`, { method: 'POST', body: 'late', signal: abort.signal }).catch(() => 'aborted');
    await target.until(1);
    abort.abort(); // the sender gives up while Hookscope waits for the target
    expect(await sent).toBe('aborted');
    await server.close();
    expect(logged.records().filter((record) => record.level === 'error' || /failed/.test(String(record.msg)))).toEqual([]);

    const again = await startTestServer({ data: data.path });
    cleanups.push(() => again.close());
    const page = captureListSchema.parse(await (await again.api(`/api/endpoints/${endpointId}/requests`)).json());
    expect(page.items).toHaveLength(1);
    const capture = captureViewSchema.parse(await (await again.api(`/api/requests/${page.items[0]?.id}`)).json());
    expect(capture.replays.map((a) => [a.kind, a.status])).toEqual([['forward', 200]]);
  });
});
