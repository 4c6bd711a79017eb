import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DamageFinding } from './integrity';
import { Interner } from './capture-index';
import { isRecord, scanSegment, type ScannedRecord, type ScannedSegment, type ScannedUnit } from './segment-scan';
import { threadedSegmentSource, type SegmentCheckOptions } from './segment-check-threads';
import { readWhole } from './capture-reader';
import { segmentFileName } from './segment-writer';

/** Where an endpoint's newest segment ended when the store was last closed cleanly. */
export interface CleanEnd {
  segment: number;
  size: number; // bytes
}

/** What `hookscope check --repair` accepted as lost, kept in the endpoint folder (`repairs.json`). */
export interface AcceptedLosses {
  /** Segment numbers known to be gone (moved to quarantine or missing when repaired). */
  missing: number[];
  /** Segments repaired short: they need no seal record. */
  unsealed: number[];
}

export interface InspectedSegment {
  segment: number;
  file: string; // absolute
  scan: ScannedSegment;
}

/** One endpoint's log as found on disk, checked. */
export interface LogInspection {
  /** Segments kept, oldest first. */
  segments: InspectedSegment[];
  findings: DamageFinding[];
  /** An unfinished write a crash left at the end of the newest segment (never acknowledged): cut off at start-up. */
  cut: { segment: number; file: string; offset: number; bytes: number; what: string } | null;
  /** Segments retention had dropped whose unlink a crash interrupted: removed at start-up. */
  leftovers: string[];
  /** A full segment a crash left unsealed while its successor was being started: sealed at start-up. */
  unsealed: { file: string; size: number } | null;
  captures: number;
  bytes: number;
}

export const SEGMENT_NAME = /^\d{8}\.jsonl$/;

/**
 * Reads whole segments into two buffers used in turn (a scan keeps nothing that points into
 * them): reading thousands of segments into fresh buffers leaves the allocator's memory
 * fragmented, and the process's RSS far above what it holds. The next segment is read while the
 * current one is scanned, so start-up's I/O overlaps its checksum and parse work.
 */
function segmentReader(files: string[]): (index: number) => Promise<Buffer> {
  const scratch = [Buffer.alloc(0), Buffer.alloc(0)];
  const readInto = async (index: number): Promise<Buffer> => {
    const handle = await open(files[index] as string, 'r');
    try {
      const { size } = await handle.stat();
      const slot = index % 2;
      if ((scratch[slot] as Buffer).length < size) scratch[slot] = Buffer.allocUnsafe(Math.max(size, 2 * (scratch[slot] as Buffer).length, 1 << 20));
      const buffer = scratch[slot] as Buffer;
      return buffer.subarray(0, await readWhole(handle, buffer, size));
    } finally {
      await handle.close();
    }
  };
  let ahead: Promise<Buffer> | null = null;
  return async (index) => {
    const current = ahead ?? readInto(index);
    ahead = null;
    const data = await current;
    // Started only once `current` is done: it reuses the other buffer, which the caller has finished scanning.
    if (index + 1 < files.length) {
      ahead = readInto(index + 1);
      ahead.catch(() => undefined); // its error surfaces when it is awaited
    }
    return data;
  };
}

export async function readAcceptedLosses(dir: string): Promise<AcceptedLosses> {
  try {
    const value = JSON.parse(await readFile(join(dir, 'repairs.json'), 'utf8')) as Partial<AcceptedLosses>;
    return { missing: value.missing ?? [], unsealed: value.unsealed ?? [] };
  } catch {
    return { missing: [], unsealed: [] };
  }
}

function lastRecord(units: ScannedUnit[]): Record<string, unknown> | null {
  const last = units[units.length - 1];
  return last && isRecord(last) ? last.value : null;
}

/** The import begun (`i`) and never committed (`j`) at the end of a segment's units, if any. */
function uncommittedImport(units: ScannedUnit[]): ScannedRecord | null {
  for (let i = units.length - 1; i >= 0; i--) {
    const unit = units[i] as ScannedUnit;
    if (!isRecord(unit)) continue;
    return unit.value.t === 'i' ? unit : null;
  }
  return null;
}

/**
 * Reads and checks every segment of one endpoint (`where` is its folder relative to the data
 * folder, for messages): record checksums, holes in the numbering, oldest segments missing that
 * retention did not drop (`g` records say what it dropped), full segments that lost their seal
 * (cut at a record boundary), a sealed newest segment whose successor is gone, and — when the
 * store was closed cleanly — a newest segment that is not exactly as it was left.
 */
