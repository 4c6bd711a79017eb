import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import type { BodyView, CaptureView, HeaderPairs } from '../../shared/capture';
import { contentEncodingOf } from '../delivery/body-preview';
import { headerValue } from '../delivery/raw-delivery';
import { utf8OrNull } from '../delivery/body-text';

const MAX_DECODED = 10 * 1024 * 1024; // bytes a compressed body may expand to for display
const MAX_PART_TEXT = 64 * 1024; // bytes of a multipart text part shown
const MAX_JSON_DEPTH = 500; // levels of nesting shown as a tree

/** Whether a parsed JSON value nests deeper than `limit` (iterative: no recursion to overflow). */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [next, depth] = stack.pop() as [unknown, number];
    if (next === null || typeof next !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(next)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

function decompress(body: Buffer, encoding: string): Buffer | null {
  try {
    const options = { maxOutputLength: MAX_DECODED };
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body, options);
    if (encoding === 'deflate') return inflateSync(body, options);
    if (encoding === 'br') return brotliDecompressSync(body, options);
  } catch {
    return null;
  }
  return null;
}

/** A content-encoded body decoded for display, or why it could not be. */
export interface DecodedBody {
  encoding: string;
  /** The decoded bytes; null when decoding failed. */
  bytes: Buffer | null;
  error?: string;
}

/** The body decoded from its Content-Encoding (up to 10 MiB), or null when it has none. */
export function decodeBody(body: Buffer, headers: HeaderPairs): DecodedBody | null {
  const encoding = contentEncodingOf(headers);
  if (!encoding || body.length === 0) return null;
  const bytes = decompress(body, encoding);
  if (bytes) return { encoding, bytes };
  const known = ['gzip', 'x-gzip', 'deflate', 'br'].includes(encoding);
  return { encoding, bytes: null, error: known ? `not valid ${encoding} data, or over ${MAX_DECODED / 1024 / 1024} MiB decoded` : `${encoding} is not an encoding Hookscope decodes` };
}

/** The API's `decoded` field: decoded size and text (null when not UTF-8). */
export function decodedField(decoded: DecodedBody | null): CaptureView['decoded'] {
  if (!decoded) return null;
  if (!decoded.bytes) return { encoding: decoded.encoding, size: 0, text: null, ...(decoded.error && { error: decoded.error }) };
  return { encoding: decoded.encoding, size: decoded.bytes.length, text: utf8OrNull(decoded.bytes) };
}

/**
 * A parsed view of a body for display, derived from the bytes (which stay as they are):
 * JSON, form fields, multipart parts, text or binary. A compressed body is shown decoded
 * (pass its `decodeBody` result when already computed).
 */
export function bodyView(body: Buffer, headers: HeaderPairs, decoded: DecodedBody | null = decodeBody(body, headers)): BodyView {
  if (body.length === 0) return { kind: 'empty' };
  if (decoded) {
    if (!decoded.bytes) return { kind: 'binary', note: `Content-Encoding ${decoded.encoding} could not be decoded` };
    return bodyView(decoded.bytes, headers.filter(([name]) => name.toLowerCase() !== 'content-encoding'), null);
  }
  const type = (headerValue(headers, 'content-type') ?? '').toLowerCase();
  const text = utf8OrNull(body);
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(headerValue(headers, 'content-type') ?? '')?.[1];
    if (boundary) return { kind: 'multipart', parts: multipartParts(body, boundary) };
  }
  if (text === null) return { kind: 'binary' };
  if (type.includes('application/x-www-form-urlencoded')) {
    return { kind: 'form', fields: [...new URLSearchParams(text)] };
  }
  const trimmed = text.trimStart();
  if (type.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(text);
      // Nesting deeper than this cannot be serialized back (stack) nor browsed: show it as text.
      return deeperThan(value, MAX_JSON_DEPTH) ? { kind: 'text' } : { kind: 'json', value };
    } catch {
      return { kind: 'text' };
    }
  }
  return { kind: 'text' };
}

function multipartParts(body: Buffer, boundary: string) {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Extract<BodyView, { kind: 'multipart' }>['parts'] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1 && parts.length < 200) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after delimiter, before next
    const split = part.indexOf('\r\n\r\n');
    const head = split === -1 ? '' : part.subarray(0, split).toString('utf8');
    const content = split === -1 ? part : part.subarray(split + 4);
    const disposition = /content-disposition:([^\r\n]*)/i.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
    parts.push({
      name: /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? null,
      filename,
      contentType: /content-type:\s*([^\r\n]*)/i.exec(head)?.[1]?.trim() ?? null,
      size: content.length,
      text: filename === null && content.length <= MAX_PART_TEXT ? utf8OrNull(content) : null,
    });
    at = next;
  }
  return parts;
}
