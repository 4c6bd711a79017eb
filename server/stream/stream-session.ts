import type { CaptureSummary } from '../../shared/capture';
import type { ClientMessage, ServerMessage } from '../../shared/stream';
import type { Store } from '../store/store';
import { eventEndpointId, type HubEvent } from '../../shared/stream';
import type { Hub } from './hub';

const CATCH_UP_PAGE = 500;

interface Subscription {
  /** Id of the last capture sent; later ones only are sent. */
  lastSent: string | undefined;
  /** Live captures that arrived while catching up, sent once the catch-up is done. */
  pending: CaptureSummary[] | null;
}

export interface SessionDeps {
  store: Store;
  hub: Hub;
  /** `live`: a hub event (may be coalesced with others of the same tick), not catch-up. */
  send: (message: ServerMessage, live: boolean) => Promise<boolean>;
}

/**
 * One authenticated stream connection. Catch-up and live delivery meet without gap or
 * duplicate: the hub listener is registered before the store is read; live captures that
 * arrive during the catch-up wait in `pending`; every capture is sent only if its id sorts
 * after the last one sent for that endpoint.
 */
export class StreamSession {
  private subscriptions = new Map<string, Subscription>();
  private unsubscribe: () => void;

  constructor(private readonly deps: SessionDeps) {
    this.unsubscribe = deps.hub.subscribe((event) => this.onEvent(event));
  }

  send(message: ServerMessage, live = false): Promise<boolean> {
    return this.deps.send(message, live);
  }

  handle(message: ClientMessage): void {
    switch (message.type) {
      case 'subscribe':
        for (const { endpointId, cursor } of message.subscriptions) void this.subscribe(endpointId, cursor);
        break;
      case 'unsubscribe':
        for (const id of message.endpointIds) this.subscriptions.delete(id);
        break;
      case 'ping':
        void this.send({ type: 'pong' });
        break;
      case 'auth':
        break;
    }
  }

  dispose(): void {
    this.unsubscribe();
    this.subscriptions.clear();
  }

  private async subscribe(endpointId: string, cursor: string | undefined): Promise<void> {
    const subscription: Subscription = { lastSent: cursor, pending: [] };
    this.subscriptions.set(endpointId, subscription);
    try {
      for (;;) {
        const page = await this.deps.store.listAfter(endpointId, subscription.lastSent, CATCH_UP_PAGE);
        if (this.subscriptions.get(endpointId) !== subscription) return;
        let last: Promise<boolean> = Promise.resolve(true);
        for (const capture of page) last = this.sendCapture(subscription, capture);
        if (!(await last)) return; // connection gone or cut off
        if (page.length < CATCH_UP_PAGE) break;
      }
    } catch (error) {
      this.subscriptions.delete(endpointId);
      void this.send({ type: 'error', message: `cannot subscribe to ${endpointId}: ${(error as Error).message}` });
      return;
    }
    const pending = subscription.pending ?? [];
    subscription.pending = null;
    for (const capture of pending) void this.sendCapture(subscription, capture);
    void this.send({ type: 'caught-up', endpointId });
  }

  private sendCapture(subscription: Subscription, capture: CaptureSummary, live = false, event?: HubEvent): Promise<boolean> {
    if (subscription.lastSent !== undefined && capture.id <= subscription.lastSent) return Promise.resolve(true);
    subscription.lastSent = capture.id;
    return this.send(event ?? { type: 'capture', capture }, live);
  }

  private onEvent(event: HubEvent): void {
    if (event.type === 'endpoint-updated' || event.type === 'endpoint-deleted') {
      void this.send(event, true);
      return;
    }
    const subscription = this.subscriptions.get(eventEndpointId(event));
    if (!subscription) return;
    if (event.type === 'capture') {
      if (subscription.pending) subscription.pending.push(event.capture);
      else void this.sendCapture(subscription, event.capture, true, event);
      return;
    }
    if (event.type === 'captures-cleared') subscription.lastSent = undefined;
    void this.send(event, true);
  }
}
