import type { CaptureSummary, HeaderPairs } from './capture';
import { deliveryIdForms, globToRegExp, peerForms, type CaptureQuery, type QueryTerm } from './query';

/** What a term is decided on. */
export type TermNeed = 'summary' | 'headers' | 'text';

/** A capture as far as it is known to whoever matches it. */
export interface MatchableCapture {
  summary: CaptureSummary;
  /** Needed by `header:` terms. */
  headers?: HeaderPairs;
  /** Body search text plus path and query, lower-cased (server/delivery/search-text.ts); needed by bare words. */
  searchText?: string;
}

export function termNeeds(term: QueryTerm): TermNeed {
  if (term.field === 'header') return 'headers';
  return term.field === 'text' ? 'text' : 'summary';
}

const globs = new Map<string, RegExp>();
/** Compiled globs, kept for the few patterns a query has. */
export function cachedGlob(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let re = globs.get(key);
  if (!re) {
    if (globs.size > 256) globs.clear();
    re = globToRegExp(pattern, caseInsensitive);
    globs.set(key, re);
  }
  return re;
}

/**
 * Whether the summary fields satisfy a field term (the term's own sense, before negation).
 * Event types and header values compare case-insensitively; paths, delivery ids and peers exactly.
 */
export function summaryMatches(term: QueryTerm, s: CaptureSummary): boolean {
  switch (term.field) {
    case 'method':
      return s.method.toUpperCase() === term.value;
    case 'status':
      return s.reply.status >= term.min && s.reply.status <= term.max;
    case 'sig':
      return s.verdicts.signature.status === term.value;
    case 'schema':
      return s.verdicts.schema.status === term.value;
    case 'event':
      return s.eventType !== null && cachedGlob(term.pattern, true).test(s.eventType);
    case 'delivery':
      return s.deliveryId !== null && deliveryIdForms(s.deliveryId).some((form) => cachedGlob(term.pattern, false).test(form));
    case 'path':
      return cachedGlob(term.pattern, false).test(s.path === '' ? '/' : s.path);
    case 'peer':
      return peerForms(s.peer).some((form) => cachedGlob(term.pattern, false).test(form));
    case 'is':
      return term.value === 'duplicate' ? s.duplicateOf !== null : s.reply.rejected !== undefined;
    case 'after':
      return s.receivedAt >= term.at;
    case 'before':
      return s.receivedAt < term.at;
    default:
      throw new Error(`${term.field} is not decided on the summary`);
  }
}

export function headersMatch(term: Extract<QueryTerm, { field: 'header' }>, headers: HeaderPairs): boolean {
  return headers.some(([name, value]) => name.toLowerCase() === term.name && (term.pattern === null || cachedGlob(term.pattern, true).test(value)));
}

/** Whether a capture satisfies one term, negation applied; undefined when the data it needs is not given. */
export function matchesTerm(term: QueryTerm, capture: MatchableCapture): boolean | undefined {
  let hit: boolean;
  if (term.field === 'text') {
    if (capture.searchText === undefined) return undefined;
    hit = capture.searchText.includes(term.value);
  } else if (term.field === 'header') {
    if (capture.headers === undefined) return undefined;
    hit = headersMatch(term, capture.headers);
  } else {
    hit = summaryMatches(term, capture.summary);
  }
  return term.negated ? !hit : hit;
}

/**
 * The reference semantics of a query (every store must agree with it; see the Store contract
 * suite): true when every term holds, false when one fails, undefined when no term failed but
 * one could not be decided on what was given.
 */
export function matchesQuery(query: CaptureQuery, capture: MatchableCapture): boolean | undefined {
  let undecided = false;
  for (const term of query.terms) {
    const result = matchesTerm(term, capture);
    if (result === false) return false;
    if (result === undefined) undecided = true;
  }
  return undecided ? undefined : true;
}
