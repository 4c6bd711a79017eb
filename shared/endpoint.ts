import { z } from 'zod';
import { verifyConfigSchema } from './verify-config';
import { schemaConfigSchema } from './schema-config';
import { forwardConfigSchema } from './forward-config';
import { responseRulesSchema } from './rules';
import { alertRulesSchema } from './alerts';
import { rateLimitSchema } from './rate-limit';

export const MAX_RESPONSE_DELAY_MS = 30_000;
export const DEFAULT_MAX_CAPTURES = 1000;

const responseFields = {
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string().min(1).max(200), z.string().max(8192)),
  /** Absent: the default `{"ok":true,"id":"…"}` JSON body. */
  body: z.string().max(1_048_576).optional(),
  delayMs: z.number().int().min(0).max(MAX_RESPONSE_DELAY_MS), // ms
};

/** What ingest answers a delivery with. */
export const endpointResponseSchema = z.object({
  ...responseFields,
  status: responseFields.status.default(200),
  headers: responseFields.headers.default({}),
  delayMs: responseFields.delayMs.default(0),
});
export type EndpointResponse = z.infer<typeof endpointResponseSchema>;

const maxCapturesSchema = z.number().int().min(1).max(1_000_000);
export const retentionSchema = z.object({ maxCaptures: maxCapturesSchema.default(DEFAULT_MAX_CAPTURES) });

/** Endpoint ids: `default`, or ≥128 random bits in URL-safe base64 (22 characters). */
export const endpointIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an endpoint id is 1–64 letters, digits, "-" or "_"');

export const endpointSchema = z.object({
  id: endpointIdSchema,
  name: z.string().min(1).max(200),
  createdAt: z.number().int(), // ms since epoch
  updatedAt: z.number().int(), // ms since epoch
  response: endpointResponseSchema,
  retention: retentionSchema,
  verify: verifyConfigSchema,
  schema: schemaConfigSchema,
  forward: forwardConfigSchema.nullable().default(null),
  /** Response rules (shared/rules.ts): the first that applies answers, else `response`. */
  rules: responseRulesSchema.default([]),
  /** Alerts (shared/alerts.ts). */
  alerts: alertRulesSchema.default([]),
  /** Null: no limit. */
  rateLimit: rateLimitSchema.nullable().default(null),
});
export type Endpoint = z.infer<typeof endpointSchema>;

/** `POST /api/endpoints` body. */
export const createEndpointSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  /** Fields given replace the current (or default) ones; others stay. */
  /** `body: null` goes back to the default `{"ok":true,"id":…}` body. */
  response: z.strictObject({ ...responseFields, body: responseFields.body.nullable() }).partial().optional(),
  retention: z.strictObject({ maxCaptures: maxCapturesSchema }).partial().optional(),
  verify: verifyConfigSchema.optional(),
  schema: schemaConfigSchema.optional(),
  forward: forwardConfigSchema.nullable().optional(),
  rules: responseRulesSchema.optional(),
  alerts: alertRulesSchema.optional(),
  /** null removes the limit. */
  rateLimit: rateLimitSchema.nullable().optional(),
});
export type CreateEndpoint = z.infer<typeof createEndpointSchema>;

/** `PATCH /api/endpoints/:id` body: top-level fields replace, `response`/`retention` merge. */
export const updateEndpointSchema = createEndpointSchema;
export type UpdateEndpoint = CreateEndpoint;

/** An endpoint as the API shows it: secrets masked, capture count added. */
export const endpointViewSchema = endpointSchema.extend({
  captureCount: z.number().int(),
  /** Path of the ingest URL, `/h/<id>`. */
  ingestPath: z.string(),
  /** Deliveries this server instance answered 429 (over `rateLimit`) since it started; not stored. */
  rateLimitedCount: z.number().int().min(0).default(0),
});
export type EndpointView = z.infer<typeof endpointViewSchema>;
