import type { ReplayAttempt } from '../../shared/capture';
import type { Endpoint } from '../../shared/endpoint';
import { DEFAULT_FORWARD_ATTEMPTS } from '../../shared/forward-config';
import { recordAttempt, toAttempt } from '../replay/attempt';
import type { Sender } from '../replay/http-send';
import { buildOutgoing } from '../replay/outgoing';
import { TargetRefusedError } from '../replay/target-guard';
import type { Store, StoredCapture } from '../store/store';
import type { Logger } from '../logging/logger';
import type { Hub } from '../stream/hub';

export interface AsyncForwarderDeps {
  store: Store;
  hub: Hub;
  sender: Sender;
  now: () => number;
  logger: Logger;
  /** Wait before attempt `n + 1` after attempt `n` failed, ms. Default: 1 s doubling to 60 s, ±20 % jitter. */
  backoffMs?: (attempt: number) => number;
  /** Deliveries in flight at once across endpoints. */
  concurrency?: number;
  /** Bytes of bodies waiting (retries' timers not counted) before new deliveries are refused with a recorded error. */
  maxQueueBytes?: number;
}

interface Job {
  capture: StoredCapture;
  endpoint: Endpoint;
  attempt: number; // 1-based number of the next attempt
}

const QUEUED_OVERHEAD = 1024; // bytes a queued delivery costs beyond its body (headers, record)

export const defaultBackoffMs = (attempt: number): number => Math.min(60_000, 1000 * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);

/** 408, 429 and 5xx may succeed later; any other status is the handler's final word; network errors are retried. */
export function retryable(attempt: ReplayAttempt): boolean {
  if (attempt.status === undefined) return !attempt.error?.startsWith('target refused');
  return attempt.status === 408 || attempt.status === 429 || attempt.status >= 500;
}

/**
 * `async` forward rules: after a delivery is stored (the sender already has its answer), it is sent
 * to the rule's URL, retried with exponential backoff up to `maxAttempts`, every attempt recorded on
 * the capture and pushed on the stream. The queue lives in memory; the attempts recorded on the
 * captures are the durable state, from which `resume` picks up unsettled deliveries after a restart.
 */
export class AsyncForwarder {
  private queue: Job[] = [];
  private queuedBytes = 0;
  private active = 0;
  private timers = new Set<NodeJS.Timeout>();
  private inFlight = new Set<Promise<void>>();
  private closed = false;
  private readonly abort = new AbortController();

  constructor(private readonly deps: AsyncForwarderDeps) {}

  /** The ingest hook: queues accepted deliveries of endpoints with an `async` rule. */
  readonly onStored = (capture: StoredCapture, endpoint: Endpoint): void => {
    if (this.closed || endpoint.forward?.mode !== 'async' || capture.reply.rejected !== undefined) return;
    if (this.queuedBytes >= (this.deps.maxQueueBytes ?? 64 * 1024 * 1024)) {
      const attempt = toAttempt({ startedAt: this.deps.now(), durationMs: 0, url: endpoint.forward.url, truncated: false, error: 'not forwarded: the forward queue is full (the target is too slow)' }, 'forward', 1);
      void recordAttempt(this.deps, capture.endpointId, capture.id, attempt).catch((error: unknown) => this.deps.logger.error({ err: error, capture: capture.id }, 'forward rules: recording an attempt failed'));
      return;
    }
    this.enqueue({ capture, endpoint, attempt: 1 });
  };

  /**
   * After a restart: queues the deliveries an async rule has not settled — received since the rule
   * started, accepted, and never tried or last tried with a retryable failure below the attempt
   * limit. One that was in flight when the server stopped is sent again (at least once).
   */
  async resume(): Promise<number> {
    let resumed = 0;
    for (const endpoint of await this.deps.store.listEndpoints()) {
      const rule = endpoint.forward;
      if (rule?.mode !== 'async' || rule.since === undefined) continue;
      let cursor: string | undefined;
      for (;;) {
        const page = await this.deps.store.listAfter(endpoint.id, cursor, 200);
        for (const summary of page) {
          if (this.closed) return resumed;
          if (summary.receivedAt < rule.since || summary.reply.rejected !== undefined) continue;
          const capture = await this.deps.store.get(summary.id);
          const attempt = capture ? nextAttempt(capture.replays, rule.maxAttempts ?? DEFAULT_FORWARD_ATTEMPTS) : null;
          if (!capture || attempt === null) continue;
          while (this.queuedBytes >= (this.deps.maxQueueBytes ?? 64 * 1024 * 1024) && !this.closed) await new Promise((r) => setTimeout(r, 100));
          this.enqueue({ capture, endpoint, attempt });
          resumed += 1;
        }
        if (page.length < 200) break;
        cursor = page[page.length - 1]?.id;
      }
    }
    return resumed;
  }

