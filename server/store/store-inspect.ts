import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Endpoint } from '../../shared/endpoint';
import { CorruptDataError } from '../errors';
import { checksumHex } from './checksum';
import { EndpointsFile } from './endpoints-file';
import type { DamageFinding, IntegrityReport } from './integrity';
import type { Interner } from './capture-index';
import { inspectLog, type CleanEnd, type LogInspection } from './log-inspect';
import type { SegmentCheckOptions } from './segment-check-threads';

/** `store.json`: marks a data folder as created (format 2): a missing endpoints.json is then damage, not a first start. */
export const STORE_MARKER = 'store.json';
/** Written by a clean close, removed at open: where each endpoint's newest segment ended. */
export const CLEAN_SHUTDOWN = 'clean-shutdown.json';
/** In an endpoint folder: its deletion was decided (endpoints.json may not say so yet). */
export const DELETING_MARKER = 'deleting';

export interface StoreInspection {
  report: IntegrityReport;
  /** The configs, or null when endpoints.json is missing or unreadable. */
  endpoints: Endpoint[] | null;
  /** Endpoint id → its log, for every folder under captures/ (with or without config). */
  logs: Map<string, LogInspection>;
  /** A brand-new folder: nothing in it yet. */
  fresh: boolean;
  /** Written before checksums existed (no store.json): upgraded at open. */
  legacy: boolean;
  /** Folders left by clears and deletions, to remove. */
  trash: string[];
}

export interface CleanShutdown {
  endpoints: Record<string, CleanEnd>;
}

export async function readCleanShutdown(dir: string): Promise<CleanShutdown | null> {
  let text: string;
  try {
    text = await readFile(join(dir, CLEAN_SHUTDOWN), 'utf8');
  } catch {
    return null;
  }
  const match = /^([0-9a-f]{8}) (.*)$/s.exec(text.trim());
  if (!match || checksumHex(match[2] as string) !== match[1]) return null; // a torn or changed record proves nothing: treated as a crash
  return JSON.parse(match[2] as string) as CleanShutdown;
}

export function cleanShutdownText(record: CleanShutdown): string {
  const json = JSON.stringify(record);
  return `${checksumHex(json)} ${json}\n`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function captureFolders(dir: string, configured: Set<string>): Promise<{ folders: string[]; trash: string[] }> {
  let names: string[];
  try {
    names = await readdir(join(dir, 'captures'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { folders: [], trash: [] };
    throw error;
  }
  const trash = names.filter((name) => name.includes('.deleted-'));
  const folders: string[] = [];
  for (const name of names.filter((n) => !n.includes('.deleted-'))) {
    if (!(await stat(join(dir, 'captures', name))).isDirectory()) continue;
    // Marked for deletion and no longer configured: the deletion was decided. Still configured:
    // writing endpoints.json failed after the mark, and the endpoint stays.
    if (!configured.has(name) && (await exists(join(dir, 'captures', name, DELETING_MARKER)))) trash.push(name);
    else folders.push(name);
  }
  return { folders, trash: trash.map((name) => join(dir, 'captures', name)) };
}

/**
 * Checks a whole lowdb data folder without changing it: endpoints.json (present when the folder
 * was ever used, intact, matching its checksum), every capture folder against the configs, and
 * every endpoint's log (log-inspect.ts). `store` names the folder in the report.
 */
export async function inspectStore(dir: string, store: string, options: { upgraded?: boolean; intern?: Interner; checkThreads?: SegmentCheckOptions } = {}): Promise<StoreInspection> {
  const findings: DamageFinding[] = [];
  const marker = await exists(join(dir, STORE_MARKER));
  let endpoints: Endpoint[] | null = null;
  let configPresent = false;
  try {
    const document = await new EndpointsFile(join(dir, 'endpoints.json')).read();
    configPresent = document !== null;
    endpoints = document?.endpoints ?? null;
  } catch (error) {
    if (!(error instanceof CorruptDataError)) throw error;
    configPresent = true;
    findings.push({ where: 'endpoints.json', problem: error.message.replace(/^data file \S+ is corrupt \((.*)\);.*$/s, '$1'), lost: 'every endpoint configuration (the captures are kept)' });
  }
  const { folders, trash } = await captureFolders(dir, new Set((endpoints ?? []).map((e) => e.id)));
  const fresh = !marker && !configPresent && folders.length === 0;
  if (!configPresent && (marker || folders.length > 0)) {
    findings.push({ where: 'endpoints.json', problem: `is missing, but ${marker ? 'this data folder was in use' : `${folders.length} capture folder(s) exist`}`, lost: `the configuration of every endpoint${folders.length > 0 ? ` (${folders.length} folder(s) of captures are kept)` : ''}` });
  }
  const clean = await readCleanShutdown(dir);
  const configured = new Set((endpoints ?? []).map((e) => e.id));
  if (endpoints) {
    for (const id of folders.filter((f) => !configured.has(f))) findings.push({ where: `captures/${id}`, problem: 'this capture folder has no endpoint in endpoints.json', lost: 'the endpoint configuration (its captures are kept)' });
  }
  const logs = new Map<string, LogInspection>();
  const checked = { endpoints: endpoints?.length ?? 0, captures: 0, bytes: 0 };
  const legacy = !marker && configPresent;
  const notes: string[] = [];
  if (legacy && !options.upgraded) {
    notes.push('this data folder was written before records carried checksums (format 1); its segments are checked and upgraded in place at the next start');
    return { report: { store, checked, findings, repaired: [], notes }, endpoints, logs, fresh, legacy, trash };
  }
  for (const id of new Set([...configured, ...folders])) {
    const log = await inspectLog(join(dir, 'captures', id), `captures/${id}`, clean?.endpoints[id] ?? null, options.intern, options.checkThreads);
    logs.set(id, log);
    findings.push(...log.findings);
    checked.captures += log.captures;
    checked.bytes += log.bytes;
    if (log.cut) notes.push(`${log.cut.file}: ${log.cut.bytes} bytes of ${log.cut.what} a crash interrupted (never acknowledged) are cut off at the next start`);
  }
  return { report: { store, checked, findings, repaired: [], notes }, endpoints, logs, fresh, legacy, trash };
}
