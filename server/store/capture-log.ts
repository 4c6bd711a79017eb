import { open, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaptureSummary, DeliveryAttempt, ReplayAttempt } from '../../shared/capture';
import { CorruptDataError } from '../errors';
import type { CapturePage, ListOptions, StoredCapture } from './store';
import { readSegments, type SegmentLine } from './segment-reader';
import { SegmentWriter, segmentFileName, type SegmentLimits } from './segment-writer';
import { decodeMeta, encodeBody, encodeMeta, summaryOf } from './capture-record';
import type { Logger } from '../logging/logger';
import { EntryList } from './entry-list';

interface Entry {
  summary: CaptureSummary;
  segment: number;
  meta: { offset: number; length: number };
  body: { offset: number; length: number } | null;
  replays: ReplayAttempt[];
}

interface SegmentInfo {
  live: number; // retained captures in it
}

export interface CaptureLogOptions {
  dir: string;
  limits: SegmentLimits;
  /** Told when a torn write (a crash mid-write, never acknowledged) is cut off at start-up. */
  logger: Logger;
}

/**
 * The captures of one endpoint: an append-only log split into numbered segment files, plus an
 * in-memory index of summaries and byte offsets (bodies stay on disk). Deletions and replay
 * attempts are appended records too. Retention evicts from the index at once and unlinks a
 * segment when it and every older segment hold no retained capture — so a deletion record can
 * never outlive the segment of the capture it deletes.
 */
export class CaptureLog {
  private entries = new EntryList<Entry>(); // oldest first
  private byId = new Map<string, Entry>();
  /** Delivery id → ids holding it, oldest first (so the next retained one takes over). */
  private byDeliveryId = new Map<string, string[]>();
  /** Newest id retention evicted, and the newest recorded on disk (see evictionMarker). */
  private evictedUpTo: string | null = null;
  private persistedEvictedUpTo: string | null = null;
  private segments = new Map<number, SegmentInfo>();
  /** A segment's last retained capture went away: dropDeadSegments has work. */
  private emptiedSegment = false;
  /** A clear in progress: writes wait for it rather than go to files about to be removed. */
  private clearing: Promise<number> | null = null;
  private writer: SegmentWriter;

  private constructor(private readonly options: CaptureLogOptions) {
    this.writer = new SegmentWriter(options.dir, options.limits, 1, 0, 0);
  }

