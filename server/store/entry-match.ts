import type { QueryTerm } from '../../shared/query';
import { deliveryIdForms, peerForms } from '../../shared/query';
import { cachedGlob } from '../../shared/query-match';
import { flagsOf, receivedAtOf, schemaOf, signatureOf, type Entry } from './capture-index';
import { FLAG_DUPLICATE, FLAG_REJECTED } from './record-format';

type FieldTerm = Exclude<QueryTerm, { field: 'text' | 'header' }>;

/**
 * A field term decided on an index entry — the same decision as shared/query-match.ts
 * `summaryMatches` on the capture's summary (the Store contract suite holds both to it).
 * Glob results on interned values (event types, paths, peers) are remembered for the query.
 */
export function entryMatcher(term: FieldTerm): (entry: Entry) => boolean {
  const memo = <T extends string>(test: (value: T) => boolean) => {
    const seen = new Map<T, boolean>();
    return (value: T) => {
      let hit = seen.get(value);
      if (hit === undefined) {
        hit = test(value);
        if (seen.size < 10_000) seen.set(value, hit);
      }
      return hit;
    };
  };
  switch (term.field) {
    case 'method': {
      const test = memo((value: string) => value.toUpperCase() === term.value);
      return (e) => test(e.method);
    }
    case 'status':
      return (e) => e.status >= term.min && e.status <= term.max;
    case 'sig':
      return (e) => signatureOf(e) === term.value;
    case 'schema':
      return (e) => schemaOf(e) === term.value;
    case 'event': {
      const test = memo((value: string) => cachedGlob(term.pattern, true).test(value));
      return (e) => e.eventType !== null && test(e.eventType);
    }
    case 'delivery': {
      const pattern = term.pattern;
      if (!pattern.includes('*')) return (e) => e.deliveryId !== null && exactDeliveryId(e.deliveryId, pattern);
      const re = cachedGlob(pattern, false);
      return (e) => e.deliveryId !== null && deliveryIdForms(e.deliveryId).some((form) => re.test(form));
    }
    case 'path': {
      const test = memo((value: string) => cachedGlob(term.pattern, false).test(value === '' ? '/' : value));
      return (e) => test(e.path);
    }
    case 'peer': {
      const test = memo((value: string) => peerForms(value).some((form) => cachedGlob(term.pattern, false).test(form)));
      return (e) => test(e.peer);
    }
    case 'is':
      return term.value === 'duplicate' ? (e) => (flagsOf(e) & FLAG_DUPLICATE) !== 0 : (e) => (flagsOf(e) & FLAG_REJECTED) !== 0;
    case 'after':
      return (e) => receivedAtOf(e) >= term.at;
    case 'before':
      return (e) => receivedAtOf(e) < term.at;
  }
}

/** `deliveryIdForms(id)` holds `wanted` — without building the forms (a million entries per query). */
function exactDeliveryId(id: string, wanted: string): boolean {
  if (id === wanted) return true;
  const colon = id.indexOf(':');
  return colon !== -1 && id.length - colon - 1 === wanted.length && id.endsWith(wanted);
}

/** Every field term of a query as one predicate (negation applied); true when there are none. */
export function fieldPredicate(terms: QueryTerm[]): (entry: Entry) => boolean {
  const tests = terms
    .filter((t): t is FieldTerm & { negated: boolean } => t.field !== 'text' && t.field !== 'header')
    .map((term) => {
      const test = entryMatcher(term);
      return term.negated ? (e: Entry) => !test(e) : test;
    });
  if (tests.length === 0) return () => true;
  return (entry) => tests.every((test) => test(entry));
}
