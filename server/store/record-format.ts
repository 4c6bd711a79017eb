import type { CaptureSummary, HeaderPairs } from '../../shared/capture';
import { checksumHex, checksumMatches, checksumOf, checksumsEnabled } from './checksum';
import type { CompactIndexReader } from './compact-index-reader';

/**
 * Segment record format, version 2. Every record is one JSON line that ends with its own
 * checksum: `{…,"k":"<crc32c of the bytes before ,"k":">"}\n`. A capture is three records
 * written together: its metadata (`c`), then a body header (`B`) carrying the body's length and
 * checksum, followed by the body's raw bytes and a newline. Other records: `d` deletion, `r`
 * replay attempt, `x` retention marker, `g` segments dropped by retention, `z` seal (last record of
 * a full segment), `i`/`j` start and commit of an atomic import. See README "How captures are stored".
 */
export const NEWLINE = 0x0a;
const SUFFIX = ',"k":"'; // then 8 hex digits and `"}`
const SUFFIX_LENGTH = SUFFIX.length + 8 + 2; // bytes

/**
 * What the in-memory index keeps of a capture, stored first in its metadata record so start-up
 * parses this short array instead of the whole record:
 * [id, receivedAt, method, status, signature, schema, eventType, deliveryId, path, peer, flags].
 */
export type CompactIndex = [string, number, string, number, string, string, string | null, string | null, string, string, number];
export const FLAG_DUPLICATE = 1;
export const FLAG_REJECTED = 2;

export function compactIndexOf(summary: CaptureSummary): CompactIndex {
  const flags = (summary.duplicateOf !== null ? FLAG_DUPLICATE : 0) | (summary.reply.rejected !== undefined ? FLAG_REJECTED : 0);
  return [
    summary.id, summary.receivedAt, summary.method, summary.reply.status, summary.verdicts.signature.status,
    summary.verdicts.schema.status, summary.eventType, summary.deliveryId, summary.path, summary.peer, flags,
  ];
}

/**
 * A record line from its JSON text without the closing brace: checksum and newline added. The
 * text is encoded once and the checksum taken over those bytes (a checksum of the string would
 * encode it a second time).
 */
export function sealedLine(prefix: string): Buffer {
  const length = Buffer.byteLength(prefix);
  const line = Buffer.allocUnsafe(length + SUFFIX_LENGTH + 1);
  line.write(prefix, 0, length, 'utf8');
  line.write(sealSuffix(checksumOf(line.subarray(0, length))), length, SUFFIX_LENGTH + 1, 'latin1');
  return line;
}

/** Any record but a capture's: `{"t":kind,…fields}` with its checksum. */
export function encodeRecord(kind: string, fields: Record<string, unknown>): Buffer {
  return sealedLine(JSON.stringify({ t: kind, ...fields }).slice(0, -1));
}

/**
 * The metadata record's JSON text before its checksum, in pieces (written one after another, no
 * joined copy): the compact index, then the summary (`fields`: JSON.stringify(summary), passed in
 * when the caller has it) and the headers' JSON.
 */
export function metaPrefix(summary: CaptureSummary, headersJson: string, fields: string = JSON.stringify(summary)): string[] {
  const index = JSON.stringify(compactIndexOf(summary));
  return [`{"t":"c","n":${Buffer.byteLength(index)},"i":${index},"c":`, fields.slice(0, -1), `,"headers":${headersJson}}`];
}

/** The metadata record: the compact index, then the summary and headers. */
export function encodeMeta(summary: CaptureSummary, headers: HeaderPairs): Buffer {
  return sealedLine(metaPrefix(summary, JSON.stringify(headers)).join(''));
}

/** The body header record's JSON text before its checksum: the body's length and checksum. */
export function bodyHeaderPrefix(id: string, length: number, checksum: string): string {
  return `{"t":"B","id":${JSON.stringify(id)},"len":${length},"bk":"${checksum}"`;
}

const LINE_END = Buffer.from('\n');

/** The body header record, the body itself (never copied) and its newline: three buffers for writev. */
export function encodeBody(id: string, body: Buffer): Buffer[] {
  return [sealedLine(bodyHeaderPrefix(id, body.length, checksumHex(body))), body, LINE_END];
}

