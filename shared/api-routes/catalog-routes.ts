import { z } from 'zod';
import { catalogListSchema, testEventRequestSchema, testEventResultSchema } from '../catalogs';
import { named, type ApiRoute } from './route';

/** Event catalogs and test events (server/api/test-event-routes.ts), and this document (server/openapi). */
export const catalogRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/catalogs', operationId: 'listCatalogs', tag: 'catalogs',
    summary: 'The built-in event catalogs and their events',
    responses: { 200: { description: 'the catalogs', json: named('CatalogList', catalogListSchema) } },
  },
  {
    method: 'post', path: '/api/endpoints/:id/test-events', operationId: 'sendTestEvent', tag: 'catalogs',
    summary: 'Generate a catalog event\'s sample, sign it with the endpoint\'s scheme and send it through real ingest',
    params: { id: 'endpoint id' },
    body: named('TestEventRequest', testEventRequestSchema),
    responses: { 201: { description: 'the capture ingest stored, and how it was signed', json: named('TestEventResult', testEventResultSchema) } },
    errors: { 400: 'not a valid request, or an unknown event (details list the known ones)', 404: 'no endpoint with this id' },
  },
  {
    method: 'get', path: '/api/openapi.json', operationId: 'getOpenApi', tag: 'meta',
    summary: 'This document: OpenAPI 3.1 of every /api route',
    responses: { 200: { description: 'the OpenAPI document', json: named('OpenApiDocument', z.looseObject({ openapi: z.string() })) } },
  },
];
