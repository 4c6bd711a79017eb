import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The admin token: the configured one, else the one kept in `<data>/token`, else a new random
 * one written there (mode 0600) so it survives restarts.
 */
export async function resolveToken(dataDir: string, configured: string | undefined): Promise<{ token: string; generated: boolean }> {
  if (configured) return { token: configured, generated: false };
  const file = join(dataDir, 'token');
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept.length >= 16) return { token: kept, generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = randomBytes(24).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true };
}
