import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaptureSummary, ReplayAttempt } from '../../shared/capture';
import { DamagedCaptureError } from '../errors';
import type { Entry } from './capture-index';
import { bodyIntact, lineIntact, NEWLINE, parseBodyHeader, parseMeta } from './record-format';
import { segmentFileName } from './segment-writer';
import type { StoredCapture } from './store';

/** Where a log lives: its folder, and the same relative to the data folder (for messages). */
export interface LogPlace {
  dir: string;
  where: string;
}

/** Where one capture's records are in its log: what reading and checking them takes. */
export type EntryPlace = Pick<Entry, 'id' | 'segment' | 'offset' | 'metaLength' | 'length'>;

export async function openSegment(place: LogPlace, segment: number): Promise<FileHandle | null> {
  try {
    return await open(join(place.dir, segmentFileName(segment)), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Reads `size` bytes from the start of a file into `buffer` (fewer if the file is shorter); how many were read. */
export async function readWhole(handle: FileHandle, buffer: Buffer, size: number): Promise<number> {
  let read = 0;
  while (read < size) {
    const { bytesRead } = await handle.read(buffer, read, size - read, read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return read;
}

async function readRange(handle: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  const { bytesRead } = await handle.read(buffer, 0, length, offset);
  return buffer.subarray(0, bytesRead);
}

/**
 * Reads one capture and checks it on the way (see decodeCapture). Null when its segment went
 * away (evicted meanwhile).
 */
export async function readCapture(place: LogPlace, entry: Entry, replays: ReplayAttempt[]): Promise<StoredCapture | null> {
  const handle = await openSegment(place, entry.segment);
  if (!handle) return null;
  let data: Buffer;
  try {
    data = await readRange(handle, entry.offset, entry.length);
  } finally {
    await handle.close();
  }
  return decodeCapture(place, entry, data, replays);
}

const scratchBuffers: Buffer[] = [];

/**
 * Each run of consecutive entries lying in one segment, with its bytes (one read per run; a run
 * whose segment went away is skipped): `bytesOf(entry)` is that entry's records, possibly cut
 * short. With `scratch` the bytes are in a reused buffer, valid only until the next run (the
 * caller copies what it keeps); without, each run gets a buffer of its own.
 */
export async function* segmentRuns<T extends EntryPlace>(place: LogPlace, entries: T[], scratch: boolean): AsyncGenerator<{ run: T[]; bytesOf: (entry: T) => Buffer }> {
  for (const run of runsBySegment(entries)) {
    const first = run[0] as T;
    const last = run[run.length - 1] as T;
    const handle = await openSegment(place, first.segment);
    if (!handle) continue;
    const length = last.offset + last.length - first.offset;
    // A reused scratch buffer: large reads allocated afresh each time cost more in GC than in I/O.
    const reused = scratch ? scratchBuffers.pop() : undefined;
    const buffer = reused && reused.length >= length ? reused : Buffer.allocUnsafe(scratch ? Math.max(length, 1 << 20) : length);
    try {
      const { bytesRead } = await handle.read(buffer, 0, length, first.offset);
      const span = buffer.subarray(0, bytesRead);
      yield { run, bytesOf: (entry) => span.subarray(entry.offset - first.offset, entry.offset - first.offset + entry.length) };
    } finally {
      await handle.close();
      if (scratch && scratchBuffers.length < 4 && buffer.length <= 64 << 20) scratchBuffers.push(buffer);
    }
  }
}

/**
 * Consecutive captures of one log, read a segment at a time (one read per run of captures in the
 * same segment) and checked like readCapture. Captures whose segment went away are left out.
 */
export async function readCaptures(place: LogPlace, entries: Entry[], replaysOf: (id: string) => ReplayAttempt[]): Promise<StoredCapture[]> {
  const out: StoredCapture[] = [];
  for await (const { run, bytesOf } of segmentRuns(place, entries, true)) {
    for (const entry of run) out.push(decodeCapture(place, entry, bytesOf(entry), replaysOf(entry.id)));
  }
  return out;
}

/** Consecutive entries split into runs that lie in one segment each (one read per run). */
export function* runsBySegment<T extends EntryPlace>(entries: T[]): Generator<T[]> {
  for (let i = 0; i < entries.length; ) {
    const segment = (entries[i] as T).segment;
    let j = i;
    while (j < entries.length && (entries[j] as T).segment === segment) j++;
    yield entries.slice(i, j);
    i = j;
  }
}

/**
 * The checked parts of a capture's bytes: its metadata record, body header and body must pass
 * their checksums and belong together, or DamagedCaptureError names the capture and file. The
 * body is a view into `data`.
 */
export function checkedCapture(place: LogPlace, entry: EntryPlace, data: Buffer): { meta: Buffer; body: Buffer; damaged: (detail: string) => DamagedCaptureError } {
  const where = `${place.where}/${segmentFileName(entry.segment)}`;
  const damaged = (detail: string) => new DamagedCaptureError(entry.id, `${where} at byte ${entry.offset}`, detail);
  if (data.length < entry.length) throw damaged('its records are cut short');
  const metaEnd = entry.metaLength;
  if (data[metaEnd] !== NEWLINE || !lineIntact(data, 0, metaEnd)) throw damaged('its metadata record fails its checksum');
  const headerEnd = data.indexOf(NEWLINE, metaEnd + 1);
  if (headerEnd === -1 || !lineIntact(data, metaEnd + 1, headerEnd)) throw damaged('its body header fails its checksum');
  const header = parseBodyHeader(data, metaEnd + 1, headerEnd);
  const body = data.subarray(headerEnd + 1, headerEnd + 1 + header.len);
  if (header.id !== entry.id || body.length !== header.len || data[headerEnd + 1 + header.len] !== NEWLINE) throw damaged('its body record does not belong to it');
  if (!bodyIntact(body, header.bk)) throw damaged('its body fails its checksum');
  return { meta: data.subarray(0, metaEnd), body, damaged };
}

/** A whole capture from its bytes, checked (checkedCapture); the body is copied out of `data` (which may be a larger read). */
function decodeCapture(place: LogPlace, entry: Entry, data: Buffer, replays: ReplayAttempt[]): StoredCapture {
  const { meta, body, damaged } = checkedCapture(place, entry, data);
  const { summary, headers } = parseMeta(meta);
  if (summary.id !== entry.id) throw damaged('its metadata record names another capture');
  return { ...summary, headers, body: Buffer.from(body), replays: [...replays] };
}

/** The summaries of entries of one log (any order, kept), read from their metadata records and checked. */
export async function readSummaries(place: LogPlace, entries: Entry[]): Promise<CaptureSummary[]> {
  const out: CaptureSummary[] = new Array<CaptureSummary>(entries.length);
  const bySegment = new Map<number, number[]>();
  entries.forEach((entry, i) => {
    const list = bySegment.get(entry.segment);
    if (list) list.push(i);
    else bySegment.set(entry.segment, [i]);
  });
  for (const [segment, positions] of bySegment) {
    const handle = await openSegment(place, segment);
    if (!handle) continue; // retention dropped it meanwhile: those captures are gone
    try {
      const first = Math.min(...positions.map((i) => (entries[i] as Entry).offset));
      const last = Math.max(...positions.map((i) => (entries[i] as Entry).offset + (entries[i] as Entry).metaLength));
      // One read when the page's records are close together (the usual case), else one each.
      const span = last - first <= 4 * 1024 * 1024 ? await readRange(handle, first, last - first) : null;
      for (const i of positions) {
        const entry = entries[i] as Entry;
        const line = span ? span.subarray(entry.offset - first, entry.offset - first + entry.metaLength) : await readRange(handle, entry.offset, entry.metaLength);
        if (line.length !== entry.metaLength || !lineIntact(line, 0, line.length)) {
          throw new DamagedCaptureError(entry.id, `${place.where}/${segmentFileName(segment)} at byte ${entry.offset}`, 'its metadata record fails its checksum');
        }
        out[i] = parseMeta(line).summary;
      }
    } finally {
      await handle.close();
    }
  }
  return out.filter((summary) => summary !== undefined);
}
