import type { CaptureView } from '../../../../../shared/capture';
import { shellQuote } from '../../../lib/shell-quote';

/** Headers curl sets itself or that describe one hop only (RFC 9110 §7.6.1). */
const SKIPPED = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection']);
const INLINE_BINARY_LIMIT = 64 * 1024; // bytes of base64 put on the command line

/**
 * A curl command that sends the capture again to `origin`'s ingest URL: same method, sub-path,
 * query, headers in order, and the exact body bytes (binary bodies through base64 -d).
 */
export function curlCommand(capture: CaptureView, origin: string): string {
  const url = `${origin}/h/${capture.endpointId}${capture.path}${capture.query ? `?${capture.query}` : ''}`;
  const hasBody = capture.body.data.length > 0;
  const method = capture.method !== 'GET' || hasBody ? ` -X ${shellQuote(capture.method)}` : '';
  const parts: string[] = [`curl${method} ${shellQuote(url)}`];
  for (const [name, value] of capture.headers) {
    if (!SKIPPED.has(name.toLowerCase())) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  let prefix = '';
  if (hasBody && capture.body.encoding === 'utf8') parts.push(`--data-binary ${shellQuote(capture.body.data)}`);
  else if (hasBody && capture.body.data.length <= INLINE_BINARY_LIMIT) {
    prefix = `printf %s ${shellQuote(capture.body.data)} | base64 -d | `;
    parts.push('--data-binary @-');
  } else if (hasBody) {
    prefix = `# binary body: save it with "Download body" as ${capture.id}.body first\n`;
    parts.push(`--data-binary @${capture.id}.body`);
  }
  return prefix + parts.join(' \\\n  ');
}
