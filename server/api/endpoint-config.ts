import { endpointSchema, type CreateEndpoint, type Endpoint, type EndpointView } from '../../shared/endpoint';
import { parseBody, ValidationError } from '../errors';
import { JsonSchemaCache } from '../validate/json-schema';
import { maskSecrets, restoreMaskedSecrets } from './secrets';
import { maskAlertUrls, restoreAlertUrls } from '../alerts/alert-url-mask';

/** A custom JSON Schema that does not compile is refused when saved, not discovered on each delivery. */
function checkJsonSchema(endpoint: Endpoint): Endpoint {
  const schema = endpoint.schema.jsonSchema;
  if (schema === undefined) return endpoint;
  const compiled = new JsonSchemaCache().get(schema);
  if (!compiled.ok) {
    throw new ValidationError(`invalid endpoint: schema.jsonSchema: ${compiled.issue.message}`, [{ path: 'schema.jsonSchema', message: compiled.issue.message }]);
  }
  return endpoint;
}

/** A new endpoint from a create request, every field defaulted. */
export function buildEndpoint(id: string, input: CreateEndpoint, now: number): Endpoint {
  return checkJsonSchema(parseBody(
    endpointSchema,
    {
      id,
      name: input.name ?? (id === 'default' ? 'Default endpoint' : `Endpoint ${id.slice(0, 6)}`),
      createdAt: now,
      updatedAt: now,
      response: withoutNullBody(input.response ?? {}),
      retention: input.retention ?? {},
      verify: input.verify ?? { mode: 'off' },
      schema: input.schema ?? { mode: 'off' },
      forward: stampForward(input.forward ?? null, null, now),
      rules: input.rules ?? [],
      alerts: input.alerts ?? [],
      rateLimit: input.rateLimit ?? null,
    },
    'endpoint',
  ));
}

/** Applies a PATCH: `response` and `retention` merge field by field, other fields replace. */
export function applyUpdate(previous: Endpoint, input: CreateEndpoint, now: number): Endpoint {
  const merged = {
    ...previous,
    ...(input.name !== undefined && { name: input.name }),
    ...(input.response !== undefined && { response: withoutNullBody({ ...previous.response, ...input.response }) }),
    ...(input.retention !== undefined && { retention: { ...previous.retention, ...input.retention } }),
    ...(input.verify !== undefined && { verify: input.verify }),
    ...(input.schema !== undefined && { schema: input.schema }),
    ...(input.forward !== undefined && { forward: stampForward(input.forward, previous.forward, now) }),
    ...(input.rules !== undefined && { rules: input.rules }),
    ...(input.alerts !== undefined && { alerts: input.alerts }),
    ...(input.rateLimit !== undefined && { rateLimit: input.rateLimit }),
    updatedAt: now,
  };
  return checkJsonSchema(restoreAlertUrls(restoreMaskedSecrets(parseBody(endpointSchema, merged, 'endpoint'), previous), previous));
}

/** The endpoint as the API and stream show it; `rateLimitedCount` is this instance's count of 429s. */
export function endpointView(endpoint: Endpoint, captureCount: number, rateLimitedCount = 0): EndpointView {
  return { ...maskAlertUrls(maskSecrets(endpoint)), captureCount, ingestPath: `/h/${endpoint.id}`, rateLimitedCount };
}

/** A new or retargeted forward rule starts now; an unchanged one keeps its start (never the client's). */
function stampForward(next: Endpoint['forward'], previous: Endpoint['forward'], now: number): Endpoint['forward'] {
  if (next === null) return null;
  const same = previous !== null && previous.url === next.url && previous.mode === next.mode && previous.since !== undefined;
  return { ...next, since: same ? previous.since : now };
}

/** `body: null` in a request means "no custom body": the field is dropped. */
function withoutNullBody<T extends { body?: string | null }>(response: T): Omit<T, 'body'> & { body?: string } {
  const { body, ...rest } = response;
  return body === null || body === undefined ? rest : { ...rest, body };
}
