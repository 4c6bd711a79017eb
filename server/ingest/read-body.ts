import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors';
import type { Reservation } from './memory-budget';

/** The body, or why it was not kept: over the body limit, or outgrew the memory budget while arriving. */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'over-budget'; size: number };

/** The body's declared Content-Length, or null when it declares none (chunked). */
export function declaredLength(req: IncomingMessage): number | null {
  const header = req.headers['content-length'];
  if (header === undefined) return null;
  const declared = Number(header);
  return Number.isSafeInteger(declared) && declared >= 0 ? declared : null;
}

/** What an upload reserves before its body arrives: the declared length (nothing when over the limit: it is discarded unread), null when unknown. */
export function bytesToReserve(req: IncomingMessage, limit: number): number | null {
  const declared = declaredLength(req);
  return declared !== null && declared > limit ? 0 : declared;
}

/**
 * Reads the request body as raw bytes, up to `limit` bytes. A declared Content-Length is read
 * straight into one buffer of that size (reserved by the caller): the body is never held twice.
 * Without one, chunks are reserved against `reservation` as they arrive and joined once at the
 * end. A body over `limit`, or one whose next chunk the budget refuses, is not kept: the result
 * says how big it was (as far as known) and the rest of the stream is discarded.
 */
export function readBody(req: IncomingMessage, limit: number, reservation: Reservation): Promise<BodyResult> {
  const declared = declaredLength(req);
  if (declared !== null && declared > limit) {
    req.resume();
    return Promise.resolve({ ok: false, reason: 'too-large', size: declared });
  }
  return new Promise((resolve, reject) => {
    const sink = declared === null ? chunkSink(reservation) : fixedSink(declared);
    let size = 0;
    let refused: BodyResult | null = null;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (refused) return;
      if (size > limit) refused = { ok: false, reason: 'too-large', size };
      else if (!sink.add(chunk)) refused = { ok: false, reason: 'over-budget', size };
      if (!refused) return;
      sink.drop();
      resolve(refused);
    });
    req.on('end', () => {
      if (!refused) resolve({ ok: true, body: sink.body() });
    });
    req.on('error', reject);
    // A client that disconnects mid-body (or is cut off by the request timeout): nothing to store.
    req.on('close', () => {
      if (!req.complete && !refused) {
        sink.drop();
        reject(new HttpError(400, 'the client went away before the body was complete'));
      }
    });
  });
}

interface Sink {
  /** Keeps a chunk; false when it cannot. */
  add(chunk: Buffer): boolean;
  body(): Buffer;
  drop(): void;
}

/**
 * A body of known length: a body that arrives in one chunk is that chunk (no copy); otherwise one
 * buffer of the declared size, allocated at the first chunk, each chunk copied in where it belongs.
 */
function fixedSink(length: number): Sink {
  let buffer: Buffer | null = null;
  let offset = 0;
  let dropped = false;
  return {
    add(chunk) {
      if (dropped || offset + chunk.length > length) return false; // the HTTP parser never delivers more
      if (offset === 0 && chunk.length === length) buffer = chunk;
      else {
        // Uninitialised memory is fine: every byte is written before the body is used, and a body
        // that arrives short is never used (the request ends in an error instead).
        buffer ??= Buffer.allocUnsafeSlow(length);
        chunk.copy(buffer, offset);
      }
      offset += chunk.length;
      return true;
    },
    body: () => (buffer ?? Buffer.alloc(0)).subarray(0, offset),
    drop() {
      dropped = true;
      buffer = null;
    },
  };
}

/** A body of unknown length: its chunks, reserved one by one, joined at the end. */
function chunkSink(reservation: Reservation): Sink {
  let chunks: Buffer[] = [];
  let size = 0;
  return {
    add(chunk) {
      if (!reservation.grow(chunk.length)) return false;
      chunks.push(chunk);
      size += chunk.length;
      return true;
    },
    body: () => (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)),
    drop() {
      chunks = [];
    },
  };
}
