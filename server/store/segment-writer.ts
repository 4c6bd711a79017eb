import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { asStoreWriteError } from '../errors';
import { syncDirectory } from './durable-json-file';
import { encodeRecord } from './record-format';

export interface SegmentLimits {
  /** Captures per segment before a new one starts. */
  maxCaptures: number;
  /** Bytes per segment before a new one starts. */
  maxBytes: number;
}

/** Where one write's records landed. */
export interface WriteResult {
  segment: number;
  /** Byte offset of each buffer given, in order. */
  offsets: number[];
}

interface Pending {
  /**
   * The records, or a stream of them while they are still being made (an import encoded in worker
   * threads): written as they come, and writes queued after it wait for it.
   */
  records: Buffer[] | AsyncIterable<Buffer[]>;
  captures: number;
  resolve: (result: WriteResult) => void;
  reject: (error: Error) => void;
}

interface Written {
  item: Pending;
  result: WriteResult;
  end: number; // bytes: where the segment ends once this item is durable
}

/** Where a segment stood when opened. */
export interface SegmentPosition {
  segment: number;
  size: number; // bytes
  captures: number;
  /** It ends with its seal record: the next capture starts a new segment. */
  sealed: boolean;
}

/** How segment files are opened: tests pass one whose handles fail (EIO, ENOSPC) on cue. */
export type OpenFile = (path: string, flags: string, mode?: number) => Promise<FileHandle>;

export function segmentFileName(segment: number): string {
  return `${String(segment).padStart(8, '0')}.jsonl`;
}

/**
 * Appends records to the newest segment of one endpoint with pipelined group commit: writes that
 * arrive while a write is in flight are queued and written together with one `writev`; a
 * `fdatasync` covers everything written before it started, and while it runs the next batch is
 * already being written. Each write resolves, in order, only once an fdatasync that began after
 * its bytes were written has finished.
 *
 * A full segment is closed by a seal record (`z`, its size) once the next one exists, so a cut at
 * a record boundary is visible. A failed write or fdatasync rejects every write not yet durable
 * (StoreFullError / StoreWriteError) and the next write first truncates the segment back to what
 * was last made durable and syncs that: nothing half-written is kept, and writing resumes by
 * itself once the disk takes writes again.
 */
export class SegmentWriter {
  private handle: FileHandle | null = null;
  private queue: Pending[] = [];
  private unsynced: Written[] = [];
  private writing: Promise<void> | null = null;
  private syncing: Promise<void> | null = null;
  /** A write or fdatasync failed: the bytes after `durable` are in an unknown state. */
  private failed: Error | null = null;
  private durable: { size: number; captures: number };
  private closed = false;
  private segment: number;
  private size: number; // bytes in the current segment
  private captures: number; // captures in the current segment
  private sealed: boolean;
  /** fdatasync rounds so far: fewer than writes when deliveries share a commit. */
  commits = 0;

  constructor(
    private readonly dir: string,
    private readonly limits: SegmentLimits,
    at: SegmentPosition = { segment: 1, size: 0, captures: 0, sealed: false },
    private readonly openFile: OpenFile = open,
  ) {
    this.segment = at.segment;
    this.size = at.size;
    this.captures = at.captures;
    this.sealed = at.sealed;
    this.durable = { size: at.size, captures: at.captures };
  }

  get currentSegment(): number {
    return this.segment;
  }

  /** Where the newest segment ends now (what a clean shutdown records); null while a failed write is not undone. */
  get position(): { segment: number; size: number } | null {
    return this.failed ? null : { segment: this.segment, size: this.size };
  }