  /** Deliveries queued or in flight (for tests and benchmarks). */
  get pending(): number {
    return this.queue.length + this.inFlight.size + this.timers.size;
  }

  /** Stops retries, aborts requests in flight and waits for them to be recorded. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue = [];
    this.queuedBytes = 0;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.abort.abort();
    await Promise.all([...this.inFlight]);
  }

  private enqueue(job: Job): void {
    this.queue.push(job);
    this.queuedBytes += job.capture.body.length + QUEUED_OVERHEAD;
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.active < (this.deps.concurrency ?? 16) && this.queue.length > 0) {
      const job = this.queue.shift() as Job;
      this.queuedBytes -= job.capture.body.length + QUEUED_OVERHEAD;
      this.active += 1;
      // The slot is held for the HTTP exchange only; recording the attempt (a durable write) runs beside the next sends.
      const run = this.send(job)
        .finally(() => {
          this.active -= 1;
          this.pump();
        })
        .then(async (attempt) => {
          if (attempt) await this.settle(job, attempt);
        })
        .catch((error: unknown) => this.deps.logger.error({ err: error, capture: job.capture.id }, `forward rules: forwarding capture ${job.capture.id} failed`))
        .finally(() => this.inFlight.delete(run));
      this.inFlight.add(run);
    }
  }

  /** One attempt; null when it was cut short by shutdown (not a failure of the target). */
  private async send(job: Job): Promise<ReplayAttempt | null> {
    const rule = job.endpoint.forward as NonNullable<Endpoint['forward']>;
    const outgoing = buildOutgoing(job.capture, { url: rule.url, appendPath: rule.appendPath ?? true });
    let attempt: ReplayAttempt;
    try {
      attempt = toAttempt(await this.deps.sender.send(outgoing, { signal: this.abort.signal }), 'forward', job.attempt);
    } catch (error) {
      if (!(error instanceof TargetRefusedError)) throw error;
      attempt = toAttempt({ startedAt: this.deps.now(), durationMs: 0, url: outgoing.url, truncated: false, error: error.message }, 'forward', job.attempt);
    }
    return this.closed && attempt.error === 'cancelled' ? null : attempt;
  }

  /** Records the attempt, then schedules the next one when it failed in a way that may pass. */
  private async settle(job: Job, attempt: ReplayAttempt): Promise<void> {
    await recordAttempt(this.deps, job.capture.endpointId, job.capture.id, attempt);
    const maxAttempts = job.endpoint.forward?.maxAttempts ?? DEFAULT_FORWARD_ATTEMPTS;
    if (!retryable(attempt) || job.attempt >= maxAttempts || this.closed) return;
    // The timer holds ids only (not the body), and the retry follows the rule as it is by then.
    const { id: captureId, endpointId } = job.capture;
    const rule = job.endpoint.forward;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.retry(captureId, endpointId, rule, job.attempt + 1).catch((error: unknown) => this.deps.logger.error({ err: error, capture: captureId }, `forward rules: retrying capture ${captureId} failed`));
    }, (this.deps.backoffMs ?? defaultBackoffMs)(job.attempt));
    this.timers.add(timer);
  }

  /** Queues the next attempt unless the rule was removed or retargeted, or the capture is gone. */
  private async retry(captureId: string, endpointId: string, rule: Endpoint['forward'], attempt: number): Promise<void> {
    const endpoint = await this.deps.store.getEndpoint(endpointId);
    const current = endpoint?.forward;
    if (this.closed || !endpoint || current?.mode !== 'async' || current.url !== rule?.url) return;
    const capture = await this.deps.store.get(captureId);
    if (capture) this.enqueue({ capture, endpoint, attempt });
  }
}

/** The number of the next forward attempt a capture needs, or null when it is settled. */
export function nextAttempt(replays: ReplayAttempt[], maxAttempts: number): number | null {
  const tried = replays.filter((attempt) => attempt.kind === 'forward');
  const last = tried[tried.length - 1];
  if (!last) return 1;
  const number = last.attempt ?? tried.length;
  return retryable(last) && number < maxAttempts ? number + 1 : null;
}
