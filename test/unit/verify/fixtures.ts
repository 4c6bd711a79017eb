import type { HeaderPairs } from '../../../shared/capture';
import { verifyConfigSchema, type VerifyConfig } from '../../../shared/verify-config';
import type { RawDelivery } from '../../../server/delivery/raw-delivery';

/** A fixed "now" for the verify tests: 2024-05-06T12:00:00Z. */
export const NOW_MS = Date.UTC(2024, 4, 6, 12, 0, 0);
export const NOW_SEC = NOW_MS / 1000;

/** A delivery as ingest would hand it to verify: plain bytes and header pairs. */
export function delivery(init: { body?: string | Buffer; headers?: HeaderPairs; method?: string; url?: string; path?: string; query?: string }): RawDelivery {
  const url = init.url ?? 'https://hooks.example.com/h/ep1';
  const parsed = new URL(url);
  return {
    endpointId: 'ep1',
    method: init.method ?? 'POST',
    path: init.path ?? parsed.pathname.replace(/^\/h\/[^/]+/, ''),
    query: init.query ?? parsed.search.replace(/^\?/, ''),
    url,
    headers: init.headers ?? [],
    peer: '127.0.0.1',
    body: typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : (init.body ?? Buffer.alloc(0)),
    receivedAt: NOW_MS,
  };
}

/** A verify config parsed exactly as the API would (defaults and refinements applied). */
export function verifyConfig(input: unknown): VerifyConfig {
  return verifyConfigSchema.parse(input);
}

/** Flips one byte of a buffer (the "one changed byte" tamper). */
export function tamper(body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  const at = Math.floor(bytes.length / 2);
  bytes[at] = (bytes[at] as number) ^ 0x01;
  return bytes;
}
