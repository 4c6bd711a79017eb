import http from 'node:http';
import https from 'node:https';
import type { HeaderPairs } from '../../shared/capture';
import { headerPairs, headerValue } from '../delivery/raw-delivery';
import { requestTarget, wireHeaders } from './outgoing';
import { removeHeader, type OutgoingRequest } from '../delivery/outgoing-request';
import { isIP } from 'node:net';
import { checkUrl, guardedLookup, normalizeHost, systemResolver, TargetRefusedError, type Resolver, type TargetPolicy } from './target-guard';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024; // bytes of a target's answer kept
const MAX_REDIRECTS = 5;

export interface SendOptions {
  timeoutMs?: number; // ms, for the whole exchange including redirects
  followRedirects?: boolean;
  maxResponseBytes?: number; // bytes kept; the rest is not read
  signal?: AbortSignal;
}

/** What came back, or why nothing did. Policy refusals are thrown (TargetRefusedError), not returned. */
export interface SendOutcome {
  startedAt: number; // ms since epoch
  durationMs: number; // ms
  /** URL of the last request (differs from the request's when redirects were followed). */
  url: string;
  status?: number;
  headers?: HeaderPairs;
  body?: Buffer;
  truncated: boolean;
  error?: string;
  /** Kind of failure: `refused` and `dns` mean the request never reached the target. */
  errorKind?: ErrorKind;
}

export type ErrorKind = 'refused' | 'dns' | 'timeout' | 'reset' | 'tls' | 'cancelled' | 'policy' | 'other';

export interface Sender {
  /** Sends one request; rejects only with TargetRefusedError when the policy forbids the target. */
  send(request: OutgoingRequest, options?: SendOptions): Promise<SendOutcome>;
  /** Resolves when the policy allows the URL and every address its host resolves to; else rejects with TargetRefusedError. */
  check(url: string): Promise<void>;
  /** Closes kept-alive connections. */
  close(): void;
}

export interface SenderDeps {
  policy: TargetPolicy;
  now?: () => number;
  resolver?: Resolver;
}

type Exchange = { status: number; headers: HeaderPairs; body: Buffer; truncated: boolean };

/** HTTP(S) client for replays and forwards: exact header order/case/bytes, policy-checked targets, no redirects unless asked, capped answers, deadlines. */
export function createSender({ policy, now = Date.now, resolver = systemResolver }: SenderDeps): Sender {
  const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }) };

  async function send(request: OutgoingRequest, options: SendOptions = {}): Promise<SendOutcome> {
    const startedAt = now();
    const began = performance.now();
    const deadline = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
    let current = request;
    const done = (rest: Partial<SendOutcome>): SendOutcome => ({ startedAt, durationMs: performance.now() - began, url: current.url, truncated: false, ...rest });
    try {
      for (let hop = 0; ; hop += 1) {
        const answer = await exchange(current, signal, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
        const next = options.followRedirects && hop < MAX_REDIRECTS ? redirectOf(current, answer) : null;
        if (!next) return done(answer);
        current = next;
      }
    } catch (error) {
      if (error instanceof TargetRefusedError && current === request) throw error;
      const timedOut = deadline.aborted;
      return done({ error: describeError(error, timedOut, options.timeoutMs ?? DEFAULT_TIMEOUT_MS), errorKind: errorKind(error, timedOut) });
    }
  }

  function exchange(request: OutgoingRequest, signal: AbortSignal, maxBytes: number): Promise<Exchange> {
    const url = new URL(request.url);
    const decision = checkUrl(url, policy);
    if (!decision.ok) return Promise.reject(new TargetRefusedError(decision.reason));
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request({
        protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || undefined,
        path: requestTarget(request.url), method: request.method, headers: wireHeaders(request).flat(),
        agent: agents[url.protocol as 'http:' | 'https:'], signal,
        lookup: guardedLookup(policy, decision.allowedByName, resolver) as never,
      }, (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const finish = (truncated: boolean) => resolve({ status: res.statusCode ?? 0, headers: headerPairs(res.rawHeaders), body: Buffer.concat(chunks), truncated });
        res.on('data', (chunk: Buffer) => {
          const room = maxBytes - kept;
          chunks.push(room >= chunk.length ? chunk : chunk.subarray(0, room));
          kept += Math.min(room, chunk.length);
          if (kept >= maxBytes && chunk.length > room) {
            finish(true);
            res.destroy(); // the rest is not wanted: stop reading rather than buffer it
          }
        });
        res.on('end', () => finish(false));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(request.body);
    });
  }

  async function check(target: string): Promise<void> {
    const url = new URL(target);
    const decision = checkUrl(url, policy);
    if (!decision.ok) throw new TargetRefusedError(decision.reason);
    const host = normalizeHost(url.hostname);
    if (isIP(host) !== 0) return;
    const lookup = guardedLookup(policy, decision.allowedByName, resolver);
    await new Promise<void>((resolve, reject) => lookup(host, { all: true }, (error) => (error instanceof TargetRefusedError ? reject(error) : resolve())));
  }

  return {
    send,
    check,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/** The next request of a redirect (fetch's rules: 303, and 301/302 after POST, become a body-less GET), or null. */
function redirectOf(request: OutgoingRequest, answer: Exchange): OutgoingRequest | null {
  const location = headerValue(answer.headers, 'location');
  if (![301, 302, 303, 307, 308].includes(answer.status) || !location) return null;
  const url = new URL(location, request.url);
  const toGet = answer.status === 303 ? request.method !== 'HEAD' : [301, 302].includes(answer.status) && request.method === 'POST';
  let headers = request.headers;
  if (url.origin !== new URL(request.url).origin) headers = removeHeader(removeHeader(headers, 'authorization'), 'cookie');
  if (toGet) headers = removeHeader(removeHeader(removeHeader(headers, 'content-type'), 'content-encoding'), 'content-language');
  return { method: toGet ? 'GET' : request.method, url: url.href, headers, body: toGet ? Buffer.alloc(0) : request.body };
}

function errorKind(error: unknown, timedOut: boolean): ErrorKind {
  if (timedOut) return 'timeout';
  const e = error as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  if (error instanceof TargetRefusedError) return 'policy';
  if (e?.name === 'AbortError' || code === 'ABORT_ERR') return 'cancelled';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  return /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code) ? 'tls' : 'other';
}

/** One line saying what went wrong: DNS, refused, reset, TLS, timeout, policy. */
export function describeError(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timeout: no complete answer within ${timeoutMs} ms`;
  const e = error as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  if (error instanceof TargetRefusedError) return `refused by target policy (redirect): ${error.reason}`;
  if (e?.name === 'AbortError' || code === 'ABORT_ERR') return 'cancelled';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS: cannot resolve ${(e as { hostname?: string }).hostname ?? 'the host'} (${code})`;
  if (code === 'ECONNREFUSED') return `connection refused (${(e as { address?: string }).address ?? ''}:${(e as { port?: number }).port ?? ''})`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `connection reset by the target (${code})`;
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code)) return `TLS: ${e.message} (${code})`;
  return `${e?.message ?? String(error)}${code ? ` (${code})` : ''}`;
}
