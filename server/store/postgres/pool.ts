import pg from 'pg';
import type { Logger } from '../../logging/logger';
import { HttpError, NotFoundError, StoreUnavailableError } from '../../errors';

export interface PoolOptions {
  /** `postgres://user:password@host:port/database?…` */
  connectionString: string;
  /** Connections this instance may hold; the database's max_connections is shared by every instance. */
  max?: number;
  /** Time allowed to open a connection before a request is answered 503, ms. */
  connectTimeoutMs?: number;
  /** Longest a statement may run before the server cancels it, ms. */
  statementTimeoutMs?: number;
  /** Told when an idle connection breaks (the database restarted); the pool reconnects on demand. */
  logger?: Logger;
}

/**
 * A pool with limits that keep a struggling database from taking Hookscope down with it:
 * requests wait at most `connectTimeoutMs` for a connection (then 503), statements are cancelled
 * after `statementTimeoutMs`, and broken idle connections are dropped rather than crashing the
 * process (pg emits 'error' on the pool for them; an unhandled one would kill Node).
 */
export function createPool(options: PoolOptions): pg.Pool {
  const statementTimeout = options.statementTimeoutMs ?? 30_000;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeout,
    // Client-side backstop for a server that stopped answering (network partition).
    query_timeout: statementTimeout + 5_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'hookscope',
  });
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'postgres: an idle connection failed; it was dropped'));
  return pool;
}

/** `postgres host:port/database` for logs and /readyz: never the credentials. */
export function describeDatabase(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `postgres ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'postgres';
  }
}

const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);
// SQLSTATEs meaning "the database cannot serve now" rather than "this call is wrong":
// 57P01-03 shutdown/crash/starting, 57014 statement timeout, 53xxx out of resources.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57014', '53000', '53100', '53200', '53300']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|connection error|Query read timeout|not queryable|ended pool/i;

/** True when an error from pg means the database cannot be reached or cannot serve now. */
export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_NODE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
  }
  return error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message);
}

/** Maps a pg failure to the Store's error contract; anything else is rethrown as is. */
export function toStoreError(error: unknown): unknown {
  if (isUnavailable(error)) return new StoreUnavailableError(`the database is unavailable: ${(error as Error).message}`);
  const code = (error as { code?: unknown }).code;
  if (code === 'P0002') return new NotFoundError((error as Error).message);
  // A cursor or id holding NUL: text columns cannot, so nothing matches; the caller sent it.
  if (code === '22021') return new HttpError(400, 'a cursor or id holds a character that cannot occur in one (NUL)');
  return error;
}
