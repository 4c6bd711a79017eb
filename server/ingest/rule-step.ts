import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'express';
import type { CaptureReply } from '../../shared/capture';
import type { Endpoint } from '../../shared/endpoint';
import type { Verdicts } from '../../shared/verdicts';
import { sha256Hex } from '../signing/digests';
import type { RawDelivery } from '../delivery/raw-delivery';
import type { Store } from '../store/store';
import { buildReply, type Reply } from './reply';
import { decideRules, describeAnswer, firstAttemptsAsked, type RuleAnswer, type RuleRequest } from './response-rules';

/** What judge() found about a delivery. */
export interface Judged {
  verdicts: Verdicts;
  deliveryId: string | null;
  duplicateOf: string | null;
  eventType: string | null;
}

export interface Ruled {
  /** As judged, with a body-hash delivery id when a `firstAttempts` rule needed one. */
  judged: Judged;
  /** What the capture records as the reply (0: no answer). */
  reply: CaptureReply;
  answer: RuleAnswer;
}

/**
 * The response-rules step: a delivery ingest accepted meets the endpoint's rules. A rejected one
 * (401, 422) keeps its rejection. `firstAttempts` counts the deliveries with the same delivery id
 * that the store holds; when the platform gives no id, `sha256:<hex of the body>` becomes the
 * delivery id so its retries are counted (and grouped in the timeline).
 */
export async function applyRules(
  store: Store, delivery: RawDelivery, endpoint: Endpoint, judged: Judged, reply: CaptureReply, random: () => number,
): Promise<Ruled> {
  const rules = endpoint.rules ?? []; // endpoints stored before rules existed have none
  if (reply.rejected !== undefined || rules.length === 0) return { judged, reply, answer: { kind: 'endpoint' } };
  const request: RuleRequest = { method: delivery.method, path: delivery.path, eventType: judged.eventType, headers: delivery.headers, body: delivery.body };
  const asked = firstAttemptsAsked(rules, request);
  let keyed = judged;
  let previousAttempts = 0;
  if (asked > 0) {
    if (keyed.deliveryId === null) {
      const deliveryId = `sha256:${sha256Hex(delivery.body)}`;
      keyed = { ...keyed, deliveryId, duplicateOf: await store.findByDeliveryId(endpoint.id, deliveryId) };
    }
    previousAttempts = (await store.deliveryAttempts(endpoint.id, keyed.deliveryId as string, asked)).length;
  }
  const { answer } = decideRules(rules, request, { previousAttempts, random });
  return { judged: keyed, reply: replyOf(answer, reply), answer };
}

function replyOf(answer: RuleAnswer, accepted: CaptureReply): CaptureReply {
  switch (answer.kind) {
    case 'endpoint':
      return accepted;
    case 'response':
      return { status: answer.response.status ?? accepted.status };
    case 'fail':
      return { status: answer.status };
    default:
      return { status: 0 }; // drop, timeout: nothing was answered
  }
}

/** The endpoint as a `response` rule makes it answer: the rule's fields over the endpoint's. */
function withRuleResponse(endpoint: Endpoint, answer: Extract<RuleAnswer, { kind: 'response' }>): Endpoint {
  const { response } = answer;
  return { ...endpoint, response: { ...endpoint.response, ...response, headers: { ...endpoint.response.headers, ...response.headers } } };
}

/** Answers (or, for drop and timeout, does not answer) a stored delivery as its rule says. */
export async function sendRuleAnswer(
  res: Response, endpoint: Endpoint, captureId: string, answer: Exclude<RuleAnswer, { kind: 'endpoint' }>, verdicts: Verdicts,
  send: (reply: Reply) => void,
): Promise<void> {
  switch (answer.kind) {
    case 'response': {
      const answered = withRuleResponse(endpoint, answer);
      if (answered.response.delayMs > 0) await sleep(answered.response.delayMs);
      return send(buildReply(answered, captureId, { status: answered.response.status }, verdicts));
    }
    case 'fail': {
      const error = `failure injected by response rule ${answer.rule.index + 1}${answer.rule.name ? ` (${answer.rule.name})` : ''}: ${describeAnswer(answer)}`;
      return send({ status: answer.status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ error, id: captureId }) });
    }
    case 'drop':
      res.socket?.destroy();
      return;
    case 'timeout':
      await heldUntilClosed(res, answer.timeoutMs);
      res.socket?.destroy();
  }
}

/** Resolves after `ms`, or sooner when the sender (or shutdown) closes the connection. */
function heldUntilClosed(res: Response, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on('close', done);
  });
}
