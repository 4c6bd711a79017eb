// A start-up worker thread (started by segment-check-threads.ts): reads whole segment files and
// checks every checksum in them (segmentVerified), handing each file's bytes over (moved, not
// copied) with the verdict, so the main thread only indexes them.
import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { readWhole } from './capture-reader';
import { segmentVerified } from './segment-scan';

export interface SegmentCheckRequest {
  index: number;
  file: string;
}

export type SegmentCheckReply = { index: number; data: Uint8Array; verified: boolean } | { index: number; failed: string };

const port = parentPort;
if (!port) throw new Error('segment-check-worker.ts runs as a worker thread');

async function readFile(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const data = Buffer.allocUnsafeSlow(size); // its own memory, never the shared pool: it is moved
    return data.subarray(0, await readWhole(handle, data, size));
  } finally {
    await handle.close();
  }
}

async function check({ index, file }: SegmentCheckRequest): Promise<void> {
  try {
    const data = await readFile(file);
    const reply: SegmentCheckReply = { index, data, verified: segmentVerified(data) };
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
