import type { SearchResult } from '../hooks/use-search';

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

/** The count line: how many requests, or how many of them match the search (and where it ran). */
export function SearchSummary({ search, shown, total }: { search: SearchResult; shown: number; total: number }) {
  return <span data-testid="request-count">{search.mode === 'all' ? plural(total, 'request') : `${matchCount(search, shown)} of ${plural(total, 'request')}`}</span>;
}

function matchCount(search: SearchResult, shown: number): string {
  if (search.mode !== 'server') return shown.toLocaleString();
  if (search.matched !== undefined) return search.matched.toLocaleString();
  return `${shown.toLocaleString()}${search.nextBefore ? '+' : ''}`;
}

/** Under the last search result: searching, failed (retry), or the button that pages to older matches. */
export function SearchFooter({ search, shown }: { search: SearchResult; shown: number }) {
  if (search.loading) return <span>Searching…</span>;
  if (search.failed) {
    return <span className="error-text">Search failed: {search.failed} <button type="button" className="btn btn--small btn--ghost" onClick={search.refresh}>Retry</button></span>;
  }
  if (search.nextBefore) return <button type="button" className="btn btn--small" onClick={search.loadOlder}>Load older matches</button>;
  return shown > 20 ? <span>No older matches</span> : null;
}
