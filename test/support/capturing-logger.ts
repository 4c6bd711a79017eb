import { createLogger, type Logger } from '../../server/logging/logger';

/** A real JSON logger whose lines are kept in memory, to assert what the server logged. */
export function capturingLogger(level: 'debug' | 'info' | 'warn' = 'debug'): { logger: Logger; lines: () => string[]; records: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const logger = createLogger({ level, format: 'json', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines: () => [...lines], records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
