import { readFile, writeFile, appendFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureListSchema } from '../../shared/capture';
import { encodeMeta, parseMeta } from '../../server/store/record-format';
import { runCli, spawnServer } from '../support/child-server';
import { sha256 } from '../support/http';
import { tempDir } from '../support/temp-dir';
import { startTestServer, TEST_TOKEN } from '../support/test-server';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function newDataDir(): Promise<string> {
  const dir = await tempDir();
  cleanups.push(dir.remove);
  return dir.path;
}

const auth = { authorization: `Bearer ${TEST_TOKEN}` };

async function allCaptureIds(url: string, endpointId: string): Promise<string[]> {
  const ids: string[] = [];
  let before = '';
  for (;;) {
    const res = await fetch(`${url}/api/endpoints/${endpointId}/requests?limit=1000${before ? `&before=${before}` : ''}`, { headers: auth });
    const page = captureListSchema.parse(await res.json());
    ids.push(...page.items.map((c) => c.id));
    if (!page.nextBefore) return ids;
    before = page.nextBefore;
  }
}

describe('durability', () => {
  it('keeps endpoints, captures and bodies across a restart', async () => {
    const data = await newDataDir();
    const first = await startTestServer({ data });
    const created = (await (await first.api('/api/endpoints', { method: 'POST', json: { name: 'kept', retention: { maxCaptures: 700 } } })).json()) as { id: string };
    const sent = new Map<string, string>();
    for (let i = 0; i < 600; i++) {
      const body = `{"n":${i},"pad":"${'x'.repeat(i % 50)}"}`;
      const res = await fetch(`${first.url}/h/${created.id}`, { method: 'POST', body });
      sent.set(((await res.json()) as { id: string }).id, sha256(body));
    }
    const deleted = [...sent.keys()][3] as string;
    await first.api(`/api/requests/${deleted}`, { method: 'DELETE' });
    sent.delete(deleted);
    await first.close();

    const second = await startTestServer({ data });
    cleanups.push(() => second.close());
    const ids = await allCaptureIds(second.url, created.id);
    expect(new Set(ids)).toEqual(new Set(sent.keys()));
    for (const id of [...sent.keys()].slice(-5)) {
      const body = Buffer.from(await (await second.api(`/api/requests/${id}/body`)).arrayBuffer());
      expect(sha256(body)).toBe(sent.get(id));
    }
    // new ids still sort after the old ones
    const res = await fetch(`${second.url}/h/${created.id}`, { method: 'POST', body: 'after restart' });
    const newest = ((await res.json()) as { id: string }).id;
    expect(ids.every((id) => id < newest)).toBe(true);
  });

  it('refuses to start on a corrupt data file, names it and leaves it untouched', async () => {
    const data = await newDataDir();
    const first = await startTestServer({ data });
    await fetch(`${first.url}/h/default`, { method: 'POST', body: 'one' });
    await first.close();

    const endpointsFile = join(data, 'endpoints.json');
    await writeFile(endpointsFile, '{"version":1,"endpoints":[{"id":');
    const before = await readFile(endpointsFile);
    const run = await runCli(['serve', '--port', '0', '--host', '127.0.0.1', '--data', data, '--token', TEST_TOKEN]);
    expect(run.code).toBe(1);
    expect(run.output).toContain(`the data folder ${data} is damaged`);
    expect(run.output).toMatch(/endpoints\.json: not valid JSON/);
    expect(await readFile(endpointsFile)).toEqual(before);
  });

  it('refuses to start on a damaged capture segment', async () => {
    const data = await newDataDir();
    const first = await startTestServer({ data });
    await fetch(`${first.url}/h/default`, { method: 'POST', body: 'one' });
    await fetch(`${first.url}/h/default`, { method: 'POST', body: 'two' });
    await first.close();
    const dir = join(data, 'captures', 'default');
    const segment = join(dir, (await readdir(dir))[0] as string);
    const text = await readFile(segment, 'utf8');
    await writeFile(segment, text.replace('"t":"c"', '"t":"c"garbage'));
    const before = await readFile(segment);
    const run = await runCli(['serve', '--port', '0', '--data', data, '--token', TEST_TOKEN]);
    expect(run.code).toBe(1);
    expect(run.output).toContain('captures/default/00000001.jsonl');
    expect(run.output).toMatch(/fails its checksum/);
    expect(await readFile(segment)).toEqual(before);
  });

  it('cuts off an unfinished last write (never acknowledged) and starts', async () => {
    const data = await newDataDir();
    const first = await startTestServer({ data });
    await fetch(`${first.url}/h/default`, { method: 'POST', body: 'one' });
    await first.close();
    await rm(join(data, 'clean-shutdown.json')); // as a crash leaves it: after a clean shutdown a torn write is damage
    const dir = join(data, 'captures', 'default');
    await appendFile(join(dir, (await readdir(dir))[0] as string), '{"t":"c","c":{"id":"zz');
    const second = await startTestServer({ data });
    cleanups.push(() => second.close());
    expect(await allCaptureIds(second.url, 'default')).toHaveLength(1);
  });

  it('refuses a data folder another live process has open, and takes over a dead one’s', async () => {
    const data = await newDataDir();
    const child = await spawnServer(['serve', '--port', '0', '--host', '127.0.0.1', '--data', data, '--token', TEST_TOKEN]);
    const second = await runCli(['serve', '--port', '0', '--data', data, '--token', TEST_TOKEN]);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`in use by another Hookscope (process ${child.process.pid})`);
    child.process.kill('SIGKILL'); // leaves its lock file behind
    await child.exited;
    const third = await startTestServer({ data });
    cleanups.push(() => third.close());
    expect((await fetch(`${third.url}/healthz`)).status).toBe(200);
  });

  it('cuts off a batch a crash left half-written (a capture without its body) and starts', async () => {
    const data = await newDataDir();
    const first = await startTestServer({ data });
    await fetch(`${first.url}/h/default`, { method: 'POST', body: 'kept' });
    await first.close();
    await rm(join(data, 'clean-shutdown.json')); // as a crash leaves it
    const dir = join(data, 'captures', 'default');
    const segment = join(dir, '00000001.jsonl');
    const intact = await readFile(segment);
    const { summary, headers } = parseMeta(intact.subarray(0, intact.indexOf('\n')));
    await appendFile(segment, encodeMeta({ ...summary, id: 'zzzzzzzzz0000orphan' }, headers));
    const second = await startTestServer({ data });
    cleanups.push(() => second.close());
    expect(await allCaptureIds(second.url, 'default')).toHaveLength(1);
    expect(await readFile(segment)).toEqual(intact);
  });

  it('stops on a bad setting with a message naming it', async () => {
    const run = await runCli(['serve', '--port', 'eighty'], { HOOKSCOPE_BODY_LIMIT: 'lots' });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/--port \/ HOOKSCOPE_PORT/);
    expect(run.output).toMatch(/--body-limit \/ HOOKSCOPE_BODY_LIMIT/);
    const unknown = await runCli(['serve', '--colour', 'blue']);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toMatch(/colour/);
  });

  it('finishes in-flight deliveries on SIGTERM and exits 0', async () => {
    const data = await newDataDir();
    const child = await spawnServer(['serve', '--port', '0', '--host', '127.0.0.1', '--data', data, '--token', TEST_TOKEN]);
    await fetch(`${child.url}/api/endpoints/default`, {
      method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ response: { delayMs: 700 } }),
    });
    const inFlight = fetch(`${child.url}/h/default`, { method: 'POST', body: 'slow one' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.process.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await child.exited).toBe(0);
  });

  it('loses no acknowledged delivery when killed with SIGKILL under load', async () => {
    const data = await newDataDir();
    const args = ['serve', '--port', '0', '--host', '127.0.0.1', '--data', data, '--token', TEST_TOKEN];
    const child = await spawnServer(args);
    await fetch(`${child.url}/api/endpoints/default`, {
      method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ retention: { maxCaptures: 1_000_000 } }),
    });
    const acked = new Map<string, string>(); // capture id → sha256 of body
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const body = `{"worker":${w},"i":${i},"pad":"${'p'.repeat(200)}"}`;
        try {
          const res = await fetch(`${child.url}/h/default`, { method: 'POST', body });
          if (res.status === 200) acked.set(((await res.json()) as { id: string }).id, sha256(body));
        } catch {
          return; // connection refused or reset: the server is gone
        }
      }
    };
    const workers = Array.from({ length: 20 }, (_, w) => worker(w));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.process.kill('SIGKILL');
    await child.exited;
    stop = true;
    await Promise.all(workers);
    expect(acked.size).toBeGreaterThan(100);

    const again = await spawnServer(args);
    cleanups.push(async () => {
      again.process.kill('SIGTERM');
      await again.exited;
    });
    const stored = new Set(await allCaptureIds(again.url, 'default'));
    const missing = [...acked.keys()].filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    for (const id of [...acked.keys()].slice(-20)) {
      const body = Buffer.from(await (await fetch(`${again.url}/api/requests/${id}/body`, { headers: auth })).arrayBuffer());
      expect(sha256(body)).toBe(acked.get(id));
    }
  });
});
