import { createHash } from 'node:crypto';
import { request } from 'node:http';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * A request with headers given as a flat [name, value, …] list, sent exactly in that order and
 * case (fetch would normalise them).
 */
export function rawRequest(url: string, options: { method?: string; headers?: string[]; body?: Buffer | string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers = options.headers ?? [];
    if (!headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'host')) headers.unshift('Host', new URL(url).host);
    const framed = headers.some((h, i) => i % 2 === 0 && /^(content-length|transfer-encoding)$/i.test(h));
    if (!framed && options.body !== undefined) headers.push('Content-Length', String(Buffer.byteLength(options.body)));
    const req = request(url, { method: options.method ?? 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
