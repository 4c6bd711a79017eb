import type { NewCapture, StoredCapture } from '../store';
import { deliveryIdColumn, metaOf } from './capture-rows';
import { bodyDigest, metaDigest, sealed } from './row-checksums';
import { searchColumns } from './search-columns';

/**
 * Every way a capture row is written (append, import, migrate) goes through here, so each row
 * gets its checksums and search columns (migration 0004). A row written any other way has them
 * NULL: it is then served unverified and searched the slow way until the backfill fills it.
 */

/** The parameters of `hookscope_append_rows` after its first two (endpoint, clock). */
export function appendArrays(captures: NewCapture[], newIdSuffix: () => string): unknown[] {
  const suffixes: string[] = [];
  const receivedAt: number[] = [];
  const deliveryIds: (string | null)[] = [];
  const metas: string[] = [];
  const headers: string[] = [];
  const bodies: Buffer[] = [];
  const metaDigests: Buffer[] = [];
  const bodyDigests: Buffer[] = [];
  const search: string[] = [];
  for (const capture of captures) {
    const meta = metaOf(capture);
    const headersJson = JSON.stringify(capture.headers);
    suffixes.push(newIdSuffix());
    receivedAt.push(capture.receivedAt);
    deliveryIds.push(deliveryIdColumn(capture.deliveryId));
    metas.push(meta);
    headers.push(headersJson);
    bodies.push(capture.body);
    metaDigests.push(metaDigest(capture.endpointId, meta));
    bodyDigests.push(bodyDigest(headersJson, capture.body));
    search.push(JSON.stringify(searchColumns(capture)));
  }
  return [suffixes, receivedAt, deliveryIds, metas, headers, bodies, metaDigests, bodyDigests, search];
}

/** Columns of a full capture row, in the order of `insertValues`. */
export const INSERT_COLUMNS = [
  'id', 'endpoint_id', 'received_at', 'delivery_id', 'meta', 'headers', 'body', 'meta_sum', 'body_sum',
  'search_version', 'method', 'status', 'sig', 'schema_status', 'event_type', 'event_type_whole', 'path', 'path_whole', 'peer', 'is_duplicate',
  'is_rejected', 'tags', 'header_lines', 'search_text',
].join(', ');

/** `$1, …, $24`, optionally shifted: the placeholders for one row of INSERT_COLUMNS. */
export function insertPlaceholders(offset = 0): string {
  return Array.from({ length: 24 }, (_, i) => `$${offset + i + 1}`).join(', ');
}

/** Values of a full capture row whose id is known (imports keep ids). */
export function insertValues(capture: StoredCapture, endpointId: string = capture.endpointId): unknown[] {
  const meta = metaOf(capture);
  const headersJson = JSON.stringify(capture.headers);
  const s = searchColumns(capture);
  return [
    capture.id, endpointId, capture.receivedAt, deliveryIdColumn(capture.deliveryId), meta, headersJson, capture.body,
    sealed(capture.id, metaDigest(endpointId, meta)), sealed(capture.id, bodyDigest(headersJson, capture.body)),
    s.version, s.method, s.status, s.sig, s.schema, s.event, s.eventWhole, s.path, s.pathWhole, s.peer, s.duplicate, s.rejected, s.tags, s.headers, s.text,
  ];
}
