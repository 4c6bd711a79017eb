import type { SchemaConfig } from '../../shared/schema-config';
import { SKIPPED_SCHEMA, type SchemaIssue, type SchemaVerdict } from '../../shared/verdicts';
import type { RawDelivery } from '../delivery/raw-delivery';
import { checkCatalog } from './catalog-check';
import { JsonSchemaCache, jsonSchemaIssues } from './json-schema';
import { parsedBodyOf } from './parse-body';

/** Compiled custom schemas, shared by every endpoint (keyed by the schema's text). */
const jsonSchemas = new JsonSchemaCache();

/**
 * The schema verdict of a delivery under an endpoint's `schema` config: the built-in catalog
 * (`auto` detects across all) and/or the endpoint's JSON Schema. `valid` / `invalid` with issues
 * (path + message), `unknown` when `auto` recognised nothing and there is no JSON Schema. Works on
 * bytes and headers only; never throws.
 */
export function validateDelivery(delivery: RawDelivery, config: SchemaConfig): SchemaVerdict {
  if (config.mode === 'off') return SKIPPED_SCHEMA;
  const catalogName = config.catalog ?? (config.jsonSchema ? undefined : 'auto');
  const body = parsedBodyOf(delivery);
  const strict = config.jsonSchema !== undefined || (catalogName !== undefined && catalogName !== 'auto');
  if (body.kind === 'unparsed') {
    return { status: strict ? 'invalid' : 'unknown', ...(catalogName && catalogName !== 'auto' && { catalog: catalogName }), issues: [{ path: '(root)', message: body.reason }] };
  }
  try {
    const issues: SchemaIssue[] = [];
    const found = catalogName ? checkCatalog(body.value, catalogName) : null;
    if (found) issues.push(...found.issues);
    if (config.jsonSchema) issues.push(...jsonSchemaIssues(jsonSchemas, config.jsonSchema, body.value));
    const checked = found?.eventType !== undefined || config.jsonSchema !== undefined || (found !== null && catalogName !== 'auto');
    return {
      status: issues.length > 0 ? 'invalid' : checked ? 'valid' : 'unknown',
      ...(found?.eventType && { eventType: found.eventType }),
      ...(found && { catalog: found.catalog }),
      issues,
    };
  } catch (error) {
    return { status: 'invalid', issues: [{ path: '(root)', message: `the schema check failed unexpectedly: ${(error as Error).message}` }] };
  }
}
