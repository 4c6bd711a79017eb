import { endpointViewSchema, type EndpointView, type UpdateEndpoint } from '../../../../../shared/endpoint';
import type { ApiClient } from '../../../lib/api-client';

const path = (id: string) => `/api/endpoints/${encodeURIComponent(id)}`;

export function updateEndpoint(api: ApiClient, id: string, update: UpdateEndpoint): Promise<EndpointView> {
  return api.request(endpointViewSchema, path(id), { method: 'PATCH', json: update });
}
