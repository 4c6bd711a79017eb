// Damage done to a real data folder in each way issue 9 names: start-up refuses it naming the file
// and record, `hookscope check` finds the same, `check --repair` quarantines and the server then
// starts — and no changed byte is ever served with a 200.
import { readdir, readFile, rename, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DamagedCaptureError, DamagedStoreError } from '../../server/errors';
import { checkLowdbFolder } from '../../server/store/check-command';
import { fillFolder, flipByteAt, openStore, segmentPath } from '../support/damage';
import { runCli, spawnServer } from '../support/child-server';
import { tempDir } from '../support/temp-dir';
import { startTestServer, TEST_TOKEN } from '../support/test-server';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function folder(): Promise<string> {
  const dir = await tempDir();
  cleanups.push(dir.remove);
  return dir.path;
}

/** Opening refuses with DamagedStoreError; resolves to its findings' text. */
async function refused(dir: string): Promise<string> {
  const error = await openStore(dir).then(async (store) => {
    await store.close();
    return null;
  }, (e: unknown) => e);
  expect(error).toBeInstanceOf(DamagedStoreError);
  return (error as Error).message;
}

/** check finds damage matching `pattern`, repair quarantines it, and the folder then opens and checks clean. */
async function repairs(dir: string, pattern: RegExp): Promise<{ kept: number; quarantined: string[] }> {
  const report = await checkLowdbFolder(dir, false);
  expect(report.findings.map((f) => `${f.where} ${f.record ?? ''} ${f.problem}`).join('\n')).toMatch(pattern);
  const repaired = await checkLowdbFolder(dir, true);
  expect(repaired.repaired.length).toBeGreaterThan(0);
  expect(repaired.findings).toEqual([]);
  const store = await openStore(dir);
  const kept = await store.count('e');
  await store.close();
  const quarantine = join(dir, 'quarantine');
  const stamps = await readdir(quarantine).catch(() => []);
  const quarantined = stamps.length > 0 ? await readdir(join(quarantine, stamps[0] as string), { recursive: true }) : [];
  return { kept, quarantined: quarantined.map(String) };
}

