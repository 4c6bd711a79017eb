import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LOG_FORMATS, LOG_LEVELS } from './logging/levels';
import { HELD_PER_BODY_BYTE, largestAdmittedBody } from './ingest/memory-budget';

/** Every knob: flag name, env var, default and bounds. Nothing else reads process.env. */
const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(8080),
  host: z.string().min(1).default('0.0.0.0'),
  data: z.string().min(1).default('./data'),
  token: z.string().min(16, 'the token must be at least 16 characters').max(512).optional(),
  bodyLimit: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(10 * 1024 * 1024), // bytes
  /** Memory the public ingest may hold for bodies at once, all uploads together (each charged 2.5× its body); beyond it 503. */
  ingestMemoryBudget: z.coerce.number().int().min(1024 * 1024).max(64 * 1024 ** 3).default(256 * 1024 * 1024), // bytes
  /** Uploads over 64 KiB (or of unknown length) one peer address (an IPv6 /64) may have in flight at once; beyond it 503. */
  ingestPeerUploads: z.coerce.number().int().min(1).max(100_000).default(8),
  trustProxy: z
    .string()
    .default('false')
    .transform((value, ctx): boolean | number | string => {
      if (value === 'true') return true;
      if (value === 'false' || value === '') return false;
      if (/^\d+$/.test(value)) return Number(value);
      if (/^[\w.:/, -]+$/.test(value)) return value; // addresses, subnets or names like "loopback"
      ctx.addIssue({ code: 'custom', message: 'use true, false, a hop count, or a list of trusted addresses' });
      return z.NEVER;
    }),
  /** Public base URL (for the printed inspector link and signatures over URLs). */
  publicUrl: z.url().optional(),
  store: z.enum(['lowdb', 'postgres']).default('lowdb'),
  databaseUrl: z.string().optional(),
  /** PostgreSQL connections per instance (instances × this must stay under the server's max_connections). */
  databasePoolMax: z.coerce.number().int().min(1).max(500).default(10),
  /** PostgreSQL: longest a statement or a wait for a connection may take before a 503, ms. */
  databaseTimeoutMs: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Slow clients: time allowed to send the headers, ms. */
  headersTimeoutMs: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  /** Slow clients: time allowed for the whole request, ms. */
  requestTimeoutMs: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
  /** Replay/forward targets allowed (comma-separated hosts or CIDRs); empty means any public or local host. */
  replayAllow: z.string().default(''),
  /** Least severe level logged (`--quiet` raises `info` to `warn`). */
  logLevel: z.enum(LOG_LEVELS).default('info'),
  /** `json` lines, `pretty` for people, or `auto`: pretty when standard output is a terminal. */
  logFormat: z.enum(LOG_FORMATS).default('auto'),
  quiet: z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).default(false).transform((v) => v === true || v === 'true' || v === '1'),
});
export type Config = z.infer<typeof configSchema>;

const FLAGS: Record<keyof Config, { flag: string; env: string }> = {
  port: { flag: 'port', env: 'HOOKSCOPE_PORT' },
  host: { flag: 'host', env: 'HOOKSCOPE_HOST' },
  data: { flag: 'data', env: 'HOOKSCOPE_DATA' },
  token: { flag: 'token', env: 'HOOKSCOPE_TOKEN' },
  bodyLimit: { flag: 'body-limit', env: 'HOOKSCOPE_BODY_LIMIT' },
  ingestMemoryBudget: { flag: 'ingest-memory-budget', env: 'HOOKSCOPE_INGEST_MEMORY_BUDGET' },
  ingestPeerUploads: { flag: 'ingest-peer-uploads', env: 'HOOKSCOPE_INGEST_PEER_UPLOADS' },
  trustProxy: { flag: 'trust-proxy', env: 'HOOKSCOPE_TRUST_PROXY' },
  publicUrl: { flag: 'public-url', env: 'HOOKSCOPE_PUBLIC_URL' },
  store: { flag: 'store', env: 'HOOKSCOPE_STORE' },
  databaseUrl: { flag: 'database-url', env: 'HOOKSCOPE_DATABASE_URL' },
  databasePoolMax: { flag: 'database-pool-max', env: 'HOOKSCOPE_DATABASE_POOL_MAX' },
  databaseTimeoutMs: { flag: 'database-timeout', env: 'HOOKSCOPE_DATABASE_TIMEOUT' },
  headersTimeoutMs: { flag: 'headers-timeout', env: 'HOOKSCOPE_HEADERS_TIMEOUT' },
  requestTimeoutMs: { flag: 'request-timeout', env: 'HOOKSCOPE_REQUEST_TIMEOUT' },
  replayAllow: { flag: 'replay-allow', env: 'HOOKSCOPE_REPLAY_ALLOW' },
  logLevel: { flag: 'log-level', env: 'HOOKSCOPE_LOG_LEVEL' },
  logFormat: { flag: 'log-format', env: 'HOOKSCOPE_LOG_FORMAT' },
  quiet: { flag: 'quiet', env: 'HOOKSCOPE_QUIET' },
};

export class ConfigError extends Error {}

/** Table of options for `--help` and the README. */
export function describeOptions(): string {
  return Object.values(FLAGS).map(({ flag, env }) => `  --${flag.padEnd(22)} ${env}`).join('\n');
}

/** Options given as sizes. */
const SIZES = new Set(['bodyLimit', 'ingestMemoryBudget']);

/** Sizes like `10mb`, `512kb`, `1048576`. */
function parseSize(value: string): string {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i.exec(value.trim());
  if (!match) return value;
  const units: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3 };
  return String(Math.round(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1)));
}

/** Parses flags (which win) and HOOKSCOPE_* variables once; throws ConfigError listing every bad value. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const options = Object.fromEntries(
    Object.values(FLAGS).map(({ flag }) => [flag, flag === 'quiet' ? { type: 'boolean' as const } : { type: 'string' as const }]),
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const raw: Record<string, unknown> = {};
  for (const [key, { flag, env: name }] of Object.entries(FLAGS)) {
    const value = values[flag] ?? env[name];
    if (value !== undefined) raw[key] = SIZES.has(key) && typeof value === 'string' ? parseSize(value) : value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]) as keyof Config;
      const names = FLAGS[key] ? `--${FLAGS[key].flag} / ${FLAGS[key].env}` : key;
      return `  ${names}: ${issue.message} (got ${JSON.stringify(raw[key])})`;
    });
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  if (parsed.data.store === 'postgres' && !parsed.data.databaseUrl) {
    throw new ConfigError('invalid configuration:\n  --database-url / HOOKSCOPE_DATABASE_URL: required with --store postgres');
  }
  const { bodyLimit, ingestMemoryBudget, store } = parsed.data;
  const perBodyByte = HELD_PER_BODY_BYTE[store];
  if (largestAdmittedBody(ingestMemoryBudget, perBodyByte) < bodyLimit) {
    throw new ConfigError(`invalid configuration:\n  --ingest-memory-budget / HOOKSCOPE_INGEST_MEMORY_BUDGET: ${ingestMemoryBudget} bytes leaves no room for one body of --body-limit (${bodyLimit} bytes); use at least ${Math.ceil((bodyLimit * perBodyByte * 16) / 15)} (with --store ${store} each upload is charged ${perBodyByte}× its body)`);
  }
  return parsed.data;
}