  /**
   * Queues buffers (whole records, newline included); resolves when they are durable. Given as a
   * stream, the write takes its place in the queue now and its records are written as they come;
   * writes queued after it wait for it. A stream that throws is undone (its bytes cut off again),
   * rejects this write, and the queue goes on.
   */
  write(records: Buffer[] | AsyncIterable<Buffer[]>, captures: number): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new Error('the segment writer is closed'));
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
    if (this.failed) await this.recover().catch(() => undefined); // else the clean shutdown leaves it out
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
    const written: Written[] = [];
    let captures = 0;
    try {
      if (this.failed) await this.recover();
      // A sealed segment takes nothing more, not even a deletion record: its seal must stay last.
      const roll = this.sealed || (batch.some((item) => item.captures > 0) && this.isFull());
      if (this.handle === null || roll) await this.openSegment(roll);
      const handle = this.handle as FileHandle;
      let offset = this.size;
      // Records at hand are written together, with one writev where the kernel allows.
      let group: { item: Pending; records: Buffer[] }[] = [];
      const flush = async () => {
        const start = offset;
        const buffers: Buffer[] = [];
        for (const { item, records } of group) {
          const offsets = records.map((record) => {
            const at = offset;
            offset += record.length;
            return at;
          });
          buffers.push(...records);
          written.push({ item, result: { segment: this.segment, offsets }, end: offset });
          captures += item.captures;
        }
        group = [];
        await this.writeOrFail(handle, buffers, start);
      };
      for (const item of batch) {
        if (Array.isArray(item.records)) {
          group.push({ item, records: item.records });
          continue;
        }
        // A stream: what is queued before it first, then its records as they come.
        await flush();
        const start = offset;
        const offsets: number[] = [];
        const source = item.records[Symbol.asyncIterator]();
        let failure: Error | null = null;
        for (;;) {
          let next: IteratorResult<Buffer[]>;
          try {
            next = await source.next();
          } catch (error) {
            failure = error as Error;
            break;
          }
          if (next.done) break;
          const at = offset;
          for (const record of next.value) {
            offsets.push(offset);
            offset += record.length;
          }
          await this.writeOrFail(handle, next.value, at);
        }
        if (failure) {
          // The stream's records could not all be made: what was written of them goes, as if never written.
          offset = start;
          try {
            await handle.truncate(start);
          } catch (error) {
            this.failed = error as Error;
            throw error;
          }
          item.reject(failure);
          continue;
        }
        written.push({ item, result: { segment: this.segment, offsets }, end: offset });
        captures += item.captures;
      }
      await flush();
      this.size = offset;
      this.captures += captures;
      if (this.failed) throw this.failed; // an fdatasync failed meanwhile: these bytes come after lost ones
      this.unsynced.push(...written);
    } catch (error) {
      const typed = asStoreWriteError(error, `segment ${segmentFileName(this.segment)}`) as Error;
      for (const item of batch) item.reject(typed);
    }
  }

  /** writeAll, and a failure marks the segment as needing recovery before anything more is written. */
  private async writeOrFail(handle: FileHandle, buffers: Buffer[], position: number): Promise<void> {
    if (buffers.length === 0) return;
    try {
      await writeAll(handle, buffers, position);
    } catch (error) {
      this.failed = error as Error;
      throw error;
    }
  }

  private async sync(handle: FileHandle, items: Written[]): Promise<void> {
    try {
      await handle.datasync();
      this.commits += 1;
      const last = items[items.length - 1] as Written;
      this.durable = { size: last.end, captures: this.durable.captures + items.reduce((sum, w) => sum + w.item.captures, 0) };
      for (const { item, result } of items) item.resolve(result);
    } catch (error) {
      // After a failed fsync the kernel may have dropped the dirty pages: what follows the last
      // durable byte is unknown until recover() truncates it away.
      this.failed = error as Error;
      const typed = asStoreWriteError(error, `segment ${segmentFileName(this.segment)}`) as Error;
      for (const { item } of [...items, ...this.unsynced]) item.reject(typed);
      this.unsynced = [];
    }
  }

  /** Truncates the segment back to its last durable size through a fresh handle, and syncs that. */
  private async recover(): Promise<void> {
    while (this.syncing) await this.syncing;
    const failure = asStoreWriteError(this.failed, `segment ${segmentFileName(this.segment)}`) as Error;
    for (const { item } of this.unsynced) item.reject(failure);
    this.unsynced = [];
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
    const handle = await this.openFile(join(this.dir, segmentFileName(this.segment)), 'r+');
    try {
      await handle.truncate(this.durable.size);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    this.size = this.durable.size;
    this.captures = this.durable.captures;
    this.failed = null;
  }

  private isFull(): boolean {
    return this.captures >= this.limits.maxCaptures || this.size >= this.limits.maxBytes;
  }

  /**
   * Opens the current segment, or (`next`) starts the next one: it is created (and its folder
   * synced) first, then the full one gets its seal, synced, and is closed.
   */
  private async openSegment(next: boolean): Promise<void> {
    while (this.syncing || this.unsynced.length > 0) {
      this.kick();
      await this.syncing;
    }
    const number = next ? this.segment + 1 : this.segment;
    const createdFrom = await mkdir(this.dir, { recursive: true });
    // New folders (captures/, captures/<endpoint>/) must survive a power cut too: sync each parent.
    if (createdFrom !== undefined) {
      for (let dir = this.dir; dir !== dirname(createdFrom); dir = dirname(dir)) await syncDirectory(dirname(dir));
    }
    const handle = await this.openFile(join(this.dir, segmentFileName(number)), 'a+', 0o600);
    if (!next) {
      if (this.size === 0) await syncDirectory(this.dir);
      this.handle = handle;
      return;
    }
    try {
      await syncDirectory(this.dir);
      if (!this.sealed) await this.seal();
    } catch (error) {
      await handle.close();
      throw error;
    }
    await this.handle?.close();
    this.handle = handle;
    this.segment = number;
    this.size = 0;
    this.captures = 0;
    this.sealed = false;
    this.durable = { size: 0, captures: 0 };
  }

  private async seal(): Promise<void> {
    const handle = this.handle ?? (await this.openFile(join(this.dir, segmentFileName(this.segment)), 'a+', 0o600));
    this.handle = handle;
    const record = encodeRecord('z', { size: this.size });
    try {
      await writeAll(handle, [record], this.size);
      await handle.datasync();
    } catch (error) {
      this.failed = error as Error;
      throw error;
    }
    this.size += record.length;
    this.durable = { size: this.size, captures: this.captures };
  }
}

/** Writes the buffers in order at `position` with as few writev calls as the kernel allows. */
export async function writeAll(handle: FileHandle, buffers: Buffer[], position: number): Promise<void> {
  let i = 0; // first buffer not fully written
  let offset = 0; // bytes of buffers[i] already written
  let at = position;
  const skipEmpty = () => {
    while (i < buffers.length && (buffers[i] as Buffer).length === offset) {
      i += 1;
      offset = 0;
    }
  };
  skipEmpty();
  while (i < buffers.length) {
    const batch = [offset > 0 ? (buffers[i] as Buffer).subarray(offset) : (buffers[i] as Buffer)];
    for (let j = i + 1; j < buffers.length && batch.length < 1024; j++) batch.push(buffers[j] as Buffer); // IOV_MAX is 1024 on Linux
    let { bytesWritten } = await handle.writev(batch, at);
    at += bytesWritten;
    while (bytesWritten > 0) {
      const left = (buffers[i] as Buffer).length - offset;
      if (bytesWritten < left) {
        offset += bytesWritten;
        break;
      }
      bytesWritten -= left;
      i += 1;
      offset = 0;
    }
    skipEmpty();
  }
}
