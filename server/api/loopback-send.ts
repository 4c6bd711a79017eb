import { request } from 'node:http';
import type { OutgoingRequest } from '../delivery/outgoing-request';
import { requestTarget } from '../replay/outgoing';

/**
 * Sends a request to this server over loopback with exactly its headers, in order and case, plus
 * Host first and Content-Length last — nothing a client library adds (fetch would add
 * `sec-fetch-mode`, `accept-language: *`, `accept-encoding`…), so a test event looks like what a
 * platform sends. Resolves with the status once the answer is read.
 */
export function sendOverLoopback(outgoing: OutgoingRequest): Promise<number> {
  const url = new URL(outgoing.url);
  const headers = ['Host', url.host, ...outgoing.headers.flat(), 'Content-Length', String(outgoing.body.length)];
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, method: outgoing.method, path: requestTarget(outgoing.url), headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(outgoing.body);
  });
}
