import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../config';
import { LowdbStore } from '../lowdb-store';
import { importCaptures, upsertEndpoint } from './capture-import';
import type { Logger } from '../../logging/logger';
import { PostgresStore } from './postgres-store';

export const MIGRATE_USAGE = `usage: hookscope migrate --from <lowdb data folder> --to <postgres://… url>

Copies every endpoint and capture (bytes, headers, verdicts, replay attempts, ids) from a lowdb
data folder into a PostgreSQL database, creating the schema if needed. Safe to run again: what
is already there is skipped, endpoint configs are refreshed. Stop the lowdb server first.`;

export interface MigrateOptions {
  from: string;
  to: string;
  /** Progress lines (info) and what the stores warn about. */
  logger: Logger;
  /** Captures per transaction. */
  batch?: number;
}

export interface MigrateResult {
  endpoints: number;
  copied: number;
  skipped: number;
}

/** `hookscope migrate`: parses its flags and runs it; ConfigError on bad flags. */
export async function runMigrateCommand(argv: string[], logger: Logger): Promise<MigrateResult> {
  let values: { from?: string; to?: string };
  try {
    values = parseArgs({ args: argv, options: { from: { type: 'string' }, to: { type: 'string' } }, strict: true }).values;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n\n${MIGRATE_USAGE}`);
  }
  if (!values.from || !values.to) throw new ConfigError(`--from and --to are required\n\n${MIGRATE_USAGE}`);
  return migrateLowdbToPostgres({ from: values.from, to: values.to, logger });
}

/** Copies a lowdb data folder into PostgreSQL, endpoint by endpoint, oldest capture first. */
export async function migrateLowdbToPostgres(options: MigrateOptions): Promise<MigrateResult> {
  if (!existsSync(join(options.from, 'endpoints.json'))) throw new ConfigError(`${options.from} holds no Hookscope lowdb data (no endpoints.json)`);
  const { logger } = options;
  const source = await LowdbStore.open({ dir: options.from, logger });
  const result: MigrateResult = { endpoints: 0, copied: 0, skipped: 0 };
  try {
    const target = await PostgresStore.open({ connectionString: options.to, logger });
    try {
      logger.info(`copying ${options.from} → ${target.description}`);
      for (const endpoint of await source.listEndpoints()) {
        await upsertEndpoint(target.db, endpoint);
        result.endpoints += 1;
        const total = await source.count(endpoint.id);
        let done = 0;
        let cursor: string | undefined;
        for (;;) {
          const page = await source.listAfter(endpoint.id, cursor, options.batch ?? 200);
          if (page.length === 0) break;
          const full = (await Promise.all(page.map((c) => source.get(c.id)))).filter((c) => c !== null);
          const copied = await importCaptures(target.db, endpoint.id, full);
          result.copied += copied;
          result.skipped += full.length - copied;
          done += page.length;
          cursor = page[page.length - 1]?.id;
          logger.info({ endpoint: endpoint.id, done, total, copied }, `${endpoint.id}: ${done}/${total} captures (${copied} copied, ${full.length - copied} already there)`);
        }
        if (total === 0) logger.info({ endpoint: endpoint.id }, `${endpoint.id}: no captures`);
      }
      logger.info(result, `done: ${result.endpoints} endpoints, ${result.copied} captures copied, ${result.skipped} already there`);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
  return result;
}
