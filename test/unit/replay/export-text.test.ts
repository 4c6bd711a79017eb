import { describe, expect, it } from 'vitest';
import { summaryOf } from '../../../server/store/capture-record';
import { harText, jsonlText, jsonMembers } from '../../../server/replay/export-text';
import { harEntryOf } from '../../../server/replay/har';
import { jsonlLineOf } from '../../../server/replay/jsonl';
import type { RawCapture } from '../../../server/store/raw-capture';
import type { StoredCapture } from '../../../server/store/store';
import { delivery } from '../../contract/store-fixtures';

function stored(overrides: Partial<StoredCapture> = {}): StoredCapture {
  return { ...delivery('ep/1'), id: '0mfx3k2a0000abc1234', replays: [], ...overrides };
}

/** What Store.readRawAfter gives for a capture: its summary and headers as stored JSON. */
function rawOf(capture: StoredCapture, summary: string = JSON.stringify(summaryOf(capture))): RawCapture {
  return { id: capture.id, summary, headers: JSON.stringify(capture.headers), body: capture.body };
}

const cases: [string, StoredCapture][] = [
  ['a JSON body', stored()],
  ['quotes, backslashes, control characters and non-ASCII everywhere', stored({
    path: '/ü/"q"\\x', query: 'a=%20&b=ü&c', peer: '::ffff:10.0.0.1', method: 'PATCH',
    headers: [['X-"Quoted"', 'a\\b\u0001'], ['X-Emoji', '🦘']], body: Buffer.from('line\n\t"quoted" \\ \u0000 ü 🦘'),
    deliveryId: 'evt:"1"', eventType: 'message.read', contentType: null,
  })],
  ['a binary body', stored({ body: Buffer.from([0, 255, 254, 10]), contentType: 'application/octet-stream' })],
  ['an empty body', stored({ body: Buffer.alloc(0), size: 0 })],
  ['a rejected delivery', stored({ reply: { status: 413, rejected: 'too large: "x"' }, body: Buffer.alloc(0), size: 5_000_000 })],
  ['a duplicate with a rule', stored({ duplicateOf: '0mfx3k2a0000abc0000', deliveryId: 'd-1', rule: { id: 'r1', name: 'slow {down}' } as unknown as StoredCapture['rule'] })],
];

describe('export lines from stored JSON', () => {
  for (const [name, capture] of cases) {
    it(`are byte-identical to the parsed path: ${name}`, () => {
      expect(jsonlText(rawOf(capture))).toBe(JSON.stringify(jsonlLineOf(capture)));
      expect(harText(rawOf(capture), 'http://127.0.0.1:1')).toBe(JSON.stringify(harEntryOf(capture, 'http://127.0.0.1:1')));
    });
  }

  it('take the parsing path for a record from before event types were kept', () => {
    const capture = stored({ eventType: null });
    const { eventType: _dropped, ...older } = summaryOf(capture);
    const raw = rawOf(capture, JSON.stringify(older));
    expect(jsonlText(raw)).toBe(JSON.stringify(jsonlLineOf(capture)));
    expect(harText(raw, 'http://h')).toBe(JSON.stringify(harEntryOf(capture, 'http://h')));
    const { deliveryId: _gone, ...withoutDelivery } = summaryOf(capture);
    expect(jsonlText(rawOf(capture, JSON.stringify(withoutDelivery)))).toBe(JSON.stringify(jsonlLineOf({ ...capture, deliveryId: undefined as unknown as null })));
  });

  it('split a JSON object into its members, nested values whole', () => {
    expect(jsonMembers('{"a":1,"b":"x\\"}","c":{"d":[1,{"e":"]"}]},"f":null}')).toEqual(new Map([['a', '1'], ['b', '"x\\"}"'], ['c', '{"d":[1,{"e":"]"}]}'], ['f', 'null']]));
    expect(jsonMembers('{"a":"\\\\"}')).toEqual(new Map([['a', '"\\\\"']]));
    expect(jsonMembers('[1]')).toBeNull();
    expect(jsonMembers('{"a":1')).toBeNull();
  });
});
