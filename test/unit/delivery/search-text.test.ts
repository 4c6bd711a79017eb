import { describe, expect, it } from 'vitest';
import { jsonPieces, MAX_SEARCH_TEXT } from '../../../server/delivery/search-text';

/** The plain recursive reading of "keys and string/number values in document order". */
function reference(value: unknown, depth = 0, out: string[] = []): string[] {
  if (typeof value === 'string' || typeof value === 'number') out.push(String(value));
  else if (value !== null && typeof value === 'object' && depth < 64) {
    if (Array.isArray(value)) for (const child of value) reference(child, depth + 1, out);
    else {
      for (const [key, child] of Object.entries(value)) {
        out.push(key);
        reference(child, depth + 1, out);
      }
    }
  }
  return out;
}

describe('JSON search pieces', () => {
  it('are the keys and string/number values in document order, nesting bounded', () => {
    const doc = JSON.parse('{"a":1,"b":[true,"x",{"c":null,"d":[2.5,"y"]}],"__proto__":{"e":"z"},"":"empty","f":{"g":{"h":"deep"}}}') as unknown;
    const pieces: string[] = [];
    jsonPieces(doc, pieces);
    expect(pieces).toEqual(reference(doc));
    expect(pieces).toEqual(['a', '1', 'b', 'x', 'c', 'd', '2.5', 'y', '__proto__', 'e', 'z', '', 'empty', 'f', 'g', 'h', 'deep']);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 70; i++) deep = { [`k${i}`]: deep };
    const deepPieces: string[] = [];
    jsonPieces(deep, deepPieces);
    expect(deepPieces).toEqual(reference(deep));
  });

  it('stop once the search text is full', () => {
    const pieces: string[] = [];
    jsonPieces(Array.from({ length: 10 }, () => 'x'.repeat(MAX_SEARCH_TEXT / 4)), pieces);
    expect(pieces).toHaveLength(4);
  });
});
