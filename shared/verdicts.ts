import { z } from 'zod';

/** Outcome of the signature / token check of one delivery. */
export const signatureVerdictSchema = z.object({
  status: z.enum(['valid', 'invalid', 'missing', 'expired', 'skipped']),
  /** Which scheme decided: `hmac:github`, `jwt`, `header-token`, `none`… */
  scheme: z.string(),
  /** One sentence a person understands: what was checked and what was wrong. */
  reason: z.string(),
  /** The signature doctor's diagnosis: the usual mistake that would have matched. */
  hint: z.string().optional(),
  /** Structured facts for the inspector (fingerprints, truncated digests, decoded JWT…); never a secret. */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type SignatureVerdict = z.infer<typeof signatureVerdictSchema>;

export const schemaIssueSchema = z.object({
  /** JSON path into the parsed body, e.g. `messageDeliveryFeedback.feedbackStatus.value`. */
  path: z.string(),
  /** A sentence naming the field and what was expected ("required field `session_id` is missing"). */
  message: z.string(),
  /** The validator's own words, when the sentence says it differently. */
  detail: z.string().optional(),
});
export type SchemaIssue = z.infer<typeof schemaIssueSchema>;

/** Outcome of the event-schema check of one delivery. */
export const schemaVerdictSchema = z.object({
  status: z.enum(['valid', 'invalid', 'unknown', 'skipped']),
  /** Catalog event detected, e.g. `messaging.message-read`; absent when none matched. */
  eventType: z.string().optional(),
  catalog: z.string().optional(),
  issues: z.array(schemaIssueSchema),
});
export type SchemaVerdict = z.infer<typeof schemaVerdictSchema>;

export const verdictsSchema = z.object({
  signature: signatureVerdictSchema,
  schema: schemaVerdictSchema,
});
export type Verdicts = z.infer<typeof verdictsSchema>;

export const SKIPPED_SIGNATURE: SignatureVerdict = { status: 'skipped', scheme: 'none', reason: 'verification is off for this endpoint' };
export const SKIPPED_SCHEMA: SchemaVerdict = { status: 'skipped', issues: [] };
