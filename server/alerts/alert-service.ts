import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AlertAttempt } from '../../shared/alerts';
import type { CaptureSummary } from '../../shared/capture';
import type { Endpoint } from '../../shared/endpoint';
import type { HubEvent } from '../../shared/stream';
import { maskAlertUrl } from './alert-url-mask';
import type { Sender } from '../replay/http-send';
import { TargetRefusedError } from '../replay/target-guard';
import type { Store } from '../store/store';
import type { Hub } from '../stream/hub';
import type { AlertLedger } from './alert-ledger';
import { alertMessage } from './alert-message';
import { silenceFiring, WindowCounter, type Firing } from './alert-windows';
import type { Logger } from '../logging/logger';

export interface AlertServiceDeps {
  store: Store;
  hub: Hub;
  /** The replay/forward sender: alert URLs obey the same target policy (`--replay-allow`). */
  sender: Sender;
  ledger: AlertLedger;
  now: () => number;
  logger: Logger;
  /** How often silence is checked, ms (0: only when `tick()` is called). */
  tickMs?: number;
  /** Waits before the 2nd, 3rd… try of a message that failed (network error or 5xx), ms. */
  retryDelaysMs?: number[];
  /** How long a receiver may take to answer, ms. */
  timeoutMs?: number;
}

/**
 * Watches every capture (through the hub, so with PostgreSQL each instance sees what every
 * instance stored), counts the events each endpoint's alerts watch in fixed windows, notices
 * silence on a timer, and sends one message per window: claimed in the ledger first, so of
 * several instances (or after a restart) only one sends it.
 */
export class AlertService {
  private readonly counter = new WindowCounter();
  /** Endpoints that have alerts, by id, unmasked (read from the store on every change). */
  private readonly watched = new Map<string, Endpoint>();
  /** Per endpoint with a silence alert: its last delivery, or the last change of its settings (ms). */
  private readonly since = new Map<string, number>();
  /** Windows this instance already handled (claimed or lost): no second round trip for them. */
  private readonly handled = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private unsubscribe: () => void = () => undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Aborted at close: retry waits and sends in flight stop rather than hold shutdown. */
  private readonly stopping = new AbortController();

  constructor(private readonly deps: AlertServiceDeps) {}

  /** Loads the endpoints with alerts and starts listening; resolves once it watches. */
  async start(): Promise<void> {
    this.unsubscribe = this.deps.hub.subscribe((event) => this.onEvent(event));
    for (const endpoint of await this.deps.store.listEndpoints()) await this.watch(endpoint.id);
    const tickMs = this.deps.tickMs ?? 5_000;
    if (tickMs > 0) {
      this.timer = setInterval(() => void this.tick(), tickMs);
      this.timer.unref();
    }
  }

  /** Checks every silence alert against the clock now (the timer calls it; tests call it after moving the clock). */
  async tick(): Promise<void> {
    const now = this.deps.now();
    for (const endpoint of this.watched.values()) {
      for (const [index, alert] of endpoint.alerts.entries()) {
        const since = this.since.get(endpoint.id);
        const firing = since === undefined ? null : silenceFiring(endpoint.id, alert, index, since, now);
        if (firing) this.fire(firing);
      }
    }
    this.counter.prune(now);
    await this.idle();
  }

  /** Resolves when every message being sent has been sent (or given up). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopping.abort();
    clearInterval(this.timer);
    this.unsubscribe();
    await this.idle();
  }

  private onEvent(event: HubEvent): void {
    if (event.type === 'capture') this.onCapture(event.capture);
    else if (event.type === 'endpoint-updated') this.track(this.watch(event.endpoint.id));
    else if (event.type === 'endpoint-deleted') {
      this.watched.delete(event.endpointId);
      this.since.delete(event.endpointId);
    }
  }

  private onCapture(capture: CaptureSummary): void {
    const endpoint = this.watched.get(capture.endpointId);
    if (!endpoint) return;
    const last = this.since.get(endpoint.id);
    if (last !== undefined && capture.receivedAt > last) this.since.set(endpoint.id, capture.receivedAt);
    for (const firing of this.counter.add(endpoint.alerts, capture)) this.fire(firing);
  }

  /** (Re)reads an endpoint's settings; the silence clock starts at its last delivery or this change. */
  private async watch(endpointId: string): Promise<void> {
    const endpoint = await this.deps.store.getEndpoint(endpointId);
    if (!endpoint || (endpoint.alerts ?? []).length === 0) {
      this.watched.delete(endpointId);
      this.since.delete(endpointId);
      return;
    }
    this.watched.set(endpointId, endpoint);
    if (endpoint.alerts.some((a) => a.on === 'silence')) {
      const newest = (await this.deps.store.list(endpointId, { limit: 1 })).items[0]?.receivedAt ?? 0;
      this.since.set(endpointId, Math.max(newest, endpoint.updatedAt, this.since.get(endpointId) ?? 0));
    }
  }

  private fire(firing: Firing): void {
    const id = `${firing.endpointId} ${firing.key} ${firing.windowStart}`;
    if (this.closed || this.handled.has(id)) return;
    this.handled.add(id);
    if (this.handled.size > 10_000) this.handled.clear(); // the ledger still refuses a second claim
    this.track(this.claimAndSend(firing));
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.deps.logger.error({ err: error }, 'alerts: a step failed')).finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  private async claimAndSend(firing: Firing): Promise<void> {
    if (!(await this.deps.ledger.claim(firing.endpointId, firing.key, firing.windowStart))) return;
    const endpoint = this.watched.get(firing.endpointId);
    const message = alertMessage(firing, endpoint?.name ?? firing.endpointId);
    const body = Buffer.from(JSON.stringify(message));
    const delays = this.deps.retryDelaysMs ?? [2_000, 10_000];
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.sendOnce(firing.alert.url, body);
      const { text: _text, ...facts } = message;
      const recorded: AlertAttempt = { ...facts, id: randomUUID(), url: maskAlertUrl(firing.alert.url), try: attempt, ...outcome };
      await this.deps.ledger.record(recorded);
      await this.deps.hub.publish({ type: 'alert-sent', endpointId: firing.endpointId, attempt: recorded });
      const retry = outcome.error !== undefined ? !outcome.error.startsWith('refused by the target policy') : (outcome.status ?? 0) >= 500;
      const delay = delays[attempt - 1];
      if (!retry || delay === undefined || this.closed) return;
      const waited = await sleep(delay, true, { signal: this.stopping.signal, ref: false }).catch(() => false);
      if (!waited) return;
    }
  }

  private async sendOnce(url: string, body: Buffer): Promise<Pick<AlertAttempt, 'startedAt' | 'durationMs' | 'status' | 'error'>> {
    const startedAt = this.deps.now();
    try {
      const headers: [string, string][] = [['Content-Type', 'application/json'], ['User-Agent', 'Hookscope-Alerts']];
      const outcome = await this.deps.sender.send({ method: 'POST', url, headers, body }, { timeoutMs: this.deps.timeoutMs ?? 10_000, signal: this.stopping.signal });
      return { startedAt, durationMs: Math.round(outcome.durationMs), ...(outcome.status !== undefined && { status: outcome.status }), ...(outcome.error !== undefined && { error: outcome.error }) };
    } catch (error) {
      if (!(error instanceof TargetRefusedError)) throw error;
      return { startedAt, durationMs: 0, error: `refused by the target policy: ${error.message}` };
    }
  }
}
