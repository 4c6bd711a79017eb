import type { CaptureSummary } from '../../../../../shared/capture';
import { parseQuery, type CaptureQuery, type QueryTerm } from '../../../../../shared/query';

/**
 * The toolbar's quick filters are query terms: choosing one writes its term into the search
 * box (replacing the one it had), and the menus show what the box says. There is one
 * language, so a filtered list can be shared as a link and answered by the server.
 */
export type VerdictFilter = 'all' | 'signature-valid' | 'signature-failed' | 'schema-invalid' | 'rejected' | 'duplicate';

export const VERDICT_FILTERS: ReadonlyArray<{ value: VerdictFilter; label: string; terms: string }> = [
  { value: 'all', label: 'Verdict', terms: '' },
  { value: 'signature-valid', label: 'Signature valid', terms: 'sig:valid' },
  // Failed = invalid, missing or expired: everything checked that did not pass.
  { value: 'signature-failed', label: 'Signature failed', terms: '-sig:valid -sig:skipped' },
  { value: 'schema-invalid', label: 'Schema invalid', terms: 'schema:invalid' },
  { value: 'rejected', label: 'Rejected', terms: 'is:rejected' },
  { value: 'duplicate', label: 'Duplicates', terms: 'is:duplicate' },
];

export const STATUS_FILTERS: ReadonlyArray<{ value: string; label: string }> = [
  { value: '', label: 'Status' }, { value: '2xx', label: '2xx' }, { value: '4xx', label: '4xx' }, { value: '5xx', label: '5xx' },
];

/** What the quick filters show for a query text (nothing for a text that does not parse). */
export interface QuickFilters {
  method: string | null;
  status: string | null;
  verdict: VerdictFilter;
  eventType: string | null;
}

export const NO_FILTERS: QuickFilters = { method: null, status: null, verdict: 'all', eventType: null };

function parsed(text: string): CaptureQuery | null {
  try {
    return parseQuery(text);
  } catch {
    return null;
  }
}

const plain = (term: QueryTerm, field: QueryTerm['field']) => term.field === field && !term.negated;
/** Terms the verdict menu owns: it replaces them all. */
const isVerdictTerm = (t: QueryTerm) => t.field === 'sig' || t.field === 'is' || (t.field === 'schema' && t.value === 'invalid');

function verdictOf(terms: QueryTerm[]): VerdictFilter {
  const has = (field: 'sig' | 'schema' | 'is', value: string, negated: boolean) => terms.some((t) => t.field === field && t.value === value && t.negated === negated);
  if (has('sig', 'valid', true) && has('sig', 'skipped', true)) return 'signature-failed';
  if (has('sig', 'valid', false)) return 'signature-valid';
  if (has('schema', 'invalid', false)) return 'schema-invalid';
  if (has('is', 'rejected', false)) return 'rejected';
  if (has('is', 'duplicate', false)) return 'duplicate';
  return 'all';
}

export function quickFiltersOf(text: string): QuickFilters {
  const query = parsed(text);
  if (!query) return NO_FILTERS;
  const found: QuickFilters = { ...NO_FILTERS, verdict: verdictOf(query.terms) };
  for (const term of query.terms) {
    if (term.negated) continue;
    if (term.field === 'method') found.method ??= term.value;
    else if (term.field === 'status') found.status ??= term.min === term.max ? String(term.min) : `${String(term.min)[0]}xx`;
    else if (term.field === 'event') found.eventType ??= term.pattern;
  }
  return found;
}

/** `text` without the terms `drop` picks, then with `add` (when not empty) at the end. */
function replaceTerms(text: string, drop: (term: QueryTerm) => boolean, add: string): string {
  const query = parsed(text);
  let kept = text;
  if (query) {
    for (const term of [...query.terms].reverse()) {
      if (drop(term)) kept = `${kept.slice(0, term.start)}${kept.slice(term.end)}`;
    }
  }
  return [kept.replace(/\s+/g, ' ').trim(), add].filter(Boolean).join(' ');
}

const quoted = (value: string) => (/[\s"]/.test(value) ? `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"` : value);

export function withMethod(text: string, method: string | null): string {
  return replaceTerms(text, (t) => plain(t, 'method'), method ? `method:${method}` : '');
}

export function withStatus(text: string, status: string | null): string {
  return replaceTerms(text, (t) => plain(t, 'status'), status ? `status:${status}` : '');
}

export function withEventType(text: string, eventType: string | null): string {
  return replaceTerms(text, (t) => plain(t, 'event'), eventType ? `event:${quoted(eventType)}` : '');
}

export function withVerdict(text: string, verdict: VerdictFilter): string {
  const terms = VERDICT_FILTERS.find((v) => v.value === verdict)?.terms ?? '';
  return replaceTerms(text, isVerdictTerm, terms);
}

/** Methods and event types present in a list, for the menus and the search hints. */
export function facetsOf(items: readonly CaptureSummary[]): { methods: string[]; eventTypes: string[] } {
  const methods = new Set<string>();
  const eventTypes = new Set<string>();
  for (const capture of items) {
    methods.add(capture.method);
    const type = capture.eventType ?? capture.verdicts.schema.eventType;
    if (type) eventTypes.add(type);
  }
  return { methods: [...methods].sort(), eventTypes: [...eventTypes].sort() };
}
