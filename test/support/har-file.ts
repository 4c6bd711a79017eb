// A HAR 1.2 document of `n` webhook deliveries (~1 KiB JSON bodies), as an export would hold them.
import { harEntryOf } from '../../server/replay/har';
import type { StoredCapture } from '../../server/store/store';
import { SKIPPED_SCHEMA, SKIPPED_SIGNATURE } from '../../shared/verdicts';

export function harDocument(n: number, tag = 'import'): Buffer {
  const entries: string[] = [];
  for (let i = 0; i < n; i++) {
    const body = Buffer.from(JSON.stringify({ type: 'message.read', tag, n: i, text: `delivery ${i} ${'lorem ipsum '.repeat(80)}` }));
    const capture: StoredCapture = {
      id: `c${i}`, endpointId: 'x', receivedAt: 1_700_000_000_000 + i, method: 'POST', path: '/hook', query: `n=${i}`, peer: '10.0.0.1',
      size: body.length, contentType: 'application/json', reply: { status: 200 }, verdicts: { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA },
      deliveryId: `evt_${tag}_${i}`, duplicateOf: null, eventType: 'message.read', headers: [['Content-Type', 'application/json'], ['X-N', String(i)]], body, replays: [],
    };
    entries.push(JSON.stringify(harEntryOf(capture, 'http://example.test')));
  }
  return Buffer.from(`{"log":{"version":"1.2","creator":{"name":"test","version":"1"},"entries":[${entries.join(',')}]}}`);
}
