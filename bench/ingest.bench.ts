// Ingest throughput: bare node:http vs Express-raw vs Hookscope with the durable lowdb store,
// and Hookscope's figures as its store fills to the retention limit and beside full endpoints.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, load, payload, ratio, startTarget, type LoadResult } from './support/load';

const TOKEN = 'bench-token-0123456789abcdef';
const BODY = payload(1024);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function measure(label: string, url: string): Promise<LoadResult> {
  await load(url, { body: BODY, seconds: 1 }); // warm-up
  const result = await load(url, { body: BODY, seconds: SECONDS });
  console.log(`${label.padEnd(44)} ${fmt(result)}`);
  return result;
}

async function createEndpoint(base: string, maxCaptures: number): Promise<string> {
  const res = await fetch(`${base}/api/endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ retention: { maxCaptures } }),
  });
  return ((await res.json()) as { id: string }).id;
}

async function fill(url: string, amount: number): Promise<void> {
  await load(url, { body: BODY, amount, connections: 50 });
}

export default async function run(): Promise<void> {
  console.log(`1 KiB JSON POSTs, 50 connections, ${SECONDS} s each, servers in their own process\n`);
  const bare = await startTarget(['bin/run-ts.js', 'bench/targets/bare-http.ts']);
  const a = await measure('(a) bare node:http', `${bare.url}/h/x`);
  await bare.stop();
  const express = await startTarget(['bin/run-ts.js', 'bench/targets/express-raw.ts']);
  const b = await measure('(b) Express 5 + express.raw, stores nothing', `${express.url}/h/x`);
  await express.stop();

  const data = await mkdtemp(join(tmpdir(), 'hookscope-bench-'));
  const hookscope = await startTarget(['bin/hookscope.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', data, '--token', TOKEN]);
  try {
    const empty = await createEndpoint(hookscope.url, 1_000_000);
    const c = await measure('(c) Hookscope ingest, lowdb, endpoint empty', `${hookscope.url}/h/${empty}`);

    const limit = 50_000;
    const full = await createEndpoint(hookscope.url, limit);
    await fill(`${hookscope.url}/h/${full}`, limit);
    const atLimit = await measure(`    Hookscope, endpoint at its limit (${limit})`, `${hookscope.url}/h/${full}`);

    const small = await createEndpoint(hookscope.url, 1000);
    await fill(`${hookscope.url}/h/${small}`, 1000);
    const atDefault = await measure('    Hookscope, endpoint at default limit (1000)', `${hookscope.url}/h/${small}`);

    for (let i = 0; i < 20; i++) await fill(`${hookscope.url}/h/${await createEndpoint(hookscope.url, 1000)}`, 1000);
    const beside = await measure('    Hookscope, new endpoint beside 20 full ones', `${hookscope.url}/h/${await createEndpoint(hookscope.url, 1_000_000)}`);

    console.log('\nratios (same run):');
    console.log(`  c/b  Hookscope vs Express-raw          ${ratio(c.rps, b.rps)}   (target ≥ 0.9)`);
    console.log(`  c/a  Hookscope vs bare node:http       ${ratio(c.rps, a.rps)}`);
    console.log(`  b/a  Express-raw vs bare node:http     ${ratio(b.rps, a.rps)}`);
    console.log(`  at ${limit} limit / empty: req/s ${ratio(atLimit.rps, c.rps)}, p99 ${ratio(atLimit.p99, c.p99)}   (target: within 20%)`);
    console.log(`  at 1000 limit / empty:   req/s ${ratio(atDefault.rps, c.rps)}, p99 ${ratio(atDefault.p99, c.p99)}`);
    console.log(`  beside 20 full / empty:  req/s ${ratio(beside.rps, c.rps)}, p99 ${ratio(beside.p99, c.p99)}`);
  } finally {
    await hookscope.stop();
    await rm(data, { recursive: true, force: true });
  }
}
