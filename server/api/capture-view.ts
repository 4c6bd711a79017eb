import type { CaptureView, DeliveryAttempt } from '../../shared/capture';
import { summaryOf } from '../store/capture-record';
import type { StoredCapture } from '../store/store';
import { bodyView, decodeBody, decodedField } from './body-view';
import { utf8OrNull } from '../delivery/body-text';

/** Retries shown with a capture: more than any platform makes for one delivery. */
export const MAX_DELIVERY_ATTEMPTS = 100;

/** The one place a stored capture becomes its API shape; `attempts` default to the capture alone. */
export function captureView(capture: StoredCapture, attempts?: DeliveryAttempt[]): CaptureView {
  const text = utf8OrNull(capture.body);
  const decoded = decodeBody(capture.body, capture.headers);
  return {
    ...summaryOf(capture),
    headers: capture.headers,
    queryParams: [...new URLSearchParams(capture.query)],
    body: text === null ? { encoding: 'base64', data: capture.body.toString('base64') } : { encoding: 'utf8', data: text },
    view: bodyView(capture.body, capture.headers, decoded),
    decoded: decodedField(decoded),
    replays: capture.replays,
    deliveryAttempts: attempts ?? [{ id: capture.id, receivedAt: capture.receivedAt, status: capture.reply.status }],
  };
}
