import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { CaptureSummary } from '../../../../../shared/capture';
import { parseQuery, QuerySyntaxError, type CaptureQuery } from '../../../../../shared/query';
import { matchesQuery, termNeeds } from '../../../../../shared/query-match';
import { useStreamEvent } from '../../../hooks/use-stream-event';
import { ApiRequestError, errorMessage, useApi } from '../../../lib/api-client';
import { listRequests } from '../api/requests-api';
import type { CaptureStore } from '../stores/capture-store';
import { mergeCaptures } from '../utils/capture-list';

const FIRST_PAGE = 100;
const OLDER_PAGE = 200;
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

export interface SearchResult {
  mode: SearchMode;
  /** The query the list shows: the last one that parsed (null: none). */
  query: CaptureQuery | null;
  /** Why the text in the box does not run (parse error here, or the server's 400). */
  problem: QueryProblem | null;
  /** Server mode: matches newest first, the next page's cursor, the count when the server knew it. */
  items: readonly CaptureSummary[];
  nextBefore: string | null;
  matched: number | undefined;
  loading: boolean;
  failed: string | null;
  /** Arrivals since the search ran that only the server can decide (text or header terms). */
  undecided: number;
  loadOlder: () => void;
  refresh: () => void;
}

interface ServerState {
  items: readonly CaptureSummary[];
  known: Set<string>;
  nextBefore: string | null;
  matched: number | undefined;
  loading: boolean;
  failed: string | null;
  undecided: number;
}

const IDLE: ServerState = { items: [], known: new Set(), nextBefore: null, matched: undefined, loading: false, failed: null, undecided: 0 };

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
  const api = useApi();
  const settled = useSettled(text);
  const parsed = useMemo(() => parse(settled), [settled]);
  const [active, setActive] = useState<CaptureQuery | null>(parsed.query);
  useEffect(() => {
    if (parsed.query || settled.trim() === '') setActive(parsed.query);
  }, [parsed, settled]);
  const [serverProblem, setServerProblem] = useState<QueryProblem | null>(null);
  const [server, setServer] = useState<ServerState>(IDLE);
  const [generation, setGeneration] = useState(0);
  const seenUpTo = useRef<string | undefined>(undefined);
  const older = useRef<AbortController | null>(null);

  const summaryOnly = active !== null && active.terms.every((term) => termNeeds(term) === 'summary');
  const mode: SearchMode = !active || active.terms.length === 0 ? 'all' : loadedAll && summaryOnly ? 'local' : 'server';
  const activeText = active?.text ?? '';

  useEffect(() => {
    setServerProblem(null);
    if (mode !== 'server') {
      setServer(IDLE);
      return;
    }
    const controller = new AbortController();
    seenUpTo.current = startOfLive(store, endpointId);
    setServer((current) => ({ ...current, loading: true, failed: null }));
    listRequests(api, endpointId, { limit: FIRST_PAGE, q: activeText, signal: controller.signal }).then((page) => {
      const known = new Set<string>();
      const { items } = mergeCaptures([], page.items, known);
      setServer({ items, known, nextBefore: page.nextBefore, matched: page.matched, loading: false, failed: null, undecided: 0 });
    }, (error: unknown) => {
      if (controller.signal.aborted) return;
      const position = error instanceof ApiRequestError && error.status === 400 ? error.details?.[0]?.position : undefined;
      if (position !== undefined) setServerProblem(problemOf(activeText, position, error instanceof ApiRequestError ? error.details?.[0]?.message ?? error.message : ''));
      setServer({ ...IDLE, failed: position === undefined ? errorMessage(error) : null });
    });
    return () => {
      controller.abort();
      older.current?.abort();
    };
  }, [api, store, endpointId, mode, activeText, generation]);

  const loadOlder = useCallback(() => {
    const before = server.nextBefore;
    if (!before || server.loading) return;
    const controller = new AbortController();
    older.current = controller;
    setServer((current) => ({ ...current, loading: true }));
    listRequests(api, endpointId, { limit: OLDER_PAGE, before, q: activeText, signal: controller.signal }).then((page) => {
      setServer((current) => {
        const { items } = mergeCaptures(current.items, page.items, current.known);
        return { ...current, items, nextBefore: page.nextBefore, loading: false };
      });
    }, (error: unknown) => {
      if (!controller.signal.aborted) setServer((current) => ({ ...current, loading: false, failed: errorMessage(error) }));
    });
  }, [api, endpointId, activeText, server.nextBefore, server.loading]);

  useLiveArrivals(store, endpointId, mode === 'server' ? active : null, seenUpTo, setServer);
  useStreamEvent('capture-deleted', (message) => {
    if (message.endpointId !== endpointId) return;
    setServer((current) => (current.known.delete(message.id) ? { ...current, items: current.items.filter((c) => c.id !== message.id), matched: current.matched === undefined ? undefined : current.matched - 1 } : current));
  });
  useStreamEvent('captures-cleared', (message) => {
    if (message.endpointId === endpointId) setGeneration((g) => g + 1);
  });

  const problem = parsed.problem ?? (serverProblem && serverProblem.text === settled ? serverProblem : null);
  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  return { mode, query: active, problem, ...server, loadOlder, refresh };
}

/**
 * Captures arriving while a server search is shown: those the query decides on their summary
 * join the results (or not); those needing the body or headers are counted, for the user to refresh.
 */
function useLiveArrivals(
  store: CaptureStore,
  endpointId: string,
  query: CaptureQuery | null,
  seenUpTo: { current: string | undefined },
  setServer: (update: (current: ServerState) => ServerState) => void,
): void {
  const state = useSyncExternalStore(store.subscribe, () => store.get(endpointId));
  useEffect(() => {
    if (!query) return;
    if (seenUpTo.current === undefined) {
      seenUpTo.current = startOfLive(store, endpointId); // the list was not loaded when the search began
      return;
    }
    const arrivals: CaptureSummary[] = [];
    for (const capture of state.items) {
      if (capture.id <= seenUpTo.current) break;
      arrivals.push(capture);
    }
    if (arrivals.length === 0) return;
    seenUpTo.current = arrivals[0]?.id;
    const matching = arrivals.filter((capture) => matchesQuery(query, { summary: capture }) === true);
    const undecided = arrivals.filter((capture) => matchesQuery(query, { summary: capture }) === undefined).length;
    setServer((current) => {
      const merged = mergeCaptures(current.items, matching, current.known);
      const added = merged.items.length - current.items.length;
      return { ...current, items: merged.items, undecided: current.undecided + undecided, matched: current.matched === undefined ? undefined : current.matched + added };
    });
  }, [state.items, query, seenUpTo, setServer, store, endpointId]);
}

/** The newest capture id the list holds ('' when it holds none), or undefined before its first page. */
function startOfLive(store: CaptureStore, endpointId: string): string | undefined {
  const state = store.get(endpointId);
  return state.nextBefore === undefined ? undefined : (state.items[0]?.id ?? '');
}
