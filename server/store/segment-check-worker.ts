// A start-up worker thread (started by segment-check-threads.ts): reads whole segment files into
// memory shared with the main thread (a slot it is given; a file too large for one is read into
// a buffer of its own and moved) and checks every checksum in them (segmentVerified), so the
// main thread only indexes them.
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { readWhole } from './capture-reader';
import { segmentVerified } from './segment-scan';

export interface SegmentCheckRequest {
  index: number;
  file: string;
  /** Which of the shared slots (workerData.slots) to read it into. */
  slot: number;
}

export type SegmentCheckReply =
  | { index: number; slot: number; length: number; verified: boolean }
  | { index: number; data: Uint8Array; verified: boolean }
  | { index: number; failed: string };

const slots = (workerData as { slots: SharedArrayBuffer[] }).slots;

const port = parentPort;
if (!port) throw new Error('segment-check-worker.ts runs as a worker thread');

/** The file's bytes: in the slot when they fit, else in a buffer of its own (never the shared pool: it is moved). */
async function readFile(file: string, slot: SharedArrayBuffer): Promise<{ data: Buffer; shared: boolean }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const shared = size <= slot.byteLength;
    const into = shared ? Buffer.from(slot, 0, size) : Buffer.allocUnsafeSlow(size);
    return { data: into.subarray(0, await readWhole(handle, into, size)), shared };
  } finally {
    await handle.close();
  }
}

async function check({ index, file, slot }: SegmentCheckRequest): Promise<void> {
  try {
    const { data, shared } = await readFile(file, slots[slot] as SharedArrayBuffer);
    const verified = segmentVerified(data);
    if (shared) {
      const reply: SegmentCheckReply = { index, slot, length: data.length, verified };
      port?.postMessage(reply);
      return;
    }
    const reply: SegmentCheckReply = { index, data, verified };
    port?.postMessage(reply, [data.buffer as ArrayBuffer]);
  } catch (error) {
    const reply: SegmentCheckReply = { index, failed: (error as Error).message };
    port?.postMessage(reply);
  }
}

let turn: Promise<void> = Promise.resolve();
port.on('message', (request: SegmentCheckRequest) => {
  turn = turn.then(() => check(request));
});
