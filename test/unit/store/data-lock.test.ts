import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataFolderInUseError, lockDataFolder } from '../../../server/store/data-lock';
import { tempDir } from '../../support/temp-dir';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

describe('data folder lock', () => {
  it('refuses a second holder in the same process until released', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    const release = await lockDataFolder(dir.path);
    await expect(lockDataFolder(dir.path)).rejects.toBeInstanceOf(DataFolderInUseError);
    await release();
    const again = await lockDataFolder(dir.path);
    await again();
  });

  it('takes over a lock left by an earlier run with the same pid (a restarted container)', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    await writeFile(join(dir.path, 'hookscope.lock'), `${process.pid}\n`);
    const release = await lockDataFolder(dir.path);
    await release();
  });
});
