// Start-up reads and checks a large log's segments in worker threads (segment-check-threads.ts):
// an intact folder gives the same index as the main thread's check, and every kind of damage
// is refused (or, after a crash, cut off) with the same words.
import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../server/store/lowdb-store';
import { segmentCheckRuns } from '../../server/store/segment-check-threads';
import { segmentVerified } from '../../server/store/segment-scan';
import { fillFolder, flipByteAt, segmentPath } from '../support/damage';
import { tempDir } from '../support/temp-dir';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** Opens the folder with or without threads: what start-up said (warnings), held, or refused with. */
async function outcome(dir: string, threads: boolean): Promise<{ refused: string | null; warnings: string[]; ids: string[] }> {
  const warnings: string[] = [];
  const options = { dir, segmentLimits: { maxCaptures: 10 }, warn: (m: string) => warnings.push(m), checkThreads: threads ? { minSegments: 1, threads: 2 } : { minSegments: Number.POSITIVE_INFINITY } };
  try {
    const store = await LowdbStore.open(options);
    const ids: string[] = [];
    for (let page = await store.list('e', { limit: 500 }); ; ) {
      ids.push(...page.items.map((item) => item.id));
      if (!page.nextBefore) break;
      page = await store.list('e', { limit: 500, before: page.nextBefore });
    }
    await store.close();
    return { refused: null, warnings, ids };
  } catch (error) {
    return { refused: (error as Error).message, warnings, ids: [] };
  }
}

/** A folder of 35 captures in 4 segments, damaged by `damage`, copied so each way opens its own. */
async function both(damage: (dir: string) => Promise<void>): Promise<[Awaited<ReturnType<typeof outcome>>, Awaited<ReturnType<typeof outcome>>]> {
  const a = await tempDir();
  const b = await tempDir();
  cleanups.push(a.remove, b.remove);
  await fillFolder(a.path);
  await fillFolder(b.path);
  await damage(a.path);
  await damage(b.path);
  const before = segmentCheckRuns.count;
  const threaded = await outcome(a.path, true);
  expect(segmentCheckRuns.count).toBe(before + 1);
  const plain = await outcome(b.path, false);
  expect(segmentCheckRuns.count).toBe(before + 1);
  return [threaded, plain];
}

/** The outcome with the folder's own ids (random per folder) made comparable. */
function comparable(o: Awaited<ReturnType<typeof outcome>>): unknown {
  const text = (t: string) => t.replace(/[0-9a-z]{20}/g, '<id>').replace(/hookscope-[^/\s]+/g, '<dir>').replace(/\/tmp\/\S+/g, '<dir>');
  return { refused: o.refused && text(o.refused), warnings: o.warnings.map(text), ids: o.ids.length };
}

describe('start-up checks in worker threads', () => {
  it('index an intact folder exactly as the main thread does', async () => {
    const verified = segmentCheckRuns.verified;
    const [threaded, plain] = await both(async () => undefined);
    expect(segmentCheckRuns.verified).toBe(verified + 4); // each segment's checksums were all checked in a thread
    expect(threaded.refused).toBeNull();
    expect(threaded.ids).toHaveLength(35);
    expect(comparable(threaded)).toEqual(comparable(plain));
  });

  it('refuse every kind of damage with the main thread\'s words', async () => {
    const damages: ((dir: string) => Promise<void>)[] = [
      (dir) => flipByteAt(segmentPath(dir, 2), 'payload-13'), // a body
      (dir) => flipByteAt(segmentPath(dir, 3), '"method":"POST"', 3), // metadata
      async (dir) => {
        const file = segmentPath(dir, 1);
        const data = await readFile(file);
        data.fill(0, 300, 700); // a zeroed span
        await writeFile(file, data);
      },
      async (dir) => truncate(segmentPath(dir, 2), (await readFile(segmentPath(dir, 2))).length - 37), // a full segment cut mid-record
    ];
    for (const damage of damages) {
      const [threaded, plain] = await both(damage);
      expect(threaded.refused).not.toBeNull();
      expect(comparable(threaded)).toEqual(comparable(plain));
    }
  });

  it('after a crash, cut off an unfinished last write with the same warning', async () => {
    const [threaded, plain] = await both(async (dir) => {
      await rm(join(dir, 'clean-shutdown.json'));
      const newest = segmentPath(dir, 4);
      await writeFile(newest, Buffer.concat([await readFile(newest), Buffer.from('{"t":"c","n":3,"i":["x"')]));
    });
    expect(threaded.refused).toBeNull();
    expect(threaded.warnings.join('\n')).toMatch(/cut off \d+ bytes/);
    expect(comparable(threaded)).toEqual(comparable(plain));
  });

  it('segmentVerified: true for a whole segment, false for any changed byte or a torn end', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    await fillFolder(dir.path);
    const whole = await readFile(segmentPath(dir.path, 2));
    expect(segmentVerified(whole)).toBe(true);
    for (const at of [5, whole.indexOf('payload-13'), whole.length - 3]) {
      const changed = Buffer.from(whole);
      changed[at] = (changed[at] as number) ^ 0x01;
      expect(segmentVerified(changed)).toBe(false);
    }
    expect(segmentVerified(whole.subarray(0, whole.length - 10))).toBe(false);
  });
});
