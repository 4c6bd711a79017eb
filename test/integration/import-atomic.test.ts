// An import applies all of its entries or none: kill -9 while a 15,000-entry HAR import is being
// stored leaves none of it or all of it, never part; and a retry with the same Idempotency-Key
// stores nothing twice.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEndpoint } from '../../server/api/endpoint-config';
import { LowdbStore } from '../../server/store/lowdb-store';
import { delivery, openStore } from '../support/damage';
import { spawnServer } from '../support/child-server';
import { harDocument } from '../support/har-file';
import { tempDir } from '../support/temp-dir';
import { startTestServer, TEST_TOKEN } from '../support/test-server';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const auth = { authorization: `Bearer ${TEST_TOKEN}` };

async function total(url: string): Promise<number> {
  const res = await fetch(`${url}/api/endpoints/default/requests?limit=1`, { headers: auth });
  return ((await res.json()) as { total: number }).total;
}

describe('atomic imports', () => {
  it('kill -9 during a 15,000-entry HAR import keeps none of it or all of it', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    const args = ['serve', '--port', '0', '--host', '127.0.0.1', '--data', dir.path, '--token', TEST_TOKEN];
    const har = harDocument(15_000);
    const outcomes: number[] = [];
    let cutMidWrite = 0; // restarts that found the import half-written and cut it off
    let expected = 1;
    let child = await spawnServer(args);
    await fetch(`${child.url}/api/endpoints/default`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ retention: { maxCaptures: 1_000_000 } }) });
    await fetch(`${child.url}/h/default`, { method: 'POST', body: 'before' });
    for (const delayMs of [400, 1300, 2300]) {
      const importing = fetch(`${child.url}/api/endpoints/default/import?format=har`, { method: 'POST', headers: auth, body: new Uint8Array(har) }).then((r) => r.status, () => 'cut');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.process.kill('SIGKILL');
      await child.exited;
      const answered = await importing;
      child = await spawnServer(args);
      const now = await total(child.url);
      if (/import of 15000 captures that never committed/.test(child.output())) cutMidWrite += 1;
      expect([expected, expected + 15_000]).toContain(now);
      if (answered === 201) expect(now).toBe(expected + 15_000); // an acknowledged import is all there
      outcomes.push(now - expected);
      expected = now;
    }
    child.process.kill('SIGKILL');
    await child.exited;
    expect(outcomes.every((added) => added === 0 || added === 15_000)).toBe(true);
    expect(outcomes).toHaveLength(3);
    expect(cutMidWrite).toBeGreaterThanOrEqual(0); // how often the kill fell inside the write itself: see the next test for that case made certain
  }, 120_000); // four server starts and three 30 MB uploads

  it('an import cut anywhere before its commit record is left out at the next start', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    const store = await openStore(dir.path);
    await store.createEndpoint(buildEndpoint('e', { retention: { maxCaptures: 100_000 } }, 0));
    await store.append(delivery('e', 0));
    const batch = Array.from({ length: 3000 }, (_, i) => delivery('e', i + 1));
    await store.importCaptures('e', batch, 'cut-me');
    await store.close();
    const segment = join(dir.path, 'captures', 'e', '00000001.jsonl');
    const whole = await readFile(segment);
    const begin = whole.indexOf('{"t":"i"');
    const commit = whole.indexOf('{"t":"j"');
    for (const at of [begin + 10, Math.floor((begin + commit) / 2), commit - 1, commit + 5]) {
      await writeFile(segment, whole.subarray(0, at)); // what a crash part-way through the write leaves
      await rm(join(dir.path, 'clean-shutdown.json'), { force: true });
      const warnings: string[] = [];
      const reopened = await LowdbStore.open({ dir: dir.path, segmentLimits: { maxCaptures: 10 }, warn: (m) => warnings.push(m) });
      expect(await reopened.count('e')).toBe(1);
      expect(warnings.join('\n')).toMatch(/import of 3000 captures that never committed|unfinished/);
      await reopened.close();
    }
  });

  it('a retry with the same Idempotency-Key returns the first import instead of storing it again', async () => {
    const server = await startTestServer();
    cleanups.push(() => server.dispose());
    const har = harDocument(50, 'retry');
    const send = () => server.api('/api/endpoints/default/import?format=har', { method: 'POST', body: new Uint8Array(har), headers: { 'idempotency-key': 'import-42' } });
    const first = (await (await send()).json()) as { ids: string[] };
    const again = (await (await send()).json()) as { ids: string[] };
    expect(again.ids).toEqual(first.ids);
    expect(await total(server.url)).toBe(50);
  });
});
