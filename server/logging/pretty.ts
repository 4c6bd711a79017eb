import type { DestinationStream } from 'pino';

const LEVEL_COLORS: Record<string, string> = { fatal: '35', error: '31', warn: '33', info: '32', debug: '36', trace: '90' };
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'err']);

/** One field as `key=value`: strings bare unless they hold spaces or quotes, everything else as JSON. */
function field(key: string, value: unknown): string {
  const text = typeof value === 'string' && !/[\s"=]/.test(value) && value !== '' ? value : JSON.stringify(value);
  return `${key}=${text}`;
}

/** `12:04:05.123 INFO  message key=value…`, then an error's stack (with its causes) indented below. */
export function formatPretty(record: Record<string, unknown>, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const time = typeof record.time === 'string' ? record.time.slice(11, 23) : '';
  const level = String(record.level ?? 'info');
  const msg = String(record.msg ?? '');
  const words = new Set(msg.split(/\s+/));
  // A field the message already shows (the URL of "listening on <url>", the status of an access line) is not repeated.
  const shown = (value: unknown) => words.has(String(value)) || (typeof value === 'string' && value.length >= 3 && msg.includes(value));
  const fields = Object.entries(record).filter(([key, value]) => !HIDDEN.has(key) && !shown(value)).map(([key, value]) => field(key, value));
  let line = `${paint('90', time)} ${paint(LEVEL_COLORS[level] ?? '0', level.toUpperCase().padEnd(5))} ${msg}`;
  if (fields.length > 0) line += ` ${paint('90', fields.join(' '))}`;
  const err = record.err as { stack?: string; message?: string } | undefined;
  if (err) line += `\n${(err.stack ?? err.message ?? JSON.stringify(err)).replace(/^/gm, '    ')}`;
  return `${line}\n`;
}

/** A pino destination that turns each JSON line into a readable one (for terminals); no worker thread. */
export function prettyStream(out: DestinationStream, options: { color: boolean }): DestinationStream {
  return {
    write(line: string) {
      try {
        out.write(formatPretty(JSON.parse(line) as Record<string, unknown>, options.color));
      } catch {
        out.write(line);
      }
    },
  };
}
