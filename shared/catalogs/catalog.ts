import { z } from 'zod';
import type { CatalogName } from '../schema-config';

/** Fresh values for a sample: a clock and unique ids, so two test events are not duplicates. */
export interface SampleContext {
  nowMs: number; // ms since epoch
  /** A new unique token (hex or alphanumeric), for ids the platform would make unique. */
  uniqueId: () => string;
}

/** A deterministic context: the same sample every time (tests, documentation). */
export function fixedSampleContext(nowMs = Date.UTC(2024, 4, 6, 12, 0, 0)): SampleContext {
  let counter = 0;
  return { nowMs, uniqueId: () => (++counter).toString(16).padStart(24, '0') };
}

/** One event a platform sends. */
export interface CatalogEvent {
  /** Stable name, `<catalog>.<event>`, e.g. `messaging.message-read`. */
  name: string;
  /** What the event means, one sentence. */
  description: string;
  /** The schema the parsed body must satisfy; objects are loose (platforms add fields without notice). */
  schema: z.ZodType;
  /** A realistic body for this event (form events: a record of strings). */
  sample(context?: SampleContext): Record<string, unknown>;
}

/** A platform's events, with a detector that says which event a parsed body is. */
export interface Catalog {
  name: Exclude<CatalogName, 'auto'>;
  title: string;
  /** How bodies are encoded on the wire. */
  encoding: 'json' | 'form';
  events: CatalogEvent[];
  /** The event name of a parsed body, or null when it is none of this catalog's events. */
  detect(body: unknown): string | null;
  /** Schema for a body the detector names but the list lacks (a status value the platform added). */
  envelope?: z.ZodType;
}

/** `"2021-06-22 15:19:06.473256"` (Treble: space, no zone) as well as ISO 8601 with a zone. */
export const looseTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/, 'expected a date-time like "2021-06-22 15:19:06" or ISO 8601');

/** Unix seconds sent as a string of digits (WhatsApp) — a number is tolerated too. */
export const unixSecondsText = z.union([z.string().regex(/^\d{9,11}$/, 'expected unix seconds as a string of digits'), z.number().int()]);

/** A number some senders send as a string (`"2"`). */
export const numberLike = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a number (or a string of digits)')]);

/** An id that is a number in some events and a string in others. */
export const idLike = z.union([z.string().min(1), z.number()]);

/** A plain object, for detectors. */
export function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** The unix-seconds text of a sample time, `offsetSec` from its clock. */
export function unixText(context: SampleContext, offsetSec = 0): string {
  return String(Math.floor(context.nowMs / 1000) + offsetSec);
}

/** `2024-05-06 12:00:00` in UTC, the zone-less form Treble sends. */
export function zonelessTime(context: SampleContext, offsetSec = 0): string {
  return new Date(context.nowMs + offsetSec * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}
