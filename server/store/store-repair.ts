import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { endpointSchema, type Endpoint } from '../../shared/endpoint';
import { syncDirectory } from './durable-json-file';
import { writeDurably } from './durable-json-file';
import { EndpointsFile } from './endpoints-file';
import type { IntegrityReport } from './integrity';
import { readAcceptedLosses, type InspectedSegment, type LogInspection } from './log-inspect';
import { encodeRecord } from './record-format';
import { isRecord } from './segment-scan';
import { segmentFileName, writeAll } from './segment-writer';
import { CLEAN_SHUTDOWN, STORE_MARKER, type StoreInspection } from './store-inspect';

interface Repairer {
  dir: string;
  quarantine: string; // absolute
  repaired: IntegrityReport['repaired'];
}

/** Moves a file into the quarantine folder under the same relative path; resolves to that path (relative). */
async function quarantineFile(r: Repairer, relative: string): Promise<string> {
  const target = join(r.quarantine, relative);
  await mkdir(dirname(target), { recursive: true });
  await rename(join(r.dir, relative), target);
  return target.slice(r.dir.length + 1);
}

/**
 * `hookscope check --repair` for a lowdb folder: whatever the inspection found is moved into
 * `quarantine/<time>/` under its own relative path — nothing is deleted — and the folder is left
 * so that it starts: damaged records are left out of a rewritten copy of their segment (the
 * original is quarantined), short segments are sealed as they are, missing segments are recorded
 * as accepted losses (`repairs.json`), a damaged or missing endpoints.json is replaced by one
 * holding a recovered config (defaults) per capture folder. Every step is listed in the report.
 */
export async function repairStore(dir: string, inspection: StoreInspection, now: number): Promise<IntegrityReport['repaired']> {
  const r: Repairer = { dir, quarantine: join(dir, 'quarantine', new Date(now).toISOString().replace(/[:.]/g, '-')), repaired: [] };
  await repairConfig(r, inspection, now);
  for (const [id, log] of inspection.logs) if (log.findings.length > 0) await repairLog(r, id, log);
  if (inspection.report.findings.some((f) => f.problem.includes('clean shutdown'))) {
    r.repaired.push({ what: `${CLEAN_SHUTDOWN}: the record of the last clean shutdown no longer matches the data`, movedTo: await quarantineFile(r, CLEAN_SHUTDOWN).catch(() => '(already gone)') });
  }
  return r.repaired;
}

async function repairConfig(r: Repairer, inspection: StoreInspection, now: number): Promise<void> {
  const configProblem = inspection.report.findings.find((f) => f.where === 'endpoints.json');
  const known = new Set((inspection.endpoints ?? []).map((e) => e.id));
  const orphans = [...inspection.logs.keys()].filter((id) => !known.has(id));
  if (!configProblem && orphans.length === 0) return;
  const endpoints: Endpoint[] = [...(configProblem ? [] : (inspection.endpoints ?? []))];
  if (configProblem) {
    const moved = await quarantineFile(r, 'endpoints.json').catch(() => null);
    r.repaired.push({ what: `endpoints.json (${configProblem.problem})${moved ? '' : ': there was no file'}`, movedTo: moved ?? '(nothing to move)' });
  }
  for (const id of orphans) {
    const captures = inspection.logs.get(id)?.captures ?? 0;
    endpoints.push(endpointSchema.parse({
      id, name: `Recovered ${id}`, createdAt: now, updatedAt: now, response: {},
      retention: { maxCaptures: Math.min(1_000_000, Math.max(1000, captures)) }, verify: { mode: 'off' }, schema: { mode: 'off' },
    }));
    r.repaired.push({ what: `captures/${id}: had no endpoint config; a recovered one with default settings was added (its signature, schema and response settings are lost)`, movedTo: 'endpoints.json' });
  }
  await new EndpointsFile(join(r.dir, 'endpoints.json')).write({ endpoints });
  await writeDurably(join(r.dir, STORE_MARKER), `${JSON.stringify({ format: 2, repairedAt: new Date(now).toISOString() })}\n`);
}

async function repairLog(r: Repairer, id: string, log: LogInspection): Promise<void> {
  const folder = `captures/${id}`;
  const accepted = await readAcceptedLosses(join(r.dir, folder));
  for (const finding of log.findings) {
    const names = finding.record?.startsWith('segments ') ? finding.record : finding.problem.startsWith('is missing') ? finding.where : '';
    const numbers = [...names.matchAll(/(\d{8})\.jsonl/g)].map((m) => Number(m[1]));
    if (numbers.length > 0) {
      accepted.missing.push(...numbers);
      r.repaired.push({ what: `${folder}: ${finding.problem} — accepted as lost: ${numbers.map(segmentFileName).join(', ')}`, movedTo: `${folder}/repairs.json` });
    }
  }
  for (const [i, segment] of log.segments.entries()) {
    const newest = i === log.segments.length - 1;
    const needsSeal = !newest && log.findings.some((f) => f.where.endsWith(segmentFileName(segment.segment)) && /seal|not the newest/.test(f.problem));
    const damaged = segment.scan.damage.length > 0 || (newest && segment.scan.torn !== null) || needsSeal;
    const tailImport = newest && log.findings.some((f) => f.where.endsWith(segmentFileName(segment.segment)) && f.problem.includes('import'));
    if (damaged || tailImport) await rewriteSegment(r, folder, segment, newest, accepted);
  }
  if (accepted.missing.length === 0 && accepted.unsealed.length === 0) return;
  await mkdir(join(r.dir, folder), { recursive: true });
  await writeFile(join(r.dir, folder, 'repairs.json'), `${JSON.stringify({ missing: [...new Set(accepted.missing)], unsealed: accepted.unsealed })}\n`);
  await syncDirectory(join(r.dir, folder));
}

/** Keeps a segment's intact records in a rewritten copy (sealed unless it is the newest); the original goes to quarantine. */
async function rewriteSegment(r: Repairer, folder: string, s: InspectedSegment, newest: boolean, accepted: { unsealed: number[] }): Promise<void> {
  const relative = `${folder}/${segmentFileName(s.segment)}`;
  const data = await readFile(join(r.dir, relative));
  const kept: Buffer[] = [];
  let uncommitted: number | null = null;
  for (const unit of s.scan.units) {
    if (isRecord(unit) && unit.value.t === 'z') continue;
    if (isRecord(unit) && unit.value.t === 'i') uncommitted = kept.length;
    if (isRecord(unit) && unit.value.t === 'j') uncommitted = null;
    kept.push(data.subarray(unit.offset, unit.offset + unit.length));
  }
  if (uncommitted !== null) kept.length = uncommitted; // an import that never committed is not kept
  let size = kept.reduce((sum, b) => sum + b.length, 0);
  if (!newest) {
    const seal = encodeRecord('z', { size });
    kept.push(seal);
    size += seal.length;
  }
  const movedTo = await quarantineFile(r, relative);
  const handle = await open(join(r.dir, relative), 'w', 0o600);
  try {
    await writeAll(handle, kept, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  const names = s.scan.damage.flatMap((d) => d.captureIds);
  const lostBytes = Math.max(0, data.length - size);
  r.repaired.push({
    what: `${relative}: rewritten with its intact records only (${lostBytes > 0 ? `${lostBytes} bytes left out` : 'sealed as found'}${names.length > 0 ? `; captures ${names.join(', ')} are not kept` : ''}); the original is kept`,
    movedTo,
  });
  accepted.unsealed = accepted.unsealed.filter((n) => n !== s.segment);
}
