import type { CaptureSummary } from '../../shared/capture';
import type { CaptureQuery } from '../../shared/query';
import { matchesQuery, type MatchableCapture } from '../../shared/query-match';
import { bodySearchText, locationSearchText, SEARCH_SEPARATOR } from '../delivery/search-text';
import type { StoredCapture } from './store';

/** Where a scan reads from: summaries newest first, and whole captures when a term needs them. */
export interface ScanSource {
  /** Up to `limit` summaries older than `before` (all when absent), newest first. */
  pageBefore(before: string | undefined, limit: number): Promise<CaptureSummary[]>;
  get(id: string): Promise<StoredCapture | null>;
}

/** What a bare word searches in a whole capture: body text, then path and query. */
export function captureSearchText(capture: Pick<StoredCapture, 'headers' | 'body' | 'path' | 'query'>): string {
  return captureSearchPieces(capture).join('');
}

/** captureSearchText in pieces (written one after another: no joined copy). */
export function captureSearchPieces(capture: Pick<StoredCapture, 'headers' | 'body' | 'path' | 'query'>): string[] {
  return [bodySearchText(capture.headers, capture.body), `${SEARCH_SEPARATOR}${locationSearchText(capture.path, capture.query)}`];
}

/**
 * Matches newest first, older than `before`: summary terms decide alone when they can; the whole
 * capture is read only for header and text terms. Looks one match past the page so `nextBefore`
 * is null exactly when nothing older matches.
 */
export async function scanQuery(source: ScanSource, query: CaptureQuery, limit: number, before: string | undefined): Promise<{ items: CaptureSummary[]; nextBefore: string | null }> {
  const items: CaptureSummary[] = [];
  let cursor = before;
  const pageSize = 500;
  for (;;) {
    const page = await source.pageBefore(cursor, pageSize);
    for (const summary of page) {
      let candidate: MatchableCapture = { summary };
      let verdict = matchesQuery(query, candidate);
      if (verdict === undefined) {
        const capture = await source.get(summary.id);
        if (!capture) continue; // deleted meanwhile
        candidate = { summary, headers: capture.headers, searchText: captureSearchText(capture) };
        verdict = matchesQuery(query, candidate);
      }
      if (!verdict) continue;
      if (items.length === limit) return { items, nextBefore: (items[items.length - 1] as CaptureSummary).id };
      items.push(summary);
    }
    if (page.length < pageSize) return { items, nextBefore: null };
    cursor = (page[page.length - 1] as CaptureSummary).id;
  }
}
