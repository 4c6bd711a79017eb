import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv2020 from 'ajv/dist/2020.js';
import type { SchemaIssue } from '../../shared/verdicts';
import { memoByIdentity } from '../memo-by-identity';
import { BoundedCache } from '../verify/bounded-cache';
import { ajvIssues } from './issues';

type Compiled = { ok: true; validate: ValidateFunction } | { ok: false; issue: SchemaIssue };

/** The Ajv class for the draft the schema declares (`$schema`); draft-07 when it declares none. */
function ajvFor(schema: Record<string, unknown>): Ajv {
  const declared = String(schema.$schema ?? '');
  // strict off: users paste schemas written for other validators (unknown keywords, formats).
  const options = { allErrors: true, strict: false, validateFormats: false } as const;
  if (declared.includes('2020-12')) return new Ajv2020(options);
  if (declared.includes('2019-09')) return new Ajv2019(options);
  return new Ajv(options);
}

/**
 * Compiled custom JSON Schemas by their text: compiling is costly (Ajv generates code), configs
 * change rarely, so each distinct schema is compiled once.
 */
export class JsonSchemaCache {
  private readonly compiled = new BoundedCache<string, Compiled>(128);

  /** The compiled validator, or the issue that explains why the schema does not compile. */
  // Stored configs are frozen and shared, so most calls end at the identity memo.
  readonly get = memoByIdentity((schema: Record<string, unknown>): Compiled =>
    this.compiled.get(JSON.stringify(schema), () => {
      try {
        return { ok: true, validate: ajvFor(schema).compile(schema) };
      } catch (error) {
        return { ok: false, issue: { path: '(schema)', message: `the endpoint's JSON Schema does not compile: ${(error as Error).message}` } };
      }
    }),
  );
}

/** Issues of a value against a custom JSON Schema (empty when it conforms). */
export function jsonSchemaIssues(cache: JsonSchemaCache, schema: Record<string, unknown>, value: unknown): SchemaIssue[] {
  const compiled = cache.get(schema);
  if (!compiled.ok) return [compiled.issue];
  return compiled.validate(value) ? [] : ajvIssues(compiled.validate.errors, value);
}
