import { SKIPPED_SCHEMA, SKIPPED_SIGNATURE } from '../../shared/verdicts';
import type { NewCapture } from '../store/store';
import { bodyPreview } from '../delivery/body-preview';
import { headerValue, type RawDelivery } from '../delivery/raw-delivery';

/** Splits `/h/<id>/sub/path?x=1` into endpoint id, sub-path and query, without decoding. */
export function splitIngestUrl(originalUrl: string): { endpointId: string; path: string; query: string } {
  const q = originalUrl.indexOf('?');
  const pathname = q === -1 ? originalUrl : originalUrl.slice(0, q);
  const query = q === -1 ? '' : originalUrl.slice(q + 1);
  const rest = pathname.replace(/^\/h\//, '');
  const slash = rest.indexOf('/');
  const endpointId = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash));
  return { endpointId, path: slash === -1 ? '' : rest.slice(slash), query };
}

/** The capture record of a delivery, before verdicts are attached. */
export function newCapture(delivery: RawDelivery, reply: { status: number; rejected?: string }): NewCapture {
  return {
    endpointId: delivery.endpointId,
    receivedAt: delivery.receivedAt,
    method: delivery.method,
    path: delivery.path,
    query: delivery.query,
    peer: delivery.peer,
    headers: delivery.headers,
    body: delivery.body,
    size: delivery.body.length,
    contentType: headerValue(delivery.headers, 'content-type'),
    reply,
    verdicts: { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA },
    deliveryId: null,
    duplicateOf: null,
    eventType: null,
    preview: bodyPreview(delivery.headers, delivery.body),
    rule: null,
  };
}
