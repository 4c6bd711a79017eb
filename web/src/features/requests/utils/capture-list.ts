import type { CaptureSummary } from '../../../../../shared/capture';

/** Newest-first order: capture ids sort in arrival order within an endpoint (DESIGN.md). */
export function newestFirst(a: CaptureSummary, b: CaptureSummary): number {
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Merges captures into a newest-first list, each id once. `known` holds the ids already in
 * `items` and is updated in place. Returns the same array when nothing was new, and the ids
 * that were added. The common cases (live arrivals newer than everything, or an older page)
 * cost one concatenation; anything else falls back to a sort.
 */
export function mergeCaptures(
  items: readonly CaptureSummary[],
  incoming: readonly CaptureSummary[],
  known: Set<string>,
): { items: readonly CaptureSummary[]; added: string[] } {
  const fresh: CaptureSummary[] = [];
  for (const capture of incoming) {
    if (known.has(capture.id)) continue;
    known.add(capture.id);
    fresh.push(capture);
  }
  if (fresh.length === 0) return { items, added: [] };
  fresh.sort(newestFirst);
  const added = fresh.map((c) => c.id);
  const newest = items[0];
  const oldest = items[items.length - 1];
  const freshOldest = fresh[fresh.length - 1] as CaptureSummary;
  const freshNewest = fresh[0] as CaptureSummary;
  if (!newest || freshOldest.id > newest.id) return { items: [...fresh, ...items], added };
  if (oldest && freshNewest.id < oldest.id) return { items: [...items, ...fresh], added };
  return { items: [...items, ...fresh].sort(newestFirst), added };
}

/** The list without one capture (same array when it was not there). */
export function withoutCapture(items: readonly CaptureSummary[], id: string, known: Set<string>): readonly CaptureSummary[] {
  if (!known.delete(id)) return items;
  return items.filter((c) => c.id !== id);
}

/** The larger of two capture ids (undefined counts as "before everything"). */
export function laterId(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}
