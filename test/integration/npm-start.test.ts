import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer } from '../support/child-server';
import { tempDir } from '../support/temp-dir';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start', () => {
  // npm runs the script through /bin/sh (dash here) and forwards SIGTERM to its child only: without
  // `exec` in the script that child is the shell, which dies and leaves the server running.
  it('stops the server when npm is stopped: port and data lock are released', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    const npm = spawn('npm', ['start', '--', '--port', '0', '--host', '127.0.0.1', '--data', dir.path], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOOKSCOPE_LOG_FORMAT: 'json' } });
    const npmExited = new Promise<number | string>((resolve) => npm.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    let output = '';
    const listening = await new Promise<{ pid: number; port: number }>((resolve, reject) => {
      npm.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split('\n').find((l) => l.includes('listening on'));
        if (line) resolve({ pid: (JSON.parse(line) as { pid: number }).pid, port: Number(/:(\d+) /.exec(line)?.[1]) });
      });
      npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      void npmExited.then(() => reject(new Error(`npm start exited:\n${output}`)));
    });
    cleanups.push(async () => alive(listening.pid) && process.kill(listening.pid, 'SIGKILL'));
    expect(listening.pid).not.toBe(npm.pid);
    expect((await fetch(`http://127.0.0.1:${listening.port}/healthz`)).status).toBe(200);

    npm.kill('SIGTERM'); // what `kill $!` does after `npm start &`
    await npmExited;
    for (let i = 0; i < 100 && alive(listening.pid); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive(listening.pid)).toBe(false);
    expect(output).toContain('SIGTERM received');
    await expect(fetch(`http://127.0.0.1:${listening.port}/healthz`)).rejects.toThrow();
    expect(existsSync(join(dir.path, 'hookscope.lock'))).toBe(false);
    const again = await spawnServer(['serve', '--port', '0', '--host', '127.0.0.1', '--data', dir.path]);
    again.process.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
