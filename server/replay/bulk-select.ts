import type { CaptureSummary } from '../../shared/capture';
import { MAX_BULK_ITEMS, type BulkFilter } from '../../shared/replay';
import { ValidationError } from '../errors';
import type { Store } from '../store/store';

const PAGE = 1000;

/** True when a capture passes every field the filter gives. */
export function matchesFilter(capture: CaptureSummary, filter: BulkFilter): boolean {
  if (!filter.includeRejected && capture.reply.rejected !== undefined) return false;
  if (filter.methods && !filter.methods.some((m) => m.toUpperCase() === capture.method.toUpperCase())) return false;
  if (filter.since !== undefined && capture.receivedAt < filter.since) return false;
  if (filter.until !== undefined && capture.receivedAt >= filter.until) return false;
  if (filter.afterId !== undefined && capture.id <= filter.afterId) return false;
  if (filter.pathPrefix !== undefined && !capture.path.startsWith(filter.pathPrefix)) return false;
  if (filter.signature && !filter.signature.includes(capture.verdicts.signature.status)) return false;
  if (filter.eventType !== undefined && capture.verdicts.schema.eventType !== filter.eventType) return false;
  return true;
}

/**
 * Ids of the captures a bulk replay takes, oldest first (capture ids sort in arrival order).
 * Given `ids` must all belong to the endpoint: ValidationError (400) names those that do not.
 */
export async function selectCaptures(store: Store, endpointId: string, ids: string[] | undefined, filter: BulkFilter = {}): Promise<string[]> {
  const wanted = ids ? new Set(ids) : null;
  const selected: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await store.listAfter(endpointId, cursor, PAGE);
    for (const capture of page) {
      if (wanted ? wanted.delete(capture.id) : matchesFilter(capture, filter)) selected.push(capture.id);
    }
    if (page.length < PAGE || selected.length > MAX_BULK_ITEMS) break;
    cursor = page[page.length - 1]?.id;
  }
  if (wanted && wanted.size > 0) {
    const missing = [...wanted].slice(0, 20);
    throw new ValidationError(`${wanted.size} of the ids are not captures of endpoint ${endpointId}`, missing.map((id) => ({ path: 'ids', message: `no capture ${id} in this endpoint` })));
  }
  if (selected.length > MAX_BULK_ITEMS) throw new ValidationError(`the filter matches more than ${MAX_BULK_ITEMS} captures; narrow it`, []);
  return selected;
}
