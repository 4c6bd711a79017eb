import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogFormat, LogLevel } from './levels';
import { prettyStream } from './pretty';

/**
 * The one logger type every server module takes (passed in, never imported as a singleton): pino's.
 * Call it with the fields first and a sentence second, `logger.warn({ endpoint, err }, 'forwarding
 * failed')`; put an error under `err` (its message, stack and cause chain are kept). Never log a
 * secret, a token, a header value or a body. Tests pass `silentLogger()` or `createLogger` with a
 * capturing destination.
 */
export type Logger = PinoLogger;


export interface LoggerOptions {
  level: LogLevel;
  /** `auto`: pretty when the destination is a terminal, JSON lines otherwise. */
  format: LogFormat;
  /** Where lines go; standard output by default. */
  destination?: DestinationStream & { isTTY?: boolean };
}

/** A JSON-lines (or pretty) pino logger: ISO times, level names, errors under `err` with their causes. */
export function createLogger(options: LoggerOptions): Logger {
  // Synchronous writes to standard output: a line logged just before exit is never lost, and a
  // slow reader slows the server rather than filling its memory.
  const out = options.destination ?? Object.assign(pino.destination({ dest: 1, sync: true }), { isTTY: process.stdout.isTTY });
  const pretty = options.format === 'pretty' || (options.format === 'auto' && out.isTTY === true);
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pretty ? prettyStream(out, { color: out.isTTY === true }) : out,
  );
}

/** A logger that writes nothing (tests, embedded uses). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
