import { join } from 'node:path';
import { z } from 'zod';
import { alertAttemptSchema, type AlertAttempt } from '../../shared/alerts';
import { DurableJsonFile } from '../store/durable-json-file';

/**
 * Where alert windows are claimed and alert attempts recorded. Every implementation must make
 * `claim` true for exactly one caller per (endpoint, alert, window) — across restarts, and for
 * the PostgreSQL one across every instance sharing the database — so a message is sent once.
 */
export interface AlertLedger {
  /** True when this caller won the window and must send its message; false when someone already did. */
  claim(endpointId: string, alertKey: string, windowStart: number): Promise<boolean>;
  /** Records one try at sending a message. */
  record(attempt: AlertAttempt): Promise<void>;
  /** The endpoint's latest attempts, newest first, at most `limit`. */
  list(endpointId: string, limit: number): Promise<AlertAttempt[]>;
}

const KEPT_CLAIMS = 10_000; // claims remembered (far more windows than can be open at once)
const KEPT_ATTEMPTS = 200; // attempts kept per endpoint

const fileSchema = z.object({ version: z.literal(1), claims: z.array(z.string()), attempts: z.array(alertAttemptSchema) });
type LedgerFile = z.infer<typeof fileSchema>;

/**
 * The embedded store's ledger: `<data>/alerts.json`, replaced atomically (fsynced) on each
 * change. One process owns the data folder (data-lock), so claims need no coordination beyond
 * surviving a restart.
 */
export class FileAlertLedger implements AlertLedger {
  private writes: Promise<unknown> = Promise.resolve();
  private claims: Set<string>;

  private constructor(private readonly file: DurableJsonFile<LedgerFile>, private data: LedgerFile) {
    this.claims = new Set(data.claims);
  }

  /** Reads the ledger (an absent file is an empty one); CorruptDataError on a damaged file. */
  static async open(dir: string): Promise<FileAlertLedger> {
    const file = new DurableJsonFile(join(dir, 'alerts.json'), (v) => fileSchema.parse(v));
    return new FileAlertLedger(file, (await file.read()) ?? { version: 1, claims: [], attempts: [] });
  }

  claim(endpointId: string, alertKey: string, windowStart: number): Promise<boolean> {
    const id = `${endpointId} ${alertKey} ${windowStart}`;
    if (this.claims.has(id)) return Promise.resolve(false);
    this.claims.add(id);
    return this.change((data) => ({ ...data, claims: [...data.claims, id].slice(-KEPT_CLAIMS) })).then(() => true);
  }

  record(attempt: AlertAttempt): Promise<void> {
    return this.change((data) => {
      const attempts = [...data.attempts, attempt];
      const mine = attempts.filter((a) => a.endpointId === attempt.endpointId);
      const drop = mine.length > KEPT_ATTEMPTS ? new Set(mine.slice(0, mine.length - KEPT_ATTEMPTS)) : null;
      return { ...data, attempts: drop ? attempts.filter((a) => !drop.has(a)) : attempts };
    });
  }

  async list(endpointId: string, limit: number): Promise<AlertAttempt[]> {
    return this.data.attempts.filter((a) => a.endpointId === endpointId).reverse().slice(0, limit);
  }

  /** Serialized read-modify-write; the in-memory copy changes once the file has. */
  private change(edit: (data: LedgerFile) => LedgerFile): Promise<void> {
    const run = this.writes.then(async () => {
      const next = edit(this.data);
      await this.file.write(next);
      this.data = next;
    });
    this.writes = run.catch(() => undefined);
    return run;
  }
}
