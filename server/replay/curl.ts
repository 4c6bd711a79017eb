import type { CurlCommand } from '../../shared/replay';
import { utf8OrNull } from '../delivery/body-text';
import { headerValue } from '../delivery/raw-delivery';
import type { OutgoingRequest } from '../delivery/outgoing-request';

/** POSIX shell single-quoting: everything literal, `'` written as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * One shell word that expands to exactly these bytes. URLs and header values arrive as latin1
 * strings (one char per byte); bytes that form UTF-8 are written as that text (the terminal sends
 * it back as the same bytes), other bytes through `printf` octal escapes, which bash and dash share.
 * Never used for values holding a newline (command substitution would drop a trailing one).
 */
export function shellBytes(latin1: string): string {
  if (!/[^\x20-\x7e]/.test(latin1)) return shellQuote(latin1);
  const bytes = Buffer.from(latin1, 'latin1');
  const text = utf8OrNull(bytes);
  // eslint-disable-next-line no-control-regex -- control bytes are exactly what must not go in quotes
  if (text !== null && !/[\0-\x1f\x7f]/.test(text)) return shellQuote(text);
  let format = '';
  for (const byte of bytes) {
    if (byte === 0x25) format += '%%';
    else if (byte === 0x5c) format += '\\\\';
    else if (byte === 0x27) format += `'\\''`;
    else if (byte >= 0x20 && byte < 0x7f) format += String.fromCharCode(byte);
    else format += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `"$(printf '${format}')"`;
}

// Headers curl adds on its own; when the capture had none, `-H 'Name:'` stops curl sending them.
const CURL_DEFAULTS = ['User-Agent', 'Accept'];
const CURL_BODY_DEFAULTS = ['Content-Type', 'Expect'];

/**
 * Text bodies up to this size go inline as one argument. The kernel caps one argument at 128 KiB
 * (MAX_ARG_STRLEN, "Argument list too long"), and long commands paste badly: larger bodies go
 * through a file.
 */
export const INLINE_BODY_MAX = 16 * 1024; // bytes

/**
 * The body as one inline argument, or null when it must go through a file: not UTF-8, holding NUL
 * (argv cannot) or CR (terminals mangle it when pasting), starting with `@` (curl would read a file
 * of that name instead), or over INLINE_BODY_MAX.
 */
function inlineText(body: Buffer): string | null {
  if (body.length > INLINE_BODY_MAX || body[0] === 0x40) return null;
  const text = utf8OrNull(body);
  return text !== null && !/[\0\r]/.test(text) ? text : null;
}

function headerArgs(request: OutgoingRequest, hasBody: boolean): string[] {
  const args = request.headers.map(([name, value]) => `-H ${shellBytes(value === '' ? `${name};` : `${name}: ${value}`)}`);
  const suppress = [...CURL_DEFAULTS, ...(hasBody ? CURL_BODY_DEFAULTS : [])].filter((name) => headerValue(request.headers, name) === null);
  return [...args, ...suppress.map((name) => `-H ${shellQuote(`${name}:`)}`)];
}

/**
 * A `curl` command (bash, dash or any POSIX sh) that sends the request's exact bytes: method, the
 * URL's path and query as written (`--globoff`: no `{}`/`[]` globbing; `--path-as-is`: no `..`
 * folding), headers in order (curl's own User-Agent/Accept/Content-Type/Expect suppressed when the
 * capture had none), and the body either inline (`--data-binary '…'`) or written by `base64 -d`
 * from a here-document to a file sent with `--data-binary @file` (`binaryBody: true`).
 * Content-Length and Host are curl's, computed from the same.
 */
export function curlCommand(request: OutgoingRequest, fileStem: string): CurlCommand {
  const hasBody = request.body.length > 0;
  const method = request.method.toUpperCase();
  const first = ['curl --silent --show-error --globoff --path-as-is --http1.1'];
  if (method === 'HEAD') first.push('--head');
  else if (!(method === 'GET' && !hasBody) && !(method === 'POST' && hasBody)) first.push(`-X ${shellQuote(request.method)}`);
  first.push(shellBytes(request.url));
  const parts = [first.join(' '), ...headerArgs(request, hasBody)];
  if (!hasBody) return { command: parts.join(' \\\n  '), binaryBody: false };
  const text = inlineText(request.body);
  if (text !== null) {
    parts.push(`--data-binary ${shellQuote(text)}`);
    return { command: parts.join(' \\\n  '), binaryBody: false };
  }
  const file = `${fileStem.replace(/[^A-Za-z0-9._-]/g, '_')}.body`;
  const base64 = request.body.toString('base64').replace(/.{1,76}/g, '$&\n');
  parts.push(`--data-binary @${shellQuote(file)}`);
  return { command: `base64 -d > ${shellQuote(file)} <<'HOOKSCOPE_BODY'\n${base64}HOOKSCOPE_BODY\n${parts.join(' \\\n  ')}`, binaryBody: true };
}
