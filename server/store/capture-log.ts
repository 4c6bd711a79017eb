import { appendFile, open, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaptureSummary, DeliveryAttempt, ReplayAttempt } from '../../shared/capture';
import { captureSearchText } from './query-scan';
import { summaryOf } from './capture-record';
import { CaptureIndex, entryOf, Interner, receivedAtOf, type Entry } from './capture-index';
import { readCapture, readCaptures, readSummaries, type LogPlace } from './capture-reader';
import type { LogInspection } from './log-inspect';
import { readRawCaptures, type RawCapture, type RawPlaces } from './raw-capture';
import { isRecord } from './segment-scan';
import { encodeBody, encodeMeta, encodeRecord, compactIndexOf } from './record-format';
import { encodeSearchRecord, SidecarWriter } from './search-sidecar';
import { SegmentWriter, segmentFileName, type SegmentLimits, type SegmentPosition } from './segment-writer';
import type { CapturePage, ListOptions, StoredCapture } from './store';
import type { EncodedCaptures } from './batch-encode';

export interface CaptureLogOptions extends LogPlace {
  limits: SegmentLimits;
  /** Told when a torn write (a crash mid-write, never acknowledged) is cut off at start-up. */
  warn: (message: string) => void;
  intern: Interner;
}

/**
 * The captures of one endpoint: an append-only log split into numbered segment files (format in
 * record-format.ts), plus a compact in-memory index (capture-index.ts); summaries and bodies stay
 * on disk and are checked on every read. Deletions, replay attempts and retention are appended
 * records too. Retention evicts from the index at once and drops a segment (after recording it
 * with a `g` record) when it and every older segment hold no retained capture.
 */
export class CaptureLog {
  readonly index = new CaptureIndex();
  /** Newest id retention evicted, and the newest recorded on disk (see evictionMarker). */
  private evictedUpTo: string | null = null;
  private persistedEvictedUpTo: string | null = null;
  /** A clear in progress: writes wait for it rather than go to files about to be removed. */
  private clearing: Promise<number> | null = null;
  private writer: SegmentWriter;
  readonly sidecars: SidecarWriter;
  /** Committed imports by import id: a retry with the same id gets these ids back. */
  readonly imports = new Map<string, string[]>();
  private newest: string | undefined;

  constructor(readonly options: CaptureLogOptions) {
    this.writer = new SegmentWriter(options.dir, options.limits);
    this.sidecars = new SidecarWriter(options.dir);
  }

  /** Builds the log from an inspection without findings: cuts what a crash left unfinished, then indexes. */
  static async open(options: CaptureLogOptions, inspection: LogInspection, maxCaptures: number): Promise<CaptureLog> {
    const log = new CaptureLog(options);
    await log.load(inspection);
    log.applyRetention(maxCaptures);
    return log;
  }

  get size(): number {
    return this.index.size;
  }

  /** Newest id written to this log, evicted or not (so no later id can sort before it). */
  newestId(): string | undefined {
    return this.index.entries.at(this.index.size - 1)?.id ?? this.newest ?? this.evictedUpTo ?? undefined;
  }

  /** Where the newest segment ends, for the clean-shutdown record (null when a failed write could not be undone). */
  get end(): { segment: number; size: number } | null {
    return this.writer.position;
  }

  async append(capture: StoredCapture, maxCaptures: number): Promise<void> {
    await this.appendMany([capture], maxCaptures);
  }

