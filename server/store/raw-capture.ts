import { checkedCapture, segmentRuns, type EntryPlace, type LogPlace } from './capture-reader';
import { parseMeta } from './record-format';

/**
 * A capture as the JSON text it is stored as, for exports: copying that text costs several times
 * less than parsing it into objects and serializing them again, and leaves far less garbage (which
 * matters most beside a large index, where every full collection walks the whole index).
 */
export interface RawCapture {
  id: string;
  /** The JSON of the capture's summary as stored; records written by older versions may lack fields added since. */
  summary: string;
  /** The JSON of its header pairs. */
  headers: string;
  body: Buffer;
}

const META_PREFIX = Buffer.from('{"t":"c","n":');
const SUMMARY_KEY = Buffer.from(',"c":{');
const HEADERS_KEY = Buffer.from(',"headers":[');
const CHECKSUM_SUFFIX = ',"k":"00000000"}'.length; // bytes

/**
 * The summary and headers JSON of an intact metadata line (`{"t":"c","n":<bytes>,"i":[…],"c":{…summary,
 * "headers":[…]},"k":"…"}`), cut out of it; a line of any other layout is parsed and serialized.
 */
function rawMeta(entry: EntryPlace, meta: Buffer): { summary: string; headers: string } | null {
  const end = meta.length - CHECKSUM_SUFFIX - 1; // the closing brace of "c"
  if (meta.compare(META_PREFIX, 0, META_PREFIX.length, 0, META_PREFIX.length) === 0 && meta[end] === 0x7d) {
    const comma = meta.indexOf(0x2c, META_PREFIX.length);
    const summaryAt = comma + ',"i":'.length + Number(meta.toString('latin1', META_PREFIX.length, comma)) + ',"c":'.length;
    // The last `,"headers":[` is the key: inside strings quotes are escaped, and header pairs hold no keys.
    const headersAt = meta.lastIndexOf(HEADERS_KEY, end);
    const idPrefix = `{"id":${JSON.stringify(entry.id)},`;
    if (meta.compare(SUMMARY_KEY, 0, SUMMARY_KEY.length, summaryAt - ',"c":'.length, summaryAt + 1) === 0 && headersAt > summaryAt && meta.toString('latin1', summaryAt, summaryAt + idPrefix.length) === idPrefix) {
      return { summary: `${meta.toString('utf8', summaryAt, headersAt)}}`, headers: meta.toString('utf8', headersAt + ',"headers":'.length, end) };
    }
  }
  const { summary, headers } = parseMeta(meta);
  return summary.id === entry.id ? { summary: JSON.stringify(summary), headers: JSON.stringify(headers) } : null;
}

/**
 * Consecutive captures of one log as stored JSON, read a segment at a time and checked like
 * readCaptures (DamagedCaptureError on any checksum). Each run of captures gets its own buffer:
 * the bodies are views into it, kept for as long as the caller holds them.
 */
export async function readRawCaptures(place: LogPlace, entries: EntryPlace[]): Promise<RawCapture[]> {
  const out: RawCapture[] = [];
  for await (const { run, bytesOf } of segmentRuns(place, entries, false)) {
    for (const entry of run) {
      const { meta, body, damaged } = checkedCapture(place, entry, bytesOf(entry));
      const json = rawMeta(entry, meta);
      if (!json) throw damaged('its metadata record names another capture');
      out.push({ id: entry.id, ...json, body });
    }
  }
  return out;
}

/**
 * Where a bulk read's captures are (readRawAfter's, not yet read): their log and places, plain
 * data another thread can take and read with readRawCaptures (exports in worker threads).
 */
export interface RawPlaces {
  place: LogPlace;
  entries: EntryPlace[];
}
