import { z } from 'zod';
import type { ApiRoute, NamedSchema } from '../../shared/api-routes';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

/**
 * The named zod schemas of the routes as JSON Schema 2020-12 (OpenAPI 3.1's dialect), through
 * zod's own `toJSONSchema`: request bodies as they may be sent (`io: input`: fields with defaults
 * optional), answers as they are sent (`io: output`). A name used both ways gets an `Input` twin.
 */
export class SchemaComponents {
  private readonly byIo: Record<Io, Map<string, z.ZodType>> = { input: new Map(), output: new Map() };

  /** Registers a schema and returns the `$ref` to it. Throws when one name is given two schemas. */
  ref(named: NamedSchema, io: Io): { $ref: string } {
    const known = this.byIo[io].get(named.name);
    if (known && known !== named.schema) throw new Error(`OpenAPI: two different schemas are named ${named.name}`);
    this.byIo[io].set(named.name, named.schema);
    return { $ref: `#/components/schemas/${this.componentName(named.name, io)}` };
  }

  private componentName(name: string, io: Io): string {
    return io === 'input' && this.isOutput(name) ? `${name}Input` : name;
  }

  private isOutput(name: string): boolean {
    return this.byIo.output.has(name);
  }

  /** `components.schemas`, once every route has been registered. */
  schemas(): Record<string, JsonSchema> {
    const all: Record<string, JsonSchema> = {};
    for (const io of ['output', 'input'] as const) {
      const registry = z.registry<{ id: string }>();
      for (const [name, schema] of this.byIo[io]) registry.add(schema, { id: this.componentName(name, io) });
      const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}` });
      for (const [id, schema] of Object.entries(schemas)) all[id] = withoutIds(schema as JsonSchema);
    }
    return all;
  }
}

/** zod marks each generated schema with `$schema` and `$id`; in components they are noise (the dialect is the document's). */
function withoutIds(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

/** One query field as a JSON Schema (the parsed form: `limit` is an integer). */
export function fieldSchema(field: z.ZodType): JsonSchema {
  return withoutIds(z.toJSONSchema(field, { io: 'output' }) as JsonSchema);
}

/** Is the query field optional (absent means its default or nothing)? */
export function isOptional(field: z.ZodType): boolean {
  return field.safeParse(undefined).success;
}

export type { ApiRoute, JsonSchema };
