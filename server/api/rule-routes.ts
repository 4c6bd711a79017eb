import { Router } from 'express';
import { rulePreviewRequestSchema, type RulePreview } from '../../shared/rules';
import type { RawDelivery } from '../delivery/raw-delivery';
import { NotFoundError, parseBody } from '../errors';
import { deliveryIdOf } from '../ingest/dedupe';
import { decideRules, describeAnswer, type RuleAnswer } from '../ingest/response-rules';
import type { Store } from '../store/store';
import { validateDelivery } from '../validate';
import { eventTypeOf } from '../validate/event-type';
import { sha256Hex } from '../signing/digests';

/**
 * `POST /api/endpoints/:id/rules/preview`: how the endpoint's rules (or a draft of them) would
 * answer a sample request. Evaluated on the server with ingest's own code (event type, delivery
 * id, rule decision); nothing is stored, published or forwarded. A `rate` failure is reported
 * as firing (its share is in the note).
 */
export function createRuleRoutes({ store, now }: { store: Store; now: () => number }): Router {
  const router = Router();
  router.post('/endpoints/:id/rules/preview', async (req, res) => {
    const endpoint = await store.getEndpoint(req.params.id);
    if (!endpoint) throw new NotFoundError(`no endpoint with id "${req.params.id}"`);
    const input = parseBody(rulePreviewRequestSchema, req.body, 'rules preview');
    const rules = input.rules ?? endpoint.rules ?? [];
    const { method, path, headers, body: text } = input.request;
    const body = Buffer.from(text, 'utf8');
    const delivery: RawDelivery = {
      endpointId: endpoint.id, method: method.toUpperCase(), path, query: '', url: `http://preview/h/${endpoint.id}${path}`,
      headers,
      peer: '', body, receivedAt: now(),
    };
    const eventType = eventTypeOf(delivery, validateDelivery(delivery, endpoint.schema));
    const platformId = deliveryIdOf(delivery);
    const counts = rules.some((r) => r.fail?.firstAttempts !== undefined);
    const deliveryId = platformId ?? (counts ? `sha256:${sha256Hex(body)}` : null);
    const { answer, steps } = decideRules(rules, { ...delivery, eventType }, { previousAttempts: input.previousAttempts, random: () => 0 });
    const preview: RulePreview = { eventType, deliveryId, trace: steps, answer: previewAnswer(answer, endpoint.response, steps.at(-1)?.note) };
    res.json(preview);
  });
  return router;
}

function previewAnswer(answer: RuleAnswer, response: { status: number; delayMs: number }, stepNote: string | undefined): RulePreview['answer'] {
  const note = answer.kind === 'endpoint' ? describeAnswer(answer) : (stepNote ?? describeAnswer(answer));
  switch (answer.kind) {
    case 'endpoint':
      return { rule: null, status: response.status, delayMs: response.delayMs, note };
    case 'response':
      return { rule: answer.rule, status: answer.response.status ?? response.status, delayMs: answer.response.delayMs ?? response.delayMs, note };
    case 'fail':
      return { rule: answer.rule, status: answer.status, note };
    case 'drop':
      return { rule: answer.rule, note };
    case 'timeout':
      return { rule: answer.rule, timeoutMs: answer.timeoutMs, note };
  }
}
