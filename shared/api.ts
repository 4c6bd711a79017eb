import { z } from 'zod';

/** Every API error: a sentence for a person, and the problems one by one when there are several. */
export const apiErrorSchema = z.object({
  error: z.string(),
  /** `position`: where in a text input (0-based), e.g. a search query, the problem is. */
  details: z.array(z.object({ path: z.string(), message: z.string(), position: z.number().int().optional() })).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** Ingest's default reply. */
export const ingestReplySchema = z.object({ ok: z.literal(true), id: z.string() });

/** Query of `GET /api/endpoints/:id/requests`. */
export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  before: z.string().max(64).optional(),
  after: z.string().max(64).optional(),
  /** A search in the query language (shared/query.ts); only captures that match, newest first. */
  q: z.string().max(2000).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/** Answer of `DELETE /api/endpoints/:id/requests`. */
export const clearResultSchema = z.object({ deleted: z.number().int() });
export type ClearResult = z.infer<typeof clearResultSchema>;
