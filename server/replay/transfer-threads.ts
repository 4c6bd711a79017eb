import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { CaptureSummary } from '../../shared/capture';
import type { TransferFormat } from '../../shared/replay';
import { HttpError, ValidationError } from '../errors';
import { startWorker } from '../worker-script';
import { receivedPart, type EncodedCaptures, type EncodedPart } from '../store/batch-encode';
import type { RawPlaces } from '../store/raw-capture';
import type { Store } from '../store/store';

/** One piece of an import file: a run of whole JSON Lines (or a whole HAR document). */
export interface ImportPiece {
  /** Its place in the file, from 0. */
  index: number;
  bytes: Uint8Array;
  /** Lines of the file before it. */
  firstLine: number;
}

/** What the main thread asks of an import worker (transfer-worker.ts). */
export type TransferWorkerRequest =
  | { kind: 'parse'; pieces: ImportPiece[]; format: TransferFormat; endpointId: string }
  | { kind: 'encode'; pieces: { index: number; ids: string[]; duplicateOf: (string | null)[] }[] }
  | { kind: 'export'; places: RawPlaces; format: TransferFormat; baseUrl: string };

/** What an import worker answers: the delivery ids of each piece; then each piece encoded, then `encoded`. */
export type TransferWorkerReply =
  | { kind: 'parsed'; deliveryIds: (string | null)[][] }
  | { kind: 'part'; index: number; part: EncodedPart }
  | { kind: 'encoded' }
  | { kind: 'exported'; text: Uint8Array; count: number }
  | { kind: 'failed'; status: number; message: string; details?: { path: string; message: string; position?: number }[]; piece?: number; http: boolean };

export interface TransferThreadsOptions {
  /** Worker threads an import is spread over (default: the CPUs available, at most 4). */
  threads?: number;
  /** Files smaller than this are imported on the main thread: a thread costs more than it saves (bytes). */
  minBytes?: number;
  /** Endpoints holding fewer captures than this are exported on the main thread. */
  exportMinCaptures?: number;
  /** Idle workers are stopped after this long (ms). */
  idleMs?: number;
}

const DEFAULT_MIN_BYTES = 1024 * 1024;
const DEFAULT_EXPORT_MIN_CAPTURES = 2000;
const DEFAULT_IDLE_MS = 60_000;
const PIECES_PER_THREAD = 4;
const MIN_PIECE_BYTES = 256 * 1024;
const MAX_PIECE_BYTES = 4 * 1024 * 1024;

interface Waiter {
  resolve: (reply: TransferWorkerReply) => void;
  reject: (error: Error) => void;
  onPart?: (index: number, part: EncodedPart) => void;
}

/** One worker and the answers it owes, in the order it was asked (it works through its messages in turn). */
class TransferWorker {
  private readonly worker: Worker;
  private waiting: Waiter[] = [];
  private dead: Error | null = null;

  constructor() {
    this.worker = startWorker('replay/transfer-worker');
    this.worker.unref();
    const fail = (error: Error) => {
      this.dead = error;
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    };
    this.worker.on('message', (reply: TransferWorkerReply) => {
      if (reply.kind === 'part') {
        try {
          this.waiting[0]?.onPart?.(reply.index, reply.part);
        } catch (error) {
          fail(error as Error);
        }
        return;
      }
      this.waiting.shift()?.resolve(reply);
    });
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`a transfer worker thread stopped (exit code ${code})`)));
  }

  get alive(): boolean {
    return this.dead === null;
  }

  /** Sends a request; resolves to its answer (`onPart` is told of each encoded part before it). */
  ask(request: TransferWorkerRequest, transfer: ArrayBuffer[] = [], onPart?: (index: number, part: EncodedPart) => void): Promise<TransferWorkerReply> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject, onPart });
      this.worker.postMessage(request, transfer);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

function thrown(reply: Extract<TransferWorkerReply, { kind: 'failed' }>): Error {
  if (!reply.http) return new Error(`transfer worker: ${reply.message}`);
  if (reply.status === 400) return new ValidationError(reply.message, reply.details ?? []);
  return new HttpError(reply.status, reply.message, reply.details);
}

/** Splits a JSON Lines file into pieces of about `size` bytes, each a run of whole lines. */
function linePieces(bytes: Buffer, size: number): { start: number; end: number; firstLine: number }[] {
  const out: { start: number; end: number; firstLine: number }[] = [];
  let start = 0;
  let line = 0; // lines before `start`
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + size);
    if (end < bytes.length) {
      const newline = bytes.indexOf(0x0a, end - 1);
      end = newline === -1 ? bytes.length : newline + 1;
    }
    out.push({ start, end, firstLine: line });
    for (let at = bytes.indexOf(0x0a, start); at !== -1 && at < end; at = bytes.indexOf(0x0a, at + 1)) line += 1;
    start = end;
  }
  return out;
}

