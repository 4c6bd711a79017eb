import type { QueryTerm } from '../../shared/query';
import type { CaptureIndex, Entry } from './capture-index';

/**
 * What the index decides before any entry is tested, so that field queries cost what they
 * select rather than what the endpoint keeps: an exact `delivery:` id names its few captures
 * (a map lookup), and `after:`/`before:` rule out every segment whose time span they miss.
 */
export interface QueryPlan {
  /** receivedAt window (ms): from `after:` (inclusive) to `before:` (exclusive) terms that are not negated. */
  from: number;
  to: number;
  /** The only entries an exact, non-negated `delivery:` term allows, oldest first; null when it does not narrow. */
  candidates: Entry[] | null;
}

export function planQuery(index: CaptureIndex, terms: QueryTerm[]): QueryPlan {
  const plan: QueryPlan = { from: -Infinity, to: Infinity, candidates: null };
  for (const term of terms) {
    if (term.negated) continue;
    if (term.field === 'after') plan.from = Math.max(plan.from, term.at);
    else if (term.field === 'before') plan.to = Math.min(plan.to, term.at);
    else if (term.field === 'delivery' && !term.pattern.includes('*') && plan.candidates === null) plan.candidates = index.matchingDeliveryId(term.pattern);
  }
  return plan;
}

/**
 * Position ranges [lo, hi) of the index's entries below `end` that the plan leaves to test, newest
 * first: the candidates one by one, or runs of whole segments (entries are kept in segment order)
 * whose time span meets the window.
 */
export function* rangesNewestFirst(index: CaptureIndex, plan: QueryPlan, end: number): Generator<[number, number]> {
  const entries = index.entries;
  if (plan.candidates !== null) {
    for (let k = plan.candidates.length - 1; k >= 0; k--) {
      const at = entries.firstAtOrAfter((plan.candidates[k] as Entry).id);
      if (at < end) yield [at, at + 1];
    }
    return;
  }
  if (plan.from === -Infinity && plan.to === Infinity) {
    yield [0, end];
    return;
  }
  let hi = end;
  while (hi > 0) {
    const segment = (entries.at(hi - 1) as Entry).segment;
    const lo = entries.firstWhereNot((entry) => entry.segment < segment);
    const span = index.spans.get(segment);
    if (!span || (span.max >= plan.from && span.min < plan.to)) yield [lo, hi];
    hi = lo;
  }
}

/** Entries a count may test: about 10 ms; beyond it a page does not wait for the count. */
export const MAX_COUNTED = 100_000;

/**
 * How many entries the predicate accepts among those the plan leaves (the whole list, whatever
 * the page), or undefined when more than MAX_COUNTED would have to be tested.
 */
export function countMatches(index: CaptureIndex, plan: QueryPlan, accepts: (entry: Entry) => boolean): number | undefined {
  const ranges = [...rangesNewestFirst(index, plan, index.entries.length)];
  if (ranges.reduce((sum, [lo, hi]) => sum + hi - lo, 0) > MAX_COUNTED) return undefined;
  let count = 0;
  for (const [lo, hi] of ranges) {
    for (let i = lo; i < hi; i++) if (accepts(index.entries.at(i) as Entry)) count++;
  }
  return count;
}
