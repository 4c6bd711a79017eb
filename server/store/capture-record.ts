import type { CaptureSummary, ReplayAttempt } from '../../shared/capture';
import type { StoredCapture } from './store';

/** The summary fields of a capture: what lists and the stream carry. */
export function summaryOf(capture: CaptureSummary): CaptureSummary {
  return {
    id: capture.id,
    endpointId: capture.endpointId,
    receivedAt: capture.receivedAt,
    method: capture.method,
    path: capture.path,
    query: capture.query,
    peer: capture.peer,
    size: capture.size,
    contentType: capture.contentType,
    reply: capture.reply,
    verdicts: capture.verdicts,
    deliveryId: capture.deliveryId,
    duplicateOf: capture.duplicateOf,
    eventType: capture.eventType ?? null, // records written before event types were kept have none
    ...(capture.preview !== undefined && { preview: capture.preview }), // absent from records written before previews were kept
    rule: capture.rule ?? null, // likewise before response rules
  };
}

/** Segment line with everything but the body. */
export function encodeMeta(summary: CaptureSummary, headers: StoredCapture['headers']): Buffer {
  // The summary's fields, then headers: the same JSON as {...summary, headers} without building that object.
  const fields = JSON.stringify(summary);
  return Buffer.from(`{"t":"c","c":${fields.slice(0, -1)},"headers":${JSON.stringify(headers)}}}\n`);
}

/** Segment line with the body bytes, base64; kept separate so start-up never parses it. */
export function encodeBody(id: string, body: Buffer): Buffer {
  return Buffer.from(`{"t":"b","id":"${id}","d":"${body.toString('base64')}"}\n`);
}

export function decodeMeta(meta: Buffer, body: Buffer | null, replays: ReplayAttempt[]): StoredCapture {
  const record = JSON.parse(meta.toString('utf8')) as { c: Omit<StoredCapture, 'body' | 'replays'> };
  const data = body ? (JSON.parse(body.toString('latin1')) as { d: string }).d : '';
  return { ...record.c, body: Buffer.from(data, 'base64'), replays: [...replays] };
}
