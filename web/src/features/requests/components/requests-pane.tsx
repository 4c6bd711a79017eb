import { useState, type ReactNode, type RefObject } from 'react';
import { ConfirmDialog } from '../../../components/ui/dialog';
import { FollowIcon } from '../../../components/ui/icons';
import { useNotify } from '../../../components/ui/toasts';
import { errorMessage, useApi } from '../../../lib/api-client';
import { clearRequests } from '../api/requests-api';
import { MAX_LOADED, type LoaderState } from '../hooks/use-capture-loader';
import type { RequestView } from '../hooks/use-request-view';
import { isFresh, type CaptureStore } from '../stores/capture-store';
import { isFiltering, NO_FILTER, type CaptureFilter } from '../utils/filters';
import { FirstRun, NoMatches } from './first-run';
import { ListToolbar } from './list-toolbar';
import { RequestList } from './request-list';

interface Props {
  store: CaptureStore;
  endpointId: string;
  ingestUrl: string;
  view: RequestView;
  loader: LoaderState;
  filter: CaptureFilter;
  onFilter: (filter: CaptureFilter) => void;
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

/** Toolbar, live list and empty states of the selected endpoint. */
export function RequestsPane(props: Props) {
  const { store, endpointId, view, loader, filter, paused, now } = props;
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
  const footer = loader.error ? `Could not load older requests: ${loader.error}`
    : loader.loading ? 'Loading older requests…'
    : state.items.length >= MAX_LOADED && state.nextBefore ? `Showing the newest ${MAX_LOADED.toLocaleString()} of ${total.toLocaleString()}`
    : visible.length > 20 ? 'End of list' : null;
  const seeded = state.nextBefore !== undefined;

  let body;
  if (!seeded && state.items.length === 0) body = <div className="empty">Loading…</div>;
  else if (state.items.length === 0) body = <FirstRun ingestUrl={props.ingestUrl} onSendTestEvent={props.onSendTestEvent} />;
  else if (visible.length === 0 && held === 0) body = <NoMatches onReset={() => props.onFilter(NO_FILTER)} />;
  else body = (
    <RequestList items={visible} selectedId={props.selectedId} now={now} onSelect={props.onSelect} footer={footer}
      isFresh={(id) => isFresh(state, id, now)} />
  );

  return (
    <>
      <ListToolbar filter={filter} onFilter={props.onFilter} methods={view.facets.methods} eventTypes={view.facets.eventTypes}
        paused={paused} onTogglePause={props.onTogglePause} onClear={() => setConfirmClear(true)} canClear={state.items.length > 0}
        searchRef={props.searchRef} />
      <div className="list-summary" aria-live="polite">
        <span data-testid="request-count">
          {isFiltering(filter) ? `${visible.length.toLocaleString()} of ${total.toLocaleString()} requests` : `${total.toLocaleString()} request${total === 1 ? '' : 's'}`}
        </span>
        <span className="spacer" />
        {!props.following && state.items.length > 0 && (
          <button type="button" className="btn btn--small btn--ghost" onClick={props.onFollow} title="Select the newest request as it arrives">
            <FollowIcon /> Follow newest
          </button>
        )}
        {props.following && state.items.length > 0 && !paused && <span className="faint">following newest</span>}
        {props.summaryExtra}
      </div>
      {props.banner}
      {paused && (
        <button type="button" className="paused-banner" onClick={props.onTogglePause}>
          Paused · {held === 0 ? 'no new requests yet' : `${held.toLocaleString()} new request${held === 1 ? '' : 's'}`} · Resume
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
