import { z } from 'zod';
import type { CatalogName } from '../schema-config';
import type { Catalog, CatalogEvent } from './catalog';
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

/** `GET /api/catalogs`: what the inspector offers in its "send a test event" menu. */
export const catalogListSchema = z.array(
  z.object({
    name: z.string(),
    title: z.string(),
    encoding: z.enum(['json', 'form']),
    events: z.array(z.object({ name: z.string(), description: z.string() })),
  }),
);
export type CatalogList = z.infer<typeof catalogListSchema>;

/** The catalogs as listed by the API. */
export function listCatalogs(): CatalogList {
  return CATALOGS.map(({ name, title, encoding, events }) => ({ name, title, encoding, events: events.map(({ name: n, description }) => ({ name: n, description })) }));
}

/** `POST /api/endpoints/:id/test-events` body. */
export const testEventRequestSchema = z.strictObject({
  /** A catalog event name, e.g. `messaging.message-read`. */
  event: z.string().min(1).max(200),
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