  /** Loads an endpoint's log from disk (an absent folder is an empty log). */
  static async open(options: CaptureLogOptions, maxCaptures: number): Promise<CaptureLog> {
    const log = new CaptureLog(options);
    await log.load();
    log.applyRetention(maxCaptures);
    return log;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Newest id written to this log, evicted or not (so no later id can sort before it). */
  newestId(): string | undefined {
    return this.entries.at(this.entries.length - 1)?.summary.id ?? this.evictedUpTo ?? undefined;
  }

  ids(): string[] {
    return this.entries.toArray().map((entry) => entry.summary.id);
  }

  async append(capture: StoredCapture, maxCaptures: number): Promise<void> {
    if (this.clearing) await this.clearing;
    const summary = summaryOf(capture);
    const meta = encodeMeta(summary, capture.headers);
    const body = encodeBody(capture.id, capture.body);
    const { segment, offsets } = await this.writer.write([meta, body, ...this.evictionMarker()], 1);
    const entry: Entry = {
      summary,
      segment,
      meta: { offset: offsets[0] as number, length: meta.length - 1 },
      body: { offset: offsets[1] as number, length: body.length - 1 },
      replays: [],
    };
    this.index(entry);
    this.applyRetention(maxCaptures);
  }

  list(options: ListOptions): CapturePage {
    const total = this.entries.length;
    let end = total; // exclusive
    let start: number;
    if (options.after !== undefined) {
      start = this.entries.firstAfter(options.after);
      end = Math.min(total, start + options.limit);
      if (options.before !== undefined) end = Math.min(end, this.entries.firstAtOrAfter(options.before));
    } else {
      if (options.before !== undefined) end = this.entries.firstAtOrAfter(options.before);
      start = Math.max(0, end - options.limit);
    }
    const items = this.entries.slice(start, end).reverse().map((e) => e.summary);
    const last = items[items.length - 1];
    return { items, nextBefore: start > 0 && last ? last.id : null, total };
  }

  listAfter(cursor: string | undefined, limit: number): CaptureSummary[] {
    const start = cursor === undefined ? 0 : this.entries.firstAfter(cursor);
    return this.entries.slice(start, start + limit).map((e) => e.summary);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  findByDeliveryId(deliveryId: string): string | null {
    return this.byDeliveryId.get(deliveryId)?.[0] ?? null;
  }

  /** Captures holding this delivery id, oldest first, at most `limit`. */
  deliveryAttempts(deliveryId: string, limit: number): DeliveryAttempt[] {
    const ids = this.byDeliveryId.get(deliveryId)?.slice(0, limit) ?? [];
    return ids.flatMap((id) => {
      const summary = this.byId.get(id)?.summary;
      return summary ? [{ id, receivedAt: summary.receivedAt, status: summary.reply.status }] : [];
    });
  }

  /** Reads the whole capture from disk; null if it went away meanwhile. */
  async read(id: string): Promise<StoredCapture | null> {
    const entry = this.byId.get(id);
    if (!entry) return null;
    let handle;
    try {
      handle = await open(join(this.options.dir, segmentFileName(entry.segment)), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const meta = await readRange(handle, entry.meta.offset, entry.meta.length);
      const body = entry.body ? await readRange(handle, entry.body.offset, entry.body.length) : null;
      return decodeMeta(meta, body, entry.replays);
    } finally {
      await handle.close();
    }
  }

  async delete(id: string): Promise<boolean> {
    if (this.clearing) await this.clearing;
    if (!this.byId.has(id)) return false;
    await this.writer.write([Buffer.from(JSON.stringify({ t: 'd', id }) + '\n'), ...this.evictionMarker()], 0);
    const entry = this.byId.get(id);
    if (!entry) return false;
    this.unindex(entry);
    this.entries.remove(entry);
    await this.dropDeadSegments();
    return true;
  }

  async addReplay(id: string, attempt: ReplayAttempt): Promise<boolean> {
    if (this.clearing) await this.clearing;
    if (!this.byId.has(id)) return false;
    await this.writer.write([Buffer.from(JSON.stringify({ t: 'r', id, a: attempt }) + '\n'), ...this.evictionMarker()], 0);
    this.byId.get(id)?.replays.push(attempt);
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
    const count = this.entries.length;
    await this.writer.close();
    const trash = `${this.options.dir}.deleted-${Date.now()}`;
    await rename(this.options.dir, trash).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rm(trash, { recursive: true, force: true });
    this.entries.clear();
    this.byId.clear();
    this.byDeliveryId.clear();
    this.evictedUpTo = this.persistedEvictedUpTo = null;
    this.segments.clear();
    this.writer = new SegmentWriter(this.options.dir, this.options.limits, 1, 0, 0);
    return count;
  }

  close(): Promise<void> {
    return this.writer.close();
  }

  applyRetention(maxCaptures: number): void {
    if (this.entries.length <= maxCaptures) return;
    const evicted = this.entries.shift(this.entries.length - maxCaptures);
    for (const entry of evicted) this.unindex(entry);
    this.evictedUpTo = (evicted[evicted.length - 1] as Entry).summary.id;
    if (this.emptiedSegment) void this.dropDeadSegments().catch((error: unknown) => this.options.logger.warn({ err: error, dir: this.options.dir }, 'retention: deleting evicted segments failed'));
  }

  /**
   * An `x` record carrying the newest evicted id, added to the next write: on load it evicts what
   * was evicted before, so that deletions recorded later cannot make count-based retention
   * bring evicted captures back. Lags at most the evictions of the very last write.
   */
  private evictionMarker(): Buffer[] {
    if (this.evictedUpTo === null || this.evictedUpTo === this.persistedEvictedUpTo) return [];
    this.persistedEvictedUpTo = this.evictedUpTo;
    return [Buffer.from(JSON.stringify({ t: 'x', id: this.evictedUpTo }) + '\n')];
  }

  private index(entry: Entry): void {
    this.entries.push(entry);
    this.byId.set(entry.summary.id, entry);
    const deliveryId = entry.summary.deliveryId;
    if (deliveryId !== null) {
      const holders = this.byDeliveryId.get(deliveryId);
      if (holders) holders.push(entry.summary.id);
      else this.byDeliveryId.set(deliveryId, [entry.summary.id]);
    }
    const info = this.segments.get(entry.segment) ?? { live: 0 };
    info.live += 1;
    this.segments.set(entry.segment, info);
  }

  private unindex(entry: Entry): void {
    this.byId.delete(entry.summary.id);
    const deliveryId = entry.summary.deliveryId;
    const holders = deliveryId === null ? undefined : this.byDeliveryId.get(deliveryId);
    if (holders) {
      const at = holders.indexOf(entry.summary.id); // 0 when retention evicts
      if (at !== -1) holders.splice(at, 1);
      if (holders.length === 0) this.byDeliveryId.delete(deliveryId as string);
    }
    const info = this.segments.get(entry.segment);
    if (info && --info.live === 0) this.emptiedSegment = true;
  }

  /** Unlinks segments from the oldest on while they hold nothing (Map order is segment order). */
  private async dropDeadSegments(): Promise<void> {
    this.emptiedSegment = false;
    for (const segment of [...this.segments.keys()]) {
      if (segment === this.writer.currentSegment || (this.segments.get(segment)?.live ?? 0) > 0) break;
      this.segments.delete(segment);
      await unlink(join(this.options.dir, segmentFileName(segment))).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  }

  private async load(): Promise<void> {
    const segments = await readSegments(this.options.dir, this.options.logger);
    for (const { segment, file, lines } of segments) {
      this.segments.set(segment, { live: 0 });
      const captures = this.loadLines(file, segment, lines);
      const tail = lines[lines.length - 1];
      if (segment === segments[segments.length - 1]?.segment) {
        this.writer = new SegmentWriter(this.options.dir, this.options.limits, segment, tail ? tail.offset + tail.length + 1 : 0, captures);
      }
    }
  }

  private loadLines(file: string, segment: number, lines: SegmentLine[]): number {
    let captures = 0;
    let firstId: string | undefined; // captures of this segment sort from here on
    for (const line of lines) {
      if (line.kind === 'body') {
        const entry = this.byId.get(line.id);
        if (entry && entry.segment === segment) entry.body = { offset: line.offset, length: line.length };
        continue;
      }
      const record = line.value;
      if (record.t === 'c') {
        const summary = summaryOf(record.c as StoredCapture);
        if (typeof summary.id !== 'string') throw new CorruptDataError(file, 'a capture record has no id');
        this.index({ summary, segment, meta: { offset: line.offset, length: line.length }, body: null, replays: [] });
        firstId ??= summary.id;
        captures += 1;
      } else if (record.t === 'd' && typeof record.id === 'string') {
        const entry = this.byId.get(record.id);
        if (entry) {
          this.unindex(entry);
          this.entries.remove(entry);
        }
      } else if (record.t === 'r' && typeof record.id === 'string') {
        this.byId.get(record.id)?.replays.push(record.a as ReplayAttempt);
      } else if (record.t === 'x' && typeof record.id === 'string') {
        const upTo = record.id;
        for (const evicted of this.entries.shift(this.entries.firstAfter(upTo))) this.unindex(evicted);
        this.evictedUpTo = this.persistedEvictedUpTo = upTo;
      }
    }
    for (const entry of this.entries.slice(this.entries.firstAtOrAfter(firstId ?? '\uffff'), this.entries.length)) {
      if (entry.segment === segment && entry.body === null) throw new CorruptDataError(file, `capture ${entry.summary.id} has no body record`);
    }
    return captures;
  }
}

async function readRange(handle: import('node:fs/promises').FileHandle, offset: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, offset);
  return buffer.subarray(0, bytesRead);
}
