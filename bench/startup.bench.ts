// Start-up cost of the `hookscope` command (issue 12's targets: `--help` ≤ 0.5 s of CPU, `forward`
// connected within 1 s). CPU of `--help` is read from bash's `times` (user + system time of the
// children) over several runs: the compiled bin, the same CLI through tsx's TypeScript loader
// (how the bin ran before it was compiled; today's CLI, which loads each command lazily) and a bare `node -e ''` as the floor, all in this run.
// Time to ready is wall time from spawn to the "listening on" line (serve) and to "caught up"
// (forward: connected to the stream and subscribed), then to the first delivery at the target.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_ROUNDS ?? 5);
const TOKEN = 'bench-token-0123456789abcdef';

/** CPU ms (user + system) per run of `command`, averaged over `runs` runs in one bash. */
function cpuPerRun(command: string, runs: number): number {
  const script = `for i in $(seq ${runs}); do ${command} >/dev/null; done; times`;
  const lines = execFileSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
  const seconds = (text: string) => [...text.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, [, m, s]) => sum + Number(m) * 60 + Number(s), 0);
  return (seconds(lines[lines.length - 1] ?? '') * 1000) / runs;
}

/** Spawns `node bin/hookscope.js …` and resolves with ms until a line matching `ready` appears. */
function timeUntil(args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<{ ms: number; output: string; stop: () => Promise<void> }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/hookscope.js', ...args], { cwd: ROOT, env: { ...process.env, HOOKSCOPE_LOG_FORMAT: 'json', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        resolve({ ms: performance.now() - started, output, stop: () => (child.kill('SIGTERM'), exited) });
        child.stdout.off('data', onData);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`hookscope ${args[0]} exited before it was ready:\n${output}`)));
  });
}

const range = (values: number[]) => `median ${median(values).toFixed(0)} ms (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function serveAndForward(dir: string): Promise<void> {
  const serveMs: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const server = await timeUntil(['serve', '--port', '0', '--host', '127.0.0.1', '--data', join(dir, `serve-${i}`)], /listening on/, { HOOKSCOPE_TOKEN: TOKEN });
    serveMs.push(server.ms);
    await server.stop();
  }
  console.log(`serve: spawn → "listening on"                ${range(serveMs)}`);

  let delivered: () => void = () => undefined;
  const target = createServer((req, res) => {
    req.resume();
    req.on('end', () => (res.end('ok'), delivered()));
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const server = await timeUntil(['serve', '--port', '0', '--host', '127.0.0.1', '--data', join(dir, 'forward-server')], /listening on/, { HOOKSCOPE_TOKEN: TOKEN });
  const url = `http://127.0.0.1:${/listening on http:\/\/[^:]+:(\d+)/.exec(server.output)?.[1]}`;
  const connected: number[] = [];
  const firstDelivery: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    const arrived = new Promise<void>((resolve) => (delivered = resolve));
    const forward = await timeUntil(
      ['forward', `${url}/h/default`, '--to', `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`, '--token', TOKEN, '--state', join(dir, `state-${i}.json`)],
      /caught up/,
    );
    connected.push(forward.ms);
    await fetch(`${url}/h/default`, { method: 'POST', body: `delivery ${i}` });
    await arrived;
    firstDelivery.push(performance.now() - started);
    await forward.stop();
  }
  await server.stop();
  target.close();
  console.log(`forward: spawn → connected and subscribed      ${range(connected)}   (target: 1000 ms)`);
  console.log(`forward: spawn → first delivery at the target  ${range(firstDelivery)}`);
}

export default async function run(): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build:server'], { cwd: ROOT, stdio: 'inherit' });
  const floor = cpuPerRun(`node -e ''`, RUNS * 2);
  const compiled = cpuPerRun('node bin/hookscope.js --help', RUNS * 2);
  // What bin/hookscope.js did before the build: register tsx's loader, then import the TypeScript CLI.
  const throughTsx = cpuPerRun(`node --input-type=module -e "import { register } from 'tsx/esm/api'; register(); process.argv.push('--help'); await import('./server/cli.ts');"`, RUNS);
  console.log(`hookscope --help, CPU per run (user + system, ${RUNS * 2} runs):`);
  console.log(`  node -e ''                       ${floor.toFixed(0)} ms   (floor: starting Node itself)`);
  console.log(`  compiled bin (dist/server)       ${compiled.toFixed(0)} ms   (target: 500 ms)`);
  console.log(`  same CLI through tsx (before)    ${throughTsx.toFixed(0)} ms   → compiled/tsx = ${(compiled / throughTsx).toFixed(2)}×`);
  const dir = await mkdtemp(join(tmpdir(), 'hookscope-startup-'));
  try {
    await serveAndForward(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
