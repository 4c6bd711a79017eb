import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatPretty } from '../../server/logging/pretty';
import { spawnServer, type ChildServer } from '../support/child-server';
import { tempDir } from '../support/temp-dir';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function serve(env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildServer; data: string }> {
  const dir = await tempDir();
  cleanups.push(dir.remove);
  const child = await spawnServer(['serve', '--port', '0', '--host', '127.0.0.1', '--data', dir.path], env);
  cleanups.push(async () => {
    if (child.process.exitCode === null) child.process.kill('SIGKILL');
  });
  return { child, data: dir.path };
}

async function stop(child: ChildServer): Promise<string[]> {
  child.process.kill('SIGTERM');
  expect(await child.exited).toBe(0);
  return child.output().split('\n').filter((line) => line.length > 0);
}

describe('logs of a real server (a child process, output not a terminal)', () => {
  it('writes JSON lines: one access line per delivery and per API call, and never the token', async () => {
    const { child, data } = await serve();
    const token = (await readFile(join(data, 'token'), 'utf8')).trim();
    const auth = { authorization: `Bearer ${token}` };
    const delivered = await fetch(`${child.url}/h/default/github/push?secret=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"zen":"x"}' });
    const { id } = (await delivered.json()) as { id: string };
    expect((await fetch(`${child.url}/api/endpoints`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${child.url}/api/requests/${id}`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${child.url}/api/endpoints`, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
    expect((await fetch(`${child.url}/h/nowhere`, { method: 'POST', body: 'x' })).status).toBe(404);

    const lines = await stop(child);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>); // every line is JSON
    for (const line of lines) expect(line).not.toContain(token);
    expect(lines.some((line) => line.includes(token.slice(0, 12)))).toBe(false);

    expect(records.find((r) => r.kind === 'delivery' && r.capture === id)).toMatchObject({
      level: 'info', endpoint: 'default', method: 'POST', path: '/h/default/github/push', status: 200, bytes: 11,
      signature: 'skipped', schema: 'skipped', ms: expect.any(Number),
    });
    expect(records.find((r) => r.kind === 'delivery' && r.status === 404)).toMatchObject({ endpoint: 'nowhere', path: '/h/nowhere' });
    const api = records.filter((r) => r.kind === 'api');
    expect(api.map((r) => `${String(r.method)} ${String(r.path)} ${String(r.status)}`)).toEqual([
      'GET /api/endpoints 200', `GET /api/requests/${id} 200`, 'GET /api/endpoints 401',
    ]);
    expect(api[0]).toMatchObject({ bytes: expect.any(Number), ms: expect.any(Number) });
    expect(records.find((r) => typeof r.inspector === 'string')?.msg).toContain(`sign in with the token kept in ${join(data, 'token')}`);
  });

  it('writes every line of a burst whole and in full, and the last line before exit', async () => {
    const { child } = await serve();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => fetch(`${child.url}/h/default/burst/${i}`, { method: 'POST', body: `{"n":${i}}` })));
    const ids = await Promise.all(answers.map(async (answer) => ((await answer.json()) as { id: string }).id));
    const lines = await stop(child);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>); // no torn or interleaved line
    const logged = new Set(records.filter((r) => r.kind === 'delivery').map((r) => r.capture));
    expect(ids.filter((id) => !logged.has(id))).toEqual([]);
    expect(records.at(-1)?.msg).toBe('stopped');
  });

  it('honours --log-level and --log-format', async () => {
    const quiet = await serve({ HOOKSCOPE_LOG_LEVEL: 'warn' });
    await fetch(`${quiet.child.url}/h/default`, { method: 'POST', body: 'x' });
    expect((await stop(quiet.child)).filter((line) => line.includes('"kind"'))).toEqual([]);

    const dir = await tempDir();
    cleanups.push(dir.remove);
    const pretty = await spawnServer(['serve', '--port', '0', '--host', '127.0.0.1', '--data', dir.path, '--log-format', 'pretty']);
    await fetch(`${pretty.url}/h/default`, { method: 'POST', body: 'x' });
    const lines = await stop(pretty);
    expect(lines.some((line) => line.startsWith('{'))).toBe(false);
    expect(lines.find((line) => line.includes('delivery POST /h/default 200'))).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}delivery POST \/h\/default 200 .*capture=\S+ bytes=1 signature=skipped/);
  });
});

describe('pretty format', () => {
  it('shows time, level, message and fields the message does not show, then the error with its cause', () => {
    const line = formatPretty({ level: 'error', time: '2025-01-02T03:04:05.678Z', pid: 1, msg: 'append failed for default', endpoint: 'default', bytes: 12, err: { message: 'write failed: disk full', stack: 'Error: write failed\n    at x\ncaused by: Error: disk full' } }, false);
    expect(line).toBe('03:04:05.678 ERROR append failed for default bytes=12\n    Error: write failed\n        at x\n    caused by: Error: disk full\n');
  });
});
