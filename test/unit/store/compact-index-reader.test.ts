import { describe, expect, it } from 'vitest';
import { CompactIndexReader } from '../../../server/store/compact-index-reader';
import type { CompactIndex } from '../../../server/store/record-format';

const indexes: CompactIndex[] = [
  ['0mfx3k2a0000abc1234', 1_767_225_600_123, 'POST', 200, 'skipped', 'skipped', 'invoice.paid', 'evt_1', '/hooks/1', '10.0.0.1', 0],
  ['0mfx3k2a0000abc1235', 1_767_225_600_124, 'POST', 503, 'valid', 'invalid', null, null, '', '::ffff:10.0.0.7', 3],
  ['0mfx3k2a0000abc1236', -5.5, 'PUT', 0, 'missing', 'unknown', 'ünïcode.事件', 'x:"quoted"\\', '/a,b]c', 'peer', 1],
  ['0mfx3k2a0000abc1237', 1e21, 'POST', 200, 'skipped', 'skipped', 'invoice.paid', 'evt_,2', '/hooks/1', '10.0.0.1', 2],
];

describe('compact index reader', () => {
  it('reads what JSON.parse reads: escapes, non-ASCII, nulls, commas and brackets in strings, numbers of every form, repeated values', () => {
    const reader = new CompactIndexReader();
    const read = indexes.map((index) => {
      const bytes = Buffer.from(`xx${JSON.stringify(index)}yy`);
      return reader.read(bytes, 2, bytes.length - 2);
    });
    expect(read).toEqual(indexes);
  });
});
