import { isUtf8 } from 'node:buffer';
import { brotliDecompressSync, constants, gunzipSync, inflateSync } from 'node:zlib';
import { PREVIEW_MAX, type BodyPreview, type HeaderPairs } from '../../shared/capture';
import { headerValue } from './raw-delivery';

const LOOK_AT = 4096; // bytes of the (decoded) body a preview is made from
const DECODED_MAX = 64 * 1024; // bytes a preview may inflate, whatever the compression ratio
// Compressed bytes fed to the decoder: a prefix that bombs past DECODED_MAX is retried shorter
// (deflate expands at most ~1032:1, so 64 bytes fit; brotli can expand further, and then there is no
// preview); the work stays bounded either way.
const COMPRESSED_PREFIXES = [16 * 1024, 1024, 64]; // bytes

/** The Content-Encoding a body was sent with (lower-cased), or null for none / identity. */
export function contentEncodingOf(headers: HeaderPairs): string | null {
  const value = headerValue(headers, 'content-encoding')?.trim().toLowerCase();
  return value && value !== 'identity' ? value.slice(0, 40) : null;
}

/** The decoded start of a compressed body; 'too-large' when even the shortest prefix inflates past the budget (a bomb). */
function inflatePrefix(body: Buffer, encoding: string): Buffer | null | 'too-large' {
  for (const size of COMPRESSED_PREFIXES) {
    const input = body.subarray(0, size);
    try {
      if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(input, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: DECODED_MAX });
      if (encoding === 'deflate') return inflateSync(input, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: DECODED_MAX });
      if (encoding === 'br') return brotliDecompressSync(input, { finishFlush: constants.BROTLI_OPERATION_FLUSH, maxOutputLength: DECODED_MAX });
      return null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') return null;
    }
  }
  return 'too-large';
}

/** Text of the first bytes, or null when they are not UTF-8 or hold NUL (a cut multi-byte character at the end is fine). */
function leadingText(bytes: Buffer): string | null {
  const head = bytes.subarray(0, LOOK_AT);
  // Most heads are whole UTF-8: decoded without a TextDecoder per body (imports make thousands),
  // its BOM dropped as the decoder drops it. A cut character at the end takes the decoder's path.
  if (isUtf8(head)) {
    const text = head.toString('utf8');
    const unmarked = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    return unmarked.includes('\0') ? null : unmarked;
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(head, { stream: true });
    return text.includes('\0') ? null : text;
  } catch {
    return null;
  }
}

/** One line: form fields decoded, whitespace and control characters collapsed, at most PREVIEW_MAX characters. */
function oneLine(text: string, form: boolean): string {
  let line = text;
  if (form) {
    try {
      line = [...new URLSearchParams(text)].map(([name, value]) => `${name}=${value}`).join(' & ');
    } catch {
      line = text;
    }
  }
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  line = line.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  if (line.length <= PREVIEW_MAX) return line;
  const cut = line.slice(0, PREVIEW_MAX - 1);
  // Copied out rather than sliced: a slice keeps the whole decoded head alive as long as the
  // preview (an import holds thousands of previews at once). The text is whole UTF-16, so the copy is exact.
  return Buffer.from(`${/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut}…`, 'utf8').toString('utf8');
}

/**
 * What the request list shows of a body at a glance, computed once at ingest from its first bytes
 * (decoded from gzip/deflate/br within a fixed budget): its encoding, whether it is binary, and
 * its first characters on one line. Payload text: the inspector renders it as text only.
 */
export function bodyPreview(headers: HeaderPairs, body: Buffer): BodyPreview {
  const encoding = contentEncodingOf(headers);
  if (body.length === 0) return { encoding, binary: false, text: '' };
  const bytes = encoding === null ? body : inflatePrefix(body, encoding);
  if (bytes === 'too-large') return { encoding, binary: false, text: '' };
  const text = bytes === null ? null : leadingText(bytes);
  if (text === null) return { encoding, binary: true, text: '' };
  const form = (headerValue(headers, 'content-type') ?? '').toLowerCase().includes('application/x-www-form-urlencoded');
  return { encoding, binary: false, text: oneLine(text, form) };
}
