import { open, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreFullError, StoreWriteError } from '../../../server/errors';
import { SegmentWriter, segmentFileName, type OpenFile } from '../../../server/store/segment-writer';
import { tempDir } from '../../support/temp-dir';

const dirs: { remove: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await dir.remove();
});

async function newWriter(maxCaptures = 1000, maxBytes = 1 << 30) {
  const dir = await tempDir();
  dirs.push(dir);
  return { dir: dir.path, writer: new SegmentWriter(dir.path, { maxCaptures, maxBytes }) };
}

describe('SegmentWriter', () => {
  it('shares one commit among concurrent writes and keeps their order', async () => {
    const { dir, writer } = await newWriter();
    const lines = Array.from({ length: 300 }, (_, i) => Buffer.from(`{"t":"c","n":${i}}\n`));
    const results = await Promise.all(lines.map((line) => writer.write([line], 1)));
    await writer.close();
    expect(writer.commits).toBeGreaterThan(0);
    expect(writer.commits).toBeLessThan(lines.length / 10);
    const text = await readFile(join(dir, segmentFileName(1)), 'utf8');
    expect(text).toBe(lines.map(String).join(''));
    results.forEach((result, i) => {
      expect(text.slice(result.offsets[0], (result.offsets[0] as number) + (lines[i] as Buffer).length)).toBe(String(lines[i]));
    });
  });

  it('starts a new segment when one is full and leaves older ones untouched', async () => {
    const { dir, writer } = await newWriter(10);
    for (let i = 0; i < 10; i++) await writer.write([Buffer.from(`{"n":${i}}\n`)], 1);
    const first = await stat(join(dir, segmentFileName(1)));
    const firstText = await readFile(join(dir, segmentFileName(1)), 'utf8');
    for (let i = 10; i < 35; i++) await writer.write([Buffer.from(`{"n":${i}}\n`)], 1);
    await writer.close();
    expect((await readdir(dir)).sort()).toEqual([1, 2, 3, 4].map(segmentFileName));
    // A full segment gets one seal record (its size) when the next one starts, then is never written again.
    const sealed = await readFile(join(dir, segmentFileName(1)), 'utf8');
    expect(sealed.startsWith(firstText)).toBe(true);
    expect(sealed.slice(firstText.length)).toMatch(new RegExp(`^\\{"t":"z","size":${firstText.length},"k":"[0-9a-f]{8}"\\}\\n$`));
    const sealedAt = (await stat(join(dir, segmentFileName(1)))).mtimeMs;
    expect(sealedAt).toBeGreaterThanOrEqual(first.mtimeMs);
    expect((await readFile(join(dir, segmentFileName(4)), 'utf8')).trim().split('\n')).toHaveLength(5);
  });

  it('writes a stream of records as they come, in its place in the queue: writes queued after it wait for it', async () => {
    const { dir, writer } = await newWriter();
    await writer.write([Buffer.from('{"n":0}\n')], 1);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    async function* stream(): AsyncGenerator<Buffer[]> {
      yield [Buffer.from('{"s":1}\n'), Buffer.from('{"s":2}\n')];
      await held; // the rest is still being made
      yield [Buffer.from('{"s":3}\n')];
    }
    const streamed = writer.write(stream(), 3);
    const after = writer.write([Buffer.from('{"n":4}\n')], 1);
    let afterDone = false;
    void after.then(() => (afterDone = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(afterDone).toBe(false);
    release();
    const [{ offsets }, { offsets: afterOffsets }] = await Promise.all([streamed, after]);
    await writer.close();
    const text = await readFile(join(dir, segmentFileName(1)), 'utf8');
    expect(text).toBe('{"n":0}\n{"s":1}\n{"s":2}\n{"s":3}\n{"n":4}\n');
    expect(offsets).toEqual([8, 16, 24]);
    expect(afterOffsets).toEqual([32]);
  });

  it('undoes a stream that fails part way: its bytes are cut off, it is rejected, and the queue goes on', async () => {
    const { dir, writer } = await newWriter();
    await writer.write([Buffer.from('{"n":0}\n')], 1);
    async function* failing(): AsyncGenerator<Buffer[]> {
      yield [Buffer.from('{"i":"half"}\n')];
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('the encoder stopped');
    }
    const failed = writer.write(failing(), 2);
    const after = writer.write([Buffer.from('{"n":1}\n')], 1);
    await expect(failed).rejects.toThrow('the encoder stopped');
    expect((await after).offsets).toEqual([8]);
    await writer.close();
    expect(await readFile(join(dir, segmentFileName(1)), 'utf8')).toBe('{"n":0}\n{"n":1}\n');
  });

  it('resumes appending to the last segment at its size', async () => {
    const { dir, writer } = await newWriter();
    await writer.write([Buffer.from('{"n":1}\n')], 1);
    await writer.close();
    const again = new SegmentWriter(dir, { maxCaptures: 1000, maxBytes: 1 << 30 }, { segment: 1, size: 8, captures: 1, sealed: false });
    const { offsets } = await again.write([Buffer.from('{"n":2}\n')], 1);
    await again.close();
    expect(offsets).toEqual([8]);
    expect(await readFile(join(dir, segmentFileName(1)), 'utf8')).toBe('{"n":1}\n{"n":2}\n');
  });
});

describe('SegmentWriter write failures', () => {
  /** Handles whose next datasync or writev fails with `code`, once, when `arm` says so. */
  function failing(code: string) {
    const arm = { datasync: false, writev: false };
    const openFile: OpenFile = async (path, flags, mode) => {
      const handle = await open(path, flags, mode);
      const fail = (what: 'datasync' | 'writev') => {
        arm[what] = false;
        return Promise.reject(Object.assign(new Error(`${code}: injected`), { code }));
      };
      return new Proxy(handle, {
        get(target, property) {
          if (property === 'datasync' && arm.datasync) return () => fail('datasync');
          if (property === 'writev' && arm.writev) return () => fail('writev');
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    };
    return { arm, openFile };
  }

  it('a failed fdatasync (EIO) rejects as a write error, and the next write truncates back and goes on', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const { arm, openFile } = failing('EIO');
    const writer = new SegmentWriter(dir.path, { maxCaptures: 1000, maxBytes: 1 << 30 }, undefined, openFile);
    await writer.write([Buffer.from('{"n":1}\n')], 1);
    arm.datasync = true;
    await expect(writer.write([Buffer.from('{"n":2}\n')], 1)).rejects.toBeInstanceOf(StoreWriteError);
    const { offsets } = await writer.write([Buffer.from('{"n":3}\n')], 1);
    await writer.close();
    expect(offsets).toEqual([8]);
    expect(await readFile(join(dir.path, segmentFileName(1)), 'utf8')).toBe('{"n":1}\n{"n":3}\n');
  });

  it('a full disk (ENOSPC) during a write rejects as disk full, and nothing of it stays', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const { arm, openFile } = failing('ENOSPC');
    const writer = new SegmentWriter(dir.path, { maxCaptures: 1000, maxBytes: 1 << 30 }, undefined, openFile);
    await writer.write([Buffer.from('{"n":1}\n')], 1);
    arm.writev = true;
    const error = await writer.write([Buffer.from('{"n":2}\n')], 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreFullError);
    expect((error as Error).message).toMatch(/disk is full/);
    await writer.write([Buffer.from('{"n":3}\n')], 1);
    await writer.close();
    expect(await readFile(join(dir.path, segmentFileName(1)), 'utf8')).toBe('{"n":1}\n{"n":3}\n');
  });
});

describe('SegmentWriter on a sealed segment', () => {
  it('starts the next segment for any record, so the seal stays the last record', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const sealed = Buffer.from('{"n":1}\n{"t":"z"}\n');
    await writeFile(join(dir.path, segmentFileName(1)), sealed);
    const writer = new SegmentWriter(dir.path, { maxCaptures: 10, maxBytes: 1 << 30 }, { segment: 1, size: sealed.length, captures: 1, sealed: true });
    const { segment } = await writer.write([Buffer.from('{"t":"d"}\n')], 0);
    await writer.close();
    expect(segment).toBe(2);
    expect(await readFile(join(dir.path, segmentFileName(1)))).toEqual(sealed);
  });
});