export async function inspectLog(dir: string, where: string, clean: CleanEnd | null, intern: Interner = new Interner(), checkThreads?: SegmentCheckOptions): Promise<LogInspection> {
  const out: LogInspection = { segments: [], findings: [], cut: null, leftovers: [], unsealed: null, captures: 0, bytes: 0 };
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => SEGMENT_NAME.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    names = [];
  }
  const accepted = await readAcceptedLosses(dir);
  const all: InspectedSegment[] = [];
  const files = names.map((name) => join(dir, name));
  const read = segmentReader(files);
  // A large log is read and checked in worker threads, ahead of the segment being indexed here.
  const threaded = threadedSegmentSource(files, (i) => readFile(files[i] as string), checkThreads);
  try {
    for (const [i, name] of names.entries()) {
      const { data, verified } = threaded ? await threaded.read(i) : { data: await read(i), verified: false };
      all.push({ segment: Number(name.slice(0, 8)), file: files[i] as string, scan: scanSegment(data, Number(name.slice(0, 8)), intern, verified) });
    }
  } finally {
    await threaded?.close();
  }
  let dropped = 0;
  for (const { scan } of all) for (const unit of scan.units) if (isRecord(unit) && unit.value.t === 'g') dropped = Math.max(dropped, Number(unit.value.through));
  for (const s of all) (s.segment <= dropped ? out.leftovers : []).push(s.file);
  out.segments = all.filter((s) => s.segment > dropped);
  const at = (segment: number) => `${where}/${segmentFileName(segment)}`;
  const report = (finding: DamageFinding) => out.findings.push(finding);

  const missing: number[] = [];
  const first = out.segments[0]?.segment ?? dropped + 1;
  for (let n = dropped + 1; n < first; n++) missing.push(n);
  for (let i = 1; i < out.segments.length; i++) {
    for (let n = (out.segments[i - 1] as InspectedSegment).segment + 1; n < (out.segments[i] as InspectedSegment).segment; n++) missing.push(n);
  }
  const unaccepted = missing.filter((n) => !accepted.missing.includes(n));
  if (unaccepted.length > 0) {
    const oldest = unaccepted.filter((n) => n < first);
    report({
      where,
      record: `segments ${unaccepted.map(segmentFileName).join(', ')}`,
      problem: oldest.length === unaccepted.length ? 'the oldest segments are missing, and retention did not drop them' : 'segments are missing from the middle of the log (a hole retention never makes)',
      lost: `the captures they held (up to 256 each)`,
    });
  }

  for (const [i, s] of out.segments.entries()) {
    out.bytes += s.scan.size;
    out.captures += s.scan.units.filter((u) => !isRecord(u)).length;
    for (const damage of s.scan.damage) {
      report({
        where: at(s.segment),
        record: damage.captureIds.length > 0 ? `capture ${damage.captureIds.join(', ')} (bytes ${damage.offset}–${damage.offset + damage.length})` : `bytes ${damage.offset}–${damage.offset + damage.length}`,
        problem: damage.problem,
        lost: damage.captureIds.length > 0 ? `${damage.captureIds.length} acknowledged capture(s)` : 'the records in those bytes',
      });
    }
    const newest = i === out.segments.length - 1;
    if (!newest) {
      const successor = out.segments[i + 1] as InspectedSegment;
      const rolling = i === out.segments.length - 2 && successor.scan.size === 0; // a crash while starting the next segment
      const seal = lastRecord(s.scan.units);
      if (s.scan.torn) report({ where: at(s.segment), record: `bytes ${s.scan.torn.offset}–${s.scan.size}`, problem: `ends in ${s.scan.torn.what}, but it is not the newest segment`, lost: 'acknowledged captures' });
      else if (seal?.t !== 'z' && rolling) out.unsealed = { file: s.file, size: s.scan.size };
      else if (seal?.t !== 'z' && !accepted.unsealed.includes(s.segment)) {
        report({ where: at(s.segment), problem: 'does not end with its seal record: it was cut short at a record boundary', lost: 'acknowledged records at its end (how many is unknown)' });
      }
      continue;
    }
    inspectNewest(out, s, at(s.segment), clean, accepted, report);
  }
  if (clean && out.segments.length === 0 && (clean.size > 0 || clean.segment > 1)) {
    report({ where, problem: `holds no segment, but ${segmentFileName(clean.segment)} (${clean.size} bytes) was there at the last clean shutdown`, lost: 'every capture of this endpoint' });
  }
  return out;
}

function inspectNewest(out: LogInspection, s: InspectedSegment, where: string, clean: CleanEnd | null, accepted: AcceptedLosses, report: (f: DamageFinding) => void): void {
  if (lastRecord(s.scan.units)?.t === 'z' && !accepted.missing.includes(s.segment + 1)) {
    report({ where: `${where.slice(0, where.lastIndexOf('/'))}/${segmentFileName(s.segment + 1)}`, problem: `is missing: ${segmentFileName(s.segment)} is sealed, so a newer segment was started`, lost: 'the captures it held (up to 256)' });
  }
  const pendingImport = uncommittedImport(s.scan.units);
  const cutAt = pendingImport?.offset ?? s.scan.torn?.offset;
  const what = pendingImport ? `an import of ${String(pendingImport.value.n)} captures that never committed` : s.scan.torn?.what;
  if (clean) {
    if (clean.segment !== s.segment) report({ where, problem: `is the newest segment, but ${segmentFileName(clean.segment)} was at the last clean shutdown`, lost: 'acknowledged captures of the newer segments' });
    else if (clean.size !== s.scan.size) report({ where, problem: `is ${s.scan.size} bytes, but was ${clean.size} bytes at the last clean shutdown`, lost: s.scan.size < clean.size ? `${clean.size - s.scan.size} bytes of acknowledged records` : 'unknown: bytes were added' });
    else if (cutAt !== undefined) report({ where, record: `bytes ${cutAt}–${s.scan.size}`, problem: `ends in ${what} after a clean shutdown` });
    return;
  }
  if (cutAt !== undefined) out.cut = { segment: s.segment, file: s.file, offset: cutAt, bytes: s.scan.size - cutAt, what: what ?? 'an unfinished write' };
}
