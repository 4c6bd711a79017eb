import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; size: number };

/**
 * Reads the request body as raw bytes, up to `limit` bytes. A larger body (by its declared
 * Content-Length, or once more bytes than that have arrived) is not kept: the result says how
 * big it was (as far as known) and the rest of the stream is discarded.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve({ ok: false, size: declared });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over) return;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve({ ok: false, size });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve({ ok: true, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) });
    });
    req.on('error', reject);
    // A client that disconnects mid-body (or is cut off by the request timeout): nothing to store.
    req.on('close', () => {
      if (!req.complete && !over) reject(new HttpError(400, 'the client went away before the body was complete'));
    });
  });
}
