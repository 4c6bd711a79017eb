import type { z } from 'zod';

/** A zod schema and the name it has in the OpenAPI document (`components.schemas.<name>`). */
export interface NamedSchema {
  name: string;
  schema: z.ZodType;
}

export function named(name: string, schema: z.ZodType): NamedSchema {
  return { name, schema };
}

/** One success answer: a JSON body, bodies of other media types (null: any bytes), or none. */
export interface ApiAnswer {
  description: string;
  json?: NamedSchema;
  media?: Record<string, NamedSchema | null>;
}

/**
 * One `/api` route as the OpenAPI document describes it (server/openapi builds the document from
 * these; test/integration/openapi.test.ts fails when a mounted route has no entry or an entry
 * no route). Every body and parameter is a zod schema of shared/, never JSON Schema by hand.
 */
export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As Express mounts it, `:name` for a path parameter: `/api/endpoints/:id/requests`. */
  path: string;
  /** Stable name for generated clients, e.g. `listCaptures`. */
  operationId: string;
  /** Section of the document: `endpoints`, `captures`, `replay`, `transfer`, `catalogs`, `meta`. */
  tag: string;
  summary: string;
  description?: string;
  /** What each path or query parameter means, by name. */
  params?: Record<string, string>;
  /** The query string, one parameter per field. */
  query?: z.ZodObject;
  /** JSON request body. */
  body?: NamedSchema;
  /** A request body that is not JSON-parsed (an import file read as raw bytes). */
  rawBody?: { description: string; media: Record<string, NamedSchema | null> };
  /** Success answers by status. */
  responses: Record<number, ApiAnswer>;
  /** Error answers (`ApiError` bodies) by status, saying when; 401 is added to every route. */
  errors?: Record<number, string>;
}