  /** Appends captures in one write (ingest's: bodies are written from their own buffers, never copied). */
  async appendMany(captures: StoredCapture[], maxCaptures: number): Promise<void> {
    if (this.clearing) await this.clearing;
    const records: Buffer[] = [];
    const parts: { summary: CaptureSummary; at: number; metaLength: number; length: number }[] = [];
    for (const capture of captures) {
      const summary = summaryOf(capture);
      const meta = encodeMeta(summary, capture.headers);
      const body = encodeBody(capture.id, capture.body);
      parts.push({ summary, at: records.length, metaLength: meta.length - 1, length: meta.length + (body[0] as Buffer).length + capture.body.length + 1 });
      records.push(meta, ...body);
    }
    records.push(...this.evictionMarker());
    const written = this.writer.write(records, captures.length);
    // Search records are made while the write and its fdatasync are under way.
    const searchRecords = captures.map((capture) => encodeSearchRecord(capture.id, capture.headers, captureSearchText(capture)));
    const { segment, offsets } = await written;
    for (const [i, part] of parts.entries()) {
      this.index.add(entryOf(compactIndexOf(part.summary), segment, offsets[part.at] as number, part.metaLength, part.length, this.options.intern));
      this.sidecars.add(segment, searchRecords[i] as Buffer);
    }
    this.applyRetention(maxCaptures);
  }

  /**
   * Appends an import's captures, encoded (batch-encode.ts) here or in worker threads, as their
   * parts come (in order): the write takes its place in the queue at once, so captures appended
   * meanwhile are written after it, in id order. Bracketed by an `i` record and a commit record
   * `j`: start-up keeps all of them or (a crash or a failed part before the commit) none.
   * Resolves to their summaries.
   */
  async appendEncoded(parts: AsyncIterable<EncodedCaptures>, count: number, maxCaptures: number, importId: string): Promise<CaptureSummary[]> {
    if (this.clearing) await this.clearing;
    const received: EncodedCaptures[] = [];
    const evictionMarker = () => this.evictionMarker();
    async function* records(): AsyncGenerator<Buffer[]> {
      yield [encodeRecord('i', { import: importId, n: count })];
      let made = 0;
      for await (const part of parts) {
        received.push(part);
        made += part.summaries.length;
        yield part.records;
      }
      if (made !== count) throw new Error(`an import of ${count} captures was given ${made}`);
      // The eviction marker is taken when the write happens: a write that never happens takes none.
      yield [encodeRecord('j', { import: importId, n: count }), ...evictionMarker()];
    }
    const { segment, offsets } = await this.writer.write(records(), count);
    let at = offsets[1] as number;
    const summaries: CaptureSummary[] = [];
    for (const { lengths, search, summaries: partSummaries } of received) {
      for (const [i, summary] of partSummaries.entries()) {
        const length = lengths[2 * i + 1] as number;
        this.index.add(entryOf(compactIndexOf(summary), segment, at, lengths[2 * i] as number, length, this.options.intern));
        at += length;
        summaries.push(summary);
      }
      for (const records of search) this.sidecars.add(segment, records);
    }
    this.imports.set(importId, summaries.map((summary) => summary.id));
    this.applyRetention(maxCaptures);
    return summaries;
  }

  list(options: ListOptions): Promise<CapturePage> {
    const entries = this.index.entries;
    const total = entries.length;
    let end = total; // exclusive
    let start: number;
    if (options.after !== undefined) {
      start = entries.firstAfter(options.after);
      end = Math.min(total, start + options.limit);
      if (options.before !== undefined) end = Math.min(end, entries.firstAtOrAfter(options.before));
    } else {
      if (options.before !== undefined) end = entries.firstAtOrAfter(options.before);
      start = Math.max(0, end - options.limit);
    }
    const page = entries.slice(start, end).reverse();
    const last = page[page.length - 1];
    return this.summaries(page).then((items) => ({ items, nextBefore: start > 0 && last ? last.id : null, total }));
  }

  listAfter(cursor: string | undefined, limit: number): Promise<CaptureSummary[]> {
    const start = cursor === undefined ? 0 : this.index.entries.firstAfter(cursor);
    return this.summaries(this.index.entries.slice(start, start + limit));
  }

  summaries(entries: Entry[]): Promise<CaptureSummary[]> {
    return readSummaries(this.options, entries);
  }

  has(id: string): boolean {
    return this.index.get(id) !== undefined;
  }

