import type { CaptureSummary, HeaderPairs } from '../../shared/capture';
import { utf8OrNull } from '../delivery/body-text';
import type { RawCapture } from '../store/raw-capture';
import type { StoredCapture } from '../store/store';
import { harEntryOf } from './har';
import { jsonlLineOf } from './jsonl';

/**
 * Export lines built from the JSON text a store keeps (Store.readRawAfter) — byte for byte what
 * JSON.stringify(jsonlLineOf(capture)) and JSON.stringify(harEntryOf(capture)) give, since a
 * value JSON.stringify wrote reads back and serializes to the same text. Copying the stored
 * members instead of parsing and re-serializing them is what makes exports fast. A summary of
 * another shape (an older record lacking a member) takes the parsing path.
 */

/** Index just past the JSON value starting at `at` (strings, objects and arrays skipped whole). */
function valueEnd(text: string, at: number): number {
  let depth = 0;
  let i = at;
  do {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = text.indexOf('"', i + 1);
      while (i !== -1 && isEscaped(text, i)) i = text.indexOf('"', i + 1);
      if (i === -1) return -1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    else if (depth === 0) {
      while (i + 1 < text.length && !',}]'.includes(text[i + 1] as string)) i++; // a number or literal
    }
    i++;
  } while (depth > 0 && i < text.length);
  return depth === 0 ? i : -1;
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  for (let i = quote - 1; text.charCodeAt(i) === 0x5c; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** The members of a JSON object as written by JSON.stringify (no whitespace): key → its value's text; null if it is not such an object. */
export function jsonMembers(text: string): Map<string, string> | null {
  const members = new Map<string, string>();
  if (text.charCodeAt(0) !== 0x7b) return null;
  let i = 1;
  while (text.charCodeAt(i) === 0x22) {
    const keyEnd = text.indexOf('":', i + 1);
    if (keyEnd === -1) return null;
    const key = text.slice(i + 1, keyEnd);
    if (key.includes('\\') || key.includes('"')) return null;
    const end = valueEnd(text, keyEnd + 2);
    if (end === -1) return null;
    members.set(key, text.slice(keyEnd + 2, end));
    i = text.charCodeAt(end) === 0x2c ? end + 1 : end;
  }
  return i === text.length - 1 && text.charCodeAt(i) === 0x7d ? members : null;
}

const JSONL_MEMBERS = ['id', 'receivedAt', 'method', 'path', 'query', 'peer', 'reply', 'verdicts', 'deliveryId'];
const HAR_MEMBERS = [...JSONL_MEMBERS, 'endpointId', 'size', 'contentType', 'duplicateOf'];

function membersOf(raw: RawCapture, required: string[]): Map<string, string> | null {
  const members = jsonMembers(raw.summary);
  return members && required.every((key) => members.has(key)) ? members : null;
}

/** The capture as the parsing path sees it (records from before event types were kept have none). */
function parsed(raw: RawCapture): StoredCapture {
  const summary = JSON.parse(raw.summary) as CaptureSummary;
  return { ...summary, eventType: summary.eventType ?? null, headers: JSON.parse(raw.headers) as HeaderPairs, body: raw.body, replays: [] };
}

function bodyJson(body: Buffer, text: string | null): string {
  return text === null ? `{"encoding":"base64","data":"${body.toString('base64')}"}` : `{"encoding":"utf8","data":${JSON.stringify(text)}}`;
}

/** One JSON Lines record (without its newline). */
export function jsonlText(raw: RawCapture): string {
  const m = membersOf(raw, JSONL_MEMBERS);
  if (!m) return JSON.stringify(jsonlLineOf(parsed(raw)));
  const g = (key: string) => m.get(key) as string;
  return `{"id":${g('id')},"receivedAt":${g('receivedAt')},"method":${g('method')},"path":${g('path')},"query":${g('query')},"peer":${g('peer')},"headers":${raw.headers},"body":${bodyJson(raw.body, utf8OrNull(raw.body))},"reply":${g('reply')},"verdicts":${g('verdicts')},"deliveryId":${g('deliveryId')},"eventType":${m.get('eventType') ?? 'null'}}`;
}

const HTTP_VERSION = '"httpVersion":"HTTP/1.1"';

/** One HAR 1.2 entry (harEntryOf's fields, in its order). */
export function harText(raw: RawCapture, baseUrl: string): string {
  const m = membersOf(raw, HAR_MEMBERS);
  if (!m) return JSON.stringify(harEntryOf(parsed(raw), baseUrl));
  const g = (key: string) => m.get(key) as string;
  const [endpointId, path, query, contentType, reply] = ['endpointId', 'path', 'query', 'contentType', 'reply'].map((key) => JSON.parse(g(key)) as unknown) as [string, string, string, string | null, { status: number; rejected?: string }];
  const url = `${baseUrl}/h/${encodeURIComponent(endpointId)}${path}${query ? `?${query}` : ''}`;
  const headers = (JSON.parse(raw.headers) as HeaderPairs).map(([name, value]) => ({ name, value }));
  const queryString = query === '' ? '[]' : JSON.stringify([...new URLSearchParams(query)].map(([name, value]) => ({ name, value })));
  const text = raw.body.length > 0 ? utf8OrNull(raw.body) : null;
  const mimeType = JSON.stringify(contentType ?? '');
  const postData = raw.body.length === 0 ? '' : text === null
    ? `"postData":{"mimeType":${mimeType},"text":"${raw.body.toString('base64')}","_encoding":"base64"},`
    : `"postData":{"mimeType":${mimeType},"text":${JSON.stringify(text)}},`;
  const rejected = reply.rejected !== undefined ? `,"_rejected":${JSON.stringify(reply.rejected)}` : '';
  const extra = `{"id":${g('id')},"endpointId":${g('endpointId')},"path":${g('path')},"query":${g('query')},"peer":${g('peer')},"receivedAt":${g('receivedAt')},"reply":${g('reply')},"verdicts":${g('verdicts')},"deliveryId":${g('deliveryId')},"duplicateOf":${g('duplicateOf')},"eventType":${m.get('eventType') ?? 'null'}}`;
  return `{"startedDateTime":"${new Date(Number(g('receivedAt'))).toISOString()}","time":0,"request":{"method":${g('method')},"url":${JSON.stringify(url)},${HTTP_VERSION},"cookies":[],"headers":${JSON.stringify(headers)},"queryString":${queryString},${postData}"headersSize":-1,"bodySize":${g('size')}},"response":{"status":${reply.status},"statusText":"",${HTTP_VERSION},"cookies":[],"headers":[],"content":{"size":-1,"mimeType":""},"redirectURL":"","headersSize":-1,"bodySize":-1${rejected}},"cache":{},"timings":{"send":0,"wait":0,"receive":0},"_hookscope":${extra}}`;
}
