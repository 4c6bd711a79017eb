// `npm run bench -- scale`: the embedded store at a million retained 1 KiB captures (BENCH_SCALE_N
// to change the count): RSS per capture, restart to ready, first page, each query kind's p50/p99,
// export MB/s (JSONL, HAR) and import captures/s. Each step runs in its own process.
// Targets (issue 10): ≤ 500 B RSS per capture, restart ≤ 10 s, first page ≤ 50 ms, field
// queries ≤ 100 ms, body word ≤ 2 s, export ≥ 50 MB/s, import ≥ 20,000 captures/s.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const heavy = true;

const N = Number(process.env.BENCH_SCALE_N ?? 1_000_000);

function step(args: string[]): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', 'bin/run-ts.js', 'bench/targets/scale-worker.ts', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop() as string) as Record<string, unknown>;
}

const ms = (value: unknown) => `${(value as number).toFixed(1)} ms`;

export default async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'hookscope-scale-'));
  try {
    console.log(`filling one endpoint with ${N.toLocaleString('en')} captures of ~1 KiB (appends, 500 at a time)…`);
    const fill = step(['fill', dir, String(N)]);
    const empty = step(['empty', join(dir, 'unused')]);
    console.log(`  filled in ${(fill.seconds as number).toFixed(0)} s (${(N / (fill.seconds as number)).toFixed(0)} captures/s)`);
    console.log(`  RSS after filling: ${((fill.rss as number) / 2 ** 20).toFixed(0)} MiB`);
    const m = step(['measure', dir, String(N)]);
    const perCapture = ((m.rssAfter as number) - (empty.rss as number)) / N;
    console.log(`restart to ready                 ${((m.restartMs as number) / 1000).toFixed(2)} s wall, ${(m.restartCpu as number).toFixed(2)} CPU-s   (target ≤ 10 s; before: 5.4 s at 300,000)`);
    console.log(`RSS per capture after restart    ${perCapture.toFixed(0)} B   (${((m.rssAfter as number) / 2 ** 20).toFixed(0)} MiB in all; target ≤ 500 B; before: ~2,300 B)`);
    const page = m.firstPage as { p50: number; p99: number };
    console.log(`first page (50)                  p50 ${ms(page.p50)}  p99 ${ms(page.p99)}   (target ≤ 50 ms)`);
    for (const [kind, t] of Object.entries(m.queries as Record<string, { p50: number; p99: number; matched?: number }>)) {
      console.log(`query: ${kind.padEnd(33)}p50 ${ms(t.p50)}  p99 ${ms(t.p99)}${t.matched === undefined ? '' : `   (matched: ${t.matched.toLocaleString('en')})`}`);
    }
    // Wall-clock rates, and per CPU-second of the process (what an unloaded core would give).
    const exports = m.exports as Record<string, { wall: number; mainWall: number; mainCpu: number }>;
    for (const [format, name] of [['jsonl', 'JSONL'], ['har', 'HAR']] as const) {
      const e = exports[format];
      if (!e) continue;
      console.log(`export ${name.padEnd(26)}${e.wall.toFixed(0)} MB/s in worker threads; ${e.mainWall.toFixed(0)} MB/s on the main thread alone (${e.mainCpu.toFixed(0)} MB per CPU-s)   (target ≥ 50${format === 'jsonl' ? '; before: 4.4 MB/s' : ''})`);
    }
    type Rate = { wall: number; mainCpu: number };
    const imports = m.importPerSecond as { viaThreads: Rate[]; mainThread: Rate };
    const rates = imports.viaThreads.map((r) => r.wall.toFixed(0)).join(' / ');
    console.log(`import (20,000 JSONL captures)   ${rates} captures/s in worker threads (the first starts them)   (target ≥ 20,000)`);
    console.log(`  … on the main thread alone     ${imports.mainThread.wall.toFixed(0)} captures/s (${imports.mainThread.mainCpu.toFixed(0)} per CPU-s)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
