import pg from 'pg';
import type { CaptureSummary } from '../../shared/capture';
import { NotFoundError } from '../errors';
import type { Database } from '../store/postgres/database';
import { NoticePublisher, parseNotice, readSpill, type Notice } from '../store/postgres/notify-channel';
import { eventEndpointId, type HubEvent } from '../../shared/stream';
import { silentLogger, type Logger } from '../logging/logger';
import type { Hub } from './hub';

/** What the hub reads captures from: the PostgreSQL store of this instance. */
export interface CaptureFeed {
  db: Database;
  listAfter(endpointId: string, cursor: string | undefined, limit: number): Promise<CaptureSummary[]>;
  /** Newest capture id of every endpoint holding any. */
  latestIds(): Promise<Map<string, string>>;
}

export interface PgHubOptions {
  feed: CaptureFeed;
  /** For the dedicated LISTEN connection (a pooled one would be handed to other queries). */
  connectionString: string;
  channel?: string;
  logger?: Logger;
  /** Back-off bounds for re-establishing LISTEN after the database went away, ms. */
  reconnectDelayMs?: { min: number; max: number };
}

const PAGE = 500;

/**
 * The hub of several instances sharing one database: every instance LISTENs on one channel and
 * publishes with NOTIFY, its own subscribers included (so all instances see one order).
 *
 * Captures are not trusted to arrive in order: two instances publish right after their own
 * commits, so their NOTIFYs can commit in either order. A capture notice only says "endpoint E
 * has news up to id I"; the hub then reads the store after its cursor for E and emits what it
 * finds, in id order. The store commits ids per endpoint in the order they sort (the endpoint
 * row lock of `hookscope_append`), so that read has no holes: a capture whose notice arrives
 * late was already emitted, and is skipped. Cursors start at each endpoint's newest id read
 * after LISTEN took effect (anything newer will be announced), and after a lost connection the
 * hub re-reads every endpoint past its cursor, so nothing committed meanwhile is missed — even
 * a capture whose instance died between commit and NOTIFY goes out with the next notice.
 */
export class PgHub implements Hub {
  private listeners = new Set<(event: HubEvent) => void>();
  private cursors = new Map<string, string>();
  private inbox: (Notice | 'resync')[] = [];
  private pumping = false;
  private listener: pg.Client | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private reconnectDelay: number;
  private closed = false;
  private readonly publisher: NoticePublisher;
  private readonly channel: string;
  private readonly logger: Logger;

  private constructor(private readonly options: PgHubOptions) {
    this.channel = options.channel ?? 'hookscope_events';
    this.logger = options.logger ?? silentLogger();
    this.publisher = new NoticePublisher(options.feed.db, this.channel, this.logger);
    this.reconnectDelay = options.reconnectDelayMs?.min ?? 250;
  }

  /** LISTENs and reads where every endpoint stands; rejects when the database is unreachable. */
  static async start(options: PgHubOptions): Promise<PgHub> {
    const hub = new PgHub(options);
    try {
      await hub.listen();
      for (const [endpointId, id] of await options.feed.latestIds()) hub.cursors.set(endpointId, id);
    } catch (error) {
      await hub.close();
      throw error;
    }
    return hub;
  }

  publish(event: HubEvent): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.publisher.publish(event);
  }

  subscribe(listener: (event: HubEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.publisher.flush();
    const client = this.listener;
    this.listener = null;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString, application_name: 'hookscope-hub',
      // A LISTEN connection only reads: TCP keepalive is what notices a peer that vanished silently.
      keepAlive: true, keepAliveInitialDelayMillis: 10_000,
    });
    client.on('notification', (message) => {
      if (message.channel !== this.channel) return;
      const notice = parseNotice(message.payload);
      if (notice) this.enqueue(notice);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined); // closed while connecting
      return;
    }
    this.listener = client;
  }

  /** The LISTEN connection broke: notices are lost until it is back, then a resync covers the gap. */
  private lost(client: pg.Client, error: Error): void {
    if (this.closed || this.listener !== client) return;
    this.listener = null;
    client.end().catch(() => undefined);
    this.logger.warn({ err: error }, `hub: lost the LISTEN connection (${error.message}); reconnecting`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(async () => {
      this.retryTimer = null;
      try {
        await this.listen();
        this.reconnectDelay = this.options.reconnectDelayMs?.min ?? 250;
        this.logger.info('hub: LISTEN connection back; catching up');
        this.enqueue('resync');
      } catch {
        this.reconnectDelay = Math.min(this.reconnectDelay * 2, this.options.reconnectDelayMs?.max ?? 5_000);
        this.scheduleReconnect();
      }
    }, this.reconnectDelay);
    this.retryTimer.unref();
  }

  private enqueue(item: Notice | 'resync'): void {
    if (this.closed) return;
    this.inbox.push(item);
    if (!this.pumping) void this.pump();
  }

  /** Handles notices one at a time, so that events leave in the order they arrived. */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (let item = this.inbox.shift(); item !== undefined && !this.closed; item = this.inbox.shift()) {
        try {
          await this.handle(item);
        } catch (error) {
          this.logger.warn({ err: error }, 'hub: could not read what a notice announced; retrying with a resync');
          this.retryResync();
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private async handle(item: Notice | 'resync'): Promise<void> {
    if (item === 'resync') {
      for (const [endpointId, latest] of await this.options.feed.latestIds()) {
        if (latest > (this.cursors.get(endpointId) ?? '')) await this.catchUp(endpointId);
      }
    } else if ('c' in item) {
      const [endpointId, id] = item.c;
      const cursor = this.cursors.get(endpointId);
      if (cursor === undefined || id > cursor) await this.catchUp(endpointId);
    } else if ('s' in item) {
      const event = await readSpill(this.options.feed.db, item.s);
      if (event) this.emitEvent(event);
    } else {
      this.emitEvent(item.e);
    }
  }

  /** Emits every capture of the endpoint after its cursor, in id order. */
  private async catchUp(endpointId: string): Promise<void> {
    for (;;) {
      let page: CaptureSummary[];
      try {
        page = await this.options.feed.listAfter(endpointId, this.cursors.get(endpointId), PAGE);
      } catch (error) {
        if (error instanceof NotFoundError) return; // the endpoint was deleted meanwhile
        throw error;
      }
      for (const capture of page) {
        this.cursors.set(endpointId, capture.id);
        this.emit({ type: 'capture', capture });
      }
      if (page.length < PAGE || this.closed) return;
    }
  }

  private emitEvent(event: HubEvent): void {
    // A recreated endpoint starts over: its captures are all new to this hub.
    if (event.type === 'endpoint-deleted') this.cursors.delete(eventEndpointId(event));
    this.emit(event);
  }

  private emit(event: HubEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error, event: event.type }, 'hub: a listener failed');
      }
    }
  }

  private retryResync(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.listener) this.enqueue('resync');
      else this.scheduleReconnect();
    }, 1_000);
    this.retryTimer.unref();
  }
}
