import { open, readFile, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { HeaderPairs } from '../../shared/capture';

/**
 * Per segment, what queries search without reading bodies: each capture's headers and its search
 * text (server/delivery/search-text.ts: body text, path and query, lower-cased), in
 * `NNNNNNNN.search` beside the segment. Records: u32 LE length of the rest, u8 id length, id,
 * u32 LE headers length, headers as JSON, search text (UTF-8). Derived data: written without
 * fsync, checked against the index when read, and whatever is missing is recomputed from the
 * captures — it can never make a query miss or serve a capture.
 */
export function sidecarName(segment: number): string {
  return `${String(segment).padStart(8, '0')}.search`;
}

/** One record, encoded straight into its buffer (no intermediate buffer per part). */
export function encodeSearchRecord(id: string, headers: HeaderPairs, text: string): Buffer {
  const headersJson = JSON.stringify(headers);
  const record = Buffer.allocUnsafe(4 + 1 + id.length + 4 + Buffer.byteLength(headersJson) + Buffer.byteLength(text));
  writeSearchRecord(record, 0, id, headersJson, [text]);
  return record;
}

/** Bytes a record of these parts takes at most (UTF-8 takes up to 3 bytes per UTF-16 unit). */
export function searchRecordMaxBytes(id: string, headersJson: string, text: string[]): number {
  return 4 + 1 + id.length + 4 + 3 * (headersJson.length + text.reduce((sum, piece) => sum + piece.length, 0));
}

/**
 * Writes one record at `at` (room for it is the caller's: searchRecordMaxBytes), the search text
 * given in pieces written one after another; where it ends. The layout: u32 LE length of the rest,
 * u8 id length, id, u32 LE headers length, headers JSON, search text (UTF-8).
 */
export function writeSearchRecord(buffer: Buffer, at: number, id: string, headersJson: string, text: string[]): number {
  const start = at;
  at = buffer.writeUInt8(id.length, at + 4);
  at += buffer.write(id, at, 'latin1');
  const headersAt = at + 4;
  at = headersAt + buffer.write(headersJson, headersAt, 'utf8');
  buffer.writeUInt32LE(at - headersAt, headersAt - 4);
  for (const piece of text) at += buffer.write(piece, at, 'utf8');
  buffer.writeUInt32LE(at - start - 4, start);
  return at;
}

/** One record's place in a sidecar buffer. */
export interface SearchRecord {
  id: string;
  start: number; // the record's first byte
  headers: [number, number]; // byte range of the headers JSON
  text: [number, number]; // byte range of the search text
}

/** The records of a sidecar, in file order; a cut-short last record is left out. */
export function parseSidecar(data: Buffer): SearchRecord[] {
  const out: SearchRecord[] = [];
  let at = 0;
  while (at + 9 <= data.length) {
    const end = at + 4 + data.readUInt32LE(at);
    if (end > data.length) break;
    const idLength = data.readUInt8(at + 4);
    const id = data.toString('latin1', at + 5, at + 5 + idLength);
    const headersAt = at + 5 + idLength + 4;
    const headersEnd = headersAt + data.readUInt32LE(at + 5 + idLength);
    if (headersEnd > end) break;
    out.push({ id, start: at, headers: [headersAt, headersEnd], text: [headersEnd, end] });
    at = end;
  }
  return out;
}

/**
 * Whether a sidecar holds a record for each of `ids` (in the order records are written: by id),
 * compared byte by byte without building a string per record: a query asks this of every segment
 * its words are missing from, so on a large endpoint it must cost next to nothing.
 */
export function sidecarCovers(data: Buffer, ids: readonly string[]): boolean {
  let k = 0;
  let at = 0;
  while (k < ids.length && at + 9 <= data.length) {
    const end = at + 4 + data.readUInt32LE(at);
    if (end > data.length) break;
    const id = ids[k] as string;
    if (data[at + 4] === id.length && sameLatin1(data, at + 5, id)) k++;
    at = end;
  }
  return k === ids.length;
}

function sameLatin1(data: Buffer, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (data[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Appends search records to the sidecars of one log, one write at a time, without fsync. */
export class SidecarWriter {
  private queue: { segment: number; record: Buffer }[] = [];
  private running: Promise<void> | null = null;
  private handle: { segment: number; file: FileHandle } | null = null;

  constructor(private readonly dir: string) {}

  add(segment: number, record: Buffer): void {
    this.queue.push({ segment, record });
    this.running ??= this.flush().finally(() => {
      this.running = null;
    });
  }

  async read(segment: number): Promise<Buffer | null> {
    await this.idle();
    return readFile(join(this.dir, sidecarName(segment))).catch(() => null);
  }

  async drop(segment: number): Promise<void> {
    await this.idle();
    if (this.handle?.segment === segment) await this.closeHandle();
    await unlink(join(this.dir, sidecarName(segment))).catch(() => undefined);
  }

  /** Replaces a sidecar whole (after recomputing it). */
  async replace(segment: number, records: Buffer[]): Promise<void> {
    await this.idle();
    if (this.handle?.segment === segment) await this.closeHandle();
    const file = join(this.dir, sidecarName(segment));
    // A new file renamed over the old: records appended meanwhile to the old one show up as
    // missing at the next query, which recomputes them.
    await writeFile(`${file}.tmp`, Buffer.concat(records), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    await this.idle();
    await this.closeHandle();
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.file.close().catch(() => undefined);
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      for (let i = 0; i < batch.length; ) {
        const segment = (batch[i] as { segment: number }).segment;
        let j = i;
        while (j < batch.length && (batch[j] as { segment: number }).segment === segment) j++;
        try {
          if (this.handle?.segment !== segment) {
            await this.closeHandle();
            this.handle = { segment, file: await open(join(this.dir, sidecarName(segment)), 'a', 0o600) };
          }
          await this.handle.file.writev(batch.slice(i, j).map((item) => item.record));
        } catch {
          await this.closeHandle(); // derived data: a failed write only means recomputing later
        }
        i = j;
      }
    }
  }
}
