import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HeaderPairs } from '../../shared/capture';

/** One request a target received, as it came off the wire. */
export interface Received {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: HeaderPairs;
  body: Buffer;
  sha256: string;
}

export type Responder = (request: Received, res: ServerResponse) => void | Promise<void>;

export interface TargetServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  received: Received[];
  /** Replaces how the target answers (default: 200 `ok`). */
  respond(responder: Responder): void;
  /** Resolves once `count` requests have arrived in total. */
  until(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A local HTTP server on 127.0.0.1 that records every request it gets (a replay/forward target). */
export async function startTarget(host = '127.0.0.1', listenPort = 0): Promise<TargetServer> {
  const received: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let responder: Responder = (_request, res) => void res.end('ok');
  const server = createServer(async (req, res) => {
    const body = await readAll(req);
    const rawHeaders = req.rawHeaders;
    const headers: HeaderPairs = [];
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) headers.push([rawHeaders[i] as string, rawHeaders[i + 1] as string]);
    const request = { method: req.method ?? '', url: req.url ?? '', headers, body, sha256: createHash('sha256').update(body).digest('hex') };
    received.push(request);
    for (const waiter of waiters.filter((w) => received.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    await responder(request, res);
  });
  await new Promise<void>((resolve) => server.listen(listenPort, host, () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    received,
    respond: (next) => (responder = next),
    until(count, timeoutMs = 10_000) {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`target got ${received.length} of ${count} requests within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(received)) });
      });
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