describe('integrity: damage is refused by name, checked, and repaired into quarantine', () => {
  it('a flipped byte in a body', async () => {
    const dir = await folder();
    const ids = await fillFolder(dir);
    await flipByteAt(segmentPath(dir, 2), 'payload-13');
    const message = await refused(dir);
    expect(message).toContain('captures/e/00000002.jsonl');
    expect(message).toContain(ids[13]);
    expect(message).toMatch(/body of capture \S+ fails its checksum/);
    expect(message).toContain('hookscope check --repair');
    const { kept, quarantined } = await repairs(dir, new RegExp(`00000002\\.jsonl.*${ids[13]}`));
    expect(kept).toBe(34);
    expect(quarantined.some((f) => f.endsWith('00000002.jsonl'))).toBe(true);
  });

  it('a flipped byte in metadata, and a zeroed span', async () => {
    const dir = await folder();
    const ids = await fillFolder(dir);
    await flipByteAt(segmentPath(dir, 1), '"path":"/p4"', 9);
    const data = await readFile(segmentPath(dir, 3));
    data.fill(0, 700, 1500);
    await writeFile(segmentPath(dir, 3), data);
    const message = await refused(dir);
    expect(message).toContain(`captures/e/00000001.jsonl [capture ${ids[4]}`);
    expect(message).toContain('captures/e/00000003.jsonl');
    const { kept } = await repairs(dir, /00000001\.jsonl[\s\S]*00000003\.jsonl/);
    expect(kept).toBeLessThan(34);
    expect(kept).toBeGreaterThan(25);
  });

  it('a flipped byte in endpoints.json, and endpoints.json deleted', async () => {
    for (const damage of ['flip', 'delete', 'empty'] as const) {
      const dir = await folder();
      await fillFolder(dir);
      const file = join(dir, 'endpoints.json');
      if (damage === 'flip') await flipByteAt(file, '"name"', 3);
      else if (damage === 'delete') await unlink(file);
      else await writeFile(file, '');
      const message = await refused(dir);
      expect(message).toContain('endpoints.json');
      expect(message).toMatch(damage === 'flip' ? /checksum/ : damage === 'delete' ? /is missing/ : /empty/);
      const { kept } = await repairs(dir, /endpoints\.json/);
      expect(kept).toBe(35); // the captures stay, under a recovered config
    }
  });

  it('an endpoint folder with no config', async () => {
    const dir = await folder();
    await fillFolder(dir);
    await rename(join(dir, 'captures', 'e'), join(dir, 'captures', 'stray'));
    const message = await refused(dir);
    expect(message).toContain('captures/stray: this capture folder has no endpoint');
    const report = await checkLowdbFolder(dir, true);
    expect(report.findings).toEqual([]);
    const store = await openStore(dir);
    expect(await store.count('stray')).toBe(35);
    await store.close();
  });

  it('truncation at a record boundary and mid-record, after a clean shutdown and in a full segment', async () => {
    for (const cut of ['newest-boundary', 'newest-mid', 'sealed-boundary'] as const) {
      const dir = await folder();
      await fillFolder(dir);
      const file = segmentPath(dir, cut === 'sealed-boundary' ? 2 : 4);
      const data = await readFile(file);
      // The start of the third-to-last line: a record boundary (a seal, a body, or a metadata record).
      const boundary = data.lastIndexOf('\n{"t":"c"', data.length - 400) + 1;
      await truncate(file, cut === 'newest-mid' ? data.length - 30 : boundary);
      const message = await refused(dir);
      expect(message).toContain(`captures/e/${file.slice(-14)}`);
      expect(message).toMatch(cut === 'sealed-boundary' ? /seal/ : /clean shutdown/);
      const { kept } = await repairs(dir, /jsonl/);
      expect(kept).toBeLessThan(35);
    }
  });

  it('the oldest segment deleted, a middle one renamed away, the newest deleted', async () => {
    for (const damage of ['oldest', 'middle', 'newest'] as const) {
      const dir = await folder();
      await fillFolder(dir);
      if (damage === 'oldest') await unlink(segmentPath(dir, 1));
      if (damage === 'middle') await rename(segmentPath(dir, 2), join(dir, 'elsewhere.jsonl'));
      if (damage === 'newest') await unlink(segmentPath(dir, 4));
      const message = await refused(dir);
      expect(message).toMatch(damage === 'oldest' ? /00000001\.jsonl.*oldest segments are missing/ : damage === 'middle' ? /00000002\.jsonl.*hole/ : /00000004\.jsonl.*is missing/);
      const { kept } = await repairs(dir, /missing/);
      expect(kept).toBe(damage === 'newest' ? 30 : 25);
    }
  });

  it('after a crash, an unfinished last write is cut off (never acknowledged) and start-up goes on', async () => {
    const dir = await folder();
    await fillFolder(dir, 12);
    await rm(join(dir, 'clean-shutdown.json')); // a crash writes none
    const file = segmentPath(dir, 2);
    const intact = await readFile(file);
    await writeFile(file, Buffer.concat([intact, intact.subarray(0, 60)])); // half a metadata record
    const warnings: string[] = [];
    const { LowdbStore } = await import('../../server/store/lowdb-store');
    const store = await LowdbStore.open({ dir, segmentLimits: { maxCaptures: 10 }, warn: (m) => warnings.push(m) });
    expect(await store.count('e')).toBe(12);
    expect(warnings.join('\n')).toMatch(/cut off 60 bytes .*never acknowledged/);
    await store.close();
    expect(await readFile(file)).toEqual(intact);
  });

  it('bytes changed while the server runs are never served: the API answers 500 naming the capture and file', async () => {
    const dir = await folder();
    const server = await startTestServer({ data: dir });
    cleanups.push(() => server.close());
    const sent = await fetch(`${server.url}/h/default`, { method: 'POST', body: 'the original bytes' });
    const { id } = (await sent.json()) as { id: string };
    const segment = join(dir, 'captures', 'default', '00000001.jsonl');
    await flipByteAt(segment, 'the original bytes', 4);
    for (const path of [`/api/requests/${id}`, `/api/requests/${id}/body`, '/api/endpoints/default/export?format=jsonl', '/api/endpoints/default/export?format=har']) {
      const res = await server.api(path);
      expect(res.status).toBe(500);
      const body = (await res.json()) as { error: string };
      expect(body.error).toContain(id);
      expect(body.error).toContain('captures/default/00000001.jsonl');
    }
    await expect(server.store.get(id)).rejects.toBeInstanceOf(DamagedCaptureError);
    await expect(server.store.readRawAfter?.('default', undefined, 10, 1 << 20)).rejects.toBeInstanceOf(DamagedCaptureError);
  });

  it('the CLI: serve refuses with the report, check exits 1 then 0 after --repair, serve starts', async () => {
    const dir = await folder();
    const ids = await fillFolder(dir);
    await flipByteAt(segmentPath(dir, 3), 'payload-25');
    const serve = ['serve', '--port', '0', '--host', '127.0.0.1', '--data', dir, '--token', TEST_TOKEN];
    const refusedRun = await runCli(serve);
    expect(refusedRun.code).toBe(1);
    expect(refusedRun.output).toContain(ids[25]);
    const check = await runCli(['check', '--data', dir]);
    expect(check.code).toBe(1);
    expect(check.output).toContain(`captures/e/00000003.jsonl [capture ${ids[25]}`);
    const repair = await runCli(['check', '--repair', '--data', dir]);
    expect(repair.code).toBe(0);
    expect(repair.output).toMatch(/repaired: captures\/e\/00000003\.jsonl.*→ quarantine\//);
    const child = await spawnServer(serve);
    const res = await fetch(`${child.url}/api/endpoints/e/requests?limit=100`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(((await res.json()) as { total: number }).total).toBe(34);
    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  }, 90_000); // five processes, each loading the TypeScript CLI
});
