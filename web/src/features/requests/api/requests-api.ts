import { z } from 'zod';
import { captureListSchema, type CaptureList } from '../../../../../shared/capture';
import type { ApiClient } from '../../../lib/api-client';

/**
 * A page of an endpoint's captures, newest first; with `q`, only those matching the query
 * (shared/query.ts), answered by the server's store — a 400 names the position of a mistake.
 */
export function listRequests(api: ApiClient, endpointId: string, options: { limit: number; before?: string; q?: string; signal?: AbortSignal }): Promise<CaptureList> {
  const query = new URLSearchParams({ limit: String(options.limit) });
  if (options.before) query.set('before', options.before);
  if (options.q) query.set('q', options.q);
  return api.request(captureListSchema, `/api/endpoints/${encodeURIComponent(endpointId)}/requests?${query}`, { ...(options.signal && { signal: options.signal }) });
}

/** Deletes every capture of an endpoint. */
export function clearRequests(api: ApiClient, endpointId: string): Promise<{ deleted: number }> {
  return api.request(z.object({ deleted: z.number() }), `/api/endpoints/${encodeURIComponent(endpointId)}/requests`, { method: 'DELETE' });
}
