import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureViewSchema } from '../../shared/capture';
import { endpointViewSchema } from '../../shared/endpoint';
import { startTarget, type TargetServer } from '../support/target-server';
import { tempDir } from '../support/temp-dir';
import { startTestServer, type TestServer } from '../support/test-server';

const BIN = fileURLToPath(new URL('../../bin/hookscope.js', import.meta.url));

let server: TestServer;
let target: TargetServer;
let dir: { path: string; remove: () => Promise<void> };
const children = new Set<ChildProcess>();

beforeAll(async () => {
  server = await startTestServer();
  target = await startTarget();
  dir = await tempDir('hookscope-forward-');
});
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});
afterAll(async () => {
  await target.close();
  await server.dispose();
  await dir.remove();
});

interface Cli {
  child: ChildProcess;
  output: string[];
  /** Resolves when a stdout line matches. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

/** Runs `hookscope forward` as its own process, as a user would. */
function startCli(endpointId: string, stateFile: string, base = server.url): Cli {
  const child = spawn(process.execPath, [BIN, 'forward', `${base}/h/${endpointId}`, '--to', `${target.url}/local`, '--state', stateFile], {
    env: { ...process.env, HOOKSCOPE_TOKEN: server.token }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const output: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      output.push(line);
      for (const w of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    children.delete(child);
    resolve(code);
  }));
  return {
    child, output, exited,
    line(pattern, timeoutMs = 20_000) {
      const found = output.find((l) => pattern.test(l));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line ${pattern} within ${timeoutMs} ms; output:\n${output.join('\n')}`)), timeoutMs);
        waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      });
    },
  };
}

async function newEndpoint(on: TestServer = server): Promise<string> {
  return endpointViewSchema.parse(await (await on.api('/api/endpoints', { method: 'POST', json: {} })).json()).id;
}

async function send(endpointId: string, bodies: string[], base = server.url): Promise<string[]> {
  const ids: string[] = [];
  for (const body of bodies) ids.push(((await (await fetch(`${base}/h/${endpointId}`, { method: 'POST', body })).json()) as { id: string }).id);
  return ids;
}

const numbered = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `#${from + i}`);

describe('hookscope forward (guarantee: at least once, in order; a crash repeats at most the one delivery in flight)', () => {
  it('delivers what arrived while it was stopped, exactly once and in order', async () => {
    const endpointId = await newEndpoint();
    const state = join(dir.path, 'restart.json');
    const before = target.received.length;
    const first = startCli(endpointId, state);
    await first.line(/caught up/);
    await send(endpointId, ['warm-up']);
    await target.until(before + 1);
    await first.line(/→ 200/);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const ids = await send(endpointId, numbered(0, 50));
    const reported = new Promise((resolve) => {
      const stop = server.hub.subscribe((event) => {
        if (event.type === 'replay-result' && event.captureId === ids[49]) resolve(stop());
      });
    });
    const second = startCli(endpointId, state);
    await target.until(before + 51, 30_000);
    await second.line(new RegExp(`${ids[49]} .*→ 200`));
    await reported;
    const bodies = target.received.slice(before).map((r) => r.body.toString());
    expect(bodies).toEqual(['warm-up', ...numbered(0, 50)]);
    expect(target.received.slice(before).every((r) => r.url === '/local')).toBe(true);
    const last = captureViewSchema.parse(await (await server.api(`/api/requests/${ids[49]}`)).json());
    expect(last.replays).toMatchObject([{ kind: 'cli', status: 200, url: `${target.url}/local` }]); // reported back
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('after kill -9 mid-batch loses nothing and repeats only the delivery in flight', async () => {
    const endpointId = await newEndpoint();
    const state = join(dir.path, 'crash.json');
    const before = target.received.length;
    const first = startCli(endpointId, state);
    await first.line(/caught up/);
    target.respond((request, reply) => {
      if (request.body.toString() === '#9' && first.child.exitCode === null && first.child.signalCode === null) {
        first.child.kill('SIGKILL'); // dies while waiting for this answer: #9 is in flight
        return;
      }
      reply.end('ok');
    });
    const ids = await send(endpointId, numbered(0, 50));
    await first.exited;
    const second = startCli(endpointId, state);
    await target.until(before + 51, 30_000);
    await second.line(new RegExp(`${ids[49]} .*→ 200`));
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a wrong extra delivery to show up
    const bodies = target.received.slice(before).map((r) => r.body.toString());
    expect(bodies).toEqual([...numbered(0, 10), '#9', ...numbered(10, 50)]);
    second.child.kill('SIGTERM');
    await second.exited;
    target.respond((_r, reply) => void reply.end('ok'));
  });

  it('resumes from its cursor when the connection drops (Hookscope restarted)', async () => {
    const data = await tempDir('hookscope-forward-restart-');
    let hookscope = await startTestServer({ data: data.path });
    const { port } = hookscope;
    try {
      const endpointId = await newEndpoint(hookscope);
      const before = target.received.length;
      const cli = startCli(endpointId, join(dir.path, 'reconnect.json'), hookscope.url);
      await cli.line(/caught up/);
      await send(endpointId, numbered(0, 5), hookscope.url);
      await target.until(before + 5);
      await hookscope.close();
      await cli.line(/reconnecting/);
      hookscope = await startTestServer({ data: data.path, port });
      const ids = await send(endpointId, numbered(5, 10), hookscope.url);
      await target.until(before + 10, 30_000);
      await cli.line(new RegExp(`${ids[4]} .*→ 200`));
      expect(target.received.slice(before).map((r) => r.body.toString())).toEqual(numbered(0, 10));
      cli.child.kill('SIGTERM');
      await cli.exited;
    } finally {
      await hookscope.close();
      await data.remove();
    }
  });
});
