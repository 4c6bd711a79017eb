import type { CaptureSummary } from '../../shared/capture';
import { checksumHex, checksumOf } from './checksum';
import { summaryOf } from './capture-record';
import { captureSearchPieces } from './query-scan';
import { bodyHeaderPrefix, metaPrefix, sealSuffix } from './record-format';
import { searchRecordMaxBytes, writeSearchRecord } from './search-sidecar';
import type { StoredCapture } from './store';

/**
 * Many captures encoded at once (an import's): their segment records and their search records in
 * a few large buffers — byte for byte what encodeMeta, encodeBody and encodeSearchRecord give one
 * capture at a time (test/unit/store/batch-encode.test.ts holds them to it), without a buffer per
 * record. Made here or in import worker threads (as EncodedPart, with the summaries as JSON).
 */
export interface EncodedCaptures {
  /** Per capture: its metadata record, body header record, body bytes and newline (in one or more buffers, back to back). */
  records: Buffer[];
  /** Per capture, two numbers: its metadata record's length without the newline, and all its bytes. */
  lengths: Uint32Array;
  /** Per capture, its search record, back to back (the sidecar format: self-delimiting; in one or more buffers). */
  search: Buffer[];
  /** The captures' summaries (summaryOf): what the stream publishes and the index keeps. */
  summaries: CaptureSummary[];
}

/** EncodedCaptures as a worker thread hands them over: only bytes (moved, not copied), the summaries as a JSON array. */
export interface EncodedPart extends Omit<EncodedCaptures, 'summaries'> {
  summaries: Buffer;
}

/** A part received from a worker thread as EncodedCaptures (its buffers arrive as plain Uint8Arrays). */
export function receivedPart(part: EncodedPart): EncodedCaptures {
  const buffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    records: part.records.map(buffer),
    lengths: part.lengths,
    search: part.search.map(buffer),
    summaries: JSON.parse(buffer(part.summaries).toString('utf8')) as CaptureSummary[],
  };
}

/** Encoded parts as one, in order. */
export function joinedParts(parts: EncodedCaptures[]): EncodedCaptures {
  if (parts.length === 1) return parts[0] as EncodedCaptures;
  const lengths = new Uint32Array(parts.reduce((sum, part) => sum + part.lengths.length, 0));
  let at = 0;
  for (const part of parts) {
    lengths.set(part.lengths, at);
    at += part.lengths.length;
  }
  return {
    records: parts.flatMap((part) => part.records),
    lengths,
    search: parts.flatMap((part) => part.search),
    summaries: parts.flatMap((part) => part.summaries),
  };
}

/** A buffer written from the front that grows (by doubling) as it fills. */
class Arena {
  buffer: Buffer;
  at = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafeSlow(Math.max(size, 4096));
  }

  /** Room for `bytes` more. */
  ensure(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }

  /** Writes text as UTF-8; its byte length. */
  text(value: string): number {
    this.ensure(value.length * 3);
    const written = this.buffer.write(value, this.at, 'utf8');
    this.at += written;
    return written;
  }

  latin1(value: string): void {
    this.ensure(value.length);
    this.at += this.buffer.write(value, this.at, 'latin1');
  }

  bytes(value: Buffer): void {
    this.ensure(value.length);
    this.at += value.copy(this.buffer, this.at);
  }

  /** A JSON text (no checksum yet; in pieces, written one after another), then its checksum suffix and newline: one record line; its length. */
  sealed(pieces: string[]): number {
    const start = this.at;
    for (const piece of pieces) this.text(piece);
    this.latin1(sealSuffix(checksumOf(this.buffer.subarray(start, this.at))));
    return this.at - start;
  }

  done(): Buffer {
    return this.buffer.subarray(0, this.at);
  }
}

/**
 * Encodes captures one at a time (each can be dropped once added). `part()` gives what was added
 * since the last part — as EncodedCaptures here, or with `json` as an EncodedPart for a worker
 * thread to hand over (the summaries' JSON is made anyway, for the metadata records).
 */
export class CaptureEncoder {
  private records!: Arena;
  private search!: Arena;
  private summaryJson!: Arena;
  private lengths: number[] = [];
  private summaries: CaptureSummary[] = [];

  /** `bytes`: about how many bytes a part's records will take (the buffers' first size; they grow as needed). */
  constructor(private readonly bytes: number, private readonly json = false) {
    this.reset();
  }

  get size(): number {
    return this.lengths.length / 2;
  }

  add(capture: StoredCapture): void {
    const { records, search } = this;
    const summary: CaptureSummary = summaryOf(capture);
    const fields = JSON.stringify(summary);
    if (this.json) {
      if (this.lengths.length > 0) this.summaryJson.latin1(',');
      this.summaryJson.text(fields);
    } else {
      this.summaries.push(summary);
    }
    const headersJson = JSON.stringify(capture.headers);
    const start = records.at;
    const metaLine = records.sealed(metaPrefix(summary, headersJson, fields));
    records.sealed([bodyHeaderPrefix(capture.id, capture.body.length, checksumHex(capture.body))]);
    records.bytes(capture.body);
    records.latin1('\n');
    this.lengths.push(metaLine - 1, records.at - start);
    const text = captureSearchPieces(capture);
    search.ensure(searchRecordMaxBytes(capture.id, headersJson, text));
    search.at = writeSearchRecord(search.buffer, search.at, capture.id, headersJson, text);
  }

  /** What was added since the last part (EncodedPart when made with `json`). */
  part(): EncodedCaptures | EncodedPart {
    this.summaryJson.latin1(']');
    const made = {
      records: [this.records.done()],
      lengths: Uint32Array.from(this.lengths),
      search: [this.search.done()],
      summaries: this.json ? this.summaryJson.done() : this.summaries,
    };
    this.reset();
    return made as EncodedCaptures | EncodedPart;
  }

  private reset(): void {
    this.records = new Arena(this.bytes);
    this.search = new Arena(this.bytes / 2);
    this.summaryJson = new Arena(this.json ? this.bytes / 2 : 16);
    this.summaryJson.latin1('[');
    this.lengths = [];
    this.summaries = [];
  }
}

/** Encodes captures (on this thread). */
export function encodeCaptures(captures: StoredCapture[]): EncodedCaptures {
  const encoder = new CaptureEncoder(captures.reduce((sum, capture) => sum + capture.body.length + 1536, 0));
  for (const capture of captures) encoder.add(capture);
  return encoder.part() as EncodedCaptures;
}
