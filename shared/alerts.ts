import { z } from 'zod';

export const MAX_ALERTS = 20;
export const MAX_ALERT_WINDOW_SEC = 7 * 24 * 3600; // s

/**
 * What an alert watches: deliveries whose signature is not valid (invalid, expired or missing
 * while verification is on), whose payload fails its schema, that Hookscope refused (401, 413,
 * 422…), or the absence of any delivery.
 */
export const alertKindSchema = z.enum(['signature-invalid', 'schema-invalid', 'rejected', 'silence']);
export type AlertKind = z.infer<typeof alertKindSchema>;

/**
 * One alert: when `threshold` matching deliveries arrive within one window of `windowSec`
 * (windows are fixed and aligned to the clock: 60 s windows start on the minute), or, for
 * `silence`, when no delivery has arrived for `windowSec`, one JSON message is POSTed to `url`.
 */
export const alertRuleSchema = z.strictObject({
  on: alertKindSchema,
  /** Matching deliveries that make a window alert; ignored by `silence`. */
  threshold: z.number().int().min(1).max(100_000).default(1),
  windowSec: z.number().int().min(10).max(MAX_ALERT_WINDOW_SEC), // s; at least 10: one message per window
  /** Where the message goes (a Slack or Mattermost incoming webhook, or anything that takes JSON). */
  url: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2048),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;

export const alertRulesSchema = z.array(alertRuleSchema).max(MAX_ALERTS);

/** The JSON message POSTed to an alert's URL (`text` is what Slack and Mattermost display). */
export const alertMessageSchema = z.object({
  text: z.string(),
  endpointId: z.string(),
  alert: alertKindSchema,
  /** Matching deliveries in the window when it fired (0 for `silence`). */
  count: z.number().int(),
  windowSec: z.number().int(), // s
  windowStart: z.number(), // ms since epoch
  /** Up to 5 of the captures counted, oldest first. */
  captureIds: z.array(z.string()),
});
export type AlertMessage = z.infer<typeof alertMessageSchema>;

/** One try at delivering an alert message, as recorded and shown in Settings. */
export const alertAttemptSchema = alertMessageSchema.omit({ text: true }).extend({
  id: z.string(),
  url: z.string(),
  /** 1 for the first try of a window's message, then 2, 3 on retries. */
  try: z.number().int(),
  startedAt: z.number(), // ms since epoch
  durationMs: z.number(), // ms
  status: z.number().int().optional(),
  error: z.string().optional(),
});
export type AlertAttempt = z.infer<typeof alertAttemptSchema>;

/** `GET /api/endpoints/:id/alerts/attempts?limit=` query (default 50). */
export const alertAttemptsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** `GET /api/endpoints/:id/alerts/attempts`: newest first. */
export const alertAttemptListSchema = z.object({ items: z.array(alertAttemptSchema) });
