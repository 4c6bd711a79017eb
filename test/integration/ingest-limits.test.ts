import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureListSchema, captureViewSchema } from '../../shared/capture';
import { sha256 } from '../support/http';
import { startTestServer, type TestServer } from '../support/test-server';
import { openUpload, until, type UploadAnswer } from '../support/upload';

// A 2.5 MiB budget (each body charged 1.5×, as with the embedded store; the last 160 KiB kept for
// bodies of ≤ 64 KiB, so large ones fit in 2.34 MiB), 1 MiB
// bodies, 2 large uploads per peer. Each upload comes from its own loopback address, so only the
// cap under test bites.
const KiB = 1024;
const MiB = 1024 * KiB;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ bodyLimit: MiB, ingestMemoryBudget: 2.5 * MiB, ingestPeerUploads: 2 });
});
afterAll(() => server.dispose());

const budget = () => server.limits.budget;
const charged = (bytes: number) => budget().charge(bytes);
const ingest = `/h/default`;

/** A whole upload of `body` from `localAddress`. */
function upload(body: Buffer, localAddress: string): Promise<UploadAnswer> {
  const open = openUpload(`${server.url}${ingest}`, { declared: body.length, localAddress });
  open.end(body);
  return open.answer;
}

/** Headers only: the server answers before reading any body (as to a client sending `Expect: 100-continue`). */
async function headersOnly(declared: number, localAddress: string): Promise<UploadAnswer> {
  const open = openUpload(`${server.url}${ingest}`, { declared, localAddress });
  const answer = await open.answer;
  open.destroy();
  return answer;
}

async function capture(id: unknown) {
  return captureViewSchema.parse(await (await server.api(`/api/requests/${String(id)}`)).json());
}

async function total(): Promise<number> {
  return captureListSchema.parse(await (await server.api('/api/endpoints/default/requests?limit=1')).json()).total;
}

describe('ingest memory budget', () => {
  it('answers 503 + Retry-After beyond the budget, records the attempt without its body, and releases the budget after', async () => {
    const body = randomBytes(MiB);
    const held = openUpload(`${server.url}${ingest}`, { declared: MiB, localAddress: '127.0.0.2' });
    await held.write(body.subarray(0, 100 * KiB));
    await until(() => budget().used === charged(MiB), 'the first upload holds its declared length');

    const refused = await headersOnly(MiB, '127.0.0.3');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json.error).toMatch(/ingest memory budget/);
    const recorded = await capture(refused.json.id);
    expect(recorded.reply).toMatchObject({ status: 503, rejected: expect.stringMatching(/ingest memory budget/) });
    expect(recorded.size).toBe(MiB);
    expect(recorded.body.data).toBe('');

    // Ordinary small deliveries still get in: the last part of the budget is theirs.
    expect((await fetch(`${server.url}${ingest}`, { method: 'POST', body: '{"small":true}' })).status).toBe(200);

    held.end(body.subarray(100 * KiB));
    const finished = await held.answer;
    expect(finished.status).toBe(200);
    const kept = await (await server.api(`/api/requests/${String(finished.json.id)}/body`)).arrayBuffer();
    expect(sha256(Buffer.from(kept))).toBe(sha256(body));

    await until(() => budget().used === 0, 'every reservation is released');
    const later = await Promise.all([upload(randomBytes(MiB), '127.0.0.2'), upload(randomBytes(400 * KiB), '127.0.0.3')]);
    expect(later.map((a) => a.status)).toEqual([200, 200]); // 2.1 MiB charged at once: fits again
    expect(budget().used).toBe(0);

    const metrics = await (await server.api('/metrics')).text();
    expect(metrics).toMatch(/hookscope_ingest_refused_total\{reason="memory"\} 1/);
    expect(metrics).toMatch(/hookscope_ingest_memory_budget_bytes 2621440/);
  });

  it('reserves a body without Content-Length chunk by chunk and refuses it once it outgrows the budget', async () => {
    const held = openUpload(`${server.url}${ingest}`, { declared: MiB, localAddress: '127.0.0.2' });
    await held.write(randomBytes(10 * KiB));
    await until(() => budget().used === charged(MiB), 'the first upload holds its declared length');

    const chunked = openUpload(`${server.url}${ingest}`, { declared: null, localAddress: '127.0.0.3' });
    let answered = false;
    void chunked.answer.then(() => (answered = true));
    for (let i = 0; i < 64 && !answered; i++) await chunked.write(randomBytes(64 * KiB)).catch(() => undefined);
    const refused = await chunked.answer;
    chunked.destroy();
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    const recorded = await capture(refused.json.id);
    expect(recorded.reply.rejected).toMatch(/ingest memory budget/);
    expect(recorded.body.data).toBe('');
    expect(recorded.size).toBeGreaterThan(400 * KiB); // what had arrived when it no longer fitted (about 0.56 MiB fit beside the held 1 MiB)
    await until(() => budget().used === charged(MiB), 'the refused upload released what it held');

    held.end(randomBytes(MiB - 10 * KiB));
    expect((await held.answer).status).toBe(200);
    await until(() => budget().used === 0, 'every reservation is released');
  });
});

