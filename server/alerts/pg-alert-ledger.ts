import type { AlertAttempt } from '../../shared/alerts';
import type { Database } from '../store/postgres/database';
import type { AlertLedger } from './alert-ledger';

const KEPT_ATTEMPTS = 200; // attempts kept per endpoint
const KEPT_CLAIMS_DAYS = 8; // a claim outlives the longest window (7 days)

/**
 * The ledger shared by every instance on one database (tables in migrations/…_alert_windows):
 * a window is claimed by inserting its row, `ON CONFLICT DO NOTHING` — the unique key makes
 * exactly one instance's insert succeed, whichever commits first, so one message is sent.
 */
export class PgAlertLedger implements AlertLedger {
  constructor(private readonly db: Database) {}

  async claim(endpointId: string, alertKey: string, windowStart: number): Promise<boolean> {
    try {
      const { rowCount } = await this.db.query(
        `INSERT INTO alert_windows (endpoint_id, alert_key, window_start) VALUES ($1, $2, $3)
           ON CONFLICT (endpoint_id, alert_key, window_start) DO NOTHING`,
        [endpointId, alertKey, windowStart],
      );
      if (rowCount === 1) {
        await this.db.query(`DELETE FROM alert_windows WHERE claimed_at < now() - interval '${KEPT_CLAIMS_DAYS} days'`);
      }
      return rowCount === 1;
    } catch (error) {
      if ((error as { code?: string }).code === '23503') return false; // the endpoint was deleted meanwhile
      throw error;
    }
  }

  async record(attempt: AlertAttempt): Promise<void> {
    try {
      await this.db.query('INSERT INTO alert_attempts (endpoint_id, attempt) VALUES ($1, $2)', [attempt.endpointId, JSON.stringify(attempt)]);
      await this.db.query(
        `DELETE FROM alert_attempts WHERE endpoint_id = $1 AND id < (
           SELECT id FROM alert_attempts WHERE endpoint_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`,
        [attempt.endpointId, KEPT_ATTEMPTS - 1],
      );
    } catch (error) {
      if ((error as { code?: string }).code !== '23503') throw error; // endpoint gone: nothing to keep
    }
  }

  async list(endpointId: string, limit: number): Promise<AlertAttempt[]> {
    const { rows } = await this.db.query<{ attempt: AlertAttempt }>(
      'SELECT attempt FROM alert_attempts WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2',
      [endpointId, limit],
    );
    return rows.map((r) => r.attempt);
  }
}
