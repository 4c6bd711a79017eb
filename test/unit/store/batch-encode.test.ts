import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SKIPPED_SCHEMA, SKIPPED_SIGNATURE } from '../../../shared/verdicts';
import { bodyPreview } from '../../../server/delivery/body-preview';
import { CaptureEncoder, encodeCaptures, receivedPart, type EncodedPart } from '../../../server/store/batch-encode';
import { summaryOf } from '../../../server/store/capture-record';
import { captureSearchText } from '../../../server/store/query-scan';
import { encodeBody, encodeMeta } from '../../../server/store/record-format';
import { encodeSearchRecord } from '../../../server/store/search-sidecar';
import type { StoredCapture } from '../../../server/store/store';

function capture(i: number, body: Buffer, headers: [string, string][], extra: Partial<StoredCapture> = {}): StoredCapture {
  return {
    id: `0mx2ra9330000abcd${String(i).padStart(3, '0')}`, endpointId: 'e', receivedAt: 1767225600000 + i, method: 'POST', path: `/h/ünï/${i}`, query: i % 2 ? 'a=%E2%9C%93&b=1' : '',
    peer: '::1', headers, body, size: body.length, contentType: headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? null,
    reply: i % 3 ? { status: 200 } : { status: 401, rejected: 'signature' }, verdicts: { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA },
    deliveryId: i % 2 ? `d-${i}` : null, duplicateOf: i === 3 ? '0mx2ra9330000abcd001' : null, eventType: i % 2 ? 'message.read' : null,
    preview: bodyPreview(headers, body), replays: [], ...extra,
  };
}

// Bodies and headers that have tripped encoders: multi-byte text, escapes, binary, empty, compressed, a form.
const captures = [
  capture(0, Buffer.from('{"note":"café — 日本語 \\"quoted\\" \\u2028","n":1}'), [['Content-Type', 'application/json'], ['X-Ünicode', 'wert "ä"']]),
  capture(1, Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x0a]), [['Content-Type', 'application/octet-stream']]),
  capture(2, Buffer.alloc(0), []),
  capture(3, gzipSync('{"zipped":"yes"}'), [['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']]),
  capture(4, Buffer.from('a=1&b=%20x&c=%E2%9C%93'), [['Content-Type', 'application/x-www-form-urlencoded']]),
  capture(5, Buffer.from('x'.repeat(70_000)), [['Content-Type', 'text/plain']]),
];

/** What one capture at a time gives: the records ingest writes, and its search record. */
function oneByOne(list: StoredCapture[]): { records: Buffer; search: Buffer; lengths: number[] } {
  const lengths: number[] = [];
  const records = list.map((c) => {
    const meta = encodeMeta(summaryOf(c), c.headers);
    const all = Buffer.concat([meta, ...encodeBody(c.id, c.body)]);
    lengths.push(meta.length - 1, all.length);
    return all;
  });
  return { records: Buffer.concat(records), search: Buffer.concat(list.map((c) => encodeSearchRecord(c.id, c.headers, captureSearchText(c)))), lengths };
}

describe('encoding captures in batches', () => {
  it('gives byte for byte the records and search records of encoding each capture alone', () => {
    const expected = oneByOne(captures);
    const encoded = encodeCaptures(captures);
    expect(Buffer.concat(encoded.records).equals(expected.records)).toBe(true);
    expect(Buffer.concat(encoded.search).equals(expected.search)).toBe(true);
    expect([...encoded.lengths]).toEqual(expected.lengths);
    expect(encoded.summaries).toEqual(captures.map(summaryOf));
  });

  it('gives the same in parts made for a worker thread, summaries as JSON, and grows its buffers from a small start', () => {
    const encoder = new CaptureEncoder(16, true);
    const parts: EncodedPart[] = [];
    for (const [i, c] of captures.entries()) {
      encoder.add(c);
      if (i === 2 || i === captures.length - 1) parts.push(encoder.part() as EncodedPart);
    }
    expect(parts.map((part) => part.lengths.length / 2)).toEqual([3, 3]);
    const received = parts.map(receivedPart);
    const expected = oneByOne(captures);
    expect(Buffer.concat(received.flatMap((part) => part.records)).equals(expected.records)).toBe(true);
    expect(Buffer.concat(received.flatMap((part) => part.search)).equals(expected.search)).toBe(true);
    expect(received.flatMap((part) => [...part.lengths])).toEqual(expected.lengths);
    expect(received.flatMap((part) => part.summaries)).toEqual(JSON.parse(JSON.stringify(captures.map(summaryOf))));
  });
});