  findByDeliveryId(deliveryId: string): string | null {
    return this.index.firstWithDeliveryId(deliveryId)?.id ?? null;
  }

  /** Captures holding this delivery id, oldest first, at most `limit` (from the index alone). */
  deliveryAttempts(deliveryId: string, limit: number): DeliveryAttempt[] {
    return this.index.withDeliveryId(deliveryId).slice(0, limit).map((entry) => ({ id: entry.id, receivedAt: receivedAtOf(entry), status: entry.status }));
  }

  /** Reads the whole capture from disk, checked (DamagedCaptureError); null if it went away meanwhile. */
  async read(id: string): Promise<StoredCapture | null> {
    const entry = this.index.get(id);
    if (!entry) return null;
    return readCapture(this.options, entry, this.index.replays.get(id) ?? []);
  }

  /** Whole captures after `cursor`, oldest first: at most `limit`, and fewer once `maxBytes` are read (at least one). */
  readAfter(cursor: string | undefined, limit: number, maxBytes: number): Promise<StoredCapture[]> {
    return readCaptures(this.options, this.index.after(cursor, limit, maxBytes), (id) => this.index.replays.get(id) ?? []);
  }

  /** Like readAfter, as the JSON text the captures are stored as (exports). */
  readRawAfter(cursor: string | undefined, limit: number, maxBytes: number): Promise<RawCapture[]> {
    return readRawCaptures(this.options, this.rawPlacesAfter(cursor, limit, maxBytes).entries);
  }

  /** Where readRawAfter's captures are, for another thread to read (readRawCaptures). */
  rawPlacesAfter(cursor: string | undefined, limit: number, maxBytes: number): RawPlaces {
    const entries = this.index.after(cursor, limit, maxBytes).map(({ id, segment, offset, metaLength, length }) => ({ id, segment, offset, metaLength, length }));
    return { place: { dir: this.options.dir, where: this.options.where }, entries };
  }

  async delete(id: string): Promise<boolean> {
    if (this.clearing) await this.clearing;
    if (!this.has(id)) return false;
    await this.writer.write([encodeRecord('d', { id }), ...this.evictionMarker()], 0);
    const entry = this.index.get(id);
    if (!entry) return false;
    this.index.remove(entry);
    await this.dropDeadSegments();
    return true;
  }

  async addReplay(id: string, attempt: ReplayAttempt): Promise<boolean> {
    if (this.clearing) await this.clearing;
    if (!this.has(id)) return false;
    await this.writer.write([encodeRecord('r', { id, a: attempt }), ...this.evictionMarker()], 0);
    if (!this.has(id)) return true;
    const replays = this.index.replays.get(id);
    if (replays) replays.push(attempt);
    else this.index.replays.set(id, [attempt]);
    return true;
  }

  /**
   * Removes every capture: the folder is renamed away first, so a crash cannot half-clear it.
   * Writes that arrive meanwhile wait, then go to the fresh log.
   */
  destroy(): Promise<number> {
    this.clearing ??= this.removeAll().finally(() => {
      this.clearing = null;
    });
    return this.clearing;
  }

  private async removeAll(): Promise<number> {
    const count = this.index.size;
    await this.writer.close();
    await this.sidecars.close();
    const trash = `${this.options.dir}.deleted-${Date.now()}`;
    await rename(this.options.dir, trash).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rm(trash, { recursive: true, force: true });
    this.newest = this.newestId();
    this.index.clear();
    this.evictedUpTo = this.persistedEvictedUpTo = null;
    this.writer = new SegmentWriter(this.options.dir, this.options.limits);
    return count;
  }

  async close(): Promise<void> {
    await this.writer.close();
    await this.sidecars.close();
  }

  applyRetention(maxCaptures: number): void {
    if (this.index.size <= maxCaptures) return;
    const newest = this.index.evict(this.index.size - maxCaptures);
    if (newest) this.evictedUpTo = newest.id;
    if (this.index.emptiedSegment) void this.dropDeadSegments().catch((error: Error) => this.options.warn(`retention: ${error.message}`));
  }

