import { z } from 'zod';

export const catalogNameSchema = z.enum(['auto', 'messaging', 'journey-feedback', 'whatsapp-cloud', 'twilio-messaging']);
export type CatalogName = z.infer<typeof catalogNameSchema>;

export const schemaConfigSchema = z.object({
  mode: z.enum(['off', 'observe', 'enforce']).default('off'),
  catalog: catalogNameSchema.optional(),
  /** A custom JSON Schema the body must satisfy. */
  jsonSchema: z.record(z.string(), z.unknown()).optional(),
});
export type SchemaConfig = z.infer<typeof schemaConfigSchema>;
