// A store on a small filesystem that fills up: deliveries get 507 with Retry-After, /readyz says 503,
// config changes fail the same way, and once space is freed everything works again without a
// restart. A kill -9 afterwards loses no acknowledged delivery. Needs root (mount -t tmpfs): in CI
// a failure to mount fails the test.
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, writeFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ChildServer } from '../support/child-server';
import { sha256 } from '../support/http';
import { TEST_TOKEN } from '../support/test-server';

let mountPoint = '';
beforeAll(async () => {
  mountPoint = await mkdtemp(join(tmpdir(), 'hookscope-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', mountPoint]);
});
afterAll(async () => {
  if (!mountPoint) return;
  try {
    execFileSync('umount', [mountPoint]);
  } finally {
    await rm(mountPoint, { recursive: true, force: true });
  }
});

const auth = { authorization: `Bearer ${TEST_TOKEN}` };

/** Appends to `file` until the filesystem refuses (ENOSPC). */
async function fillUp(file: string): Promise<void> {
  const handle = await open(file, 'a');
  try {
    for (let i = 0; i < 10_000; i++) await handle.write(Buffer.alloc(4096));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
}

describe('disk full', () => {
  it('507 with Retry-After, /readyz 503, recovery once space is freed, and every 2xx intact after kill -9', async () => {
    const data = join(mountPoint, 'data');
    const ballast = join(mountPoint, 'ballast');
    await writeFile(ballast, Buffer.alloc(1024 * 1024)); // freed later to give space back
    const args = ['serve', '--port', '0', '--host', '127.0.0.1', '--data', data, '--token', TEST_TOKEN];
    let child: ChildServer = await spawnServer(args);
    try {
      await fetch(`${child.url}/api/endpoints/default`, {
        method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ retention: { maxCaptures: 1_000_000 } }),
      });
      const acked = new Map<string, string>();
      let full: Response | null = null;
      for (let i = 0; i < 200 && !full; i++) {
        const body = `${i}:${'z'.repeat(48 * 1024)}`;
        const res = await fetch(`${child.url}/h/default`, { method: 'POST', body });
        if (res.status === 200) acked.set(((await res.json()) as { id: string }).id, sha256(body));
        else full = res;
      }
      expect(full?.status).toBe(507);
      expect(full?.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await full?.json()) as { error: string }).error).toMatch(/disk is full/);
      expect((await fetch(`${child.url}/readyz`)).status).toBe(503);
      await fillUp(join(mountPoint, 'filler')); // the last few KiB too, so even a small config cannot fit
      const created = await fetch(`${child.url}/api/endpoints`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'new one' }) });
      expect(created.status).toBe(507);
      expect(created.headers.get('retry-after')).toMatch(/^\d+$/);
      const patched = await fetch(`${child.url}/api/endpoints/default`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'renamed' }) });
      expect(patched.status).toBe(507);

      await unlink(ballast);
      await unlink(join(mountPoint, 'filler'));
      expect((await fetch(`${child.url}/readyz`)).status).toBe(200);
      for (let i = 0; i < 5; i++) {
        const body = `after:${i}`;
        const res = await fetch(`${child.url}/h/default`, { method: 'POST', body });
        expect(res.status).toBe(200);
        acked.set(((await res.json()) as { id: string }).id, sha256(body));
      }
      child.process.kill('SIGKILL');
      await child.exited;
      child = await spawnServer(args);
      for (const [id, digest] of acked) {
        const res = await fetch(`${child.url}/api/requests/${id}/body`, { headers: auth });
        expect(res.status).toBe(200);
        expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(digest);
      }
    } finally {
      child.process.kill('SIGKILL');
      await child.exited;
    }
  }, 180_000); // two server starts and a filesystem filled a request at a time
});
