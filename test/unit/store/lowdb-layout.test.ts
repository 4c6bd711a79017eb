import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEndpoint } from '../../../server/api/endpoint-config';
import { LowdbStore } from '../../../server/store/lowdb-store';
import type { NewCapture } from '../../../server/store/store';
import { SKIPPED_SCHEMA, SKIPPED_SIGNATURE } from '../../../shared/verdicts';
import { tempDir } from '../../support/temp-dir';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

function capture(endpointId: string, body: string): NewCapture {
  return {
    endpointId, receivedAt: 1, method: 'POST', path: '', query: '', peer: '127.0.0.1', headers: [['X-N', body]], body: Buffer.from(body),
    size: body.length, contentType: null, reply: { status: 200 }, verdicts: { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA },
    deliveryId: null, duplicateOf: null, eventType: null,
  };
}

async function open(dir: string) {
  const store = await LowdbStore.open({ dir, segmentLimits: { maxCaptures: 10 } });
  cleanups.push(() => store.close());
  return store;
}

describe('lowdb store layout', () => {
  it('keeps each endpoint in its own segmented log and drops whole segments past retention', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    const store = await open(dir.path);
    await store.createEndpoint(buildEndpoint('a', { retention: { maxCaptures: 25 } }, 0));
    await store.createEndpoint(buildEndpoint('b', {}, 0));
    for (let i = 0; i < 100; i++) await store.append(capture('a', `a${i}`));
    await store.append(capture('b', 'b0'));
    await new Promise((resolve) => setTimeout(resolve, 50)); // segment unlinks run after the append resolves
    const segmentsA = (await readdir(join(dir.path, 'captures', 'a'))).filter((name) => name.endsWith('.jsonl')).sort();
    // 100 captures in segments of 10; the newest 25 span segments 8–10 (and part of 7)
    expect(segmentsA.length).toBeLessThanOrEqual(4);
    expect(segmentsA[segmentsA.length - 1]).toBe('00000010.jsonl');
    expect((await readdir(join(dir.path, 'captures', 'b'))).sort()).toEqual(['00000001.jsonl', '00000001.search']); // the segment and its search sidecar
    const page = await store.list('a', { limit: 100 });
    expect(page.total).toBe(25);
    expect(page.items[0]?.id).toBeDefined();
    const oldest = await store.get(page.items[24]?.id as string);
    expect(oldest?.body.toString()).toBe('a75');
  });
});

describe('clearing while deliveries arrive', () => {
  it('keeps every append that resolved after the clear began', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    const store = await open(dir.path);
    await store.createEndpoint(buildEndpoint('c', {}, 0));
    for (let i = 0; i < 20; i++) await store.append(capture('c', `before ${i}`));
    const clearing = store.clearCaptures('c');
    const during = await Promise.all(Array.from({ length: 30 }, (_, i) => store.append(capture('c', `during ${i}`))));
    await clearing;
    const page = await store.list('c', { limit: 100 });
    expect(page.items.map((c) => c.id).sort()).toEqual(during.map((c) => c.id).sort());
    for (const stored of during.slice(-3)) expect((await store.get(stored.id))?.body.toString()).toMatch(/^during/);
    await store.close();
    const reopened = await open(dir.path);
    expect((await reopened.list('c', { limit: 100 })).total).toBe(30);
  });
});
