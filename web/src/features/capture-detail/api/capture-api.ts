import { z } from 'zod';
import { captureViewSchema, type CaptureView } from '../../../../../shared/capture';
import type { ApiClient } from '../../../lib/api-client';
import { saveBlob } from '../../../lib/clipboard';

const path = (id: string) => `/api/requests/${encodeURIComponent(id)}`;

export function getCapture(api: ApiClient, id: string, signal?: AbortSignal): Promise<CaptureView> {
  return api.request(captureViewSchema, path(id), { signal });
}

export function deleteCapture(api: ApiClient, id: string): Promise<void> {
  return api.request(z.undefined(), path(id), { method: 'DELETE' });
}

/** Fetches the raw body with the token (a plain link could not carry it) and saves it. */
export async function downloadBody(api: ApiClient, capture: CaptureView): Promise<void> {
  const blob = await api.blob(`${path(capture.id)}/body`);
  saveBlob(blob, `${capture.id}.body`);
}
