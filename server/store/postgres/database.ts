import type pg from 'pg';
import { StoreUnavailableError } from '../../errors';
import { createPool, toStoreError, type PoolOptions } from './pool';

/**
 * A pool with the Store's error contract (StoreUnavailableError when the database cannot be
 * reached) and a close that lets operations under way finish.
 */
export class Database {
  readonly pool: pg.Pool;
  private closed = false;
  /** Operations under way: close() lets them finish before ending the pool. */
  private inflight = new Set<Promise<unknown>>();

  constructor(options: PoolOptions) {
    this.pool = createPool(options);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** One statement on any pooled connection. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.track(async () => {
      try {
        return await this.pool.query<R>(text, values?.map(withoutNul));
      } catch (error) {
        throw toStoreError(error);
      }
    });
  }

  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.track(() => this.runTransaction(work));
  }

  /** Lets operations under way finish, then closes every connection. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // pg-pool never serves requests still queued for a connection once end() is called.
    await Promise.allSettled([...this.inflight]);
    await this.pool.end();
  }

  private async runTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toStoreError(error);
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw toStoreError(error);
    } finally {
      client.release(broken); // a connection that cannot roll back is discarded, not reused
    }
  }

  private track<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the store is closed'));
    const running = operation();
    this.inflight.add(running);
    const forget = () => this.inflight.delete(running);
    running.then(forget, forget);
    return running;
  }
}

/**
 * PostgreSQL text cannot hold NUL, but a caller may pass one in an id or cursor (from a URL).
 * No stored id holds one, and U+0001 sorts like NUL against ids, so the lookup keeps its answer
 * (nothing found; the same cursor position) instead of failing. JSON parameters are unaffected:
 * JSON.stringify escapes NUL.
 */
export function withoutNul<T>(value: T): T {
  return (typeof value === 'string' && value.includes('\0') ? value.replaceAll('\0', '\u0001') : value) as T;
}