/** Encoded pieces arriving from several workers, given out in file order as each becomes next. */
class InOrder implements AsyncIterable<EncodedCaptures> {
  private readonly parts: (EncodedCaptures | undefined)[];
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(count: number) {
    this.parts = new Array<EncodedCaptures | undefined>(count);
  }

  put(index: number, part: EncodedCaptures): void {
    this.parts[index] = part;
    this.wake?.();
  }

  fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<EncodedCaptures> {
    for (let index = 0; index < this.parts.length; index++) {
      while (this.parts[index] === undefined && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
      if (this.failure) throw this.failure;
      const part = this.parts[index] as EncodedCaptures;
      this.parts[index] = undefined; // written: its memory goes
      yield part;
    }
  }
}

/**
 * Large imports and exports in worker threads, so the main thread (ingest, the API, the stream)
 * stays free and a transfer uses every core. An import: each worker parses its pieces of the file
 * (JSON Lines are split at line boundaries; a HAR document goes to one worker), makes each
 * capture's preview, event type and search text, and — once the store has chosen ids — encodes
 * the records; the store writes them as one atomic batch (Store.importEncoded). An export: the
 * workers read, check and format its pages (exportText). The answers, the captures, the bytes on
 * disk and the export bytes are the main thread's (test/integration/transfer-threads.test.ts).
 */
export class TransferThreads {
  private readonly threads: number;
  private readonly minBytes: number;
  private readonly exportMinCaptures: number;
  private readonly idleMs: number;
  private idle: TransferWorker[] = [];
  private turn: Promise<unknown> = Promise.resolve();
  private stopTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Imports done through worker threads (tests and metrics read it). */
  imports = 0;

  constructor(options: TransferThreadsOptions = {}) {
    this.threads = Math.max(1, options.threads ?? Math.min(4, availableParallelism()));
    this.minBytes = options.minBytes ?? DEFAULT_MIN_BYTES;
    this.exportMinCaptures = options.exportMinCaptures ?? DEFAULT_EXPORT_MIN_CAPTURES;
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  }

  /** Whether an import of this file into this store goes through worker threads. */
  applies(store: Store, bytes: Buffer): boolean {
    return !this.closed && store.importEncoded !== undefined && bytes.length >= this.minBytes;
  }

  /**
   * Starts the workers an import of `bytes` bytes would use, if it would use them: called as an
   * import's request arrives, so they start while its body is still being received.
   */
  warm(store: Store, bytes: number): void {
    if (this.closed || store.importEncoded === undefined || !(bytes >= this.minBytes)) return;
    if (this.stopTimer) clearTimeout(this.stopTimer);
    while (this.idle.length < this.threads) this.idle.push(new TransferWorker());
    this.stopTimer = setTimeout(() => void this.stopIdle(), this.idleMs).unref();
  }

  /** Whether an export of `count` captures from this store goes through worker threads. */
  exports(store: Store, count: number): boolean {
    return !this.closed && store.rawPlacesAfter !== undefined && count >= this.exportMinCaptures;
  }

  /**
   * An endpoint's captures as export text, a page at a time in file order: each page is read,
   * checked and written out as text in a worker thread (readRawCaptures, jsonlText/harText: the
   * bytes the main thread would make), a few pages ahead of the one being sent. HAR entries each
   * begin with `,\n`; the caller makes the first one `\n`.
   */
  async *exportText(store: Store, endpointId: string, format: TransferFormat, baseUrl: string, page: { limit: number; bytes: number }): AsyncGenerator<{ text: Buffer; count: number }> {
    if (this.stopTimer) clearTimeout(this.stopTimer);
    const workers = Array.from({ length: this.threads }, () => this.idle.pop() ?? new TransferWorker());
    const ahead: Promise<TransferWorkerReply>[] = [];
    let cursor: string | undefined;
    let next = 0;
    let exhausted = false;
    try {
      for (;;) {
        while (!exhausted && ahead.length < 2 * workers.length) {
          const places = await (store.rawPlacesAfter as NonNullable<Store['rawPlacesAfter']>)(endpointId, cursor, page.limit, page.bytes);
          if (places.entries.length === 0) {
            exhausted = true;
            break;
          }
          cursor = places.entries[places.entries.length - 1]?.id;
          const worker = workers[next++ % workers.length] as TransferWorker;
          const asked = worker.ask({ kind: 'export', places, format, baseUrl });
          asked.catch(() => undefined); // seen when its turn comes
          ahead.push(asked);
        }
        const reply = await ahead.shift();
        if (!reply) return;
        if (reply.kind === 'failed') throw thrown(reply);
        if (reply.kind !== 'exported') throw new Error('a transfer worker answered out of turn');
        yield { text: Buffer.from(reply.text.buffer, reply.text.byteOffset, reply.text.byteLength), count: reply.count };
      }
    } finally {
      await Promise.allSettled(ahead); // no worker goes back to the pool while it still works on this export
      this.release(workers);
    }
  }

