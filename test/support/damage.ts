// Builders for the integrity tests: a real lowdb data folder with several segments, and ways to damage it.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildEndpoint } from '../../server/api/endpoint-config';
import { LowdbStore } from '../../server/store/lowdb-store';
import type { NewCapture } from '../../server/store/store';
import { SKIPPED_SCHEMA, SKIPPED_SIGNATURE } from '../../shared/verdicts';

export function delivery(endpointId: string, i: number): NewCapture {
  const body = Buffer.from(JSON.stringify({ n: i, note: `payload-${i}-${'x'.repeat(40)}` }));
  return {
    endpointId, receivedAt: 1_700_000_000_000 + i, method: 'POST', path: `/p${i}`, query: '', peer: '127.0.0.1',
    headers: [['Content-Type', 'application/json']], body, size: body.length, contentType: 'application/json', reply: { status: 200 },
    verdicts: { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA }, deliveryId: null, duplicateOf: null, eventType: null,
  };
}

export function openStore(dir: string): Promise<LowdbStore> {
  return LowdbStore.open({ dir, segmentLimits: { maxCaptures: 10 }, warn: () => undefined });
}

/** A folder with endpoint `e` holding `count` captures in segments of 10 (closed cleanly); resolves to their ids. */
export async function fillFolder(dir: string, count = 35): Promise<string[]> {
  const store = await openStore(dir);
  await store.createEndpoint(buildEndpoint('e', {}, 0));
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await store.append(delivery('e', i))).id);
  await store.close();
  return ids;
}

export const segmentPath = (dir: string, n: number) => join(dir, 'captures', 'e', `${String(n).padStart(8, '0')}.jsonl`);

/** Changes one byte of a file at the first place `marker` occurs (plus `shift`). */
export async function flipByteAt(file: string, marker: string, shift = 0): Promise<void> {
  const data = await readFile(file);
  const at = data.indexOf(marker);
  if (at === -1) throw new Error(`${marker} is not in ${file}`);
  data[at + shift] = (data[at + shift] as number) ^ 0x01;
  await writeFile(file, data);
}
