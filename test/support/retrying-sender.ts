// A platform-like webhook sender, as Stripe, GitHub or a messaging platform behave: it POSTs a
// delivery, and on a 5xx, a reset connection or a timeout it waits the next delay of its
// schedule and sends the same delivery again (same body, same delivery id), until a non-5xx
// answer or the end of the schedule. Real HTTP over node:http, so a dropped connection and a
// timeout are seen as the errors a platform would see.
import { request } from 'node:http';

export interface SendOutcomeLine {
  /** ms since the sender started this delivery. */
  at: number;
  status?: number;
  /** `reset` (connection closed without an answer) or `timeout` (no answer in time). */
  error?: 'reset' | 'timeout' | 'other';
}

export interface RetryingSenderOptions {
  url: string;
  body: string;
  headers?: Record<string, string>;
  /** Delays before each retry, ms: [10, 60, 300] means retried after 10, 60 and 300 ms. */
  schedule: number[];
  /** How long one attempt may wait for an answer, ms (default 10 s: a loaded test machine is slow, not failing). */
  timeoutMs?: number;
}

/** One HTTP attempt: the status, or the kind of failure. */
export function attemptOnce(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<Omit<SendOutcomeLine, 'at'> & { body?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false });
    let settled = false;
    const settle = (value: Omit<SendOutcomeLine, 'at'> & { body?: string }) => {
      if (!settled) resolve(value);
      settled = true;
    };
    req.setTimeout(timeoutMs, () => {
      settle({ error: 'timeout' });
      req.destroy();
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => settle({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', () => settle({ error: 'reset' }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => settle({ error: error.code === 'ECONNRESET' ? 'reset' : 'other' }));
    req.end(body);
  });
}

/** Sends one delivery with retries; resolves to every attempt, in order. */
export async function deliverWithRetries(options: RetryingSenderOptions): Promise<SendOutcomeLine[]> {
  const started = performance.now();
  const lines: SendOutcomeLine[] = [];
  for (let retry = 0; ; retry += 1) {
    const at = performance.now() - started;
    const { status, error } = await attemptOnce(options.url, options.body, options.headers ?? {}, options.timeoutMs ?? 10_000);
    lines.push({ at, ...(status !== undefined && { status }), ...(error && { error }) });
    const failed = error !== undefined || (status !== undefined && status >= 500);
    const delay = options.schedule[retry];
    if (!failed || delay === undefined) return lines;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
