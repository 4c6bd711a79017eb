// What record checksums cost: ingest of Hookscope as shipped (CRC-32C over every record and body)
// against the same server with their computation switched off, in one run. Both run the same
// TypeScript sources through the same loader; the rounds alternate on/off/off/on… so drift on a
// shared machine hits both. Two figures: req/s (goal ≥ 0.95× — noisy when the machine is busy)
// and the server's own CPU time per delivery from /proc (what the checksums really add; far less
// sensitive to other load).
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, load, payload, ratio, startTarget, type LoadResult } from './support/load';

const TOKEN = 'bench-token-0123456789abcdef';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3); // of each variant
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Round extends LoadResult {
  cpuPerRequest: number; // µs of server CPU per answered request
}

/** utime + stime of a process, in µs. */
async function cpuOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
}

async function run(label: string, script: string, body: string): Promise<Round> {
  const data = await mkdtemp(join(tmpdir(), 'hookscope-bench-'));
  const target = await startTarget(['bin/run-ts.js', script, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', data, '--token', TOKEN, '--log-level', 'warn']);
  try {
    await fetch(`${target.url}/api/endpoints/default`, {
      method: 'PATCH', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ retention: { maxCaptures: 1_000_000 } }),
    });
    await load(`${target.url}/h/default`, { body, seconds: 1 }); // warm-up
    const pid = target.process.pid as number;
    const cpuBefore = await cpuOf(pid);
    const result = await load(`${target.url}/h/default`, { body, seconds: SECONDS });
    const cpuPerRequest = (await cpuOf(pid) - cpuBefore) / Math.max(1, result.total);
    console.log(`${label.padEnd(36)} ${fmt(result)}   server CPU ${cpuPerRequest.toFixed(0).padStart(5)} µs/request`);
    return { ...result, cpuPerRequest };
  } finally {
    await target.stop();
    await rm(data, { recursive: true, force: true });
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export default async function main(): Promise<void> {
  for (const size of [1024, 64 * 1024]) {
    const body = payload(size);
    console.log(`\n${size / 1024} KiB JSON POSTs, 50 connections, ${SECONDS} s each, ${ROUNDS} rounds of each`);
    const on: Round[] = [];
    const off: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const runOn = async () => on.push(await run(`  checksums on (as shipped), ${round + 1}`, 'server/cli.ts', body));
      const runOff = async () => off.push(await run(`  checksums off, ${round + 1}`, 'bench/targets/hookscope-no-checksums.ts', body));
      if (round % 2 === 0) await runOn().then(runOff);
      else await runOff().then(runOn);
    }
    const rps = ratio(median(on.map((r) => r.rps)), median(off.map((r) => r.rps)));
    const cpu = ratio(median(on.map((r) => r.cpuPerRequest)), median(off.map((r) => r.cpuPerRequest)));
    console.log(`  on / off (medians): req/s ${rps} (goal ≥ 0.95×); server CPU per delivery ${cpu}`);
  }
}
