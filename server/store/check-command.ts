import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config';
import { lockDataFolder } from './data-lock';
import type { IntegrityReport } from './integrity';
import { repairStore } from './store-repair';
import { inspectStore } from './store-inspect';

export const CHECK_USAGE = `usage: hookscope check [--repair] [--json] [--data DIR]
       hookscope check --store postgres --database-url postgres://…

Verifies a store without changing it: every record's checksum (capture bodies and their
metadata, endpoint configs), that no segment is missing or cut short, and — after a clean
shutdown — that nothing changed since. Exit 0 when intact, 1 with a report naming each damaged
file and record and what is lost. With --repair (lowdb), damaged records and files are moved
into DIR/quarantine/<time>/ (nothing is deleted) and the folder is left so that it starts.
Stop the server first: the check takes the data folder's lock.`;

/** Checks a store of another kind; returns what it found (see integrity.ts). */
export type StoreCheck = (options: { databaseUrl: string; repair: boolean }) => Promise<IntegrityReport>;

/**
 * Store kinds beyond lowdb, called for `--store <kind>`. PostgreSQL's is `checkPostgresStore`
 * (every row's checksums and each endpoint's count), loaded only when asked for. It repairs
 * nothing: a damaged row is deleted through the API or restored from a backup.
 */
export const storeChecks: { postgres?: StoreCheck } = {
  postgres: async ({ databaseUrl, repair }) => {
    if (repair) throw new ConfigError('--repair applies to a lowdb data folder; in PostgreSQL nothing is moved — run the check without --repair, then delete each damaged capture (DELETE /api/requests/<id>) or restore it from a backup');
    const { checkPostgresStore } = await import('./postgres/check-postgres');
    return checkPostgresStore({ connectionString: databaseUrl });
  },
};

export function formatReport(report: IntegrityReport, dataDir?: string): string {
  const { checked, findings, repaired, notes = [] } = report;
  const lines = [`${report.store}: ${checked.endpoints} endpoint(s), ${checked.captures} capture(s), ${(checked.bytes / 1e6).toFixed(1)} MB checked`];
  for (const item of repaired) lines.push(`  repaired: ${item.what} → ${item.movedTo}`);
  if (findings.length === 0) lines.push('intact: every record matches its checksum and nothing is missing');
  else {
    lines.push(`DAMAGED: ${findings.length} finding(s)`);
    for (const f of findings) lines.push(`  - ${f.where}${f.record ? ` [${f.record}]` : ''}: ${f.problem}${f.lost ? ` (lost: ${f.lost})` : ''}`);
    if (dataDir && repaired.length === 0) lines.push(`Run \`hookscope check --repair --data ${dataDir}\` to move the damaged parts into ${dataDir}/quarantine/ and leave a store that starts.`);
  }
  for (const note of notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}

/** Checks (and with `repair`, repairs) a lowdb data folder under its lock. */
export async function checkLowdbFolder(dir: string, repair: boolean, now: () => number = Date.now): Promise<IntegrityReport> {
  if (!existsSync(dir)) throw new ConfigError(`${dir} does not exist`);
  const unlock = await lockDataFolder(dir);
  try {
    const description = `lowdb ${dir}`;
    const inspection = await inspectStore(dir, description);
    if (!repair || inspection.report.findings.length === 0) return inspection.report;
    const repaired = await repairStore(dir, inspection, now());
    const after = await inspectStore(dir, description);
    return { ...after.report, repaired };
  } finally {
    await unlock();
  }
}

/** `hookscope check`: resolves to the exit code (0 intact or repaired, 1 damaged, 2 usage). */
export async function runCheckCommand(argv: string[], print: (text: string) => void): Promise<number> {
  let values: { data?: string; repair?: boolean; json?: boolean; store?: string; 'database-url'?: string };
  try {
    values = parseArgs({
      args: argv, strict: true,
      options: { data: { type: 'string' }, repair: { type: 'boolean' }, json: { type: 'boolean' }, store: { type: 'string' }, 'database-url': { type: 'string' } },
    }).values;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n\n${CHECK_USAGE}`);
  }
  let report: IntegrityReport;
  const dir = values.data ?? './data';
  if ((values.store ?? 'lowdb') === 'lowdb') {
    report = await checkLowdbFolder(dir, values.repair ?? false);
  } else if (values.store === 'postgres') {
    if (!values['database-url']) throw new ConfigError(`--database-url is required with --store postgres\n\n${CHECK_USAGE}`);
    if (!storeChecks.postgres) throw new ConfigError('this build has no PostgreSQL check');
    report = await storeChecks.postgres({ databaseUrl: values['database-url'], repair: values.repair ?? false });
  } else {
    throw new ConfigError(`--store must be lowdb or postgres\n\n${CHECK_USAGE}`);
  }
  print(values.json ? JSON.stringify(report, null, 2) : formatReport(report, values.store === 'postgres' ? undefined : dir));
  return report.findings.length === 0 ? 0 : 1;
}
