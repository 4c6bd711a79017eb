import type { CaptureSummary } from '../../../../../shared/capture';

export type VerdictFilter = 'all' | 'signature-valid' | 'signature-failed' | 'schema-invalid' | 'rejected' | 'duplicate';

export const VERDICT_FILTERS: ReadonlyArray<{ value: VerdictFilter; label: string }> = [
  { value: 'all', label: 'Any verdict' },
  { value: 'signature-valid', label: 'Signature valid' },
  { value: 'signature-failed', label: 'Signature failed' },
  { value: 'schema-invalid', label: 'Schema invalid' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'duplicate', label: 'Duplicates' },
];

export interface CaptureFilter {
  /** Upper-case method, or null for any. */
  method: string | null;
  verdict: VerdictFilter;
  /** Detected catalog event type, or null for any. */
  eventType: string | null;
  /** Free text: every whitespace-separated word must appear (case-insensitive). */
  text: string;
}

export const NO_FILTER: CaptureFilter = { method: null, verdict: 'all', eventType: null, text: '' };

export function isFiltering(filter: CaptureFilter): boolean {
  return filter.method !== null || filter.verdict !== 'all' || filter.eventType !== null || filter.text.trim() !== '';
}

function matchesVerdict(capture: CaptureSummary, verdict: VerdictFilter): boolean {
  const { signature, schema } = capture.verdicts;
  switch (verdict) {
    case 'all':
      return true;
    case 'signature-valid':
      return signature.status === 'valid';
    case 'signature-failed':
      return signature.status === 'invalid' || signature.status === 'missing' || signature.status === 'expired';
    case 'schema-invalid':
      return schema.status === 'invalid';
    case 'rejected':
      return capture.reply.rejected !== undefined || capture.reply.status >= 400;
    case 'duplicate':
      return capture.duplicateOf !== null;
  }
}

/** What free text is matched against: everything a summary shows, lower-cased. */
function haystack(capture: CaptureSummary): string {
  return [
    capture.method, capture.path || '/', capture.query, capture.id, capture.deliveryId ?? '', capture.peer,
    capture.contentType ?? '', String(capture.reply.status), capture.verdicts.schema.eventType ?? '',
    capture.verdicts.signature.scheme,
  ].join(' ').toLowerCase();
}

/** A predicate for the filter; build it once per filter change, not per row. */
export function captureMatcher(filter: CaptureFilter): (capture: CaptureSummary) => boolean {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return (capture) => {
    if (filter.method !== null && capture.method !== filter.method) return false;
    if (filter.eventType !== null && capture.verdicts.schema.eventType !== filter.eventType) return false;
    if (!matchesVerdict(capture, filter.verdict)) return false;
    if (words.length === 0) return true;
    const text = haystack(capture);
    return words.every((word) => text.includes(word));
  };
}

/** Methods and event types present in a list, for the filter menus. */
export function facetsOf(items: readonly CaptureSummary[]): { methods: string[]; eventTypes: string[] } {
  const methods = new Set<string>();
  const eventTypes = new Set<string>();
  for (const capture of items) {
    methods.add(capture.method);
    if (capture.verdicts.schema.eventType) eventTypes.add(capture.verdicts.schema.eventType);
  }
  return { methods: [...methods].sort(), eventTypes: [...eventTypes].sort() };
}
