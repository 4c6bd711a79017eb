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

/**
 * Segment files read and their checksums checked in worker threads, a few ahead of the one the
 * main thread is indexing: at start-up the main thread then only parses what the index keeps.
 * Null when the log is too small to be worth it. A segment a worker could not read or check
 * comes back unverified, read here (`fallback`), and takes the full check like any other.
 */
export function threadedSegmentSource(files: string[], fallback: (index: number) => Promise<Buffer>, options: SegmentCheckOptions = {}): SegmentSource | null {
  if (files.length < (options.minSegments ?? DEFAULT_MIN_SEGMENTS)) return null;
  const count = Math.max(1, options.threads ?? Math.min(4, availableParallelism()));
  segmentCheckRuns.count += 1;
  const workers: Worker[] = [];
  const waiting = new Map<number, { resolve: (bytes: SegmentBytes | null) => void }>();
  const answers = new Map<number, Promise<SegmentBytes | null>>();
  let next = 0; // next segment to ask for
  const ask = () => {
    if (next >= files.length) return;
    const index = next++;
    const worker = workers[index % workers.length] as Worker;
    answers.set(index, new Promise((resolve) => waiting.set(index, { resolve })));
    const request: SegmentCheckRequest = { index, file: files[index] as string };
    worker.postMessage(request);
  };
  const failAll = () => {
    for (const { resolve } of waiting.values()) resolve(null);
    waiting.clear();
  };
  for (let i = 0; i < count; i++) {
    const worker = startWorker('store/segment-check-worker');
    worker.on('message', (reply: SegmentCheckReply) => {
      const waiter = waiting.get(reply.index);
      waiting.delete(reply.index);
      if (!('failed' in reply) && reply.verified) segmentCheckRuns.verified += 1;
      waiter?.resolve('failed' in reply ? null : { data: Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength), verified: reply.verified });
    });
    worker.on('error', failAll);
    worker.on('exit', failAll);
    workers.push(worker);
  }
  for (let i = 0; i < count * AHEAD_PER_THREAD; i++) ask();
  return {
    async read(index) {
      const answer = answers.get(index);
      answers.delete(index);
      ask();
      const bytes = answer ? await answer : null;
      return bytes ?? { data: await fallback(index), verified: false };
    },
    async close() {
      failAll();
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
