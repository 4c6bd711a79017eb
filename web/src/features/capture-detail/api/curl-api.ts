import { curlCommandSchema, type CurlCommand } from '../../../../../shared/replay';
import type { ApiClient } from '../../../lib/api-client';

/**
 * The server's copy-as-curl command for a capture, sent to its own ingest URL (`POST
 * /api/requests/:id/curl`): one implementation, tested by running it in bash and dash.
 */
export function fetchCurlCommand(api: ApiClient, captureId: string): Promise<CurlCommand> {
  return api.request(curlCommandSchema, `/api/requests/${encodeURIComponent(captureId)}/curl`, { method: 'POST', json: {} });
}
