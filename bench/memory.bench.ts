// Memory under an upload flood: 80 concurrent 10 MiB uploads, each from its own loopback address
// (so the per-peer cap does not bite), against a server in its own process. Prints peak RSS, RSS
// right after the burst and while idling, 2xx vs 503, how small senders fared meanwhile, and the
// bytes held per upload — for the receive path alone (new vs old way) and for the whole ingest.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { post } from './support/post';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HELD_PER_BODY_BYTE } from '../server/ingest/memory-budget';
import { startTarget, type Target } from './support/load';

const TOKEN = 'bench-token-0123456789abcdef';
const MiB = 1024 * 1024;
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 80);
const BODY = Buffer.alloc(10 * MiB, 'hookscope-memory-bench ');
const IDLE_MARKS = [5, 15, 30]; // s after the burst

const SCENARIOS = [
  { label: 'no budget to speak of (64 GiB, 1000 per peer)', args: ['--ingest-memory-budget', '64gb', '--ingest-peer-uploads', '1000'] },
  { label: 'default budget (256 MiB, 8 per peer)', args: [] },
  { label: 'small budget (64 MiB, 8 per peer)', args: ['--ingest-memory-budget', '64mb'] },
];

async function rssOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** Peak RSS of `pid` while `work` runs: sampled every 10 ms, and VmHWM (reset first where allowed). */
async function peakDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peak: number; base: number }> {
  const base = (await rssOf(pid)).rss;
  await writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => undefined); // VmHWM := current RSS
  let peak = base;
  const sampler = setInterval(() => void rssOf(pid).then((r) => (peak = Math.max(peak, r.rss)), () => undefined), 10);
  const result = await work();
  clearInterval(sampler);
  peak = Math.max(peak, (await rssOf(pid)).hwm);
  return { result, peak, base };
}

/** The flood (bench/targets/flood.ts) from a niced process: a remote attacker's CPU is not the server's. */
function flood(url: string): Promise<number[]> {
  const child = spawn('nice', ['-n', '10', process.execPath, 'bin/run-ts.js', 'bench/targets/flood.ts'], {
    env: { ...process.env, TARGET_URL: url, UPLOADS: String(UPLOADS), BODY_MIB: String(BODY.length / MiB) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`the flood exited with ${code}`))));
  });
}

/** A small delivery every 20 ms from its own address, in its own process (bench/targets/small-sender.ts), until stopped. */
async function probe(url: string, localAddress: string): Promise<{ stop(): Promise<Probed> }> {
  const sender = await startTarget(['bin/run-ts.js', 'bench/targets/small-sender.ts'], { TARGET_URL: url, LOCAL_ADDRESS: localAddress });
  let out = '';
  sender.process.stdout?.removeAllListeners('data');
  sender.process.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return {
    async stop() {
      await sender.stop();
      return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Probed;
    },
  };
}

interface Probed {
  ms: number[];
  statuses: number[];
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;
const ok = (statuses: number[]) => statuses.filter((s) => s >= 200 && s < 300).length;

function describeProbe(label: string, probed: Probed): string {
  return `${label}: ${ok(probed.statuses)}/${probed.statuses.length} × 2xx, p50 ${pct(probed.ms, 0.5).toFixed(0)} ms, p99 ${pct(probed.ms, 0.99).toFixed(0)} ms`;
}

/** The receive path alone (bench/targets/receive-path.ts): every body held at once, growth per upload. */
async function receivePath(mode: 'buffer' | 'concat'): Promise<number> {
  const measured = await startTarget(['bin/run-ts.js', 'bench/targets/receive-path.ts'], { RECEIVE: mode, HOLD_COUNT: String(UPLOADS) });
  try {
    const { peak, base } = await peakDuring(measured.process.pid as number, () => flood(`${measured.url}/h`));
    return (peak - base) / UPLOADS;
  } finally {
    await measured.stop();
  }
}

async function hookscope(scenario: (typeof SCENARIOS)[number]): Promise<void> {
  const data = await mkdtemp(join(tmpdir(), 'hookscope-bench-memory-'));
  let server: Target | null = null;
  try {
    server = await startTarget(['bin/hookscope.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', data, '--token', TOKEN, '--quiet', ...scenario.args]);
    const pid = server.process.pid as number;
    const api = (path: string, init: RequestInit = {}) => fetch(`${server?.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
    const other = ((await (await api('/api/endpoints', { method: 'POST', body: '{"name":"other"}' })).json()) as { id: string }).id;
    const url = `${server.url}/h/default`;
    for (let i = 0; i < 20; i++) await post(url, Buffer.from('{"warm":"up"}'), '127.0.0.1');
    await post(url, BODY, '127.0.0.1');
    await sleep(1000);

    const probes = await Promise.all([probe(url, '127.0.1.1'), probe(`${server.url}/h/${other}`, '127.0.1.2')]);
    const started = performance.now();
    const { result: statuses, peak, base } = await peakDuring(pid, () => flood(url));
    const burstMs = performance.now() - started;
    const [same, elsewhere] = await Promise.all(probes.map((p) => p.stop()));
    const after = (await rssOf(pid)).rss;
    const metrics = await (await api('/metrics')).text();
    const peakReserved = Number(/^hookscope_ingest_memory_reserved_peak_bytes (\S+)$/m.exec(metrics)?.[1] ?? NaN);
    const idle: string[] = [];
    for (let at = 0, i = 0; i < IDLE_MARKS.length; i++) {
      await sleep(((IDLE_MARKS[i] as number) - at) * 1000);
      at = IDLE_MARKS[i] as number;
      idle.push(`${at} s ${mib((await rssOf(pid)).rss)}`);
    }

    const busy = statuses.filter((s) => s === 503).length;
    const others = statuses.length - ok(statuses) - busy;
    const atOnce = Math.max(1, Math.round(peakReserved / (BODY.length * HELD_PER_BODY_BYTE.lowdb)));
    console.log(`\n${scenario.label}`);
    console.log(`  RSS before ${mib(base)}, peak ${mib(peak)} (growth ${mib(peak - base)}), right after the burst ${mib(after)}, idle ${idle.join(', ')}`);
    console.log(`  ${UPLOADS} uploads in ${(burstMs / 1000).toFixed(1)} s: ${ok(statuses)} × 2xx, ${busy} × 503${others ? `, ${others} other` : ''}; at most ${atOnce} admitted at once → growth ≈ ${((peak - base) / atOnce / BODY.length).toFixed(2)}× the body per admitted upload`);
    console.log(`  meanwhile, one small delivery every 20 ms — ${describeProbe('same endpoint', same as Probed)}; ${describeProbe('another endpoint', elsewhere as Probed)}`);
  } finally {
    await server?.stop();
    await rm(data, { recursive: true, force: true });
  }
}

export default async function run(): Promise<void> {
  console.log(`${UPLOADS} concurrent uploads of ${BODY.length / MiB} MiB, each from its own loopback address; RSS of the server process from /proc`);
  const buffered = await receivePath('buffer');
  const concatenated = await receivePath('concat');
  console.log(`\nreceive path alone, ${UPLOADS} bodies held at once: ${(buffered / BODY.length).toFixed(2)}× the body per upload reading into one buffer of the declared length (now), ${(concatenated / BODY.length).toFixed(2)}× with chunks + Buffer.concat (before)`);
  console.log(`\nHookscope (lowdb store, body limit 10 MiB; the budget charges ${HELD_PER_BODY_BYTE.lowdb}× each body)`);
  for (const scenario of SCENARIOS) await hookscope(scenario);
}
