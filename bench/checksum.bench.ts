// What record checksums cost: ingest req/s of Hookscope as shipped (CRC-32C over every record and
// body) against the same server with their computation switched off, in one run, alternating
// twice so drift on a shared machine hits both. Goal: ≥ 0.95×.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, load, payload, ratio, startTarget, type LoadResult } from './support/load';

const TOKEN = 'bench-token-0123456789abcdef';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function run(label: string, script: string, body: string): Promise<LoadResult> {
  const data = await mkdtemp(join(tmpdir(), 'hookscope-bench-'));
  const target = await startTarget([...(script.startsWith('bin/') ? [script] : ['bin/run-ts.js', script]), 'serve', '--port', '0', '--host', '127.0.0.1', '--data', data, '--token', TOKEN]);
  try {
    await fetch(`${target.url}/api/endpoints/default`, {
      method: 'PATCH', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ retention: { maxCaptures: 1_000_000 } }),
    });
    await load(`${target.url}/h/default`, { body, seconds: 1 });
    const result = await load(`${target.url}/h/default`, { body, seconds: SECONDS });
    console.log(`${label.padEnd(40)} ${fmt(result)}`);
    return result;
  } finally {
    await target.stop();
    await rm(data, { recursive: true, force: true });
  }
}

export default async function main(): Promise<void> {
  for (const size of [1024, 64 * 1024]) {
    const body = payload(size);
    console.log(`\n${size / 1024} KiB JSON POSTs, 50 connections, ${SECONDS} s each`);
    const on: LoadResult[] = [];
    const off: LoadResult[] = [];
    for (let round = 0; round < 2; round++) {
      on.push(await run(`  checksums on (as shipped), round ${round + 1}`, 'bin/hookscope.js', body));
      off.push(await run(`  checksums off, round ${round + 1}`, 'bench/targets/hookscope-no-checksums.ts', body));
    }
    const mean = (rs: LoadResult[]) => rs.reduce((sum, r) => sum + r.rps, 0) / rs.length;
    console.log(`  on / off: req/s ${ratio(mean(on), mean(off))}   (goal ≥ 0.95)`);
  }
}
