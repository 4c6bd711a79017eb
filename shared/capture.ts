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

/**
 * Ingest refused the delivery before keeping its body (413 over the limit, the memory budget):
 * `size` says how big it was, but there are no bytes to show, replay or copy. `storedBytes` is
 * the length of the body held.
 */
export function bodyNotKept(capture: { reply: CaptureReply; size: number }, storedBytes: number): boolean {
  return capture.reply.rejected !== undefined && storedBytes === 0 && capture.size > 0;
}

/** What a replay put on the wire, kept with its attempt so the history shows edits and fresh signatures. */
export const attemptSentSchema = z.object({
  method: z.string(),
  url: z.string(),
  /** As sent: Host first, the request's own, Content-Length last. */
  headers: headerPairsSchema,
  bodySize: z.number().int(), // bytes
  bodySha256: z.string(), // hex
  /** The body, only when it differs from the captured one (edited); capped at 256 KiB. */
  body: z.object({ encoding: z.enum(['utf8', 'base64']), data: z.string(), truncated: z.boolean() }).optional(),
});
export type AttemptSent = z.infer<typeof attemptSentSchema>;

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
  /** What was sent (replays from the inspector or API; absent for forwards and older attempts). */
  sent: attemptSentSchema.optional(),
});
export type ReplayAttempt = z.infer<typeof replayAttemptSchema>;

/** Characters of body text a preview holds at most. */
export const PREVIEW_MAX = 160;

/** What the request list shows of a body at a glance; computed at ingest from its first bytes. */
export const bodyPreviewSchema = z.object({
  /** Content-Encoding as sent (`gzip`, `deflate`, `br`…), null when none. */
  encoding: z.string().max(40).nullable(),
  /** The (decoded) body is not text: not UTF-8, or holding NUL. */
  binary: z.boolean(),
  /** Its first characters on one line (whitespace collapsed, form fields decoded); '' when binary or empty. */
  text: z.string().max(PREVIEW_MAX),
});
export type BodyPreview = z.infer<typeof bodyPreviewSchema>;

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
  /** The body at a glance; null (or absent) for captures stored before previews were kept. */
  preview: bodyPreviewSchema.nullable().optional(),
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
  /** Parsed view for display, derived from the bytes (decoded first when content-encoded). */
  view: bodyViewSchema,
  /**
   * The body decoded from its Content-Encoding, for display (the bytes stay as they arrived); null
   * when it has none. `text` is null when the decoded bytes are not UTF-8; `error` says why decoding failed.
   */
  decoded: z.object({
    encoding: z.string(),
    size: z.number().int(), // bytes after decoding
    text: z.string().nullable(),
    error: z.string().optional(),
  }).nullable(),
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
  /** With `q`: how many captures match in all, given when the store knows it cheaply (e.g. field terms alone). */
  matched: z.number().int().optional(),
});
export type CaptureList = z.infer<typeof captureListSchema>;
