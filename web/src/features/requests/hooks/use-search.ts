import { useEffect, useMemo, useState } from 'react';
import { parseQuery, QuerySyntaxError, type CaptureQuery } from '../../../../../shared/query';
import { termNeeds } from '../../../../../shared/query-match';
import type { CaptureStore } from '../stores/capture-store';
import { useServerSearch, type ServerMatches } from './use-server-search';

const SETTLE_MS = 350; // typing pause before a query runs

/**
 * How the list answers a query:
 * - `all`: no query, the live list;
 * - `local`: every capture is loaded and every term is decided on summaries — filtered here,
 *   with the reference semantics (shared/query-match.ts), live;
 * - `server`: the endpoint's store answers, paged ("load older matches"); live arrivals are
 *   decided here when the query's terms allow it, else counted for the user to refresh.
 */
export type SearchMode = 'all' | 'local' | 'server';

/** A query that cannot run: where (0-based, in `text`), what is wrong there, and what was expected. */
export interface QueryProblem {
  text: string;
  position: number;
  detail: string;
  expected: string;
}

/** The parts of a QuerySyntaxError message (the server's 400 carries the same text). */
function problemOf(text: string, position: number, message: string): QueryProblem {
  const parts = /^(?:query error at character \d+: )?(.*?)(?:; expected (.*))?$/s.exec(message);
  return { text, position, detail: parts?.[1] ?? message, expected: parts?.[2] ?? '' };
}

export interface SearchResult extends ServerMatches {
  mode: SearchMode;
  /** The query the list shows: the last one that parsed (null: none). */
  query: CaptureQuery | null;
  /** Why the text in the box does not run (parse error here, or the server's 400). */
  problem: QueryProblem | null;
  /** Server mode: the next page of matches, and asking again (for arrivals it could not decide). */
  loadOlder: () => void;
  refresh: () => void;
}

function useSettled(text: string): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    if (text.trim() === '') {
      setSettled(text);
      return;
    }
    const timer = setTimeout(() => setSettled(text), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return settled;
}

function parse(text: string): { query: CaptureQuery | null; problem: QueryProblem | null } {
  if (text.trim() === '') return { query: null, problem: null };
  try {
    return { query: parseQuery(text), problem: null };
  } catch (error) {
    if (!(error instanceof QuerySyntaxError)) throw error;
    return { query: null, problem: problemOf(text, error.position, error.message) };
  }
}

/** The search of one endpoint's list: parses as the user types, asks the server when it must, pages, and follows arrivals. */
export function useSearch(store: CaptureStore, endpointId: string, text: string, loadedAll: boolean): SearchResult {
  const settled = useSettled(text);
  const parsed = useMemo(() => parse(settled), [settled]);
  // While the box does not parse, the list keeps showing the last query that did.
  const [active, setActive] = useState<CaptureQuery | null>(parsed.query);
  useEffect(() => {
    if (parsed.query || settled.trim() === '') setActive(parsed.query);
  }, [parsed, settled]);
  const summaryOnly = active !== null && active.terms.every((term) => termNeeds(term) === 'summary');
  const mode: SearchMode = !active || active.terms.length === 0 ? 'all' : loadedAll && summaryOnly ? 'local' : 'server';
  const server = useServerSearch(store, endpointId, mode === 'server' ? active : null);
  const refused = server.refused && server.refused.text === settled ? problemOf(settled, server.refused.position, server.refused.message) : null;
  return { mode, query: active, problem: parsed.problem ?? refused, ...server.state, loadOlder: server.loadOlder, refresh: server.refresh };
}
