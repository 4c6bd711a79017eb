import { randomBytes } from 'node:crypto';
import type { HubEvent } from '../../../shared/stream';
import type { Logger } from '../../logging/logger';
import type { Database } from './database';

/**
 * What travels on the NOTIFY channel. A NOTIFY payload must stay under 8000 bytes, so a capture
 * is announced by id only (receivers read the summary from the store, in id order) and any
 * other event too large to fit is written to `hub_spill` and announced by its row id.
 * `o`/`n` (origin instance, sequence) make every payload unique: PostgreSQL delivers identical
 * payloads sent in one transaction only once.
 */
export type Notice =
  | { o: string; n: number; c: [endpointId: string, captureId: string] }
  | { o: string; n: number; e: HubEvent }
  | { o: string; n: number; s: string };

/** Payloads above this go through the spill table (the server's limit is 8000 bytes). */
export const MAX_PAYLOAD_BYTES = 7900;
const SPILL_TTL = '10 minutes';
const BATCH = 200;

export function parseNotice(payload: string | undefined): Notice | null {
  try {
    const notice = JSON.parse(payload ?? '') as Notice;
    return typeof notice === 'object' && notice !== null && typeof notice.o === 'string' ? notice : null;
  } catch {
    return null;
  }
}

/** The payload of a spilled event; null when it is gone (older than the TTL). */
export async function readSpill(db: Database, id: string): Promise<HubEvent | null> {
  const { rows } = await db.query<{ payload: string }>('SELECT payload FROM hub_spill WHERE id = $1', [id]);
  return rows[0] ? (JSON.parse(rows[0].payload) as HubEvent) : null;
}

interface Outgoing {
  event: HubEvent;
  done: () => void;
}

/**
 * Sends events from this instance in the order they were published: one batch at a time, each
 * batch one statement (NOTIFYs of one transaction are delivered in the order sent, and
 * transactions in commit order). Never rejects: a failure is logged, and receivers recover
 * captures from the store at the next notice or reconnect.
 */
export class NoticePublisher {
  readonly origin = randomBytes(6).toString('base64url');
  private sequence = 0;
  private queue: Outgoing[] = [];
  private draining: Promise<void> | null = null;
  private lastSpillCleanup = 0;

  constructor(
    private readonly db: Database,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  publish(event: HubEvent): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ event, done: resolve });
      this.draining ??= this.drain().finally(() => (this.draining = null));
    });
  }

  /** Resolves once everything queued so far has been sent (or given up). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH);
      try {
        const payloads = await Promise.all(batch.map((item) => this.encode(item.event)));
        await this.db.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [this.channel, payloads]);
      } catch (error) {
        this.logger.warn({ err: error, events: batch.length }, `hub: could not publish ${batch.length} event(s); captures among them reach other instances at the next notice`);
      } finally {
        for (const item of batch) item.done();
      }
    }
  }

  private async encode(event: HubEvent): Promise<string> {
    const base = { o: this.origin, n: (this.sequence += 1) };
    if (event.type === 'capture') return JSON.stringify({ ...base, c: [event.capture.endpointId, event.capture.id] });
    const inline = JSON.stringify({ ...base, e: event });
    if (Buffer.byteLength(inline) <= MAX_PAYLOAD_BYTES) return inline;
    const { rows } = await this.db.query<{ id: string }>('INSERT INTO hub_spill (payload) VALUES ($1) RETURNING id', [JSON.stringify(event)]);
    await this.cleanSpill();
    return JSON.stringify({ ...base, s: (rows[0] as { id: string }).id });
  }

  /** Spilled events are read within milliseconds; rows older than the TTL are dropped now and then. */
  private async cleanSpill(): Promise<void> {
    if (Date.now() - this.lastSpillCleanup < 60_000) return;
    this.lastSpillCleanup = Date.now();
    await this.db.query(`DELETE FROM hub_spill WHERE created_at < now() - interval '${SPILL_TTL}'`).catch(() => undefined);
  }
}
