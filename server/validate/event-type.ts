import { CATALOGS } from '../../shared/catalogs';
import { asRecord } from '../../shared/catalogs/catalog';
import type { SchemaVerdict } from '../../shared/verdicts';
import { headerValue, type RawDelivery } from '../delivery/raw-delivery';
import { parsedBodyOf, peekParsedBody, type ParsedBody } from './parse-body';

/** Longest event type kept (a payload chooses it). */
const MAX_EVENT_TYPE = 200; // characters
/** Bodies above this are not parsed just to name their event (the hot path stays cheap). */
const MAX_BODY_FOR_TYPE = 256 * 1024; // bytes

const clip = (value: string) => value.trim().slice(0, MAX_EVENT_TYPE) || null;
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/**
 * Headers that name the event, most specific first. GitHub's `X-GitHub-Event` is completed by the
 * body's `action` (`pull_request.opened`), as GitHub's own docs name events.
 */
const EVENT_HEADERS = ['x-github-event', 'x-shopify-topic', 'x-gitlab-event', 'x-event-key'] as const;

/** The body's own name for its event, for platforms whose payload says it (after the catalogs). */
function bodyEventType(value: unknown): string | null {
  const body = asRecord(value);
  if (!body) return null;
  // Slack Events API: the envelope is `event_callback`; the event is inside.
  const inner = asRecord(body.event);
  if (body.type === 'event_callback' && inner && str(inner.type)) return str(inner.type);
  // Twilio status callbacks (form fields) when the catalog did not claim them.
  const twilio = str(body.MessageStatus) ?? str(body.SmsStatus);
  if (twilio && (str(body.MessageSid) || str(body.SmsSid))) return `twilio.${twilio}`;
  // Stripe and Standard Webhooks put it in `type`; many others in `event`, `event_type`, `eventType`.
  return str(body.type) ?? str(body.event) ?? str(body.event_type) ?? str(body.eventType);
}

/** The parsed body when it is cheap and safe to get: never inflates a compressed body on its own. */
function parsedForType(delivery: RawDelivery, given: ParsedBody | undefined) {
  const known = given ?? peekParsedBody(delivery);
  if (known) return known;
  if (delivery.body.length === 0 || delivery.body.length > MAX_BODY_FOR_TYPE) return null;
  const encoding = (headerValue(delivery.headers, 'content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') return null; // anyone could make ingest inflate megabytes per request
  return parsedBodyOf(delivery);
}

/**
 * What kind of event a delivery is, whatever the endpoint's schema mode: the catalog event the
 * schema check found; else a platform's event header (`X-GitHub-Event` + `action`,
 * `X-Shopify-Topic`, `X-Gitlab-Event`, `X-Event-Key`); else a built-in catalog's detector; else a
 * known body field (Slack `event.type`, Twilio `MessageStatus`, a top-level string `type`,
 * `event`, `event_type` or `eventType`). Null when nothing names it. Never throws. `parsed` is the
 * body as parsedBodyOf would give it, when the caller has already parsed it.
 */
export function eventTypeOf(delivery: RawDelivery, schema: SchemaVerdict, parsed?: ParsedBody): string | null {
  if (schema.eventType) return clip(schema.eventType);
  for (const name of EVENT_HEADERS) {
    const value = headerValue(delivery.headers, name);
    if (value === null || value.trim() === '') continue;
    if (name === 'x-github-event' && delivery.body.includes('"action"')) {
      const body = parsedForType(delivery, parsed);
      const action = body?.kind === 'json' ? str(asRecord(body.value)?.action) : null;
      if (action) return clip(`${value.trim()}.${action}`);
    }
    return clip(value);
  }
  const body = parsedForType(delivery, parsed);
  if (!body || body.kind === 'unparsed') return null;
  try {
    for (const catalog of CATALOGS) {
      const detected = catalog.detect(body.value);
      if (detected) return clip(detected);
    }
  } catch {
    // A detector meeting an odd body is no reason to lose the capture's other facts.
  }
  const named = bodyEventType(body.value);
  return named === null ? null : clip(named);
}
