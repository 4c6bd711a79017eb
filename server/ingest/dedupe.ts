import { asRecord } from '../../shared/catalogs/catalog';
import { parsedBodyOf } from '../validate/parse-body';
import { headerValue, type RawDelivery } from '../delivery/raw-delivery';

/** Headers platforms put their delivery id in, most specific first. */
const DELIVERY_ID_HEADERS = [
  'webhook-id',
  'svix-id',
  'x-github-delivery',
  'x-shopify-webhook-id',
  'i-twilio-idempotency-token',
  'x-request-id',
];

/** Bodies above this are not parsed just to find an id (the hot path stays cheap). */
const MAX_BODY_FOR_ID = 256 * 1024; // bytes

type IdRule = (body: Record<string, unknown>) => string | null;

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null);

/**
 * Ids inside bodies, for platforms that put none in a header. A retry repeats them; distinct events
 * never share them. Statuses are part of the id where one message gets several (sent, delivered…).
 */
const BODY_ID_RULES: IdRule[] = [
  // Stripe: the event id (`evt_…`), the same on every retry (docs.stripe.com/webhooks, "Handle duplicate events").
  (b) => (b.object === 'event' && typeof b.id === 'string' && b.id.startsWith('evt_') ? `stripe:${b.id}` : null),
  // Adobe Journey Optimizer feedback: requestId.
  (b) => (b.eventType === 'message.feedback' && text(b.requestId) ? `ajo:${text(b.requestId)}` : null),
  // Treble webhook center: event_id.
  (b) => (typeof b.event_type === 'string' && text(b.event_id) ? `treble:${text(b.event_id)}` : null),
  // WhatsApp Cloud API statuses: wamid + status (one message gets sent, delivered, read).
  (b) => {
    if (b.object !== 'whatsapp_business_account' || !Array.isArray(b.entry)) return null;
    const change = asRecord((asRecord(b.entry[0])?.changes as unknown[] | undefined)?.[0]);
    const status = asRecord((asRecord(change?.value)?.statuses as unknown[] | undefined)?.[0]);
    return status && text(status.id) ? `wamid:${text(status.id)}:${text(status.status) ?? ''}` : null;
  },
  // Twilio status callbacks: MessageSid + MessageStatus.
  (b) => (text(b.MessageSid) && text(b.MessageStatus) ? `twilio:${text(b.MessageSid)}:${text(b.MessageStatus)}` : null),
];

/**
 * Text a body must contain for each id rule (all of a row) or SendGrid's array rule to match: a
 * body that fits no row is not parsed at all, which keeps dedupe's CPU off other senders' path.
 */
const BODY_ID_MARKERS: readonly (readonly string[])[] = [
  ['"object"', 'evt_'], // Stripe
  ['message.feedback'], // Journey Optimizer
  ['event_type', 'event_id'], // Treble webhook center
  ['whatsapp_business_account'], // WhatsApp Cloud API
  ['MessageSid', 'MessageStatus'], // Twilio
  ['sg_event_id'], // SendGrid
];

function bodyIdOf(delivery: RawDelivery): string | null {
  if (delivery.body.length === 0 || delivery.body.length > MAX_BODY_FOR_ID) return null;
  // A compressed body is not decoded just to look for an id: anyone could make ingest inflate
  // megabytes per request (the schema check decodes it when an endpoint asks for one).
  if ((headerValue(delivery.headers, 'content-encoding') ?? 'identity').trim().toLowerCase() !== 'identity') return null;
  if (!BODY_ID_MARKERS.some((row) => row.every((marker) => delivery.body.includes(marker)))) return null;
  const parsed = parsedBodyOf(delivery);
  if (parsed.kind === 'unparsed') return null;
  // SendGrid posts an array of events, each with sg_event_id: the first identifies the batch.
  if (Array.isArray(parsed.value)) {
    const first = asRecord(parsed.value[0]);
    return first && text(first.sg_event_id) ? `sendgrid:${text(first.sg_event_id)}` : null;
  }
  const body = asRecord(parsed.value);
  if (!body) return null;
  for (const rule of BODY_ID_RULES) {
    const id = rule(body);
    if (id) return id;
  }
  return null;
}

/**
 * The platform's id for this delivery (the same on a retry), or null when it gives none: a
 * delivery-id header first (webhook-id, X-GitHub-Delivery…), then an id inside the body of a known
 * platform (Stripe event id, AJO requestId, Treble event_id, wamid + status, MessageSid + status).
 */
export function deliveryIdOf(delivery: RawDelivery): string | null {
  for (const name of DELIVERY_ID_HEADERS) {
    const value = headerValue(delivery.headers, name);
    if (value) return `${name}:${value}`.slice(0, 300);
  }
  return bodyIdOf(delivery)?.slice(0, 300) ?? null;
}
