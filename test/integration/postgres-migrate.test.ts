// `hookscope migrate --from <lowdb folder> --to <database url>`: a faithful, idempotent copy.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../server/store/lowdb-store';
import { PostgresStore } from '../../server/store/postgres/postgres-store';
import type { Store, StoredCapture } from '../../server/store/store';
import { postgresMissingReason, startTestPostgres, type TestPostgres } from '../support/postgres';
import { tempDir } from '../support/temp-dir';
import { appendMany, BINARY_BODY, delivery, endpoint } from '../contract/store-fixtures';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/hookscope.js', import.meta.url));
const missing = postgresMissingReason();
let server: TestPostgres;

const migrate = (from: string, to: string) => run(process.execPath, [BIN, 'migrate', '--from', from, '--to', to]);

async function everything(store: Store): Promise<{ endpoints: unknown; captures: (StoredCapture | null)[] }> {
  const endpoints = await store.listEndpoints();
  const captures: (StoredCapture | null)[] = [];
  for (const e of endpoints) {
    for (const c of await store.listAfter(e.id, undefined, 10_000)) captures.push(await store.get(c.id));
  }
  return { endpoints, captures };
}

describe.skipIf(missing)(`hookscope migrate${missing ? ` — skipped: ${missing}` : ''}`, () => {
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => server?.dispose());

  it('copies endpoints and captures byte-exact with ids and replays, and running it again changes nothing', async () => {
    const dir = await tempDir();
    const source = await LowdbStore.open({ dir: dir.path });
    await source.createEndpoint(endpoint('default'));
    await source.createEndpoint({ ...endpoint('small', 5), name: 'Small' });
    const ids = await appendMany(source, 'default', 450, (i) => ({ body: i === 7 ? BINARY_BODY : Buffer.from(`body ${i}`), deliveryId: `evt_${i % 300}` }));
    await appendMany(source, 'small', 8, () => ({ body: Buffer.alloc(0) }));
    await source.deleteCapture(ids[3] as string);
    await source.addReplayAttempt(ids[9] as string, { id: 'r1', kind: 'replay', url: 'http://127.0.0.1:1/', startedAt: 5, durationMs: 1, status: 204 });
    const expected = await everything(source);
    await source.close();

    const url = await server.createDatabase();
    const first = await migrate(dir.path, url);
    expect(first.stdout).toMatch(/default: 200\/449 captures/);
    expect(first.stdout).toMatch(/done: 2 endpoints, 454 captures copied, 0 already there/);
    const second = await migrate(dir.path, url);
    expect(second.stdout).toMatch(/done: 2 endpoints, 0 captures copied, 454 already there/);

    const target = await PostgresStore.open({ connectionString: url });
    try {
      const copied = await everything(target);
      expect(copied).toEqual(expected);
      expect(copied.captures.find((c) => c?.id === ids[7])?.body.equals(BINARY_BODY)).toBe(true);
      expect(await target.count('small')).toBe(5);
      expect(await target.findByDeliveryId('default', 'evt_5')).toBe(ids[5]);
      // New captures sort after the migrated ones, so cursors held by inspectors keep working.
      const next = await target.append(delivery('default'));
      expect(next.id > (ids[449] as string)).toBe(true);
    } finally {
      await target.close();
      await dir.remove();
    }
  }, 60_000);

  it('fails with a clear message for a folder without lowdb data or a missing flag', async () => {
    const dir = await tempDir();
    try {
      await expect(migrate(dir.path, 'postgres://127.0.0.1:1/x')).rejects.toMatchObject({ stderr: expect.stringMatching(/holds no Hookscope lowdb data/) });
      await expect(run(process.execPath, [BIN, 'migrate', '--from', dir.path])).rejects.toMatchObject({ stderr: expect.stringMatching(/--from and --to are required/) });
    } finally {
      await dir.remove();
    }
  });
});