  /** Imports one file (one import at a time: later ones wait their turn); the stored captures' summaries. */
  run(store: Store, endpointId: string, bytes: Buffer, format: TransferFormat, importId: string): Promise<CaptureSummary[]> {
    const result = this.turn.then(() => this.runNow(store, endpointId, bytes, format, importId));
    this.turn = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.stopTimer) clearTimeout(this.stopTimer);
    await this.turn;
    await this.stopIdle();
  }

  private async runNow(store: Store, endpointId: string, bytes: Buffer, format: TransferFormat, importId: string): Promise<CaptureSummary[]> {
    if (this.stopTimer) clearTimeout(this.stopTimer);
    // JSON Lines are cut into a few pieces per worker, handed out in turn, so that encoded pieces
    // come back about in file order and are written while the rest are being encoded.
    const size = Math.min(MAX_PIECE_BYTES, Math.max(MIN_PIECE_BYTES, Math.ceil(bytes.length / (this.threads * PIECES_PER_THREAD))));
    const cuts = format === 'har' ? [{ start: 0, end: bytes.length, firstLine: 0 }] : linePieces(bytes, size);
    const workers = Array.from({ length: Math.min(this.threads, cuts.length) }, () => this.idle.pop() ?? new TransferWorker());
    // Piece i goes to worker i mod n: each worker's pieces, in file order.
    const assigned = workers.map((_, w) => cuts.map((cut, index) => ({ ...cut, index })).filter(({ index }) => index % workers.length === w));
    let encoding: Promise<unknown> = Promise.resolve();
    try {
      const parsed = await settled(workers.map((worker, w) => {
        // A copy of just each piece, moved to the worker (a view would send the whole buffer along).
        const pieces: ImportPiece[] = (assigned[w] ?? []).map(({ index, start, end, firstLine }) => ({ index, bytes: new Uint8Array(bytes.subarray(start, end)), firstLine }));
        return worker.ask({ kind: 'parse', pieces, format, endpointId }, pieces.map((piece) => piece.bytes.buffer as ArrayBuffer));
      }));
      // The first bad entry in the file decides the answer, as parsing it whole would.
      const failures = parsed.flatMap((reply) => (reply.kind === 'failed' ? [reply] : []));
      const [first] = failures.sort((a, b) => (a.piece ?? 0) - (b.piece ?? 0));
      if (first) throw thrown(first);
      const perPiece: (string | null)[][] = new Array<(string | null)[]>(cuts.length);
      for (const [w, reply] of parsed.entries()) {
        if (reply.kind !== 'parsed') throw new Error('an import worker answered out of turn');
        for (const [k, { index }] of (assigned[w] ?? []).entries()) perPiece[index] = reply.deliveryIds[k] ?? [];
      }
      const encode = (ids: string[], duplicateOf: (string | null)[]): AsyncIterable<EncodedCaptures> => {
        const starts: number[] = [];
        let at = 0;
        for (const list of perPiece) {
          starts.push(at);
          at += list.length;
        }
        const inOrder = new InOrder(cuts.length);
        encoding = settled(workers.map((worker, w) => {
          const pieces = (assigned[w] ?? []).map(({ index }) => {
            const from = starts[index] as number;
            const to = from + (perPiece[index] as (string | null)[]).length;
            return { index, ids: ids.slice(from, to), duplicateOf: duplicateOf.slice(from, to) };
          });
          return worker.ask({ kind: 'encode', pieces }, [], (index, part) => inOrder.put(index, receivedPart(part))).then((reply) => {
            if (reply.kind !== 'encoded') throw reply.kind === 'failed' ? thrown(reply) : new Error('an import worker answered out of turn');
          });
        })).catch((error: Error) => inOrder.fail(error));
        return inOrder;
      };
      const summaries = await (store.importEncoded as NonNullable<Store['importEncoded']>)(endpointId, perPiece.flat(), encode, importId);
      this.imports += 1;
      return summaries;
    } finally {
      await encoding; // no worker goes back to the pool while it still works on this import
      this.release(workers);
    }
  }

  /** Workers back to the pool: one that failed is dropped; the others wait for the next transfer, then stop when idle. */
  private release(workers: TransferWorker[]): void {
    this.idle.push(...workers.filter((worker) => worker.alive));
    if (this.closed) void this.stopIdle();
    else {
      if (this.stopTimer) clearTimeout(this.stopTimer);
      this.stopTimer = setTimeout(() => void this.stopIdle(), this.idleMs).unref();
    }
  }

  private async stopIdle(): Promise<void> {
    const idle = this.idle;
    this.idle = [];
    await Promise.all(idle.map((worker) => worker.stop()));
  }
}

/** Every answer, once all are in (a worker still busy must not be handed the next import); the first failure if any. */
async function settled<T>(asks: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(asks);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}
