import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointViewSchema } from '../../shared/endpoint';
import { bulkJobSchema, type BulkJob } from '../../shared/replay';
import { startTarget, type TargetServer } from '../support/target-server';
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

async function endpointWith(count: number, method = 'POST'): Promise<{ endpointId: string; ids: string[] }> {
  const endpoint = endpointViewSchema.parse(await (await server.api('/api/endpoints', { method: 'POST', json: {} })).json());
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${server.url}/h/${endpoint.id}`, { method, body: `#${i}` });
    ids.push(((await res.json()) as { id: string }).id);
  }
  return { endpointId: endpoint.id, ids };
}

/** Starts a bulk job and resolves with its final progress message (the stream's last word). */
async function runBulk(endpointId: string, json: Record<string, unknown>): Promise<{ started: BulkJob; final: Promise<BulkJob> }> {
  let resolveFinal!: (job: BulkJob) => void;
  const final = new Promise<BulkJob>((resolve) => (resolveFinal = resolve));
  const progress: BulkJob[] = [];
  const stop = server.hub.subscribe((event) => {
    if (event.type !== 'bulk-progress' || event.endpointId !== endpointId) return;
    progress.push(event);
    if (event.finished) {
      stop();
      resolveFinal(bulkJobSchema.parse(event));
    }
  });
  const res = await server.api(`/api/endpoints/${endpointId}/replay`, { method: 'POST', json });
  expect(res.status).toBe(202);
  return { started: bulkJobSchema.parse(await res.json()), final };
}

describe('bulk replay', () => {
  it('keeps capture order at concurrency 1 and sums up ok / failed / mean latency', async () => {
    const { endpointId } = await endpointWith(20);
    target.respond((request, reply) => {
      reply.statusCode = ['#3', '#7'].includes(request.body.toString()) ? 500 : 200;
      reply.end();
    });
    const before = target.received.length;
    const { started, final } = await runBulk(endpointId, { url: target.url, filter: {}, concurrency: 1 });
    expect(started).toMatchObject({ total: 20, done: 0, finished: false });
    const summary = await final;
    expect(summary).toMatchObject({ total: 20, done: 20, ok: 18, failed: 2, finished: true, cancelled: false });
    expect(summary.meanLatencyMs).toBeGreaterThan(0);
    expect(target.received.slice(before).map((r) => r.body.toString())).toEqual(Array.from({ length: 20 }, (_, i) => `#${i}`));
    expect(bulkJobSchema.parse(await (await server.api(`/api/replay-jobs/${started.jobId}`)).json())).toEqual(summary);
    target.respond((_r, reply) => void reply.end('ok'));
  });

  it('replays given ids in capture order whatever order they are listed in, and filters by method', async () => {
    const { endpointId, ids } = await endpointWith(5, 'PUT');
    await fetch(`${server.url}/h/${endpointId}`, { method: 'POST', body: 'other method' });
    const before = target.received.length;
    const byIds = await runBulk(endpointId, { url: target.url, ids: [ids[4], ids[0], ids[2]] });
    expect(await byIds.final).toMatchObject({ total: 3, ok: 3 });
    expect(target.received.slice(before).map((r) => r.body.toString())).toEqual(['#0', '#2', '#4']);
    const byFilter = await runBulk(endpointId, { url: target.url, filter: { methods: ['put'] }, concurrency: 4 });
    expect(await byFilter.final).toMatchObject({ total: 5, ok: 5 });
    const unknown = await server.api(`/api/endpoints/${endpointId}/replay`, { method: 'POST', json: { url: target.url, ids: ['nope'] } });
    expect(unknown.status).toBe(400);
  });

  it('stops when cancelled: nothing more is sent once the cancel answers', async () => {
    const { endpointId } = await endpointWith(20);
    const before = target.received.length;
    const held: (() => void)[] = [];
    let answered = 0;
    target.respond((_request, reply) => {
      if (answered++ < 2) reply.end('ok');
      else held.push(() => reply.end('late')); // the third stays in flight
    });
    const { started, final } = await runBulk(endpointId, { url: target.url, filter: {}, concurrency: 1, timeoutMs: 30_000 });
    await target.until(before + 3);
    const res = await server.api(`/api/replay-jobs/${started.jobId}/cancel`, { method: 'POST' });
    const cancelled = bulkJobSchema.parse(await res.json());
    const sent = target.received.length - before;
    expect(cancelled).toMatchObject({ cancelled: true, finished: true, total: 20 });
    expect(cancelled.done).toBeLessThan(20);
    expect(await final).toEqual(cancelled);
    for (const release of held) release();
    await fetch(`${server.url}/healthz`); // a round trip: any request still queued would have gone out by now
    expect(target.received.length - before).toBe(sent);
    expect(sent).toBe(3);
    expect(cancelled).toMatchObject({ done: 2, ok: 2 }); // the aborted third is not counted as a failure of the target
    target.respond((_r, reply) => void reply.end('ok'));
  });
});
