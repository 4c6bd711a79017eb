import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { EndpointView } from '../../../shared/endpoint';
import { ConnectionIndicator } from '../components/ui/connection-indicator';
import { ErrorBoundary } from '../components/ui/error-boundary';
import { CaptureDetail } from '../features/capture-detail/components/capture-detail';
import { EndpointHeader } from '../features/endpoints/components/endpoint-header';
import type { SettingsTab } from '../features/endpoint-settings/components/settings-dialog';
import { BulkReplayButton, BulkReplayStatus, useBulkReplay } from '../features/replay/components/bulk-replay';
import { TransferMenu } from '../features/transfer/components/transfer-menu';
import { ReplayButton } from '../features/replay/components/replay-button';
import { ReplayHistory } from '../features/replay/components/replay-history';
import { RequestsPane } from '../features/requests/components/requests-pane';
import { useCaptureLoader } from '../features/requests/hooks/use-capture-loader';
import { useRequestView } from '../features/requests/hooks/use-request-view';
import { useSearch } from '../features/requests/hooks/use-search';
import type { CaptureStore } from '../features/requests/stores/capture-store';
import { useHotkeys } from '../hooks/use-hotkeys';
import { useMediaQuery } from '../hooks/use-media-query';
import { useNow } from '../hooks/use-now';
import type { StreamStatus } from '../lib/stream-client';
import { readUrlState, writeUrlState } from '../lib/url-state';

interface Props {
  endpoint: EndpointView;
  store: CaptureStore;
  status: StreamStatus;
  onOpenSettings: (tab: SettingsTab) => void;
  onToggleNav: () => void;
}

interface Selection {
  id: string | null;
  /** The user chose it: new arrivals no longer move the selection. */
  pinned: boolean;
}

/** One endpoint: its URL, the live list and the selected request's detail. */
export function Workspace({ endpoint, store, status, onOpenSettings, onToggleNav }: Props) {
  // The search lives in the address bar (?q=), so it can be shared and survives a reload.
  const [query, setQuery] = useState(() => initialQuery(endpoint.id));
  const [pausedAt, setPausedAt] = useState<string | null>(null);
  const [selection, setSelection] = useState<Selection>({ id: null, pinned: false });
  const [detailOpen, setDetailOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const detailRef = useRef<HTMLElement>(null);
  const narrow = useMediaQuery('(max-width: 900px)');
  const now = useNow(5000);
  const loader = useCaptureLoader(store, endpoint.id);
  const loadedAll = useSyncExternalStore(store.subscribe, () => store.get(endpoint.id).nextBefore === null);
  const search = useSearch(store, endpoint.id, query, loadedAll);
  const view = useRequestView(store, endpoint.id, endpoint.retention.maxCaptures, pausedAt, search);
  useEffect(() => writeUrlState({ endpoint: endpoint.id, q: search.query?.text ?? (query.trim() ? undefined : '') }), [endpoint.id, search.query, query]);
  const { visible } = view;
  const bulk = useBulkReplay();
  const ingestUrl = `${window.location.origin}${endpoint.ingestPath}`;

  // The newest capture is selected as it arrives, unless the user picked one.
  const newest = visible[0]?.id ?? null;
  useEffect(() => {
    if (!selection.pinned && newest !== selection.id) setSelection({ id: newest, pinned: false });
  }, [newest, selection]);

  const pick = (id: string, open: boolean) => {
    setSelection({ id, pinned: true });
    if (open && narrow) setDetailOpen(true); // wide screens show list and detail side by side
  };
  const move = (delta: number) => {
    if (visible.length === 0) return;
    const index = visible.findIndex((c) => c.id === selection.id);
    const next = visible[Math.max(0, Math.min(visible.length - 1, index === -1 ? 0 : index + delta))];
    if (next) pick(next.id, false);
  };
  useHotkeys({
    j: () => move(1),
    k: () => move(-1),
    ArrowDown: () => move(1),
    ArrowUp: () => move(-1),
    Enter: () => {
      if (!selection.id) return;
      setDetailOpen(true);
      requestAnimationFrame(() => detailRef.current?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus());
    },
    '/': () => searchRef.current?.focus(),
    Escape: () => setDetailOpen(false),
  });

  const onDeleted = (id: string) => {
    const index = visible.findIndex((c) => c.id === id);
    const neighbour = visible[index + 1] ?? visible[index - 1] ?? null;
    store.remove(endpoint.id, id);
    setSelection({ id: neighbour?.id ?? null, pinned: selection.pinned && neighbour !== null });
  };

  return (
    <>
      <EndpointHeader endpoint={endpoint} ingestUrl={ingestUrl} onOpenSettings={() => onOpenSettings('response')} onToggleNav={onToggleNav}>
        {narrow && <ConnectionIndicator status={status} />}
      </EndpointHeader>
      <div className={`panes ${detailOpen ? 'panes--detail' : ''}`}>
        <section className="pane list-pane" aria-label="Request list">
          <ErrorBoundary label="request list">
            <RequestsPane store={store} endpointId={endpoint.id} ingestUrl={ingestUrl} view={view} loader={loader} now={now}
              query={query} onQuery={setQuery} search={search} paused={pausedAt !== null}
              onTogglePause={() => setPausedAt(pausedAt === null ? (store.get(endpoint.id).items[0]?.id ?? '') : null)}
              selectedId={selection.id} onSelect={pick} following={!selection.pinned}
              onFollow={() => setSelection({ id: newest, pinned: false })} onSendTestEvent={() => onOpenSettings('test')} searchRef={searchRef}
              summaryExtra={<><BulkReplayButton endpointId={endpoint.id} items={visible} state={bulk} /><TransferMenu endpointId={endpoint.id} /></>} banner={<BulkReplayStatus state={bulk} />} />
          </ErrorBoundary>
        </section>
        <section ref={detailRef} className="pane detail-pane" aria-label="Request detail">
          <ErrorBoundary label="request detail" resetKey={selection.id}>
            {selection.id ? (
              <CaptureDetail key={selection.id} captureId={selection.id} onDeleted={onDeleted} onBack={() => setDetailOpen(false)}
                renderActions={(capture) => <ReplayButton capture={capture} />} renderReplays={(capture) => <ReplayHistory capture={capture} />} />
            ) : (
              <div className="empty"><p>{visible.length > 0 ? 'Select a request to see it here.' : 'Requests you select appear here.'}</p>
                <p className="faint"><span className="kbd">j</span> <span className="kbd">k</span> move · <span className="kbd">Enter</span> open · <span className="kbd">/</span> search</p></div>
            )}
          </ErrorBoundary>
        </section>
      </div>
    </>
  );
}

/** The search a link or reload brought for this endpoint (none when the address names another one). */
function initialQuery(endpointId: string): string {
  const { endpoint, q } = readUrlState();
  return endpoint === null || endpoint === endpointId ? q : '';
}
