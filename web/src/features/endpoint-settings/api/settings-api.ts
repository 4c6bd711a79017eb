import { z } from 'zod';
import { endpointViewSchema, type EndpointView, type UpdateEndpoint } from '../../../../../shared/endpoint';
import type { ApiClient } from '../../../lib/api-client';

const path = (id: string) => `/api/endpoints/${encodeURIComponent(id)}`;

export function updateEndpoint(api: ApiClient, id: string, update: UpdateEndpoint): Promise<EndpointView> {
  return api.request(endpointViewSchema, path(id), { method: 'PATCH', json: update });
}

/** `POST /api/endpoints/:id/test-events`: the answer's shape is not pinned down yet, so any JSON is accepted. */
export function sendTestEvent(api: ApiClient, id: string, event: string): Promise<unknown> {
  return api.request(z.unknown(), `${path(id)}/test-events`, { method: 'POST', json: { event } });
}
