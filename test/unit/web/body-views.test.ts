import { describe, expect, it } from 'vitest';
import { bodyBytes } from '../../../web/src/features/capture-detail/utils/body-bytes';
import { hexDump } from '../../../web/src/features/capture-detail/utils/hex-dump';
import { existingPrefix, parseIssuePath, placeIssues } from '../../../web/src/features/capture-detail/utils/json-path';
import { shellQuote } from '../../../web/src/lib/shell-quote';

describe('hexDump', () => {
  it('prints offset, two groups of eight bytes and printable ASCII', () => {
    const bytes = new Uint8Array([...Buffer.from('{"a":1}\n'), 0x00, 0xff, 0x7f, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46]);
    expect(hexDump(bytes)).toEqual([
      '00000000  7b 22 61 22 3a 31 7d 0a  00 ff 7f 41 42 43 44 45  |{"a":1}....ABCDE|',
      '00000010  46                                                |F|',
    ]);
  });

  it('pages through a window of the bytes', () => {
    const bytes = new Uint8Array(64).map((_, i) => i);
    const lines = hexDump(bytes, 32, 16);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.startsWith('00000020  20 21 22')).toBe(true);
    expect(hexDump(new Uint8Array())).toEqual([]);
  });
});

describe('bodyBytes', () => {
  it('decodes base64 bodies byte-exact and encodes utf8 ones', () => {
    const raw = Buffer.from([0, 1, 2, 250, 255]);
    expect(Buffer.from(bodyBytes({ encoding: 'base64', data: raw.toString('base64') }))).toEqual(raw);
    expect(Buffer.from(bodyBytes({ encoding: 'utf8', data: 'é' }))).toEqual(Buffer.from('é'));
  });
});

describe('issue paths', () => {
  it('reads dotted, bracketed and JSON Pointer spellings', () => {
    expect(parseIssuePath('a.b[0].c')).toEqual(['a', 'b', '0', 'c']);
    expect(parseIssuePath('a.b.0.c')).toEqual(['a', 'b', '0', 'c']);
    expect(parseIssuePath('/a/b~1c/0')).toEqual(['a', 'b/c', '0']);
    expect(parseIssuePath('')).toEqual([]);
    expect(parseIssuePath('$.x')).toEqual(['x']);
  });

  it('places a missing field on its parent, with the field named in the message', () => {
    const value = { order: { items: [{ sku: 'A' }] } };
    expect(existingPrefix(value, ['order', 'items', '0', 'qty'])).toEqual(['order', 'items', '0']);
    const placed = placeIssues(value, [{ path: 'order.items[0].qty', message: 'Required' }, { path: 'order.items.0.sku', message: 'too short' }]);
    expect(placed.get(JSON.stringify(['order', 'items', '0']))?.[0]?.message).toBe('qty: Required');
    expect(placed.get(JSON.stringify(['order', 'items', '0', 'sku']))?.[0]?.message).toBe('too short');
  });
});

describe('shell quoting (the first-run curl line)', () => {
  it('quotes for a POSIX shell', () => {
    expect(shellQuote('plain-word')).toBe('plain-word');
    expect(shellQuote("it's $(rm -rf) `x`")).toBe(`'it'\\''s $(rm -rf) \`x\`'`);
  });
});

describe('replay response diff', () => {
  it('diffs lines by longest common subsequence and pairs changed blocks side by side', async () => {
    const { diffLines, comparableBody } = await import('../../../web/src/features/replay/utils/line-diff');
    const { sideBySide } = await import('../../../web/src/features/replay/components/replay-diff');
    const lines = diffLines('a\nb\nc\nd', 'a\nx\nc\nd\ne');
    expect(lines).toEqual([
      { kind: 'same', text: 'a' }, { kind: 'removed', text: 'b' }, { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' }, { kind: 'same', text: 'd' }, { kind: 'added', text: 'e' },
    ]);
    expect(sideBySide(lines).map((r) => [r.left?.text ?? null, r.right?.text ?? null])).toEqual([
      ['a', 'a'], ['b', 'x'], ['c', 'c'], ['d', 'd'], [null, 'e'],
    ]);
    expect(comparableBody({ encoding: 'utf8', data: '{"a":1}' })).toBe('{\n  "a": 1\n}');
  });
});
