import { request, type IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface UploadAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  json: Record<string, unknown>;
}

/** An upload whose body is sent piece by piece, so a test decides when it ends (or dies). */
export interface OpenUpload {
  /** The server's answer (rejects if the connection dies first). */
  readonly answer: Promise<UploadAnswer>;
  write(bytes: Buffer): Promise<void>;
  end(bytes?: Buffer): void;
  /** Cuts the connection mid-body. */
  destroy(): void;
}

/**
 * Starts a POST to `url` from `localAddress` (any 127.x.y.z on Linux: a different peer each):
 * with `declared` as Content-Length, or chunked when null. Nothing of the body is sent yet.
 */
export function openUpload(url: string, options: { declared: number | null; localAddress?: string }): OpenUpload {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  if (options.declared === null) headers['transfer-encoding'] = 'chunked';
  else headers['content-length'] = String(options.declared);
  const req = request(url, { method: 'POST', headers, localAddress: options.localAddress ?? '127.0.0.1', agent: false });
  const answer = new Promise<UploadAnswer>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown> }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  answer.catch(() => undefined); // a test that destroys the upload does not wait for an answer
  req.flushHeaders();
  return {
    answer,
    write: (bytes) => new Promise((resolve, reject) => req.write(bytes, (error) => (error ? reject(error) : resolve()))),
    end: (bytes) => req.end(bytes),
    destroy: () => req.destroy(),
  };
}

/** Waits until `condition` holds (checked every few ms), or fails after `ms`. */
export async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(5);
  }
}
