// A throwaway PostgreSQL for tests and benchmarks: its own cluster (initdb) in a temp folder, on a
// free loopback port, its unix socket inside that folder, never a shared server. Debian installs
// the binaries in /usr/lib/postgresql/<version>/bin, off PATH; as root they must run as an
// unprivileged user (PostgreSQL refuses root), so they run as `postgres` through runuser.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface TestPostgres {
  /** Connection URL of the `postgres` maintenance database. */
  url: string;
  port: number;
  /** Creates an empty database and resolves to its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (fast shutdown: sessions are cut) — for outage tests. */
  stop(): Promise<void>;
  /** Starts it again on the same port after `stop`. */
  start(): Promise<void>;
  /** Stops the server and deletes its folder. */
  dispose(): Promise<void>;
}

/** Folder holding `initdb` and `pg_ctl`, or null when PostgreSQL is not installed. */
export function findPostgresBin(): string | null {
  const candidates: string[] = [];
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(root, v, 'bin')));
  }
  candidates.push('/usr/local/bin', '/usr/bin', ...(process.env.PATH ?? '').split(':').filter(Boolean));
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) ?? null;
}

/**
 * Why PostgreSQL tests cannot run here, or null when they can. In CI (`CI=true`) a missing
 * PostgreSQL is an error, never a skip: `.ci/run` installs it.
 */
export function postgresMissingReason(): string | null {
  if (findPostgresBin()) return null;
  const reason = 'PostgreSQL is not installed (no initdb/pg_ctl in /usr/lib/postgresql/*/bin or on PATH); apt-get install postgresql';
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`CI: ${reason}`);
  return reason;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The user the server runs as: root cannot run PostgreSQL. */
async function serverUser(): Promise<string | null> {
  if (process.getuid?.() !== 0) return null;
  for (const user of ['postgres', 'nobody']) {
    try {
      await run('id', ['-u', user]);
      return user;
    } catch {
      // try the next one
    }
  }
  throw new Error('running as root and neither the postgres nor the nobody user exists to run PostgreSQL');
}

/**
 * Starts a fresh cluster; rejects with the server's own words when it cannot. `durable` keeps
 * fsync on (benchmarks compare with lowdb, which fsyncs); tests do without.
 */
export async function startTestPostgres(options: { durable?: boolean } = {}): Promise<TestPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed');
  const user = await serverUser();
  // As root the folder must be reachable by the server's user: /tmp is, a private TMPDIR may not be.
  const dir = await mkdtemp(join(user ? '/tmp' : tmpdir(), 'hookscope-pg-'));
  if (user) {
    const { stdout } = await run('id', ['-u', user]);
    const { stdout: gid } = await run('id', ['-g', user]);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const exec = (tool: string, args: string[]) =>
    user ? run('runuser', ['-u', user, '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  const data = join(dir, 'data');
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'hookscope', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions']);
  const port = await freePort();
  // fsync off for tests: a throwaway cluster; what they check is Hookscope's own behaviour.
  const settings = [
    `-c port=${port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${dir}`,
    ...(options.durable ? [] : ['-c fsync=off', '-c full_page_writes=off']), '-c max_connections=200', '-c shared_buffers=128MB',
  ].join(' ');
  const start = async () => {
    await exec('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', settings, 'start']);
  };
  const stop = async () => {
    await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
  };
  await start();
  const url = `postgres://hookscope@127.0.0.1:${port}/postgres`;
  let counter = 0;
  return {
    url,
    port,
    async createDatabase(name = `t${process.pid}_${Date.now().toString(36)}_${(counter += 1)}`) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://hookscope@127.0.0.1:${port}/${name}`;
    },
    stop,
    start,
    async dispose() {
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface HookscopeProcess {
  url: string;
  child: ChildProcess;
  /** Output so far (for failure messages). */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM and wait (no-op once exited). */
  stop(): Promise<void>;
}

const BIN = fileURLToPath(new URL('../../bin/hookscope.js', import.meta.url));

/** `hookscope serve` as a child process on a free port; resolves once it listens. */
export async function spawnHookscope(args: string[], env: Record<string, string> = {}): Promise<HookscopeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) resolve(match[1] as string);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`hookscope exited (${code}) before listening:\n${output}`)));
  });
  return {
    url,
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
