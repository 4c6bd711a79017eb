import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { CaptureSummary } from '../../../../../shared/capture';
import type { CaptureQuery } from '../../../../../shared/query';
import { matchesQuery } from '../../../../../shared/query-match';
import { useStreamEvent } from '../../../hooks/use-stream-event';
import { ApiRequestError, errorMessage, useApi } from '../../../lib/api-client';
import { listRequests } from '../api/requests-api';
import type { CaptureStore } from '../stores/capture-store';
import { mergeCaptures } from '../utils/capture-list';

const FIRST_PAGE = 100;
const OLDER_PAGE = 200;

/** What the server answered for a query, kept current with arrivals and deletions. */
export interface ServerMatches {
  /** Newest first. */
  items: readonly CaptureSummary[];
  nextBefore: string | null;
  /** How many match in all, when the server knew it (plus arrivals that joined). */
  matched: number | undefined;
  loading: boolean;
  failed: string | null;
  /** Arrivals since the search ran that only the server can decide (text or header terms). */
  undecided: number;
}

interface ServerState extends ServerMatches {
  known: Set<string>;
}

const IDLE: ServerState = { items: [], known: new Set(), nextBefore: null, matched: undefined, loading: false, failed: null, undecided: 0 };

export interface ServerSearch {
  state: ServerMatches;
  /** The server refused the query (400): where, and its message. */
  refused: { text: string; position: number; message: string } | null;
  loadOlder: () => void;
  refresh: () => void;
}

/**
 * A query answered by the endpoint's store (null: no server search now): the first page, then
 * older pages on demand; captures deleted meanwhile leave it, a clear asks again, and arrivals
 * are decided here when the query allows (useLiveArrivals).
 */
export function useServerSearch(store: CaptureStore, endpointId: string, query: CaptureQuery | null): ServerSearch {
  const api = useApi();
  const [state, setState] = useState<ServerState>(IDLE);
  const [refused, setRefused] = useState<ServerSearch['refused']>(null);
  const [generation, setGeneration] = useState(0);
  const seenUpTo = useRef<string | undefined>(undefined);
  const older = useRef<AbortController | null>(null);
  const text = query?.text ?? null;

  useEffect(() => {
    setRefused(null);
    if (text === null) {
      setState(IDLE);
      return;
    }
    const controller = new AbortController();
    seenUpTo.current = startOfLive(store, endpointId);
    setState((current) => ({ ...current, loading: true, failed: null }));
    listRequests(api, endpointId, { limit: FIRST_PAGE, q: text, signal: controller.signal }).then((page) => {
      const known = new Set<string>();
      const { items } = mergeCaptures([], page.items, known);
      setState({ items, known, nextBefore: page.nextBefore, matched: page.matched, loading: false, failed: null, undecided: 0 });
    }, (error: unknown) => {
      if (controller.signal.aborted) return;
      const detail = error instanceof ApiRequestError && error.status === 400 ? error.details?.[0] : undefined;
      if (detail?.position !== undefined) setRefused({ text, position: detail.position, message: detail.message });
      setState({ ...IDLE, failed: detail?.position === undefined ? errorMessage(error) : null });
    });
    return () => {
      controller.abort();
      older.current?.abort();
    };
  }, [api, store, endpointId, text, generation]);

  const loadOlder = useCallback(() => {
    const before = state.nextBefore;
    if (!before || state.loading || text === null) return;
    const controller = new AbortController();
    older.current = controller;
    setState((current) => ({ ...current, loading: true }));
    listRequests(api, endpointId, { limit: OLDER_PAGE, before, q: text, signal: controller.signal }).then((page) => {
      setState((current) => ({ ...current, items: mergeCaptures(current.items, page.items, current.known).items, nextBefore: page.nextBefore, loading: false }));
    }, (error: unknown) => {
      if (!controller.signal.aborted) setState((current) => ({ ...current, loading: false, failed: errorMessage(error) }));
    });
  }, [api, endpointId, text, state.nextBefore, state.loading]);

  useLiveArrivals(store, endpointId, query, seenUpTo, setState);
  useStreamEvent('capture-deleted', (message) => {
    if (message.endpointId !== endpointId) return;
    setState((current) => (current.known.delete(message.id)
      ? { ...current, items: current.items.filter((c) => c.id !== message.id), matched: current.matched === undefined ? undefined : current.matched - 1 }
      : current));
  });
  useStreamEvent('captures-cleared', (message) => {
    if (message.endpointId === endpointId) setGeneration((g) => g + 1);
  });
  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, refused, loadOlder, refresh };
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
  setState: (update: (current: ServerState) => ServerState) => void,
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
    setState((current) => {
      const merged = mergeCaptures(current.items, matching, current.known);
      const added = merged.items.length - current.items.length;
      return { ...current, items: merged.items, undecided: current.undecided + undecided, matched: current.matched === undefined ? undefined : current.matched + added };
    });
  }, [state.items, query, seenUpTo, setState, store, endpointId]);
}

/** The newest capture id the list holds ('' when it holds none), or undefined before its first page. */
function startOfLive(store: CaptureStore, endpointId: string): string | undefined {
  const state = store.get(endpointId);
  return state.nextBefore === undefined ? undefined : (state.items[0]?.id ?? '');
}
