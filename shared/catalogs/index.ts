import { z } from 'zod';
import type { CatalogName } from '../schema-config';
import type { Catalog, CatalogEvent, SampleContext } from './catalog';
import { journeyFeedbackCatalog } from './journey-feedback';
import { messagingCatalog } from './messaging';
import { twilioMessagingCatalog } from './twilio-messaging';
import { whatsappCloudCatalog } from './whatsapp-cloud';

export type { Catalog, CatalogEvent, SampleContext } from './catalog';
export { fixedSampleContext } from './catalog';

/** Every built-in catalog, in the order `auto` tries them. */
export const CATALOGS: readonly Catalog[] = [journeyFeedbackCatalog, whatsappCloudCatalog, twilioMessagingCatalog, messagingCatalog];

/** A catalog by name. */
export function catalogNamed(name: Exclude<CatalogName, 'auto'>): Catalog {
  return CATALOGS.find((c) => c.name === name) as Catalog;
}

/** A catalog event by its full name (`whatsapp-cloud.status.read`), with its catalog; null when unknown. */
export function findEvent(name: string): { catalog: Catalog; event: CatalogEvent } | null {
  for (const catalog of CATALOGS) {
    const event = catalog.events.find((e) => e.name === name);
    if (event) return { catalog, event };
  }
  return null;
}

/** One event as `GET /api/catalogs` shows it: what it means, what it looks like, what it must satisfy. */
export const catalogEventInfoSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** A realistic body (form events: a record of strings), with fresh ids on every call. */
  sample: z.record(z.string(), z.unknown()),
  /** The event's schema as JSON Schema (draft 2020-12, the input side), derived from the zod schema. */
  jsonSchema: z.record(z.string(), z.unknown()),
});
export type CatalogEventInfo = z.infer<typeof catalogEventInfoSchema>;

/** `GET /api/catalogs`: what the inspector offers in its "send a test event" menu. */
export const catalogListSchema = z.array(
  z.object({
    name: z.string(),
    title: z.string(),
    encoding: z.enum(['json', 'form']),
    events: z.array(catalogEventInfoSchema),
  }),
);
export type CatalogList = z.infer<typeof catalogListSchema>;

// Deriving JSON Schema walks the whole zod schema: done once per event, the catalogs never change.
const jsonSchemas = new Map<string, Record<string, unknown>>();

/** An event's zod schema as JSON Schema; refinements zod cannot express are left out (accepting more). */
export function eventJsonSchema(event: CatalogEvent): Record<string, unknown> {
  let known = jsonSchemas.get(event.name);
  if (!known) {
    known = z.toJSONSchema(event.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    jsonSchemas.set(event.name, known);
  }
  return known;
}

/** The catalogs as listed by the API, each sample made with `context` (fresh ids and times). */
export function listCatalogs(context?: SampleContext): CatalogList {
  return CATALOGS.map(({ name, title, encoding, events }) => ({
    name, title, encoding,
    events: events.map((event) => ({ name: event.name, description: event.description, sample: event.sample(context), jsonSchema: eventJsonSchema(event) })),
  }));
}

/** `POST /api/endpoints/:id/test-events` body. */
export const testEventRequestSchema = z.strictObject({
  /** A catalog event name, e.g. `messaging.message-read`. */
  event: z.string().min(1).max(200),
  /**
   * The body to send instead of a fresh sample (the inspector's edited sample); form events send
   * each field as text. Absent: a new sample with fresh ids, so repeats are not duplicates.
   */
  payload: z.record(z.string(), z.unknown()).optional(),
});
export type TestEventRequest = z.infer<typeof testEventRequestSchema>;

/** `POST /api/endpoints/:id/test-events` answer: the sample went through real ingest. */
export const testEventResultSchema = z.object({
  /** The capture ingest stored. */
  id: z.string(),
  event: z.string(),
  /** The status ingest answered with. */
  status: z.number().int(),
  /** Schemes the sample was signed / authenticated with (`hmac:github`, `jwt`, `header-token`). */
  signedWith: z.array(z.string()),
  /** Why a configured scheme could not be applied (e.g. SendGrid: only SendGrid holds the private key). */
  notes: z.array(z.string()),
});
export type TestEventResult = z.infer<typeof testEventResultSchema>;
