import { request } from 'node:http';

/** One POST of `body` to `url` from `localAddress`, on a connection of its own; resolves with the status (0 when the connection failed). */
export function post(url: string, body: Buffer, localAddress: string): Promise<number> {
  return new Promise((resolve) => {
    const headers = { 'content-type': 'application/octet-stream', 'content-length': body.length };
    const req = request(url, { method: 'POST', localAddress, agent: false, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}
