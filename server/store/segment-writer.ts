import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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

interface Written {
  item: Pending;
  result: WriteResult;
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
 * Appends records to the newest segment of one endpoint with pipelined group commit: writes that
 * arrive while a write is in flight are queued and written together with one `writev`; a
 * `fdatasync` covers everything written before it started, and while it runs the next batch is
 * already being written. Each write resolves, in order, only once an fdatasync that began after
 * its bytes were written has finished — and its cost depends on the batch alone, never on how
 * much the endpoint or the store already holds.
 */
export class SegmentWriter {
  private handle: FileHandle | null = null;
  private queue: Pending[] = [];
  private unsynced: Written[] = [];
  private writing: Promise<void> | null = null;
  private syncing: Promise<void> | null = null;
  /** Set when an fdatasync failed: the file's state is unknown, so nothing more is written. */
  private failure: Error | null = null;
  private closed = false;
  /** fdatasync rounds so far: fewer than writes when deliveries share a commit. */
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
      if (this.failure || this.closed) {
        reject(this.failure ?? new Error('the segment writer is closed'));
        return;
      }
      this.queue.push({ records, captures, resolve, reject });
      this.kick();
    });
  }

  /** Resolves when everything queued so far is durable (or failed). */
  async drain(): Promise<void> {
    while (this.writing || this.syncing) await Promise.all([this.writing, this.syncing]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
    await this.handle?.close();
    this.handle = null;
  }

  /** Starts the next write and the next fdatasync when each is free: one of each may run at once. */
  private kick(): void {
    if (!this.writing && this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      this.writing = this.writeBatch(batch).finally(() => {
        this.writing = null;
        this.kick();
      });
    }
    if (!this.syncing && this.unsynced.length > 0 && this.handle) {
      const items = this.unsynced;
      this.unsynced = [];
      this.syncing = this.sync(this.handle, items).finally(() => {
        this.syncing = null;
        this.kick();
      });
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const captures = batch.reduce((sum, item) => sum + item.captures, 0);
    try {
      if (this.failure) throw this.failure;
      if (this.handle === null || (captures > 0 && this.isFull())) await this.openSegment(this.handle !== null);
      if (this.failure) throw this.failure; // a sync may have failed while the segment rolled
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
      } catch (error) {
        await handle.truncate(start).catch(() => undefined);
        throw error;
      }
      this.size = offset;
      this.captures += captures;
      batch.forEach((item, i) => this.unsynced.push({ item, result: results[i] as WriteResult }));
    } catch (error) {
      for (const item of batch) item.reject(error as Error);
    }
  }

  private async sync(handle: FileHandle, items: Written[]): Promise<void> {
    try {
      await handle.datasync();
      this.commits += 1;
      for (const { item, result } of items) item.resolve(result);
    } catch (error) {
      // After a failed fsync the kernel may have dropped the dirty pages: refuse further writes.
      this.failure = new Error(`fdatasync of segment ${this.segment} failed (${(error as Error).message}); writes refused until restart`);
      for (const { item } of [...items, ...this.unsynced]) item.reject(this.failure);
      this.unsynced = [];
    }
  }

  private isFull(): boolean {
    return this.captures >= this.limits.maxCaptures || this.size >= this.limits.maxBytes;
  }

  private async openSegment(next: boolean): Promise<void> {
    if (next) {
      // Everything written to the old segment is synced before its handle is closed.
      while (this.syncing || this.unsynced.length > 0) {
        this.kick();
        await this.syncing;
      }
      await this.handle?.close();
      this.handle = null;
      this.segment += 1;
      this.size = 0;
      this.captures = 0;
    }
    const createdFrom = await mkdir(this.dir, { recursive: true });
    // New folders (captures/, captures/<endpoint>/) must survive a power cut too: sync each parent.
    if (createdFrom !== undefined) {
      for (let dir = this.dir; dir !== dirname(createdFrom); dir = dirname(dir)) await syncDirectory(dirname(dir));
    }
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
