import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Target {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `node <args>` from the project root and waits for its "listening on <url>" line. */
export function startTarget(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Target> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+?:\d+)/.exec(out);
      if (match) {
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve({
          url: (match[1] as string).replace('localhost', '127.0.0.1'),
          process: child,
          stop: () => new Promise((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`target exited (${code}) before listening: ${out}`)));
  });
}

export interface LoadResult {
  rps: number;
  p50: number; // ms
  p99: number; // ms
  errors: number;
  non2xx: number;
  /** Requests answered in all. */
  total: number;
}

/** Drives `url` with autocannon: POSTs of `body` for `seconds` at `connections`. */
export async function load(url: string, options: { body: string; connections?: number; seconds?: number; amount?: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    body: options.body,
    headers: { 'content-type': 'application/json', ...options.headers },
    connections: options.connections ?? 50,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds ?? 5 }),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

export function payload(bytes: number): string {
  const base = { event: 'message.delivered', id: 'evt_0001', data: { to: '+15555550123', status: 'delivered' }, pad: '' };
  const overhead = JSON.stringify(base).length;
  return JSON.stringify({ ...base, pad: 'x'.repeat(Math.max(0, bytes - overhead)) });
}

export function fmt(r: LoadResult): string {
  const problems = r.errors + r.non2xx > 0 ? `  (errors ${r.errors}, non-2xx ${r.non2xx})` : '';
  return `${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms${problems}`;
}

export function ratio(a: number, b: number): string {
  return b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a';
}
