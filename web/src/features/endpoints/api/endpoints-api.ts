import { z } from 'zod';
import { endpointViewSchema, type EndpointView } from '../../../../../shared/endpoint';
import type { ApiClient } from '../../../lib/api-client';

const path = (id: string) => `/api/endpoints/${encodeURIComponent(id)}`;

export function listEndpoints(api: ApiClient): Promise<EndpointView[]> {
  return api.request(z.array(endpointViewSchema), '/api/endpoints');
}

export function createEndpoint(api: ApiClient, name: string): Promise<EndpointView> {
  return api.request(endpointViewSchema, '/api/endpoints', { method: 'POST', json: { name } });
}

export function renameEndpoint(api: ApiClient, id: string, name: string): Promise<EndpointView> {
  return api.request(endpointViewSchema, path(id), { method: 'PATCH', json: { name } });
}

export function deleteEndpoint(api: ApiClient, id: string): Promise<void> {
  return api.request(z.undefined(), path(id), { method: 'DELETE' });
}