describe('per-peer cap on large uploads', () => {
  it('answers 503 to a peer with too many large uploads in flight; other peers and small deliveries are not affected', async () => {
    const peer = '127.0.0.4';
    const open = [0, 1].map(() => openUpload(`${server.url}${ingest}`, { declared: 200 * KiB, localAddress: peer }));
    await Promise.all(open.map((u) => u.write(randomBytes(KiB))));
    await until(() => server.limits.peers.inFlight(peer) === 2, 'both uploads are in flight');

    const third = await headersOnly(200 * KiB, peer);
    expect(third.status).toBe(503);
    expect(third.headers['retry-after']).toBe('5');
    expect(third.json.error).toMatch(/too many large uploads at once from 127\.0\.0\.4 \(at most 2/);
    const recorded = await capture(third.json.id);
    expect(recorded).toMatchObject({ peer, size: 200 * KiB, reply: { status: 503 } });
    expect(recorded.body.data).toBe('');

    expect((await upload(randomBytes(32 * KiB), peer)).status).toBe(200); // small: not counted
    expect((await upload(randomBytes(200 * KiB), '127.0.0.5')).status).toBe(200); // another peer

    for (const u of open) u.end(randomBytes(200 * KiB - KiB));
    expect((await Promise.all(open.map((u) => u.answer))).map((a) => a.status)).toEqual([200, 200]);
    expect((await upload(randomBytes(200 * KiB), peer)).status).toBe(200);
    expect(server.limits.peers.total).toBe(0);
  });
});

describe('reservations are released on every path', () => {
  it('when the client dies mid-upload (declared length or chunked); nothing is stored', async () => {
    const before = await total();
    const declared = openUpload(`${server.url}${ingest}`, { declared: MiB, localAddress: '127.0.0.6' });
    await declared.write(randomBytes(100 * KiB));
    const chunked = openUpload(`${server.url}${ingest}`, { declared: null, localAddress: '127.0.0.7' });
    await chunked.write(randomBytes(300 * KiB));
    await until(() => budget().used > charged(MiB), 'both uploads hold memory');
    declared.destroy();
    chunked.destroy();
    await until(() => budget().used === 0 && server.limits.peers.total === 0, 'the dead uploads released everything');
    expect(await total()).toBe(before);
    expect((await upload(randomBytes(MiB), '127.0.0.6')).status).toBe(200);
  });

  it('when the request times out', async () => {
    const impatient = await startTestServer({ bodyLimit: MiB, ingestMemoryBudget: 4 * MiB, headersTimeoutMs: 1000, requestTimeoutMs: 1000 });
    try {
      const stalled = openUpload(`${impatient.url}${ingest}`, { declared: MiB, localAddress: '127.0.0.8' });
      await stalled.write(randomBytes(KiB));
      const held = impatient.limits.budget;
      await until(() => held.used === held.charge(MiB), 'the stalled upload holds its declared length');
      await until(() => held.used === 0 && impatient.limits.peers.total === 0, 'the request timeout (1 s) released it', 15_000);
    } finally {
      await impatient.dispose();
    }
  });

  it('when storing fails (the endpoint is deleted meanwhile)', async () => {
    const { id } = (await (await server.api('/api/endpoints', { method: 'POST', json: { name: 'doomed' } })).json()) as { id: string };
    const doomed = openUpload(`${server.url}/h/${id}`, { declared: 300 * KiB, localAddress: '127.0.0.9' });
    await doomed.write(randomBytes(KiB));
    await until(() => budget().used === charged(300 * KiB), 'the upload holds its declared length');
    expect((await server.api(`/api/endpoints/${id}`, { method: 'DELETE' })).status).toBe(204);
    doomed.end(randomBytes(300 * KiB - KiB));
    expect((await doomed.answer).status).toBe(404);
    await until(() => budget().used === 0 && server.limits.peers.total === 0, 'the failed upload released everything');
  });
});
