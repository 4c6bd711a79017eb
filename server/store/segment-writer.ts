import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from './durable-json-file';

export interface SegmentLimits {
  /** Captures per segment before a new one starts. */
  maxCaptures: number;
  /** Bytes per segment before a new one starts. */
  maxBytes: number;
}

/** Where one write's records landed. */
export interface WriteResult {
  segment: number;
  /** Byte offset of each record given, in order. */
  offsets: number[];
}

interface Pending {
  records: Buffer[];
  captures: number;
  resolve: (result: WriteResult) => void;
  reject: (error: Error) => void;
}

export function segmentFileName(segment: number): string {
  return `${String(segment).padStart(8, '0')}.jsonl`;
}

/**
 * Appends records to the newest segment of one endpoint with group commit: writes that arrive
 * while a write is in flight are queued and then written together with one `write` and one
 * `fdatasync`, so each resolves only once its bytes are on disk, and a write's cost depends on
 * the batch alone — never on how much the endpoint or the store already holds.
 */
export class SegmentWriter {
  private handle: FileHandle | null = null;
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  /** Write + fdatasync rounds so far: fewer than writes when deliveries share a commit. */
  commits = 0;

  constructor(
    private readonly dir: string,
    private readonly limits: SegmentLimits,
    private segment: number,
    private size: number, // bytes in the current segment
    private captures: number, // captures in the current segment
  ) {}

  get currentSegment(): number {
    return this.segment;
  }

  /** Queues records (one line each, newline included); resolves when they are durable. */
  write(records: Buffer[], captures: number): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ records, captures, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  /** Resolves when everything queued so far has been written. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async close(): Promise<void> {
    await this.drain();
    await this.handle?.close();
    this.handle = null;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        await this.flushBatch(batch);
      }
    } finally {
      this.flushing = null;
    }
  }

  private async flushBatch(batch: Pending[]): Promise<void> {
    const captures = batch.reduce((sum, item) => sum + item.captures, 0);
    try {
      if (this.handle === null || (captures > 0 && this.isFull())) await this.openSegment(this.handle !== null);
      const handle = this.handle as FileHandle;
      const start = this.size;
      let offset = start;
      const results = batch.map((item) => ({
        segment: this.segment,
        offsets: item.records.map((record) => {
          const at = offset;
          offset += record.length;
          return at;
        }),
      }));
      try {
        await writeAll(handle, batch.flatMap((item) => item.records), start);
        await handle.datasync();
      } catch (error) {
        await handle.truncate(start).catch(() => undefined);
        throw error;
      }
      this.size = offset;
      this.captures += captures;
      this.commits += 1;
      batch.forEach((item, i) => item.resolve(results[i] as WriteResult));
    } catch (error) {
      for (const item of batch) item.reject(error as Error);
    }
  }

  private isFull(): boolean {
    return this.captures >= this.limits.maxCaptures || this.size >= this.limits.maxBytes;
  }

  private async openSegment(next: boolean): Promise<void> {
    if (next) {
      await this.handle?.close();
      this.handle = null;
      this.segment += 1;
      this.size = 0;
      this.captures = 0;
    }
    await mkdir(this.dir, { recursive: true });
    const created = this.size === 0;
    this.handle = await open(join(this.dir, segmentFileName(this.segment)), 'a+', 0o600);
    if (created) await syncDirectory(this.dir);
  }
}

/** Writes the buffers in order at `position` with as few writev calls as the kernel allows. */
async function writeAll(handle: FileHandle, buffers: Buffer[], position: number): Promise<void> {
  let pending = buffers;
  let at = position;
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending.slice(0, 1024), at); // IOV_MAX is 1024 on Linux
    at += bytesWritten;
    let skip = bytesWritten;
    const rest: Buffer[] = [];
    for (const buffer of pending) {
      if (skip >= buffer.length) {
        skip -= buffer.length;
        continue;
      }
      rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
      skip = 0;
    }
    pending = rest;
  }
}
