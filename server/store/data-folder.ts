import { rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Endpoint } from '../../shared/endpoint';
import { DamagedStoreError } from '../errors';
import type { Interner } from './capture-index';
import { syncDirectory, writeDurably } from './durable-json-file';
import { EndpointsFile } from './endpoints-file';
import { upgradeLegacyLog } from './legacy-upgrade';
import type { LogInspection } from './log-inspect';
import type { SegmentCheckOptions } from './segment-check-threads';
import { CLEAN_SHUTDOWN, cleanShutdownText, inspectStore, STORE_MARKER, type CleanShutdown } from './store-inspect';

/** A data folder checked and ready to be written: what the store builds itself from. */
export interface PreparedFolder {
  endpoints: Endpoint[];
  logs: Map<string, LogInspection>;
}

/**
 * Start-up's integrity step: checks everything (store-inspect.ts), upgrades a format-1 folder in
 * place first, and refuses (DamagedStoreError naming every finding and the repair command) when
 * anything is damaged or missing — changing nothing. Then clears what earlier runs left (clears'
 * trash folders) and removes the clean-shutdown record, so that only the next clean close writes one.
 */
export async function prepareDataFolder(dir: string, description: string, warn: (message: string) => void, intern: Interner, checkThreads?: SegmentCheckOptions): Promise<PreparedFolder> {
  let inspection = await inspectStore(dir, description, { intern, checkThreads });
  if (inspection.legacy) {
    if (inspection.report.findings.length > 0) throw new DamagedStoreError(dir, inspection.report.findings);
    for (const id of new Set([...(inspection.endpoints ?? []).map((e) => e.id)])) {
      const upgraded = await upgradeLegacyLog(join(dir, 'captures', id), warn);
      if (upgraded > 0) warn(`captures/${id}: ${upgraded} segment(s) upgraded to checksummed records (format 2)`);
    }
    inspection = await inspectStore(dir, description, { upgraded: true, intern, checkThreads });
  }
  if (inspection.report.findings.length > 0) throw new DamagedStoreError(dir, inspection.report.findings);
  for (const folder of inspection.trash) await rm(folder, { recursive: true, force: true });
  const endpoints = inspection.endpoints ?? [];
  // A new folder gets endpoints.json before store.json: a folder with store.json always has one.
  if (inspection.legacy || inspection.fresh) await new EndpointsFile(join(dir, 'endpoints.json')).write({ endpoints });
  if (inspection.fresh || inspection.legacy) await writeDurably(join(dir, STORE_MARKER), `${JSON.stringify({ format: 2, createdAt: new Date().toISOString() })}\n`);
  await unlink(join(dir, CLEAN_SHUTDOWN)).then(() => syncDirectory(dir), (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  return { endpoints, logs: inspection.logs };
}

/** Records where every endpoint's log ended, at a clean close: the next start checks they are exactly so. */
export async function writeCleanShutdown(dir: string, record: CleanShutdown): Promise<void> {
  await writeDurably(join(dir, CLEAN_SHUTDOWN), cleanShutdownText(record));
}

/** Marks an endpoint folder as being deleted, before endpoints.json stops naming it. */
export async function markDeleting(folder: string): Promise<void> {
  await writeFile(join(folder, 'deleting'), '').then(() => syncDirectory(folder), (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
