import type { SchemaConfig } from '../../shared/schema-config';
import { SKIPPED_SCHEMA, type SchemaVerdict } from '../../shared/verdicts';
import type { RawDelivery } from '../ingest/capture';

/** The schema verdict of a delivery under an endpoint's `schema` config. */
export function validateDelivery(_delivery: RawDelivery, config: SchemaConfig): SchemaVerdict {
  if (config.mode === 'off') return SKIPPED_SCHEMA;
  return { status: 'unknown', issues: [] };
}
