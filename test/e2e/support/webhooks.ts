import { createHmac } from 'node:crypto';
import { request } from 'node:http';

/** POSTs a delivery to an ingest URL and returns the capture id from the default reply. */
export async function deliver(url: string, body: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const reply = (await response.json()) as { id?: string };
  if (!reply.id) throw new Error(`ingest answered ${response.status} without an id: ${JSON.stringify(reply)}`);
  return reply.id;
}

/** GitHub signs the raw body: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256>`. */
export function githubSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Sends a request with its path exactly as given (fetch would percent-encode `<`, `>`, quotes). */
export function rawRequest(base: string, method: string, rawPath: string, headers: Record<string, string>, body: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path: rawPath, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}
