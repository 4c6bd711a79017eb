import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ConnectionIndicator } from '../components/ui/connection-indicator';
import { ErrorBoundary } from '../components/ui/error-boundary';
import { LogoutIcon, MenuIcon } from '../components/ui/icons';
import { EndpointSidebar } from '../features/endpoints/components/endpoint-sidebar';
import { SettingsDialog, type SettingsTab } from '../features/endpoint-settings/components/settings-dialog';
import { useApi } from '../lib/api-client';
import { StreamEventsContext } from '../lib/stream-events';
import { readUrlState } from '../lib/url-state';
import { useLiveData } from './use-live-data';
import { Workspace } from './workspace';

const LAST_ENDPOINT_KEY = 'hookscope.endpoint';

interface Props {
  token: string;
  onLogout: (reason: string | null) => void;
}

/** The endpoint a shared link names, else the one shown last in this browser. */
function readLastEndpoint(): string | null {
  const fromUrl = readUrlState().endpoint;
  if (fromUrl) return fromUrl;
  try {
    return window.localStorage.getItem(LAST_ENDPOINT_KEY);
  } catch {
    return null;
  }
}

/** The signed-in shell: endpoint sidebar, the selected endpoint's workspace, settings. */
export function Inspector({ token, onLogout }: Props) {
  const api = useApi();
  const [chosenId, setChosenId] = useState<string | null>(readLastEndpoint);
  const [navOpen, setNavOpen] = useState(false);
  const [settings, setSettings] = useState<SettingsTab | null>(null);
  const selectedRef = useRef<string | null>(chosenId);
  const onUnauthorized = useCallback(() => onLogout('The server rejected the saved token. Sign in again.'), [onLogout]);
  const live = useLiveData(api, token, onUnauthorized, () => selectedRef.current);
  const { store, endpoints } = live;

  const endpoint = endpoints?.find((e) => e.id === chosenId) ?? endpoints?.[0] ?? null;
  selectedRef.current = endpoint?.id ?? chosenId;
  useSyncExternalStore(store.subscribe, store.getVersion); // capture counts in the sidebar
  const counts: Record<string, number> = {};
  for (const e of endpoints ?? []) counts[e.id] = Math.max(store.get(e.id).total, store.get(e.id).items.length);

  const { markSeen } = live;
  useEffect(() => {
    if (!endpoint) return;
    markSeen(endpoint.id);
    try {
      window.localStorage.setItem(LAST_ENDPOINT_KEY, endpoint.id);
    } catch {
      // not remembered
    }
  }, [endpoint, markSeen]);

  const select = (id: string) => {
    setChosenId(id);
    setNavOpen(false);
  };

  const footer = (
    <>
      <ConnectionIndicator status={live.status} />
      <span className="spacer" />
      <button type="button" className="btn btn--small btn--ghost" onClick={() => onLogout('Signed out.')} title="Sign out (forget the token in this browser)">
        <LogoutIcon /> Sign out
      </button>
    </>
  );

  return (
    <StreamEventsContext.Provider value={live.events}>
    <div className={`shell ${navOpen ? 'shell--nav-open' : ''}`}>
      <ErrorBoundary label="endpoint list">
        <EndpointSidebar endpoints={endpoints ?? []} counts={counts} unseen={live.unseen} selectedId={endpoint?.id ?? null}
          onSelect={select} onSaved={live.upsertEndpoint} onDeleted={live.removeEndpoint} footer={footer} />
      </ErrorBoundary>
      <div className="scrim" onClick={() => setNavOpen(false)} />
      <main className="workspace">
        {endpoint ? (
          <Workspace key={endpoint.id} endpoint={endpoint} store={store} status={live.status}
            onOpenSettings={(tab) => setSettings(tab)} onToggleNav={() => setNavOpen(!navOpen)} />
        ) : (
          <>
            <header className="topbar">
              <button type="button" className="btn btn--icon btn--ghost nav-toggle" aria-label="Show endpoints" onClick={() => setNavOpen(!navOpen)}><MenuIcon /></button>
            </header>
            <div className="empty">
              {live.loadError ? <><h2>Cannot load endpoints</h2><p className="error-text">{live.loadError}</p></>
                : endpoints ? <><h2>No endpoints</h2><p>Create one with the + button in the sidebar.</p></>
                : <p>Loading…</p>}
            </div>
          </>
        )}
      </main>
      {endpoint && settings && (
        <SettingsDialog endpoint={endpoint} initialTab={settings} onClose={() => setSettings(null)} onSaved={live.upsertEndpoint} />
      )}
    </div>
    </StreamEventsContext.Provider>
  );
}
