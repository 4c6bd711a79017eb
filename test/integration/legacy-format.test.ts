// A data folder written before records carried checksums (format 1: JSON lines, base64 bodies,
// endpoints.json version 1) still opens: it is upgraded in place, and from then on checked.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEndpoint } from '../../server/api/endpoint-config';
import { DamagedStoreError } from '../../server/errors';
import { checkLowdbFolder } from '../../server/store/check-command';
import { delivery, flipByteAt, openStore } from '../support/damage';
import { tempDir } from '../support/temp-dir';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** Format 1 exactly as the previous release wrote it (server/store/capture-record.ts before checksums). */
function legacyCapture(id: string, i: number): string {
  const { headers, body, ...rest } = delivery('old', i);
  const summary = { id, ...rest };
  return `{"t":"c","c":${JSON.stringify(summary).slice(0, -1)},"headers":${JSON.stringify(headers)}}}\n{"t":"b","id":"${id}","d":"${body.toString('base64')}"}\n`;
}

describe('format-1 data folders', () => {
  it('open after an in-place upgrade, keep every byte, and are checked from then on', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    const ids = Array.from({ length: 12 }, (_, i) => `0kz${String(i).padStart(6, '0')}0000abcdefg`);
    await mkdir(join(dir.path, 'captures', 'old'), { recursive: true });
    await writeFile(join(dir.path, 'endpoints.json'), JSON.stringify({ version: 1, endpoints: [buildEndpoint('old', {}, 0)] }, null, 2));
    const first = ids.slice(0, 10).map((id, i) => legacyCapture(id, i)).join('');
    const second = ids.slice(10).map((id, i) => legacyCapture(id, i + 10)).join('') +
      `{"t":"d","id":"${ids[3]}"}\n{"t":"r","id":"${ids[11]}","a":{"id":"r1","kind":"replay","url":"http://x/","startedAt":1,"durationMs":2,"status":200}}\n`;
    await writeFile(join(dir.path, 'captures', 'old', '00000001.jsonl'), first);
    await writeFile(join(dir.path, 'captures', 'old', '00000002.jsonl'), second);

    expect((await checkLowdbFolder(dir.path, false)).notes?.join(' ')).toMatch(/format 1/);
    const store = await openStore(dir.path);
    expect(await store.count('old')).toBe(11);
    for (const [i, id] of ids.entries()) {
      const capture = await store.get(id);
      if (i === 3) expect(capture).toBeNull();
      else expect(capture?.body.equals(delivery('old', i).body)).toBe(true);
    }
    expect((await store.get(ids[11] as string))?.replays.map((r) => r.id)).toEqual(['r1']);
    await store.append(delivery('old', 99));
    await store.close();
    expect(JSON.parse(await readFile(join(dir.path, 'store.json'), 'utf8'))).toMatchObject({ format: 2 });
    expect(await readFile(join(dir.path, 'endpoints.json'), 'utf8')).toMatch(/^\{"version":2,"checksum":"[0-9a-f]{8}"/);
    expect((await checkLowdbFolder(dir.path, false)).findings).toEqual([]);

    await flipByteAt(join(dir.path, 'captures', 'old', '00000001.jsonl'), 'payload-5');
    await expect(openStore(dir.path)).rejects.toBeInstanceOf(DamagedStoreError);
  });
});
