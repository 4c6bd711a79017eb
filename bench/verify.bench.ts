// Ingest with verification on the hot path: plain ingest vs HMAC (github preset) enforce vs JWT
// RS256 enforce, as ratios to plain ingest measured in the same run (target ≥ 0.8). The server
// runs in this process with the durable lowdb store in a temp folder; the scenarios are
// interleaved over several rounds so a noisy neighbour hits them alike.
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
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
  results: LoadResult[];
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
  const nowSec = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer('bench').setAudience('hookscope').setIssuedAt(nowSec).setExpirationTime(nowSec + 3600).sign(privateKey);
  return [
    { label: 'plain ingest (verify off)', url: `${base}/h/${plain}`, headers: {}, results: [] },
    { label: 'HMAC github preset, enforce', url: `${base}/h/${hmac}`, headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}` }, results: [] },
    { label: 'JWT RS256 (PEM key), enforce', url: `${base}/h/${jwt}`, headers: { authorization: `Bearer ${token}` }, results: [] },
  ];
}

const mean = (results: LoadResult[]) => results.reduce((sum, r) => sum + r.rps, 0) / Math.max(1, results.length);

export default async function run(): Promise<void> {
  console.log(`1 KiB JSON POSTs, 50 connections, ${SECONDS} s per scenario × ${ROUNDS} interleaved rounds, server in this process (lowdb, durable)\n`);
  const data = await mkdtemp(join(tmpdir(), 'hookscope-bench-verify-'));
  const config = { ...loadConfig([], {}), port: 0, host: '127.0.0.1', data, token: TOKEN, quiet: true };
  const server = await startServer({ config, log: () => undefined });
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const all = await scenarios(base);
    for (const s of all) await load(s.url, { body: BODY, seconds: 1, headers: s.headers }); // warm-up (JIT, key cache)
    for (let round = 1; round <= ROUNDS; round++) {
      for (const s of all) {
        const result = await load(s.url, { body: BODY, seconds: SECONDS, headers: s.headers });
        s.results.push(result);
        console.log(`round ${round}  ${s.label.padEnd(32)} ${fmt(result)}`);
      }
    }
    const [plain, hmac, jwt] = all as [Scenario, Scenario, Scenario];
    console.log('\nmean req/s and ratios to plain ingest (same run):');
    console.log(`  plain ingest                      ${mean(plain.results).toFixed(0).padStart(7)} req/s`);
    console.log(`  HMAC github enforce               ${mean(hmac.results).toFixed(0).padStart(7)} req/s   ${ratio(mean(hmac.results), mean(plain.results))}   (target ≥ 0.8)`);
    console.log(`  JWT RS256 enforce                 ${mean(jwt.results).toFixed(0).padStart(7)} req/s   ${ratio(mean(jwt.results), mean(plain.results))}   (target ≥ 0.8)`);
    const failures = all.flatMap((s) => s.results).reduce((n, r) => n + r.errors + r.non2xx, 0);
    if (failures > 0) console.log(`  !! ${failures} requests failed or were refused: the figures above are not comparable`);
  } finally {
    await server.close();
    await rm(data, { recursive: true, force: true });
  }
}
