// Copy as curl, run for real: awkward deliveries are captured, the API's command for each is run in
// bash and in dash (Debian's /bin/sh) against a local echo server, and what arrives must be the
// captured request byte for byte: method, raw path and query, headers in order and case, body.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureViewSchema } from '../../shared/capture';
import { endpointViewSchema } from '../../shared/endpoint';
import { curlCommandSchema } from '../../shared/replay';
import { forwardableHeaders } from '../../server/replay/outgoing';
import { sha256 } from '../support/http';
import { startTarget, type Received, type TargetServer } from '../support/target-server';
import { startTestServer, type TestServer } from '../support/test-server';

const SHELLS = ['/bin/bash', '/usr/bin/dash'];

interface Awkward {
  name: string;
  method: string;
  /** After `/h/<id>`, sent exactly as written (latin1: one char per byte). */
  target: string;
  /** Flat name, value list (latin1). */
  headers: string[];
  body: Buffer;
  /** The command must route the body through a file. */
  viaFile?: boolean;
}

function pseudoRandom(length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = 0x2545f491;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const text200k = Buffer.from(Array.from({ length: 4000 }, (_, i) => `line ${i}: {"n":${i},"note":"it's fine"}`).join('\n').padEnd(200 * 1024, '.'));

const CASES: Awkward[] = [
  { name: 'binary', method: 'POST', target: '/bin', headers: ['Content-Type', 'application/octet-stream'], body: pseudoRandom(4096), viaFile: true },
  { name: '@-leading text', method: 'POST', target: '/at', headers: ['Content-Type', 'text/plain'], body: Buffer.from('@/etc/hostname'), viaFile: true },
  { name: '200 KiB text', method: 'POST', target: '/big', headers: ['Content-Type', 'text/plain'], body: text200k, viaFile: true },
  { name: 'CRLF', method: 'POST', target: '/crlf', headers: ['Content-Type', 'application/x-www-form-urlencoded'], body: Buffer.from('a=1\r\nb=2\r\n'), viaFile: true },
  { name: 'NUL', method: 'POST', target: '/nul', headers: ['Content-Type', 'text/plain'], body: Buffer.from('before\0after'), viaFile: true },
  { name: 'invalid UTF-8', method: 'POST', target: '/latin', headers: ['Content-Type', 'application/json'], body: Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0xff, 0xfe, 0x7d]), viaFile: true },
  { name: 'raw quotes in the query', method: 'GET', target: `/q?x='y'&v="d"&w=it's`, headers: [], body: Buffer.alloc(0) },
  { name: 'empty body', method: 'POST', target: '/empty', headers: ['Content-Type', 'application/json', 'Content-Length', '0'], body: Buffer.alloc(0) },
  { name: 'globbing characters', method: 'GET', target: '/glob?filter={x,y}&a[0]=1&r=[1-3]', headers: ['Accept', '*/*'], body: Buffer.alloc(0) },
  { name: 'shell metacharacters', method: 'PUT', target: '/shell', headers: ['Content-Type', 'text/plain'], body: Buffer.from('$(touch pwned) `touch pwned2` $HOME \'single\' "double" \\n !! %s\n\n') },
  { name: 'awkward header values', method: 'POST', target: '/headers', headers: ['X-Dup', '1', 'x-dup', '2', 'X-Empty', '', 'X-Quote', `it's "q" $HOME \\ %d`, 'Content-Type', 'application/json'], body: Buffer.from('{"ok":true}') },
  { name: 'dot segments and encoded slashes', method: 'POST', target: '/a/../b/%2F/c;d=1?%41=%E2%9C%93&bad=%zz&=&&x', headers: ['Content-Type', 'application/json'], body: Buffer.from('[]') },
  { name: 'custom method', method: 'PURGE', target: '/purge', headers: ['Content-Type', 'text/plain'], body: Buffer.from('-d --data @x') },
  { name: 'bytes beyond ASCII in headers', method: 'POST', target: '/utf8', headers: ['X-Name', Buffer.from('Café ✓').toString('latin1'), 'X-Latin1', '\xe9t\xe9', 'Content-Type', 'text/plain; charset=utf-8'], body: Buffer.from('café ✓ 東京') },
  { name: 'gzip', method: 'POST', target: '/gz', headers: ['Content-Type', 'application/json', 'Content-Encoding', 'gzip'], body: gzipSync('{"zipped":true}'), viaFile: true },
  { name: 'DELETE without body', method: 'DELETE', target: '/items/7', headers: [], body: Buffer.alloc(0) },
];

