import { open, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaptureSummary, HeaderPairs } from '../../shared/capture';
import { CorruptDataError } from '../errors';
import { summaryOf } from './capture-record';
import { syncDirectory } from './durable-json-file';
import { SEGMENT_NAME } from './log-inspect';
import { encodeBody, encodeMeta, encodeRecord, hasChecksum, NEWLINE } from './record-format';
import { readLegacySegment, type SegmentLine } from './segment-reader';
import { writeAll } from './segment-writer';

/** Whether a segment file was written before records carried checksums (format 1). */
export async function isLegacySegment(file: string): Promise<boolean> {
  const data = await readFile(file);
  const nl = data.indexOf(NEWLINE);
  return nl > 0 && !hasChecksum(data, 0, nl);
}

/**
 * Rewrites an endpoint's format-1 segments (JSON lines, bodies in base64, no checksums) as
 * format 2, each through a temporary file, fsync and rename, so a crash leaves every file either
 * old or new and the upgrade simply runs again. A line that does not parse stops it
 * (CorruptDataError naming the file and line); an unfinished last write is cut off as before.
 * Every full segment gets its seal. What this certifies: the records as they were read now —
 * damage done before the upgrade, if it still parses, cannot be told apart from the real data.
 */
export async function upgradeLegacyLog(dir: string, warn: (message: string) => void): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => SEGMENT_NAME.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const legacy: string[] = [];
  for (const name of names) if (await isLegacySegment(join(dir, name))) legacy.push(name);
  if (legacy.length === 0) return 0;
  const newestName = names[names.length - 1];
  for (const name of legacy) {
    const file = join(dir, name);
    const lines = await readLegacySegment(file, name === newestName, warn);
    const records = convert(file, await readFile(file), lines);
    if (name !== newestName) records.push(encodeRecord('z', { size: records.reduce((sum, b) => sum + b.length, 0) }));
    await replaceFile(file, records);
  }
  await syncDirectory(dir);
  return legacy.length;
}

function convert(file: string, data: Buffer, lines: SegmentLine[]): Buffer[] {
  const out: Buffer[] = [];
  let pending: { summary: CaptureSummary; headers: HeaderPairs } | null = null;
  for (const line of lines) {
    if (line.kind === 'body') {
      if (!pending || pending.summary.id !== line.id) throw new CorruptDataError(file, `the body of capture ${line.id} has no capture record before it`);
      const record = JSON.parse(data.toString('latin1', line.offset, line.offset + line.length)) as { d: string };
      out.push(encodeMeta(pending.summary, pending.headers), ...encodeBody(line.id, Buffer.from(record.d, 'base64')));
      pending = null;
      continue;
    }
    if (pending) throw new CorruptDataError(file, `capture ${pending.summary.id} has no body record`);
    const { t, ...fields } = line.value;
    if (t === 'c') {
      const c = fields.c as CaptureSummary & { headers: HeaderPairs };
      if (typeof c?.id !== 'string') throw new CorruptDataError(file, 'a capture record has no id');
      pending = { summary: summaryOf(c), headers: c.headers };
    } else {
      out.push(encodeRecord(String(t), fields));
    }
  }
  if (pending) throw new CorruptDataError(file, `capture ${pending.summary.id} has no body record`);
  return out;
}

async function replaceFile(file: string, records: Buffer[]): Promise<void> {
  const temp = `${file}.upgrade`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await writeAll(handle, records, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}
