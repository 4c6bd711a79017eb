// Ingest with verification on the hot path: plain ingest vs HMAC (github preset) enforce vs JWT
// RS256 enforce, as ratios to plain ingest measured in the same run (target ≥ 0.8). JWT is
// measured twice: one token reused for every delivery (what Pub/Sub and static-JWT senders do;
// Hookscope skips the signature of a token it already verified) and a different token on every
// delivery (a full RSA verify each time). The server runs in this process with the durable lowdb
// store in a temp folder; the scenarios are interleaved over rounds so noise hits them alike.
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { loadConfig } from '../server/config';
import { startServer } from '../server/serve';
import { fmt, load, payload, ratio, type LoadResult } from './support/load';

const TOKEN = 'bench-token-0123456789abcdef';
const BODY = payload(1024);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECRET = 'bench-github-secret';

interface Scenario {
  label: string;
  url: string;
  headers: Record<string, string>;
  /** A different Authorization header per request, cycled (more tokens than the verified-token cache holds). */
  rotating?: string[];
  results: LoadResult[];
}

const FRESH_TOKENS = 2048;

/** Like load(), with the Authorization header taken in turn from `tokens`. */
async function loadRotating(url: string, tokens: string[], seconds: number): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    body: BODY,
    connections: 50,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: tokens[next++ % tokens.length] as string } }) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx, total: result.requests.total };
}

const run1 = (s: Scenario, seconds: number) => (s.rotating ? loadRotating(s.url, s.rotating, seconds) : load(s.url, { body: BODY, seconds, headers: s.headers }));

async function mint(privateKey: CryptoKey, n: number): Promise<string[]> {
  const nowSec = Math.floor(Date.now() / 1000);
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) {
    tokens.push(`Bearer ${await new SignJWT({ n: i }).setProtectedHeader({ alg: 'RS256' }).setIssuer('bench').setAudience('hookscope').setIssuedAt(nowSec).setExpirationTime(nowSec + 3600).sign(privateKey)}`);
  }
  return tokens;
}

async function createEndpoint(base: string, verify: unknown): Promise<string> {
  const res = await fetch(`${base}/api/endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ retention: { maxCaptures: 1_000_000 }, verify }),
  });
  if (res.status !== 201) throw new Error(`creating an endpoint failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

async function scenarios(base: string): Promise<Scenario[]> {
  const plain = await createEndpoint(base, { mode: 'off' });
  const hmac = await createEndpoint(base, { mode: 'enforce', hmac: { preset: 'github', secret: SECRET } });
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwt = await createEndpoint(base, { mode: 'enforce', jwt: { key: { type: 'pem', value: await exportSPKI(publicKey) }, issuer: 'bench', audience: 'hookscope' } });
  const [reused] = await mint(privateKey, 1);
  return [
    { label: 'plain ingest (verify off)', url: `${base}/h/${plain}`, headers: {}, results: [] },
    { label: 'HMAC github preset, enforce', url: `${base}/h/${hmac}`, headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}` }, results: [] },
    { label: 'JWT RS256 enforce, token reused', url: `${base}/h/${jwt}`, headers: { authorization: reused as string }, results: [] },
    { label: 'JWT RS256 enforce, fresh tokens', url: `${base}/h/${jwt}`, headers: {}, rotating: await mint(privateKey, FRESH_TOKENS), results: [] },
  ];
}

const mean = (results: LoadResult[]) => results.reduce((sum, r) => sum + r.rps, 0) / Math.max(1, results.length);

export default async function run(): Promise<void> {
  console.log(`1 KiB JSON POSTs, 50 connections, ${SECONDS} s per scenario × ${ROUNDS} interleaved rounds, server in this process (lowdb, durable)\n`);
  const data = await mkdtemp(join(tmpdir(), 'hookscope-bench-verify-'));
  const config = { ...loadConfig([], {}), port: 0, host: '127.0.0.1', data, token: TOKEN, quiet: true };
  const server = await startServer({ config });
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const all = await scenarios(base);
    for (const s of all) await run1(s, 1); // warm-up (JIT, key cache)
    for (let round = 1; round <= ROUNDS; round++) {
      for (const s of all) {
        const result = await run1(s, SECONDS);
        s.results.push(result);
        console.log(`round ${round}  ${s.label.padEnd(34)} ${fmt(result)}`);
      }
    }
    const [plain, ...verified] = all as [Scenario, ...Scenario[]];
    console.log('\nmean req/s and ratios to plain ingest (same run):');
    console.log(`  ${plain.label.padEnd(34)} ${mean(plain.results).toFixed(0).padStart(7)} req/s`);
    for (const s of verified) {
      console.log(`  ${s.label.padEnd(34)} ${mean(s.results).toFixed(0).padStart(7)} req/s   ${ratio(mean(s.results), mean(plain.results))}   (target ≥ 0.8)`);
    }
    const failures = all.flatMap((s) => s.results).reduce((n, r) => n + r.errors + r.non2xx, 0);
    if (failures > 0) console.log(`  !! ${failures} requests failed or were refused: the figures above are not comparable`);
  } finally {
    await server.close();
    await rm(data, { recursive: true, force: true });
  }
}
