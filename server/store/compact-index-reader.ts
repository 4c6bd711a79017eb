import type { CompactIndex } from './record-format';

/**
 * Reads the compact index at the head of a metadata record straight from the segment's bytes —
 * start-up reads a million of them, and JSON.parse would build a string for every field only for
 * most of them (methods, paths, peers, event types, verdicts) to be thrown away for the one copy
 * the index keeps. Here a repeated value is recognised by its bytes and its kept string reused.
 * A field holding an escape (`\`) sends the whole index to JSON.parse.
 */
export class CompactIndexReader {
  private known = new Map<number, { bytes: Buffer; value: string }>();

  read(data: Buffer, from: number, end: number): CompactIndex {
    for (let i = from; i < end; i++) if (data[i] === 0x5c) return JSON.parse(data.toString('utf8', from, end)) as CompactIndex;
    const fields: (string | number | null)[] = [];
    let at = from + 1; // past `[`
    while (at < end - 1) {
      if (data[at] === 0x22) {
        const close = data.indexOf(0x22, at + 1);
        // The id and delivery id are unique: made once. Other strings repeat: reused by their bytes.
        const unique = fields.length === 0 || fields.length === 7;
        fields.push(unique ? data.toString('utf8', at + 1, close) : this.repeated(data, at + 1, close));
        at = close + 2; // past the quote and the comma
      } else {
        let stop = at;
        while (stop < end - 1 && data[stop] !== 0x2c) stop++;
        fields.push(data[at] === 0x6e /* n */ ? null : numberAt(data, at, stop));
        at = stop + 1;
      }
    }
    return fields as CompactIndex;
  }

  private repeated(data: Buffer, start: number, end: number): string {
    let hash = 0x811c9dc5; // FNV-1a over the bytes
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ (data[i] as number), 0x01000193);
    const seen = this.known.get(hash);
    if (seen && sameBytes(seen.bytes, data, start, end)) return seen.value;
    const value = data.toString('utf8', start, end);
    if (this.known.size < 10_000) this.known.set(hash, { bytes: Buffer.from(data.subarray(start, end)), value });
    return value;
  }
}

/** Byte by byte: these are short, and Buffer.compare's call costs more than the loop. */
function sameBytes(bytes: Buffer, data: Buffer, start: number, end: number): boolean {
  if (bytes.length !== end - start) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== data[start + i]) return false;
  return true;
}

/** A JSON number from its bytes: plain integers digit by digit, anything else by Number(). */
function numberAt(data: Buffer, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = (data[i] as number) - 0x30;
    if (digit < 0 || digit > 9 || end - start > 15) return Number(data.toString('latin1', start, end));
    value = value * 10 + digit;
  }
  return value;
}
