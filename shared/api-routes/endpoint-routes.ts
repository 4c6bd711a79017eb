import { z } from 'zod';
import { clearResultSchema, listQuerySchema } from '../api';
import { captureListSchema } from '../capture';
import { createEndpointSchema, endpointViewSchema, updateEndpointSchema } from '../endpoint';
import { named, type ApiRoute } from './route';

const EndpointView = named('EndpointView', endpointViewSchema);
const NO_ENDPOINT = 'no endpoint with this id';

/** Endpoint CRUD and each endpoint's capture list (server/api/endpoint-routes.ts). */
export const endpointRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/endpoints', operationId: 'listEndpoints', tag: 'endpoints',
    summary: 'Every endpoint, with its capture count and ingest path (secrets masked)',
    responses: { 200: { description: 'the endpoints', json: named('EndpointList', z.array(endpointViewSchema)) } },
  },
  {
    method: 'post', path: '/api/endpoints', operationId: 'createEndpoint', tag: 'endpoints',
    summary: 'Create an endpoint', body: named('CreateEndpoint', createEndpointSchema),
    responses: { 201: { description: 'the new endpoint', json: EndpointView } },
    errors: { 400: 'the body is not a valid endpoint config (every problem listed in details)' },
  },
  {
    method: 'get', path: '/api/endpoints/:id', operationId: 'getEndpoint', tag: 'endpoints',
    summary: 'One endpoint', params: { id: 'endpoint id' },
    responses: { 200: { description: 'the endpoint', json: EndpointView } },
    errors: { 404: NO_ENDPOINT },
  },
  {
    method: 'patch', path: '/api/endpoints/:id', operationId: 'updateEndpoint', tag: 'endpoints',
    summary: 'Update an endpoint', params: { id: 'endpoint id' },
    description: '`response` and `retention` merge field by field, other fields replace; a masked secret sent back keeps the stored one.',
    body: named('UpdateEndpoint', updateEndpointSchema),
    responses: { 200: { description: 'the updated endpoint', json: EndpointView } },
    errors: { 400: 'the body is not a valid endpoint update', 404: NO_ENDPOINT },
  },
  {
    method: 'delete', path: '/api/endpoints/:id', operationId: 'deleteEndpoint', tag: 'endpoints',
    summary: 'Delete an endpoint with all its captures', params: { id: 'endpoint id' },
    responses: { 204: { description: 'deleted (also when it did not exist)' } },
  },
  {
    method: 'get', path: '/api/endpoints/:id/requests', operationId: 'listCaptures', tag: 'captures',
    summary: 'Captures of an endpoint, newest first, with cursor paging and search',
    params: {
      id: 'endpoint id',
      limit: 'page size',
      before: 'capture id: the page after it (older); pass the previous page\'s `nextBefore`',
      after: 'capture id: the captures that arrived after it',
      q: 'a search in the query language: `method:`, `status:`, `sig:`, `schema:`, `event:` (with `*`), `delivery:`, `path:`, `peer:`, `is:duplicate`, `is:rejected`, `after:`/`before:`, `header:name=value`, `-negation`, `"phrases"`, bare words over body, path and query',
    },
    query: listQuerySchema,
    responses: { 200: { description: 'one page of capture summaries', json: named('CaptureList', captureListSchema) } },
    errors: { 400: 'a bad paging value, or a malformed search (details name the position in `q`)', 404: NO_ENDPOINT },
  },
  {
    method: 'delete', path: '/api/endpoints/:id/requests', operationId: 'clearCaptures', tag: 'captures',
    summary: 'Delete every capture of an endpoint', params: { id: 'endpoint id' },
    responses: { 200: { description: 'how many were deleted', json: named('ClearResult', clearResultSchema) } },
    errors: { 404: NO_ENDPOINT },
  },
];
