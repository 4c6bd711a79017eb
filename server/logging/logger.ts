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
  const out = options.destination ?? stdoutDestination();
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

/** Lines waiting for a slow reader beyond this are dropped rather than held (bounded memory). */
const MAX_WAITING = 16 * 1024 * 1024; // bytes
/** Lines are written once this much waits, or FLUSH_EVERY after the first of them. */
const BATCH = 8 * 1024; // bytes
const FLUSH_EVERY = 100; // ms

/**
 * Standard output, written asynchronously and in batches: lines are written once 8 KiB wait or
 * 100 ms after they were logged, so a busy server makes one write(2) per batch of access lines
 * instead of one per delivery (a synchronous write per line cost ingest about a fifth of its
 * throughput). What is still waiting at exit is written synchronously then, so the last lines are
 * not lost.
 */
function stdoutDestination(): DestinationStream & { isTTY?: boolean } {
  const destination = pino.destination({ dest: 1, sync: false, minLength: BATCH, maxLength: MAX_WAITING });
  setInterval(() => destination.flush(), FLUSH_EVERY).unref();
  process.once('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // standard output already closed: nothing more can be written anyway
    }
  });
  return Object.assign(destination, { isTTY: process.stdout.isTTY });
}

/** A logger that writes nothing (tests, embedded uses). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
