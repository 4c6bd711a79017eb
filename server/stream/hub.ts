import type { HubEvent } from '../../shared/stream';
import { silentLogger, type Logger } from '../logging/logger';

/**
 * Publish/subscribe of what happens to endpoints and captures. Every implementation passes
 * test/contract/hub-contract.ts: a subscriber receives each event published after it
 * subscribed exactly once, and events about one endpoint in the order they were published.
 */
export interface Hub {
  /** Sends an event to every subscriber (on every instance for a shared hub). */
  publish(event: HubEvent): Promise<void>;
  /** Calls `listener` for each event until the returned function is called. */
  subscribe(listener: (event: HubEvent) => void): () => void;
  /** Stops delivering; further publishes are dropped. */
  close(): Promise<void>;
}

/** The default hub: one process, synchronous fan-out. */
export class LocalHub implements Hub {
  private listeners = new Set<(event: HubEvent) => void>();
  private closed = false;

  /** `logger` hears of listeners that throw (a bug: the others still get the event). */
  constructor(private readonly logger: Logger = silentLogger()) {}

  async publish(event: HubEvent): Promise<void> {
    if (this.closed) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error, event: event.type }, 'hub: a listener failed');
      }
    }
  }

  subscribe(listener: (event: HubEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}
