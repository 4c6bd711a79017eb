import { entryOf, type Entry, type Interner } from './capture-index';
import { bodyIntact, hasChecksum, kindOf, lineIntact, NEWLINE, parseBodyHeader, parseCompactIndex, parseRecord, type CompactIndex } from './record-format';

/**
 * A capture whose metadata, body header and body all passed their checksums: directly the index
 * entry the store keeps (start-up builds nothing else per capture, so a large log does not leave
 * the heap fragmented by a second copy of it). `offset`/`length` span its records.
 */
export type ScannedCapture = Entry;

/** Any other intact record. */
export interface ScannedRecord {
  kind: 'record';
  value: Record<string, unknown>;
  offset: number;
  length: number; // bytes, newline included
}

export type ScannedUnit = ScannedCapture | ScannedRecord;

export function isRecord(unit: ScannedUnit): unit is ScannedRecord {
  return (unit as { kind?: unknown }).kind === 'record';
}

/** Bytes that failed a check, with the captures they held as far as they can be named. */
export interface SegmentDamage {
  offset: number;
  length: number; // bytes
  captureIds: string[];
  problem: string;
}

export interface ScannedSegment {
  size: number; // bytes
  units: ScannedUnit[];
  damage: SegmentDamage[];
  /** An unfinished last unit (a partial line, a body running past the end, a capture without its body). */
  torn: { offset: number; what: string } | null;
}

const META_ID = /\{"t":"c","n":\d+,"i":\["([^"\\]{1,64})"/g;
const BODY_ID = /\{"t":"B","id":"([^"\\]{1,64})"/g;

/** Capture ids whose records start inside the bytes [start, end): what damage there cost. */
function idsIn(data: Buffer, start: number, end: number): string[] {
  const text = data.toString('latin1', start, end);
  const ids = new Set<string>();
  for (const re of [META_ID, BODY_ID]) for (const match of text.matchAll(re)) ids.add(match[1] as string);
  return [...ids];
}

/** Start of the next intact line after `from` (a damaged stretch ends there), or the end of the data. */
function resync(data: Buffer, from: number): number {
  const marker = Buffer.from('\n{"t":"');
  for (let at = data.indexOf(marker, from); at !== -1; at = data.indexOf(marker, at + 1)) {
    const nl = data.indexOf(NEWLINE, at + 1);
    if (nl === -1) return data.length;
    if (lineIntact(data, at + 1, nl)) return at + 1;
  }
  return data.length;
}

/**
 * Reads one version-2 segment and checks every record's checksum and every capture's shape
 * (metadata, then its body header and body). Never throws on damage: damaged stretches are
 * listed and skipped up to the next intact record, so a check can name everything at once.
 */
export function scanSegment(data: Buffer, segment: number, intern: Interner, verified = false): ScannedSegment {
  // `verified`: every checksum was already found to match (segmentVerified, in a worker thread):
  // they are not computed again. The shapes are still checked, and a segment that was not found
  // whole takes the full scan, so damage is always reported the same way.
  const intact = verified ? hasChecksum : lineIntact;
  const out: ScannedSegment = { size: data.length, units: [], damage: [], torn: null };
  let pending: { offset: number; metaLength: number; index: CompactIndex } | null = null;
  const damaged = (offset: number, end: number, problem: string, extra: string[] = []) => {
    out.damage.push({ offset, length: end - offset, captureIds: [...new Set([...extra, ...idsIn(data, offset, end)])], problem });
  };
  let pos = 0;
  while (pos < data.length) {
    const nl = data.indexOf(NEWLINE, pos);
    if (nl === -1) {
      out.torn = { offset: pending?.offset ?? pos, what: 'an unfinished record' };
      return out;
    }
    if (!intact(data, pos, nl)) {
      const next = resync(data, nl);
      damaged(pending?.offset ?? pos, next, 'fails its checksum', pending ? [pending.index[0]] : []);
      pending = null;
      pos = next;
      continue;
    }
    const kind = kindOf(data, pos);
    if (kind === 'B') {
      const header = parseBodyHeader(data, pos, nl);
      const bodyEnd = nl + 1 + header.len;
      if (bodyEnd + 1 > data.length) {
        out.torn = { offset: pending?.offset ?? pos, what: `capture ${header.id} with an unfinished body` };
        return out;
      }
      const owner = pending;
      pending = null;
      if (data[bodyEnd] !== NEWLINE) {
        const next = resync(data, nl);
        damaged(owner?.offset ?? pos, next, `the body of capture ${header.id} does not have the length its header gives`, [header.id]);
        pos = next;
        continue;
      }
      if (!owner || owner.index[0] !== header.id) damaged(pos, bodyEnd + 1, `a body of capture ${header.id} without its metadata record`, [header.id]);
      else if (!verified && !bodyIntact(data.subarray(nl + 1, bodyEnd), header.bk)) damaged(owner.offset, bodyEnd + 1, `the body of capture ${header.id} fails its checksum`, [header.id]);
      else out.units.push(entryOf(owner.index, segment, owner.offset, owner.metaLength, bodyEnd + 1 - owner.offset, intern));
      pos = bodyEnd + 1;
      continue;
    }
    if (pending) damaged(pending.offset, pos, `capture ${pending.index[0]} has no body record`, [pending.index[0]]);
    pending = null;
    if (kind === 'c') pending = { offset: pos, metaLength: nl - pos, index: parseCompactIndex(data, pos, intern.reader) };
    else out.units.push({ kind: 'record', value: parseRecord(data, pos, nl), offset: pos, length: nl + 1 - pos });
    pos = nl + 1;
  }
  if (pending) out.torn = { offset: pending.offset, what: `capture ${pending.index[0]} without its body` };
  return out;
}

/**
 * Whether every record of a segment passes its checksum and every body its own — the checksum
 * part of scanSegment alone, cheap to run in a worker thread while the main thread indexes the
 * segment before. False for anything unexpected (damage, a torn end): scanSegment then checks
 * that segment fully and names what it finds.
 */
export function segmentVerified(data: Buffer): boolean {
  let pos = 0;
  while (pos < data.length) {
    const nl = data.indexOf(NEWLINE, pos);
    if (nl === -1 || !lineIntact(data, pos, nl)) return false;
    if (kindOf(data, pos) !== 'B') {
      pos = nl + 1;
      continue;
    }
    let header: { len: number; bk: string };
    try {
      header = parseBodyHeader(data, pos, nl);
    } catch {
      return false;
    }
    const bodyEnd = nl + 1 + header.len;
    if (!(bodyEnd + 1 <= data.length) || data[bodyEnd] !== NEWLINE || !bodyIntact(data.subarray(nl + 1, bodyEnd), header.bk)) return false;
    pos = bodyEnd + 1;
  }
  return true;
}
