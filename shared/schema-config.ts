import { z } from 'zod';

/** Built-in event catalogs; `auto` detects across all of them. */
export const catalogNameSchema = z.enum(['auto', 'messaging', 'journey-feedback', 'whatsapp-cloud', 'twilio-messaging']);
export type CatalogName = z.infer<typeof catalogNameSchema>;

export const schemaConfigSchema = z.object({
  /** `observe` records the verdict; `enforce` also answers 422 with the issues when it is invalid. */
  mode: z.enum(['off', 'observe', 'enforce']).default('off'),
  /**
   * The catalog the payloads belong to. Absent: `auto` when there is no `jsonSchema`, none otherwise.
   * A named catalog calls an unrecognised payload invalid; `auto` calls it unknown.
   */
  catalog: catalogNameSchema.optional(),
  /** A custom JSON Schema (draft-07, 2019-09 or 2020-12 by `$schema`) the parsed body must satisfy. */
  jsonSchema: z.record(z.string(), z.unknown()).optional(),
});
export type SchemaConfig = z.infer<typeof schemaConfigSchema>;
