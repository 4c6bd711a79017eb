import { validate } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountedRoutes } from '../support/express-routes';
import { startTestServer, type TestServer } from '../support/test-server';

type Doc = { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>; components: { schemas: Record<string, unknown> } };

let server: TestServer;
let doc: Doc;
beforeAll(async () => {
  server = await startTestServer();
  const response = await server.api('/api/openapi.json');
  expect(response.status).toBe(200);
  doc = (await response.json()) as Doc;
});
afterAll(() => server.dispose());

/** A validator of `components.schemas.<name>` (JSON Schema 2020-12, as OpenAPI 3.1 says). */
function schemaOf(name: string) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const defs = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', 'api#/$defs/')) as Record<string, unknown>;
  ajv.addSchema({ $id: 'api', $defs: defs });
  return ajv.compile({ $ref: `api#/$defs/${name}` });
}

describe('OpenAPI document', () => {
  it('is served behind the token', async () => {
    expect((await fetch(`${server.url}/api/openapi.json`)).status).toBe(401);
  });

  it('is valid OpenAPI 3.1 for an independent validator', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as Parameters<typeof validate>[0]);
    expect(result).toMatchObject({ valid: true, specification: 'OpenAPI' });
  });

  it('describes every route mounted under /api, and no route that is not mounted', () => {
    const mounted = mountedRoutes(server.http).filter((route) => / \/api\//.test(route)).map((route) => route.replace(/:(\w+)/g, '{$1}'));
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(mounted.length).toBeGreaterThan(20);
    expect(mounted.filter((route) => !documented.includes(route)), 'mounted but missing from shared/api-routes').toEqual([]);
    expect(documented.filter((route) => !mounted.includes(route)), 'documented but not mounted').toEqual([]);
  });

  it('documents the search parameter and the paging of the capture list', () => {
    const names = doc.paths['/api/endpoints/{id}/requests']?.get?.parameters?.map((p) => `${p.in}:${p.name}`);
    expect(names).toEqual(['path:id', 'query:limit', 'query:before', 'query:after', 'query:q']);
  });

  it('matches what the server answers', async () => {
    await fetch(`${server.url}/h/default/github?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"opened"}' });
    const endpoints = schemaOf('EndpointList');
    expect(endpoints(await (await server.api('/api/endpoints')).json()), JSON.stringify(endpoints.errors)).toBe(true);
    const list = (await (await server.api('/api/endpoints/default/requests?q=method:POST')).json()) as { items: { id: string }[] };
    const page = schemaOf('CaptureList');
    expect(page(list), JSON.stringify(page.errors)).toBe(true);
    const capture = schemaOf('CaptureView');
    expect(capture(await (await server.api(`/api/requests/${list.items[0]?.id}`)).json()), JSON.stringify(capture.errors)).toBe(true);
    const error = schemaOf('ApiError');
    const bad = await server.api('/api/endpoints/default/requests?q=%22unclosed');
    expect(bad.status).toBe(400);
    expect(error(await bad.json()), JSON.stringify(error.errors)).toBe(true);
    expect(schemaOf('EndpointView')({ id: 'x' })).toBe(false); // the schemas do refuse what is wrong
  });
});
