import { apiErrorSchema } from '../../shared/api';
import { named, type ApiAnswer, type ApiRoute, type NamedSchema } from '../../shared/api-routes';
import { fieldSchema, isOptional, SchemaComponents, type JsonSchema } from './components';

const ApiError = named('ApiError', apiErrorSchema);

/** Errors any route may answer besides its own. */
const COMMON_ERRORS: Record<number, string> = {
  401: 'missing or wrong token (`Authorization: Bearer <token>`)',
  503: 'the store cannot serve now (database down, disk failing); retry later',
};

/** `/api/endpoints/:id` → `/api/endpoints/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

function parameters(route: ApiRoute): JsonSchema[] {
  const described = (name: string) => route.params?.[name] ?? name;
  const inPath = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name, in: 'path', required: true, description: described(name as string), schema: { type: 'string' },
  }));
  const inQuery = Object.entries(route.query?.shape ?? {}).map(([name, field]) => ({
    name, in: 'query', required: !isOptional(field), description: described(name), schema: fieldSchema(field),
  }));
  return [...inPath, ...inQuery];
}

function media(content: Record<string, NamedSchema | null>, components: SchemaComponents, io: 'input' | 'output'): JsonSchema {
  return Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, schema ? { schema: components.ref(schema, io) } : {}]));
}

function answer(spec: ApiAnswer, components: SchemaComponents): JsonSchema {
  const content = { ...(spec.json && { 'application/json': spec.json }), ...spec.media };
  return { description: spec.description, ...(Object.keys(content).length > 0 && { content: media(content, components, 'output') }) };
}

function operation(route: ApiRoute, components: SchemaComponents): JsonSchema {
  const responses: JsonSchema = {};
  for (const [status, spec] of Object.entries(route.responses)) responses[status] = answer(spec, components);
  for (const [status, when] of Object.entries({ ...COMMON_ERRORS, ...route.errors })) {
    responses[status] = { description: when, content: { 'application/json': { schema: components.ref(ApiError, 'output') } } };
  }
  const requestBody =
    route.body ? { required: true, content: media({ 'application/json': route.body }, components, 'input') }
    : route.rawBody ? { required: true, description: route.rawBody.description, content: media(route.rawBody.media, components, 'input') }
    : undefined;
  const params = parameters(route);
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description && { description: route.description }),
    ...(params.length > 0 && { parameters: params }),
    ...(requestBody && { requestBody }),
    responses,
  };
}

/** The OpenAPI 3.1 document of the given routes; its schemas come from their zod schemas. */
export function buildOpenApiDocument(routes: readonly ApiRoute[], version: string): JsonSchema {
  const components = new SchemaComponents();
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = (paths[openApiPath(route.path)] ??= {});
    if (path[route.method]) throw new Error(`OpenAPI: ${route.method.toUpperCase()} ${route.path} is listed twice`);
    path[route.method] = operation(route, components);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Hookscope admin API',
      version,
      description: 'Every call needs `Authorization: Bearer <token>`. Errors are `ApiError`. The live stream is a WebSocket at `/api/stream` (messages in shared/stream.ts); ingest (`ANY /h/{endpointId}[/…]`) is public and takes any body.',
    },
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    security: [{ bearer: [] }],
    paths,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: components.schemas() },
  };
}
