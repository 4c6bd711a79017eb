import { useState, type ReactNode, type RefObject } from 'react';
import { ConfirmDialog } from '../../../components/ui/dialog';
import { FollowIcon } from '../../../components/ui/icons';
import { useNotify } from '../../../components/ui/toasts';
import { errorMessage, useApi } from '../../../lib/api-client';
import { clearRequests } from '../api/requests-api';
import { MAX_LOADED, type LoaderState } from '../hooks/use-capture-loader';
import type { RequestView } from '../hooks/use-request-view';
import type { SearchResult } from '../hooks/use-search';
import { isFresh, type CaptureStore } from '../stores/capture-store';
import { FirstRun, NoMatches } from './first-run';
import { ListToolbar } from './list-toolbar';
import { RequestList } from './request-list';
import { SearchFooter, SearchSummary } from './search-status';

interface Props {
  store: CaptureStore;
  endpointId: string;
  ingestUrl: string;
  view: RequestView;
  loader: LoaderState;
  /** The search as typed, and what it found. */
  query: string;
  onQuery: (query: string) => void;
  search: SearchResult;
  paused: boolean;
  onTogglePause: () => void;
  selectedId: string | null;
  /** The user picked a capture; `open` shows the detail on narrow screens. */
  onSelect: (id: string, open: boolean) => void;
  /** Selection follows the newest capture (no capture picked by the user). */
  following: boolean;
  onFollow: () => void;
  onSendTestEvent: () => void;
  searchRef: RefObject<HTMLInputElement | null>;
  now: number;
  /** Extra controls on the summary line (bulk replay…), from other features. */
  summaryExtra?: ReactNode;
  /** A full-width block above the list (bulk progress…). */
  banner?: ReactNode;
}

/** Toolbar, live list (or search results) and empty states of the selected endpoint. */
export function RequestsPane(props: Props) {
  const { store, endpointId, view, loader, search, paused, now } = props;
  const api = useApi();
  const notify = useNotify();
  const [confirmClear, setConfirmClear] = useState(false);
  const { state, visible, held } = view;

  const clear = async () => {
    setConfirmClear(false);
    try {
      const upTo = store.cursorOf(endpointId); // deliveries arriving during the request survive the clear
      const { deleted } = await clearRequests(api, endpointId);
      store.clear(endpointId, upTo ?? '');
      notify(`Cleared ${deleted.toLocaleString()} request${deleted === 1 ? '' : 's'}`);
    } catch (error) {
      notify(`Could not clear: ${errorMessage(error)}`, { error: true });
    }
  };

  const total = Math.max(state.total, state.items.length);
  const footer = search.mode === 'server' ? <SearchFooter search={search} shown={visible.length} />
    : loader.error ? `Could not load older requests: ${loader.error}`
    : loader.loading && search.mode === 'all' ? 'Loading older requests…'
    : state.items.length >= MAX_LOADED && state.nextBefore ? `Showing the newest ${MAX_LOADED.toLocaleString()} of ${total.toLocaleString()}`
    : visible.length > 20 ? 'End of list' : null;
  const seeded = state.nextBefore !== undefined;

  let body;
  if (!seeded && state.items.length === 0) body = <div className="empty">Loading…</div>;
  else if (state.items.length === 0 && search.mode === 'all') body = <FirstRun ingestUrl={props.ingestUrl} onSendTestEvent={props.onSendTestEvent} />;
  else if (search.mode === 'server' && search.loading && visible.length === 0) body = <div className="empty">Searching {total.toLocaleString()} requests…</div>;
  else if (visible.length === 0 && held === 0 && !(search.mode === 'server' && search.failed)) {
    body = <NoMatches searchedAll={search.mode === 'server'} total={total} onReset={() => props.onQuery('')} />;
  } else body = (
    <RequestList items={visible} selectedId={props.selectedId} now={now} onSelect={props.onSelect} footer={footer}
      isFresh={(id) => isFresh(state, id, now)} />
  );

  return (
    <>
      <ListToolbar query={props.query} onQuery={props.onQuery} problem={search.problem} methods={view.facets.methods} eventTypes={view.facets.eventTypes}
        paused={paused} onTogglePause={props.onTogglePause} onClear={() => setConfirmClear(true)} canClear={state.items.length > 0}
        searchRef={props.searchRef} />
      <div className="list-summary" aria-live="polite">
        <SearchSummary search={search} shown={visible.length} total={total} />
        <span className="spacer" />
        {!props.following && visible.length > 0 && (
          <button type="button" className="btn btn--small btn--ghost" onClick={props.onFollow} title="Select the newest request as it arrives">
            <FollowIcon /> Follow newest
          </button>
        )}
        {props.following && visible.length > 0 && !paused && <span className="faint">following newest</span>}
        {props.summaryExtra}
      </div>
      {props.banner}
      {paused && (
        <button type="button" className="paused-banner" onClick={props.onTogglePause}>
          Paused · {held === 0 ? 'no new requests yet' : `${held.toLocaleString()} new request${held === 1 ? '' : 's'}`} · Resume
        </button>
      )}
      {search.mode === 'server' && search.undecided > 0 && !paused && (
        <button type="button" className="paused-banner search-banner" onClick={search.refresh}
          title="These arrived after the search ran; whether their body or headers match is decided by the server">
          {search.undecided.toLocaleString()} new request{search.undecided === 1 ? '' : 's'} since this search · Search again
        </button>
      )}
      {body}
      {confirmClear && (
        <ConfirmDialog title="Clear all requests?" confirmLabel="Clear requests" onCancel={() => setConfirmClear(false)} onConfirm={() => void clear()}
          message={<p>Every captured request of this endpoint will be deleted from the server. This cannot be undone.</p>} />
      )}
    </>
  );
}
