import { useMemo, useSyncExternalStore } from 'react';
import type { CaptureSummary } from '../../../../../shared/capture';
import { matchesQuery } from '../../../../../shared/query-match';
import type { CaptureStore, EndpointCaptures } from '../stores/capture-store';
import { facetsOf } from '../utils/filters';
import type { SearchResult } from './use-search';

export interface RequestView {
  state: EndpointCaptures;
  /** What the list shows, newest first: the live list or the search's matches, without what pause holds back. */
  visible: readonly CaptureSummary[];
  /** Arrived while paused, not shown yet. */
  held: number;
  facets: { methods: string[]; eventTypes: string[] };
}

/** The list as shown for one endpoint, from the store, the pause point and the search. */
export function useRequestView(store: CaptureStore, endpointId: string, maxCaptures: number, pausedAt: string | null, search: SearchResult): RequestView {
  const state = useSyncExternalStore(store.subscribe, () => store.get(endpointId));
  // Retention evicts the oldest on the server without an event; show what it keeps.
  const retained = useMemo(
    () => (state.items.length > maxCaptures ? state.items.slice(0, maxCaptures) : state.items),
    [state.items, maxCaptures],
  );
  const { mode, query, items: found } = search;
  const source = mode === 'server' ? found : retained;
  const { live, held } = useMemo(() => splitPaused(source, pausedAt), [source, pausedAt]);
  const visible = useMemo(
    () => (mode === 'local' && query ? live.filter((summary) => matchesQuery(query, { summary }) === true) : live),
    [live, mode, query],
  );
  const facets = useMemo(() => facetsOf(retained), [retained]);
  return { state, visible, held, facets };
}

/** Captures newer than the pause point are held back; the rest is shown. */
export function splitPaused(items: readonly CaptureSummary[], pausedAt: string | null): { live: readonly CaptureSummary[]; held: number } {
  if (pausedAt === null) return { live: items, held: 0 };
  let held = 0;
  while (held < items.length && (items[held] as CaptureSummary).id > pausedAt) held += 1;
  return { live: held === 0 ? items : items.slice(held), held };
}
