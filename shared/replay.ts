import { z } from 'zod';
import { headerPairsSchema, replayAttemptSchema } from './capture';

/** Bytes on the wire as JSON: UTF-8 text when the bytes are valid UTF-8, else base64. */
export const bodyValueSchema = z.object({ encoding: z.enum(['utf8', 'base64']), data: z.string() });
export type BodyValue = z.infer<typeof bodyValueSchema>;

/** Header overrides: a string replaces every value of that header (name matched case-insensitively); null removes it. */
export const headerOverridesSchema = z.record(z.string().min(1).max(200).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name'), z.string().max(8192).nullable());
export type HeaderOverrides = z.infer<typeof headerOverridesSchema>;

/** Re-sign with the endpoint's signature scheme and a fresh timestamp/id; without `secret` the endpoint's own secret is used. */
export const resignSchema = z.object({ secret: z.string().min(1).max(4096).optional() });
export type Resign = z.infer<typeof resignSchema>;

/** Options shared by one replay, a bulk replay and "copy as curl". */
const sendOptionsShape = {
  /** Replaces the captured headers; hop-by-hop headers and Host are always dropped, Content-Length recomputed. */
  headers: headerOverridesSchema.optional(),
  /** Append the capture's sub-path (after `/h/:id`) and query string to the target URL. */
  appendPath: z.boolean().optional(),
  resign: resignSchema.optional(),
  /** Give up waiting for the target after this long, ms (default 10 000). */
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
  /** Follow up to 5 redirects (each hop checked by the target policy); off by default. */
  followRedirects: z.boolean().optional(),
};

/** `POST /api/requests/:id/replay`. */
export const replayRequestSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  /** Replacement body; absent: the captured bytes exactly. */
  body: bodyValueSchema.optional(),
  ...sendOptionsShape,
});
export type ReplayRequest = z.infer<typeof replayRequestSchema>;

/** What Hookscope put on the wire (for the dialog to show next to the answer). */
export const sentRequestSchema = z.object({
  method: z.string(),
  url: z.string(),
  headers: headerPairsSchema,
  bodySize: z.number().int(), // bytes
  bodySha256: z.string(), // hex
});
export type SentRequest = z.infer<typeof sentRequestSchema>;

/** Answer of `POST /api/requests/:id/replay` (200 even when the target failed: see `attempt.error`). */
export const replayResultSchema = z.object({
  captureId: z.string(),
  attempt: replayAttemptSchema,
  sent: sentRequestSchema,
});
export type ReplayResult = z.infer<typeof replayResultSchema>;

/** Which captures of an endpoint a bulk replay takes; every given field must match. */
export const bulkFilterSchema = z.strictObject({
  methods: z.array(z.string().min(1).max(20)).max(20).optional(),
  /** Captures received at or after / before this time, ms since epoch. */
  since: z.number().int().optional(),
  until: z.number().int().optional(),
  /** Only captures after this capture id (exclusive). */
  afterId: z.string().max(64).optional(),
  pathPrefix: z.string().max(2000).optional(),
  signature: z.array(z.enum(['valid', 'invalid', 'missing', 'expired', 'skipped'])).optional(),
  eventType: z.string().max(200).optional(),
  /** Include deliveries Hookscope refused (401/413/422); default false. */
  includeRejected: z.boolean().optional(),
});
export type BulkFilter = z.infer<typeof bulkFilterSchema>;

export const MAX_BULK_ITEMS = 10_000;

/** `POST /api/endpoints/:id/replay`: `ids` (replayed in capture order) or `filter`, not both. */
export const bulkReplayRequestSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  ids: z.array(z.string().min(1).max(64)).min(1).max(MAX_BULK_ITEMS).optional(),
  filter: bulkFilterSchema.optional(),
  /** Replays in flight at once; 1 sends strictly in capture order, each after the previous answered. */
  concurrency: z.number().int().min(1).max(32).default(1),
  ...sendOptionsShape,
}).refine((r) => !(r.ids && r.filter), { message: 'give either ids or filter, not both', path: ['ids'] });
export type BulkReplayRequest = z.infer<typeof bulkReplayRequestSchema>;

/** A bulk replay job (answer of the start, status and cancel routes; `bulk-progress` stream messages carry the same counters). */
export const bulkJobSchema = z.object({
  jobId: z.string(),
  endpointId: z.string(),
  url: z.string(),
  createdAt: z.number(), // ms since epoch
  total: z.number().int(),
  done: z.number().int(),
  /** Target answered 2xx. */
  ok: z.number().int(),
  /** Target answered another status, or could not be reached. */
  failed: z.number().int(),
  finished: z.boolean(),
  cancelled: z.boolean(),
  /** Mean duration of the attempts done, ms; null before the first. */
  meanLatencyMs: z.number().nullable(),
});
export type BulkJob = z.infer<typeof bulkJobSchema>;

/** `POST /api/requests/:id/curl`: like a replay request, the URL defaulting to the capture's original URL. */
export const curlRequestSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).optional(),
  body: bodyValueSchema.optional(),
  ...sendOptionsShape,
});
export type CurlRequest = z.infer<typeof curlRequestSchema>;

/** A shell command (POSIX sh) that sends exactly the capture's bytes; binary bodies go through a here-document decoded by `base64 -d` into a file sent with `--data-binary @file`. */
export const curlCommandSchema = z.object({ command: z.string(), binaryBody: z.boolean() });
export type CurlCommand = z.infer<typeof curlCommandSchema>;

/** `POST /api/requests/:id/attempts`: a `hookscope forward` client reports what the local target answered. */
export const reportedAttemptSchema = replayAttemptSchema.omit({ id: true, kind: true });
export type ReportedAttempt = z.infer<typeof reportedAttemptSchema>;

export const transferFormatSchema = z.enum(['har', 'jsonl']);
export type TransferFormat = z.infer<typeof transferFormatSchema>;

/** Query of `GET /api/endpoints/:id/export` (and of import, where it overrides sniffing). */
export const transferQuerySchema = z.object({ format: transferFormatSchema.optional() });

/** Answer of `POST /api/endpoints/:id/import`: ids of the new captures, in order. */
export const importResultSchema = z.object({ imported: z.number().int(), ids: z.array(z.string()) });
export type ImportResult = z.infer<typeof importResultSchema>;

/** One line of a JSON Lines export: a capture with its exact bytes. */
export const jsonlCaptureSchema = z.object({
  id: z.string().optional(),
  receivedAt: z.number(), // ms since epoch
  method: z.string().min(1).max(20),
  path: z.string().max(8192),
  query: z.string().max(65_536),
  peer: z.string().max(200).default(''),
  headers: headerPairsSchema,
  body: bodyValueSchema,
  reply: z.object({ status: z.number().int(), rejected: z.string().optional() }).optional(),
  verdicts: z.unknown().optional(),
  deliveryId: z.string().nullable().optional(),
  eventType: z.string().max(200).nullable().optional(),
});
export type JsonlCapture = z.infer<typeof jsonlCaptureSchema>;
