import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
/** Development tools that must never reach an installed Hookscope. */
const DEV_TOOLS = /[\\/]node_modules[\\/](tsx|esbuild|@esbuild|vite|vitest|typescript|eslint|@vitejs|playwright-core|rolldown)([\\/]|$)/;

interface Packed { filename: string; size: number; unpackedSize: number; files: { path: string }[] }

let dir: Awaited<ReturnType<typeof tempDir>>;
let packed: Packed;
const app = () => join(dir.path, 'app');

// What a user gets from `npm pack` (or the registry): installed with production dependencies
// only into an empty folder, started with npx, asked for the inspector and sent a delivery.
beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist/web/index.html')), 'the inspector is built by `npm run build` (npm test runs it first)').toBe(true);
  dir = await tempDir();
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir.path], { cwd: ROOT });
  packed = (JSON.parse(stdout) as Packed[])[0] as Packed;
  await run('mkdir', [app()]);
  await writeFile(join(app(), 'package.json'), '{ "private": true }\n');
  await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', join(dir.path, packed.filename)], { cwd: app() });
}, 240_000);
afterAll(() => dir?.remove());

describe('the npm package', () => {
  it('holds the compiled server, the built inspector and the migrations, and no sources', () => {
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining([
      'bin/hookscope.js', 'dist/server/cli.js', 'dist/web/index.html', 'server/store/postgres/migrations/0001_initial.sql', 'package.json', 'README.md',
    ]));
    expect(files.filter((f) => f.endsWith('.ts') || f.startsWith('test/') || f.startsWith('web/'))).toEqual([]);
  });

  it('installs with production dependencies only, no development tool among them', async () => {
    const { stdout } = await run('npm', ['ls', '--all', '--omit=dev', '--parseable'], { cwd: app() });
    const paths = stdout.split('\n').filter(Boolean);
    expect(paths.some((p) => p.endsWith(`${join('node_modules', 'hookscope')}`))).toBe(true);
    expect(paths.filter((p) => DEV_TOOLS.test(p))).toEqual([]);
  });

  it('runs with npx: serves the inspector and takes deliveries', async () => {
    const child = spawn('npx', ['hookscope', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', './data'], {
      cwd: app(), detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOOKSCOPE_LOG_FORMAT: 'json' },
    });
    const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const port = /listening on http:\/\/[^:]+:(\d+)/.exec(output)?.[1];
          if (port) resolve(`http://127.0.0.1:${port}`);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        void exited.then(() => reject(new Error(`npx hookscope exited:\n${output}`)));
      });
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script, html).toBeDefined();
      expect((await fetch(`${url}${script}`)).headers.get('content-type')).toMatch(/javascript/);

      const delivered = await fetch(`${url}/h/default`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"installed":true}' });
      expect(delivered.status).toBe(200);
      const { id } = (await delivered.json()) as { id: string };
      const token = (await readFile(join(app(), 'data/token'), 'utf8')).trim();
      const body = await fetch(`${url}/api/requests/${id}/body`, { headers: { authorization: `Bearer ${token}` } });
      expect(await body.text()).toBe('{"installed":true}');
      const openapi = await fetch(`${url}/api/openapi.json`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await openapi.json()) as { info: { version: string } }).info.version).toBe(JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version);
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM'); // npx and the server it started
    }
    expect([0, 'SIGTERM']).toContain(await exited);
    // npx may exit before the server it started has closed its store (clean-shutdown record, lock):
    // wait until no process of the group is left, so the folder is not removed under it.
    if (child.pid) await groupGone(child.pid, 10_000);
  });
});

/** Resolves once no process of the group `pgid` is left; throws after `timeoutMs`. */
async function groupGone(pgid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return; // ESRCH: the whole group has exited
    }
    if (Date.now() > deadline) throw new Error(`processes of group ${pgid} still running ${timeoutMs} ms after SIGTERM`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
