import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Adapter } from 'lowdb';
import { CorruptDataError } from '../errors';

/** fsync a directory so a rename inside it survives a crash. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * lowdb adapter for a JSON document that is on disk when `write` resolves: the new text is
 * written to a temporary file, fsynced and renamed over the old one, so a crash leaves either
 * the old or the new document. A file that is not JSON, or fails `validate`, is reported as
 * CorruptDataError and never overwritten by `read`.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(
    private readonly file: string,
    private readonly validate: (value: unknown) => T,
  ) {}

  async read(): Promise<T | null> {
    const text = await readTextIfPresent(this.file);
    if (text === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new CorruptDataError(this.file, `not valid JSON: ${(error as Error).message}`);
    }
    try {
      return this.validate(parsed);
    } catch (error) {
      throw new CorruptDataError(this.file, `unexpected content: ${(error as Error).message}`);
    }
  }

  async write(data: T): Promise<void> {
    await writeDurably(this.file, JSON.stringify(data, null, 2));
  }
}

/** A file's text, or null when it does not exist. */
export async function readTextIfPresent(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** A small file written whole: temporary file, fsync, rename, folder fsync. */
export async function writeDurably(file: string, text: string): Promise<void> {
  const temp = `${file}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncDirectory(dirname(file));
}
