import { readFile, truncate } from 'node:fs/promises';
import { CorruptDataError } from '../errors';

/** Format 1 (before checksums): read only to upgrade a data folder. */

/** One line of a capture segment file: where it is and, except for body lines, what it says. */
export type SegmentLine =
  | { kind: 'body'; id: string; offset: number; length: number }
  | { kind: 'record'; value: Record<string, unknown>; offset: number; length: number };

const BODY_PREFIX = '{"t":"b","id":"';
const NEWLINE = 0x0a;

/**
 * Reads the lines of one segment. Body lines (the large part) are located, not parsed.
 * A last line without its newline is a write torn by a crash before it was acknowledged:
 * when `repairTornTail` is set it is cut off (and `onTornTail` told); anything else that does
 * not parse is corruption.
 */
export async function readSegment(
  file: string,
  options: { repairTornTail: boolean; onTornTail: (bytes: number) => void },
): Promise<SegmentLine[]> {
  const data = await readFile(file);
  const lines: SegmentLine[] = [];
  let start = 0;
  let lineNo = 0;
  while (start < data.length) {
    const end = data.indexOf(NEWLINE, start);
    lineNo += 1;
    if (end === -1) {
      if (!options.repairTornTail) throw new CorruptDataError(file, `line ${lineNo} is incomplete`);
      options.onTornTail(data.length - start);
      await truncate(file, start);
      break;
    }
    lines.push(parseLine(file, data, start, end, lineNo));
    start = end + 1;
  }
  return lines;
}

function parseLine(file: string, data: Buffer, start: number, end: number, lineNo: number): SegmentLine {
  const length = end - start;
  const head = data.toString('latin1', start, Math.min(end, start + BODY_PREFIX.length + 64));
  if (head.startsWith(BODY_PREFIX)) {
    const idEnd = head.indexOf('"', BODY_PREFIX.length);
    if (idEnd === -1 || data[end - 1] !== 0x7d /* } */) {
      throw new CorruptDataError(file, `line ${lineNo} is a damaged body record`);
    }
    return { kind: 'body', id: head.slice(BODY_PREFIX.length, idEnd), offset: start, length };
  }
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8', start, end));
  } catch (error) {
    throw new CorruptDataError(file, `line ${lineNo} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || typeof (value as { t?: unknown }).t !== 'string') {
    throw new CorruptDataError(file, `line ${lineNo} is not a Hookscope record`);
  }
  return { kind: 'record', value: value as Record<string, unknown>, offset: start, length };
}

/**
 * One format-1 segment (written before records carried checksums), with its lines. Only the
 * newest segment may end in a torn write; `warn` is told when one is cut off.
 */
export async function readLegacySegment(file: string, newest: boolean, warn: (message: string) => void): Promise<SegmentLine[]> {
  const cutOff = (bytes: number) => warn(`${file}: cut off ${bytes} bytes of an unfinished write (never acknowledged)`);
  const lines = await readSegment(file, { repairTornTail: newest, onTornTail: cutOff });
  return newest ? cutUnfinishedBatch(file, lines, cutOff) : lines;
}

/**
 * A batch is acknowledged only once all of it is written and synced, and a large one takes several
 * writes: a crash between them leaves a capture record without its body line at the end of the
 * newest segment. Everything from that record on was never acknowledged: it is cut off.
 */
async function cutUnfinishedBatch(file: string, lines: SegmentLine[], cutOff: (bytes: number) => void): Promise<SegmentLine[]> {
  const withBody = new Set(lines.flatMap((line) => (line.kind === 'body' ? [line.id] : [])));
  const orphan = lines.findIndex((line) => line.kind === 'record' && line.value.t === 'c' && !withBody.has(String((line.value.c as { id?: unknown } | undefined)?.id)));
  // Only as the very last line: a record missing its body anywhere else is damage, and stops start-up.
  if (orphan === -1 || orphan !== lines.length - 1) return lines;
  const at = (lines[orphan] as SegmentLine).offset;
  const last = lines[lines.length - 1] as SegmentLine;
  cutOff(last.offset + last.length + 1 - at);
  await truncate(file, at);
  return lines.slice(0, orphan);
}
