import type { CurlCommand } from '../../shared/replay';
import { utf8OrNull } from '../delivery/body-text';
import { headerValue } from '../delivery/raw-delivery';
import type { OutgoingRequest } from '../delivery/outgoing-request';

/** POSIX shell single-quoting: everything literal, `'` written as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

// Headers curl adds on its own; when the capture had none, `-H 'Name:'` stops curl sending them.
const CURL_DEFAULTS = ['User-Agent', 'Accept'];
const CURL_BODY_DEFAULTS = ['Content-Type', 'Expect'];

/** A body is safe inside a quoted argument when it is UTF-8 without NUL (argv cannot hold NUL) and without a CR curl would keep but terminals mangle when pasting. */
function inlineText(body: Buffer): string | null {
  const text = utf8OrNull(body);
  return text !== null && !/[\0\r]/.test(text) ? text : null;
}

function headerArgs(request: OutgoingRequest, hasBody: boolean): string[] {
  const args = request.headers.map(([name, value]) => `-H ${shellQuote(value === '' ? `${name};` : `${name}: ${value}`)}`);
  const suppress = [...CURL_DEFAULTS, ...(hasBody ? CURL_BODY_DEFAULTS : [])].filter((name) => headerValue(request.headers, name) === null);
  return [...args, ...suppress.map((name) => `-H ${shellQuote(`${name}:`)}`)];
}

/**
 * A `curl` command that sends the request's exact bytes: method, URL, headers in order (curl's own
 * User-Agent/Accept/Content-Type/Expect suppressed when the capture had none), and the body either
 * inline (`--data-binary '…'`) or, for binary bodies, written by `base64 -d` from a here-document to
 * a file sent with `--data-binary @file`. Content-Length and Host are curl's, computed from the same.
 */
export function curlCommand(request: OutgoingRequest, fileStem: string): CurlCommand {
  const hasBody = request.body.length > 0;
  const method = request.method.toUpperCase();
  const first = ['curl --silent --show-error --globoff --http1.1'];
  if (method === 'HEAD') first.push('--head');
  else if (!(method === 'GET' && !hasBody) && !(method === 'POST' && hasBody)) first.push(`-X ${shellQuote(request.method)}`);
  first.push(shellQuote(request.url));
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