/** Sends a request with its target and headers exactly as given (fetch would normalise both). */
function sendRaw(base: string, c: Awkward): Promise<number> {
  const { hostname, port } = new URL(base);
  const headers = ['Host', `${hostname}:${port}`, ...c.headers]; // with a header list, node adds no Host
  if (!headers.some((h, i) => i % 2 === 0 && /^content-length$/i.test(h)) && (c.body.length > 0 || c.method !== 'GET' && c.method !== 'DELETE')) {
    headers.push('Content-Length', String(c.body.length));
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: c.method, path: c.target.startsWith('/') ? c.target : `/${c.target}`, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(c.body);
  });
}

/** Runs a command as a terminal paste would: on the shell's standard input (a 200 KiB command is too long for `sh -c`). */
function runInShell(shell: string, command: string, cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, [], { cwd, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.end(`${command}\n`);
  });
}

let server: TestServer;
let echo: TargetServer;
let endpointId: string;
let dir: string;
const captured = new Map<string, string>(); // case name → capture id

beforeAll(async () => {
  for (const shell of SHELLS) if (!existsSync(shell)) throw new Error(`${shell} is missing: apt-get install -y bash dash`);
  server = await startTestServer();
  echo = await startTarget();
  dir = await mkdtemp(join(tmpdir(), 'hookscope-curl-matrix-'));
  endpointId = endpointViewSchema.parse(await (await server.api('/api/endpoints', { method: 'POST', json: { name: 'curl matrix' } })).json()).id;
  for (const c of CASES) {
    const before = (await (await server.api(`/api/endpoints/${endpointId}/requests?limit=1`)).json()) as { items: { id: string }[] };
    expect(await sendRaw(server.url, { ...c, target: `/h/${endpointId}${c.target}` }), c.name).toBe(200);
    const after = (await (await server.api(`/api/endpoints/${endpointId}/requests?limit=1`)).json()) as { items: { id: string }[] };
    expect(after.items[0]?.id).not.toBe(before.items[0]?.id);
    captured.set(c.name, after.items[0]?.id as string);
  }
});
afterAll(async () => {
  await echo?.close();
  await server?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('copy as curl reproduces awkward requests byte for byte', () => {
  it('captured every case as sent', async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(14);
    for (const c of CASES) {
      const view = captureViewSchema.parse(await (await server.api(`/api/requests/${captured.get(c.name)}`)).json());
      expect(`${view.path}${view.query ? `?${view.query}` : ''}`, c.name).toBe(c.target);
    }
  });

  for (const shell of SHELLS) {
    it.each(CASES.map((c) => [c.name, c] as const))(`${shell}: %s`, async (_name, c) => {
      const id = captured.get(c.name) as string;
      const view = captureViewSchema.parse(await (await server.api(`/api/requests/${id}`)).json());
      const res = await server.api(`/api/requests/${id}/curl`, { method: 'POST', json: { url: `${echo.url}/echo`, appendPath: true } });
      expect(res.status).toBe(200);
      const { command, binaryBody } = curlCommandSchema.parse(await res.json());
      expect(binaryBody, 'body routed through a file').toBe(c.viaFile === true);
      expect(command).toContain('--globoff');
      const before = echo.received.length;
      expect(await runInShell(shell, command, dir)).toEqual({ code: 0, stderr: '' });
      const got = echo.received[before] as Received;
      expect(got, 'a request reached the echo server').toBeDefined();
      expect(got.method).toBe(c.method);
      expect(got.url).toBe(`/echo${c.target}`);
      expect(got.body.length).toBe(c.body.length);
      expect(got.sha256).toBe(sha256(c.body));
      const sent = got.headers.filter(([name]) => !/^(host|content-length)$/i.test(name));
      expect(sent).toEqual(forwardableHeaders(view.headers));
      const pairs = [];
      for (let i = 0; i < c.headers.length; i += 2) pairs.push([c.headers[i], c.headers[i + 1]]);
      expect(sent).toEqual(pairs.filter(([name]) => !/^content-length$/i.test(name as string)));
    });
  }

  it('ran no payload as shell code', async () => {
    expect((await readdir(dir)).filter((name) => name.startsWith('pwned'))).toEqual([]);
  });
});
