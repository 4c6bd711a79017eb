// Builders shared by the Store and Hub contract suites.
import { buildEndpoint } from '../../server/api/endpoint-config';
import type { NewCapture, Store } from '../../server/store/store';
import type { Endpoint } from '../../shared/endpoint';
import { SKIPPED_SCHEMA, SKIPPED_SIGNATURE } from '../../shared/verdicts';

/** Opens stores over one place (folder, database); the first open sees it empty. */
export interface StoreHarness {
  /** Opens the store again over the same data. `now` drives the clock of new capture ids. */
  open(options?: { now?: () => number }): Promise<Store>;
  /** Deletes the data (stores opened must be closed first). */
  cleanup(): Promise<void>;
}

export function endpoint(id: string, maxCaptures = 1000, now = 1_700_000_000_000): Endpoint {
  return buildEndpoint(id, { retention: { maxCaptures } }, now);
}

/** A delivery as ingest hands it to `append`. */
export function delivery(endpointId: string, overrides: Partial<NewCapture> = {}): NewCapture {
  const body = overrides.body ?? Buffer.from('{"hello":"world"}');
  return {
    endpointId,
    receivedAt: 1_700_000_000_000,
    method: 'POST',
    path: '/sub/path',
    query: 'a=1&a=2',
    peer: '127.0.0.1',
    size: body.length,
    contentType: 'application/json',
    reply: { status: 200 },
    verdicts: { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA },
    deliveryId: null,
    duplicateOf: null,
    eventType: null,
    preview: { encoding: null, binary: false, text: '{"hello":"world"}' },
    rule: null,
    headers: [['Content-Type', 'application/json'], ['X-Repeat', 'one'], ['x-repeat', 'two']],
    ...overrides,
    body,
  };
}

/** Appends `n` deliveries one after another; resolves to their ids, oldest first. */
export async function appendMany(store: Store, endpointId: string, n: number, make: (i: number) => Partial<NewCapture> = () => ({})): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) ids.push((await store.append(delivery(endpointId, make(i)))).id);
  return ids;
}

/** Every byte value, invalid UTF-8 sequences and a NUL: what a binary or broken body can hold. */
export const BINARY_BODY = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xff, 0xfe, 0x00]),
]);
