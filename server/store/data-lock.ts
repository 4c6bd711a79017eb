import { open, readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Another live process has the data folder open. */
export class DataFolderInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(`the data folder ${dir} is in use by another Hookscope (process ${pid}); stop it first, or give this one another --data folder (several instances need --store postgres)`);
    this.name = 'DataFolderInUseError';
  }
}

/** Folders this process holds the lock of. */
const lockedHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dir>/hookscope.lock` (holding this process's pid) so that two processes never append
 * to the same logs. A lock left by a process that no longer runs (killed, crashed) is taken over.
 * Resolves to the release function.
 */
export async function lockDataFolder(folder: string): Promise<() => Promise<void>> {
  const dir = resolve(folder);
  const file = join(dir, 'hookscope.lock');
  for (let tries = 0; tries < 3; tries++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      lockedHere.add(dir);
      return async () => {
        lockedHere.delete(dir);
        await unlink(file).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    // Our own pid: held by this process, or left by an earlier run that had the same pid (pid 1 in
    // a container restarted after a crash) — only the set of folders this process locked can tell.
    const held = holder === process.pid ? lockedHere.has(dir) : Number.isInteger(holder) && holder > 0 && alive(holder);
    if (held) throw new DataFolderInUseError(dir, holder);
    await unlink(file).catch(() => undefined); // stale: its process is gone
  }
  throw new Error(`could not take the lock ${file}`);
}
