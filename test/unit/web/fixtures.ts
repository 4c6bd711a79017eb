import type { CaptureSummary } from '../../../shared/capture';
import { SKIPPED_SCHEMA, SKIPPED_SIGNATURE } from '../../../shared/verdicts';

/** A capture summary with sortable id `c<n>` (zero-padded) and the given fields. */
export function summary(n: number, fields: Partial<CaptureSummary> = {}): CaptureSummary {
  return {
    id: `c${String(n).padStart(6, '0')}`,
    endpointId: 'ep',
    receivedAt: 1_700_000_000_000 + n,
    method: 'POST',
    path: `/p/${n}`,
    query: '',
    peer: '127.0.0.1',
    size: 10,
    contentType: 'application/json',
    reply: { status: 200 },
    verdicts: { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA },
    deliveryId: null,
    duplicateOf: null,
    eventType: null,
    ...fields,
  };
}

export const ids = (items: readonly CaptureSummary[]) => items.map((c) => c.id);
