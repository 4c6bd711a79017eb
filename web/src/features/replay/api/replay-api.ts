import { captureViewSchema, type ReplayAttempt } from '../../../../../shared/capture';
import { bulkJobSchema, replayResultSchema, type BulkJob, type BulkReplayRequest, type ReplayRequest, type ReplayResult } from '../../../../../shared/replay';
import type { ApiClient } from '../../../lib/api-client';

/** `POST /api/requests/:id/replay`: resolves even when the target failed (see `attempt.error`). */
export function replayCapture(api: ApiClient, captureId: string, request: ReplayRequest): Promise<ReplayResult> {
  return api.request(replayResultSchema, `/api/requests/${encodeURIComponent(captureId)}/replay`, { method: 'POST', json: request });
}

/** `POST /api/endpoints/:id/replay`: starts a bulk job; progress comes as `bulk-progress` stream messages. */
export function startBulkReplay(api: ApiClient, endpointId: string, request: Omit<BulkReplayRequest, 'concurrency'> & { concurrency: number }): Promise<BulkJob> {
  return api.request(bulkJobSchema, `/api/endpoints/${encodeURIComponent(endpointId)}/replay`, { method: 'POST', json: request });
}

export function cancelBulkReplay(api: ApiClient, jobId: string): Promise<BulkJob> {
  return api.request(bulkJobSchema, `/api/replay-jobs/${encodeURIComponent(jobId)}/cancel`, { method: 'POST' });
}

/** The capture's replay/forward attempts as stored now. */
export async function getAttempts(api: ApiClient, captureId: string, signal?: AbortSignal): Promise<ReplayAttempt[]> {
  return (await api.request(captureViewSchema, `/api/requests/${encodeURIComponent(captureId)}`, { signal })).replays;
}