  /**
   * An `x` record carrying the newest evicted id, added to the next write: on load it evicts what
   * was evicted before, so that deletions recorded later cannot make count-based retention
   * bring evicted captures back. Lags at most the evictions of the very last write.
   */
  private evictionMarker(): Buffer[] {
    if (this.evictedUpTo === null || this.evictedUpTo === this.persistedEvictedUpTo) return [];
    this.persistedEvictedUpTo = this.evictedUpTo;
    return [encodeRecord('x', { id: this.evictedUpTo })];
  }

  /**
   * Drops segments from the oldest on while they hold nothing (Map order is segment order): a `g`
   * record saying how far is made durable first, so a missing old segment is never mistaken for one
   * retention dropped, nor the other way round.
   */
  private async dropDeadSegments(): Promise<void> {
    this.index.emptiedSegment = false;
    const dead: number[] = [];
    for (const [segment, live] of this.index.live) {
      if (segment === this.writer.currentSegment || live > 0) break;
      dead.push(segment);
    }
    if (dead.length === 0) return;
    await this.writer.write([encodeRecord('g', { through: dead[dead.length - 1] }), ...this.evictionMarker()], 0);
    for (const segment of dead) {
      this.index.forget(segment);
      await unlink(join(this.options.dir, segmentFileName(segment))).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      await this.sidecars.drop(segment);
    }
  }

  private async load(inspection: LogInspection): Promise<void> {
    const { cut, unsealed } = inspection;
    if (cut) {
      await this.truncateTail(cut.file, cut.offset);
      this.options.warn(`${cut.file}: cut off ${cut.bytes} bytes of ${cut.what} (a write a crash interrupted; never acknowledged)`);
    }
    for (const file of inspection.leftovers) {
      await unlink(file).catch(() => undefined);
      await unlink(file.replace(/\.jsonl$/, '.search')).catch(() => undefined);
    }
    if (unsealed) await appendFile(unsealed.file, encodeRecord('z', { size: unsealed.size }));
    let position: SegmentPosition | null = null;
    for (const { segment, scan } of inspection.segments) {
      this.index.live.set(segment, 0);
      let captures = 0;
      let sealed = false;
      for (const unit of scan.units) {
        if (cut && cut.segment === segment && unit.offset >= cut.offset) break;
        sealed = false;
        if (!isRecord(unit)) {
          this.index.add(unit);
          captures += 1;
          continue;
        }
        sealed = this.loadRecord(unit.value);
      }
      const size = cut && cut.segment === segment ? cut.offset : scan.size;
      position = { segment, size, captures, sealed };
    }
    if (position) this.writer = new SegmentWriter(this.options.dir, this.options.limits, position);
  }

  /** Applies one non-capture record at load; true for a seal. */
  private loadRecord(record: Record<string, unknown>): boolean {
    const id = typeof record.id === 'string' ? record.id : null;
    if (record.t === 'd' && id !== null) {
      const entry = this.index.get(id);
      if (entry) this.index.remove(entry);
    } else if (record.t === 'r' && id !== null) {
      if (this.has(id)) this.index.replays.set(id, [...(this.index.replays.get(id) ?? []), record.a as ReplayAttempt]);
    } else if (record.t === 'x' && id !== null) {
      this.index.evictThrough(id);
      this.evictedUpTo = this.persistedEvictedUpTo = id;
    } else if (record.t === 'j' && typeof record.import === 'string') {
      const n = Number(record.n);
      this.imports.set(record.import, this.index.entries.slice(this.index.size - n, this.index.size).map((e) => e.id));
    }
    return record.t === 'z';
  }

  private async truncateTail(file: string, offset: number): Promise<void> {
    const handle = await open(file, 'r+');
    try {
      await handle.truncate(offset);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
}
