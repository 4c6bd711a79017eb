import type { z } from 'zod';

/** An error that maps to an HTTP status and a JSON body `{ error, details? }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: { path: string; message: string; position?: number }[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, message);
    this.name = 'ConflictError';
  }
}

export class ValidationError extends HttpError {
  constructor(message: string, details: { path: string; message: string; position?: number }[]) {
    super(400, message, details);
    this.name = 'ValidationError';
  }

  /** Every problem of a zod failure as `path` + `message`. */
  static fromZod(what: string, error: z.ZodError): ValidationError {
    const details = error.issues.map((issue) => ({
      path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)',
      message: issue.message,
    }));
    const first = details[0];
    const summary = first ? `${first.path}: ${first.message}` : 'invalid';
    const more = details.length > 1 ? ` (and ${details.length - 1} more problem${details.length > 2 ? 's' : ''})` : '';
    return new ValidationError(`invalid ${what}: ${summary}${more}`, details);
  }
}

/** The store cannot serve requests (database down, disk failing). Maps to 503. */
export class StoreUnavailableError extends HttpError {
  constructor(message: string) {
    super(503, message);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * A stored capture failed its checksum or could not be read whole: its bytes are never served.
 * The message names the capture and where it lives, and how to check the store.
 */
export class DamagedCaptureError extends HttpError {
  constructor(
    readonly captureId: string,
    readonly where: string,
    detail: string,
  ) {
    super(500, `capture ${captureId} is damaged (${detail}) in ${where}; it is not served. Run \`hookscope check\` to see every damaged record`);
    this.name = 'DamagedCaptureError';
  }
}

/** A data file could not be read as what it should hold; start-up stops rather than replace it. */
export class CorruptDataError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`data file ${file} is corrupt (${detail}); Hookscope will not start until it is repaired or moved away — it was left untouched`);
    this.name = 'CorruptDataError';
  }
}

/** Parses a request body with a shared schema, or throws a 400 listing every problem. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw ValidationError.fromZod(what, parsed.error);
  return parsed.data;
}

/** Seconds a client is asked to wait before retrying after a storage failure. */
export const STORE_RETRY_AFTER_SEC = 30;

/**
 * The disk holding the store is full (ENOSPC, EDQUOT): nothing was stored. Maps to 507 with
 * Retry-After; the store takes writes again by itself once space is freed.
 */
export class StoreFullError extends HttpError {
  readonly retryAfterSec = STORE_RETRY_AFTER_SEC;
  constructor(detail: string) {
    super(507, `the store's disk is full (${detail}); nothing was stored — retry later`);
    this.name = 'StoreFullError';
  }
}

/** Writing to the store failed (EIO, read-only disk…): nothing was stored. 503 with Retry-After. */
export class StoreWriteError extends StoreUnavailableError {
  readonly retryAfterSec = STORE_RETRY_AFTER_SEC;
  constructor(detail: string) {
    super(`the store could not write (${detail}); nothing was stored — retry later`);
    this.name = 'StoreWriteError';
  }
}

/** A write failure as the typed error above: disk full or other I/O error; anything else unchanged. */
export function asStoreWriteError(error: unknown, what: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StoreFullError(`${code} while writing ${what}`);
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return new StoreWriteError(`${code} while writing ${what}`);
  return error;
}

/**
 * The data folder failed its integrity check: start-up stops, nothing is changed. The message
 * lists each finding and the command that repairs it.
 */
export class DamagedStoreError extends Error {
  constructor(
    readonly dir: string,
    readonly findings: { where: string; record?: string; problem: string; lost?: string }[],
  ) {
    const lines = findings.map((f) => `  - ${f.where}${f.record ? ` [${f.record}]` : ''}: ${f.problem}${f.lost ? ` (lost: ${f.lost})` : ''}`);
    super(
      `the data folder ${dir} is damaged; Hookscope will not start, and changed nothing:\n${lines.join('\n')}\n` +
        `Run \`hookscope check --data ${dir}\` for the full report, and \`hookscope check --repair --data ${dir}\` to move the damaged parts into ${dir}/quarantine/ and start again.`,
    );
    this.name = 'DamagedStoreError';
  }
}
