import type { Response } from 'express';
import type { HeaderPairs, ReplayAttempt } from '../../shared/capture';
import type { Endpoint } from '../../shared/endpoint';
import { DEFAULT_PROXY_TIMEOUT_MS } from '../../shared/forward-config';
import type { RawDelivery } from '../delivery/raw-delivery';
import { DEFAULT_MAX_RESPONSE_BYTES, type Sender, type SendOutcome } from '../replay/http-send';
import { recordAttempt, toAttempt } from '../replay/attempt';
import { buildOutgoing, forwardableHeaders } from '../replay/outgoing';
import { TargetRefusedError } from '../replay/target-guard';
import type { Store, StoredCapture } from '../store/store';
import type { Logger } from '../logging/logger';
import type { Hub } from '../stream/hub';

const MAX_PROXIED_BYTES = 10 * 1024 * 1024; // bytes of a target's answer relayed to the sender

/** The target's answer, relayed to the platform as the ingest reply. */
export interface ProxiedAnswer {
  status: number;
  headers: HeaderPairs;
  body: Buffer;
}

export interface ProxyResult {
  /** Null when the target did not answer in time (or at all): the endpoint's configured response is sent instead. */
  answer: ProxiedAnswer | null;
  attempt: ReplayAttempt;
}

/** `proxy` forward rules: the delivery goes to the target before the reply, and the target's answer becomes the reply. */
export interface ProxyForwarder {
  /** Sends the delivery to the rule's URL, waiting at most the rule's `timeoutMs`. Never rejects for a failing target. */
  forward(delivery: RawDelivery, endpoint: Endpoint): Promise<ProxyResult>;
  /** Records the attempt on the stored capture and pushes it on the stream; never rejects (a failure is logged). */
  record(capture: StoredCapture, attempt: ReplayAttempt): Promise<void>;
  /** Resolves once every record started so far is written (called before the store closes). */
  drain(): Promise<void>;
}

/** The attempt as stored: the answer's body capped like a replay's, whatever was relayed. */
function storedAttempt(outcome: SendOutcome): ReplayAttempt {
  const capped = outcome.body && outcome.body.length > DEFAULT_MAX_RESPONSE_BYTES;
  return toAttempt(capped ? { ...outcome, body: outcome.body?.subarray(0, DEFAULT_MAX_RESPONSE_BYTES), truncated: true } : outcome, 'forward', 1);
}

export function createProxyForwarder(deps: { store: Store; hub: Hub; sender: Sender; now: () => number; logger: Logger }): ProxyForwarder {
  const recording = new Set<Promise<void>>(); // records run after the reply: shutdown waits for them
  return {
    async forward(delivery, endpoint) {
      const rule = endpoint.forward as NonNullable<Endpoint['forward']>;
      const outgoing = buildOutgoing(delivery, { url: rule.url, appendPath: rule.appendPath ?? true });
      let outcome: SendOutcome;
      try {
        outcome = await deps.sender.send(outgoing, { timeoutMs: rule.timeoutMs ?? DEFAULT_PROXY_TIMEOUT_MS, maxResponseBytes: MAX_PROXIED_BYTES });
      } catch (error) {
        if (!(error instanceof TargetRefusedError)) throw error;
        outcome = { startedAt: deps.now(), durationMs: 0, url: outgoing.url, truncated: false, error: error.message };
      }
      const attempt = storedAttempt(outcome);
      if (outcome.status === undefined || outcome.truncated) {
        if (outcome.truncated) attempt.error = `the answer is over ${MAX_PROXIED_BYTES} bytes; the configured response was sent instead`;
        return { answer: null, attempt };
      }
      return { answer: { status: outcome.status, headers: outcome.headers ?? [], body: outcome.body ?? Buffer.alloc(0) }, attempt };
    },
    async record(capture, attempt) {
      const done: Promise<void> = recordAttempt(deps, capture.endpointId, capture.id, attempt)
        .then(() => undefined)
        .catch((error: unknown) => deps.logger.error({ err: error, capture: capture.id }, `forward rules: recording the proxy attempt of ${capture.id} failed`))
        .finally(() => {
          recording.delete(done);
        });
      recording.add(done);
      await done;
    },
    async drain() {
      await Promise.all([...recording]);
    },
  };
}

/** Writes the target's answer as the ingest reply: its status, end-to-end headers (repeats kept) and exact body. */
export function sendProxiedAnswer(res: Response, answer: ProxiedAnswer, head: boolean): void {
  res.status(answer.status);
  for (const [name, value] of forwardableHeaders(answer.headers)) res.appendHeader(name, value);
  if (head) res.end();
  else res.end(answer.body);
}
