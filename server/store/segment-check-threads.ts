import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-script';
import type { SegmentCheckReply, SegmentCheckRequest } from './segment-check-worker';

/** A segment's bytes, and whether all its checksums were already found to match. */
export interface SegmentBytes {
  data: Buffer;
  verified: boolean;
}

/** Reads segment `index` of the list (in order, each once); `close` ends it. */
export interface SegmentSource {
  read(index: number): Promise<SegmentBytes>;
  close(): Promise<void>;
}

export interface SegmentCheckOptions {
  /** Logs with fewer segments are read and checked on the main thread (a thread costs more than it saves). */
  minSegments?: number;
  /** Worker threads (default: the CPUs available, at most 4). */
  threads?: number;
}

const DEFAULT_MIN_SEGMENTS = 64;

/** Logs read through worker threads so far, and segments found whole there (tests read them). */
export const segmentCheckRuns = { count: 0, verified: 0 };
const AHEAD_PER_THREAD = 3; // segments read and checked ahead, per thread
const SLOT_BYTES = 4 * 1024 * 1024; // a segment this size or smaller is read into shared memory

/**
 * Segment files read and their checksums checked in worker threads, a few ahead of the one the
 * main thread is indexing: at start-up the main thread then only parses what the index keeps.
 * The files are read into a few slots of memory shared with the workers, each reused once the
 * segment in it is indexed (no buffer per segment: a million captures are thousands of them).
 * Null when the log is too small to be worth it. A segment a worker could not read or check
 * comes back unverified, read here (`fallback`), and takes the full check like any other.
 */
export function threadedSegmentSource(files: string[], fallback: (index: number) => Promise<Buffer>, options: SegmentCheckOptions = {}): SegmentSource | null {
  if (files.length < (options.minSegments ?? DEFAULT_MIN_SEGMENTS)) return null;
  const count = Math.max(1, options.threads ?? Math.min(4, availableParallelism()));
  segmentCheckRuns.count += 1;
  const slots = Array.from({ length: count * AHEAD_PER_THREAD + 1 }, () => new SharedArrayBuffer(SLOT_BYTES));
  const free = slots.map((_, i) => i);
  const workers: Worker[] = [];
  const waiting = new Map<number, { resolve: (bytes: SegmentBytes | null) => void }>();
  const answers = new Map<number, Promise<SegmentBytes | null>>();
  const slotOf = new Map<number, number>(); // segment index → the slot it was read into
  let next = 0; // next segment to ask for
  let held: number | null = null; // the slot of the segment the caller is indexing
  const ask = () => {
    while (next < files.length && free.length > 0) {
      const index = next++;
      const slot = free.pop() as number;
      slotOf.set(index, slot);
      const worker = workers[index % workers.length] as Worker;
      answers.set(index, new Promise((resolve) => waiting.set(index, { resolve })));
      const request: SegmentCheckRequest = { index, file: files[index] as string, slot };
      worker.postMessage(request);
    }
  };
  const failAll = () => {
    for (const { resolve } of waiting.values()) resolve(null);
    waiting.clear();
  };
  for (let i = 0; i < count; i++) {
    const worker = startWorker('store/segment-check-worker', { slots });
    worker.on('message', (reply: SegmentCheckReply) => {
      const waiter = waiting.get(reply.index);
      waiting.delete(reply.index);
      if ('failed' in reply) {
        waiter?.resolve(null);
        return;
      }
      if (reply.verified) segmentCheckRuns.verified += 1;
      const data = 'slot' in reply ? Buffer.from(slots[reply.slot] as SharedArrayBuffer, 0, reply.length) : Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength);
      waiter?.resolve({ data, verified: reply.verified });
    });
    worker.on('error', failAll);
    worker.on('exit', failAll);
    workers.push(worker);
  }
  ask();
  return {
    async read(index) {
      // The caller is done with the segment before: its slot takes the next file.
      if (held !== null) free.push(held);
      held = null;
      ask();
      const answer = answers.get(index);
      answers.delete(index);
      const bytes = answer ? await answer : null;
      const slot = slotOf.get(index);
      slotOf.delete(index);
      if (bytes) {
        if (slot !== undefined) held = slot;
        return bytes;
      }
      // Not read by a thread: its slot may still be written by a worker that is going away, so it is not reused.
      return { data: await fallback(index), verified: false };
    },
    async close() {
      failAll();
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
