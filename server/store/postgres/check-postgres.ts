import type pg from 'pg';
import type { HeaderPairs } from '../../../shared/capture';
import type { Logger } from '../../logging/logger';
import type { DamageFinding, IntegrityReport } from '../integrity';
import { createPool, describeDatabase } from './pool';
import { bodyDamage, CAPTURES_TABLE, summaryDamage } from './row-checksums';

export interface CheckPostgresOptions {
  /** `postgres://…` of the database to check. */
  connectionString: string;
  /** Rows read per round trip. */
  batch?: number;
  /** Where progress lines go (info, every `progressEvery` rows). */
  logger?: Logger;
  progressEvery?: number;
}

interface CheckedRow {
  id: string;
  endpoint_id: string;
  meta: string;
  meta_sum: Buffer | null;
  headers: HeaderPairs;
  body: Buffer;
  body_sum: Buffer | null;
}

/** First schema version that keeps checksums (migration 0004). */
const CHECKSUM_VERSION = 4;

/**
 * `hookscope check --store postgres`: reads every capture row and verifies its checksums
 * (row-checksums.ts) the way every read does, and that each endpoint holds the number of
 * captures it counts. Changes nothing. Rows stored before checksums existed and not sealed yet
 * (Hookscope seals them in the background after it starts) cannot be verified: they are one
 * finding, so an intact result is only ever claimed for what was proven.
 */
export async function checkPostgresStore(options: CheckPostgresOptions): Promise<IntegrityReport> {
  const pool = createPool({ connectionString: options.connectionString, max: 1, statementTimeoutMs: 600_000 });
  const report: IntegrityReport = { store: describeDatabase(options.connectionString), checked: { endpoints: 0, captures: 0, bytes: 0 }, findings: [], repaired: [] };
  try {
    const version = await schemaVersion(pool);
    if (version < CHECKSUM_VERSION) {
      report.findings.push({ where: 'postgres schema', problem: `the schema is at version ${version}, older than checksums (version ${CHECKSUM_VERSION}); start Hookscope once to upgrade it, then check again` });
      if (version === 0) return report;
    }
    report.findings.push(...(await countFindings(pool, report)));
    if (version >= CHECKSUM_VERSION) await checkRows(pool, options, report);
  } finally {
    await pool.end();
  }
  return report;
}

async function schemaVersion(pool: pg.Pool): Promise<number> {
  const { rows: table } = await pool.query<{ found: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS found");
  if (!table[0]?.found) return 0;
  const { rows } = await pool.query<{ version: number }>('SELECT coalesce(max(version), 0)::integer AS version FROM schema_migrations');
  return rows[0]?.version ?? 0;
}

/** Endpoints whose capture count disagrees with their rows (one statement: one snapshot). */
async function countFindings(pool: pg.Pool, report: IntegrityReport): Promise<DamageFinding[]> {
  const { rows } = await pool.query<{ id: string; counted: number; held: number }>(
    `SELECT e.id, e.capture_count AS counted, (SELECT count(*)::integer FROM captures c WHERE c.endpoint_id = e.id) AS held
       FROM endpoints e ORDER BY e.position`,
  );
  report.checked.endpoints = rows.length;
  return rows.filter((r) => r.counted !== r.held).map((r) => ({
    where: 'postgres table endpoints',
    record: r.id,
    problem: `endpoint ${r.id} counts ${r.counted} captures but the captures table holds ${r.held}`,
  }));
}

async function checkRows(pool: pg.Pool, options: CheckPostgresOptions, report: IntegrityReport): Promise<void> {
  const batch = options.batch ?? 500;
  let unsealed = 0;
  let after = '';
  for (;;) {
    const { rows } = await pool.query<CheckedRow>(
      `SELECT id, endpoint_id, meta::text AS meta, meta_sum, headers, body, body_sum FROM captures WHERE id > $1 ORDER BY id LIMIT $2`,
      [after, batch],
    );
    for (const row of rows) {
      report.checked.captures += 1;
      report.checked.bytes += row.body.length;
      if (row.meta_sum === null || row.body_sum === null) unsealed += 1;
      const damage = [summaryDamage(row), bodyDamage(row)].filter((d) => d !== null);
      if (damage.length > 0) {
        report.findings.push({ where: CAPTURES_TABLE, record: row.id, problem: `capture ${row.id} of endpoint ${row.endpoint_id}: ${damage.join('; ')}`, lost: '1 capture (refused on every read)' });
      }
      if (options.logger && report.checked.captures % (options.progressEvery ?? 100_000) === 0) options.logger.info(`postgres check: checked ${report.checked.captures.toLocaleString('en-US')} captures`);
    }
    if (rows.length < batch) break;
    after = (rows[rows.length - 1] as CheckedRow).id;
  }
  if (unsealed > 0) {
    report.findings.push({
      where: CAPTURES_TABLE,
      problem: `${unsealed} captures stored before checksums were kept have none yet, so they cannot be verified; Hookscope adds them in the background after it starts — start it, let it finish ("search backfill done" in its log), then check again`,
    });
  }
}
