import type { JsonlCapture } from '../../shared/replay';
import { verdictsSchema, SKIPPED_SCHEMA, SKIPPED_SIGNATURE } from '../../shared/verdicts';
import { utf8OrNull } from '../delivery/body-text';
import { headerValue } from '../delivery/raw-delivery';
import type { NewCapture, StoredCapture } from '../store/store';
import { completeImported } from './imported-event-type';

/** One JSON Lines record: the capture with its exact bytes (UTF-8 text when valid, else base64). */
export function jsonlLineOf(capture: StoredCapture): JsonlCapture {
  const text = utf8OrNull(capture.body);
  return {
    id: capture.id,
    receivedAt: capture.receivedAt,
    method: capture.method,
    path: capture.path,
    query: capture.query,
    peer: capture.peer,
    headers: capture.headers,
    body: text === null ? { encoding: 'base64', data: capture.body.toString('base64') } : { encoding: 'utf8', data: text },
    reply: capture.reply,
    verdicts: capture.verdicts,
    deliveryId: capture.deliveryId,
    eventType: capture.eventType,
  };
}

/** The delivery id a JSON Lines record's capture gets. */
export function jsonlDeliveryId(line: JsonlCapture): string | null {
  return line.deliveryId ?? null;
}

/** A parsed JSON Lines record as a capture for `endpointId`. */
export function captureOfJsonl(line: JsonlCapture, endpointId: string): NewCapture {
  const body = Buffer.from(line.body.data, line.body.encoding === 'base64' ? 'base64' : 'utf8');
  // Files from other tools carry no verdicts: no failed parse (and its error object) per line for them.
  const verdicts = line.verdicts === undefined ? { success: false as const } : verdictsSchema.safeParse(line.verdicts);
  const capture = {
    endpointId,
    receivedAt: line.receivedAt,
    method: line.method,
    path: line.path,
    query: line.query,
    peer: line.peer,
    headers: line.headers,
    body,
    size: body.length,
    contentType: headerValue(line.headers, 'content-type'),
    reply: line.reply ?? { status: 200 },
    verdicts: verdicts.success ? verdicts.data : { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA },
    deliveryId: jsonlDeliveryId(line),
    duplicateOf: null,
    eventType: null,
  };
  // A UTF-8 body's text is what the file held, when that is well-formed (no lone surrogate, which
  // the bytes would hold as U+FFFD): no decoding of the bytes just made from it.
  const text = line.body.encoding === 'utf8' && line.body.data.isWellFormed() ? line.body.data : undefined;
  return completeImported(capture, line.eventType, text);
}
