import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

const stateSchema = z.object({
  version: z.literal(1),
  endpointUrl: z.string(),
  to: z.string(),
  /** Id of the last capture whose delivery finished (delivered, skipped by a filter, or gone); null: none yet. */
  cursor: z.string().nullable(),
  updatedAt: z.number(), // ms since epoch
});
export type ForwardState = z.infer<typeof stateSchema>;

/** The saved state, or null when there is no file yet. A file that is not a state file is an error, never overwritten silently. */
export async function loadState(file: string): Promise<ForwardState | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = stateSchema.safeParse((() => {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  })());
  if (!parsed.success) throw new Error(`the state file ${file} is damaged; move it away to start over (it was left untouched)`);
  return parsed.data;
}

/**
 * Saves the state so that a crash at any instant leaves either the old or the new file:
 * written to a temporary file, fsynced, renamed over the old one, and the folder fsynced.
 */
export async function saveState(file: string, state: ForwardState): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(state)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  const folder = await open(dirname(file), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
