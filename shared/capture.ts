import { z } from 'zod';
import { capturedRuleSchema } from './rules';
import { verdictsSchema } from './verdicts';

/** Headers exactly as they arrived: order, case and repeats kept. */
export const headerPairsSchema = z.array(z.tuple([z.string(), z.string()]));
export type HeaderPairs = z.infer<typeof headerPairsSchema>;

export const captureReplySchema = z.object({
  status: z.number().int(),
  /** Why ingest refused the delivery (413, 401, 422…); absent when it was accepted. */
  rejected: z.string().optional(),
});
export type CaptureReply = z.infer<typeof captureReplySchema>;

/** Result of sending a capture somewhere else (replay, forward rule, `hookscope forward`). */
export const replayAttemptSchema = z.object({
  id: z.string(),
  kind: z.enum(['replay', 'forward', 'cli']),
  url: z.string(),
  startedAt: z.number(), // ms since epoch
  durationMs: z.number(), // ms
  status: z.number().int().optional(),
  headers: z.array(z.tuple([z.string(), z.string()])).optional(),
  body: z.object({ encoding: z.enum(['utf8', 'base64']), data: z.string(), truncated: z.boolean() }).optional(),
  error: z.string().optional(),
  attempt: z.number().int().optional(),
});
export type ReplayAttempt = z.infer<typeof replayAttemptSchema>;

/** Fields shared by the stored record, the stream summary and the API view. */
const captureCoreShape = {
  id: z.string(),
  endpointId: z.string(),
  receivedAt: z.number(), // ms since epoch
  method: z.string(),
  /** Sub-path after `/h/:endpointId`, `''` or starting with `/`. */
  path: z.string(),
  /** Raw query string without `?`. */
  query: z.string(),
  peer: z.string(),
  size: z.number().int(), // bytes of body as received
  contentType: z.string().nullable(),
  reply: captureReplySchema,
  verdicts: verdictsSchema,
  /** Delivery id the platform gave (webhook-id, X-GitHub-Delivery, event id…). */
  deliveryId: z.string().nullable(),
  /** First capture with the same delivery id, when this one repeats it. */
  duplicateOf: z.string().nullable(),
  /**
   * What kind of event it is (`push`, `pull_request.opened`, `messaging.message-read`,
   * `invoice.paid`…), whatever the schema mode; null when nothing in the delivery names it.
   */
  eventType: z.string().nullable(),
  /**
   * The response rule that answered (shared/rules.ts), null when none did. Absent only on
   * records made before rules existed (summaryOf gives null).
   */
  rule: capturedRuleSchema.nullable().optional(),
};

/** What the stream and request lists carry: everything but headers, query pairs and body. */
export const captureSummarySchema = z.object(captureCoreShape);
export type CaptureSummary = z.infer<typeof captureSummarySchema>;

export const bodyViewSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('empty') }),
  z.object({ kind: z.literal('json'), value: z.unknown() }),
  z.object({ kind: z.literal('form'), fields: z.array(z.tuple([z.string(), z.string()])) }),
  z.object({
    kind: z.literal('multipart'),
    parts: z.array(z.object({
      name: z.string().nullable(), filename: z.string().nullable(), contentType: z.string().nullable(),
      size: z.number().int(), text: z.string().nullable(),
    })),
  }),
  z.object({ kind: z.literal('text') }),
  z.object({ kind: z.literal('binary'), note: z.string().optional() }),
]);
export type BodyView = z.infer<typeof bodyViewSchema>;

/** One capture of a delivery (the platform's first try or a retry). */
export const deliveryAttemptSchema = z.object({
  id: z.string(),
  receivedAt: z.number(), // ms since epoch
  /** What Hookscope answered; 0 when it answered nothing (a rule dropped or held the connection). */
  status: z.number().int(),
});
export type DeliveryAttempt = z.infer<typeof deliveryAttemptSchema>;

/** `GET /api/requests/:id`. */
export const captureViewSchema = captureSummarySchema.extend({
  headers: headerPairsSchema,
  queryParams: z.array(z.tuple([z.string(), z.string()])),
  body: z.object({ encoding: z.enum(['utf8', 'base64']), data: z.string() }),
  /** Parsed view for display, derived from the bytes. */
  view: bodyViewSchema,
  replays: z.array(replayAttemptSchema),
  /** Every capture with this delivery id, oldest first (this one alone when it has none); at most 100. */
  deliveryAttempts: z.array(deliveryAttemptSchema),
});
export type CaptureView = z.infer<typeof captureViewSchema>;

/** `GET /api/endpoints/:id/requests`. */
export const captureListSchema = z.object({
  items: z.array(captureSummarySchema),
  /** Pass as `before` to get the next (older) page; null when there is none. */
  nextBefore: z.string().nullable(),
  total: z.number().int(),
});
export type CaptureList = z.infer<typeof captureListSchema>;