/** The checksum suffix that closes a record line whose JSON text has this checksum: `,"k":"<hex>"}` and the newline. */
export function sealSuffix(checksum: number): string {
  return `${SUFFIX}${checksum.toString(16).padStart(8, '0')}"}\n`;
}

const SUFFIX_BYTES = Buffer.from(SUFFIX, 'latin1');

/** Whether the line [start, end) (newline excluded) carries a checksum suffix at all. */
export function hasChecksum(data: Buffer, start: number, end: number): boolean {
  if (end - start <= SUFFIX_LENGTH || data[end - 1] !== 0x7d || data[end - 2] !== 0x22) return false;
  // Six bytes compared in a loop: start-up checks millions of lines, and Buffer.compare's call costs more.
  const at = end - SUFFIX_LENGTH;
  for (let i = 0; i < SUFFIX_BYTES.length; i++) if (data[at + i] !== SUFFIX_BYTES[i]) return false;
  return true;
}

/** The 8 hex digits at [at, at + 8) as a number, or -1 when they are not hex. */
function hexAt(data: Buffer, at: number): number {
  let value = 0;
  for (let i = at; i < at + 8; i++) {
    const c = data[i] as number;
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (digit === -1) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** Whether the line [start, end) (newline excluded) is intact: its checksum matches its bytes. */
export function lineIntact(data: Buffer, start: number, end: number): boolean {
  if (!hasChecksum(data, start, end)) return false;
  if (!checksumsEnabled()) return true;
  return checksumOf(data.subarray(start, end - SUFFIX_LENGTH)) === hexAt(data, end - 10);
}

/** The record kind of a line (`c`, `B`, `d`…), read from its fixed `{"t":"` start. */
export function kindOf(data: Buffer, start: number): string {
  return String.fromCharCode(data[start + 6] as number);
}

/**
 * The fields of an intact body header line, read from the fixed layout encodeBody writes
 * (`{"t":"B","id":"<id>","len":<n>,"bk":"<hex>",…`); any other layout is parsed as JSON.
 */
export function parseBodyHeader(data: Buffer, start: number, end: number): { id: string; len: number; bk: string } {
  const idStart = start + '{"t":"B","id":"'.length;
  const idEnd = data.indexOf(0x22, idStart);
  const lenStart = idEnd + '","len":'.length;
  const lenEnd = idEnd === -1 ? -1 : data.indexOf(0x2c, lenStart);
  if (lenEnd !== -1 && lenEnd < end && data.toString('latin1', idEnd, lenStart) === '","len":' && data.toString('latin1', lenEnd, lenEnd + 7) === ',"bk":"') {
    const len = Number(data.toString('latin1', lenStart, lenEnd));
    if (Number.isSafeInteger(len) && len >= 0) return { id: data.toString('latin1', idStart, idEnd), len, bk: data.toString('latin1', lenEnd + 7, lenEnd + 15) };
  }
  return parseRecord(data, start, end) as { id: string; len: number; bk: string };
}

/** The compact index of an intact metadata line (read by `reader` when given, else by JSON.parse). */
export function parseCompactIndex(data: Buffer, start: number, reader?: CompactIndexReader): CompactIndex {
  const at = start + '{"t":"c","n":'.length;
  const comma = data.indexOf(0x2c, at);
  const length = Number(data.toString('latin1', at, comma));
  const from = comma + ',"i":'.length;
  return reader ? reader.read(data, from, from + length) : (JSON.parse(data.toString('utf8', from, from + length)) as CompactIndex);
}

/** The fields of an intact record line (not a body). */
export function parseRecord(data: Buffer, start: number, end: number): Record<string, unknown> {
  return JSON.parse(data.toString('utf8', start, end)) as Record<string, unknown>;
}

/** The summary and headers of an intact metadata line. */
export function parseMeta(line: Buffer): { summary: CaptureSummary; headers: HeaderPairs } {
  const record = JSON.parse(line.toString('utf8')) as { c: CaptureSummary & { headers: HeaderPairs } };
  const { headers, ...summary } = record.c;
  return { summary: { ...summary, eventType: summary.eventType ?? null }, headers };
}

/** Whether body bytes match the checksum their header gives. */
export function bodyIntact(body: Buffer, checksum: string): boolean {
  return !checksumsEnabled() || checksumMatches(body, checksum);
}
