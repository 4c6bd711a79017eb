import type { ReactNode } from 'react';
import type { EndpointView } from '../../../../../shared/endpoint';
import { CopyButton } from '../../../components/ui/copy-button';
import { GearIcon, MenuIcon } from '../../../components/ui/icons';

interface Props {
  endpoint: EndpointView;
  /** Full ingest URL on this server. */
  ingestUrl: string;
  onOpenSettings: () => void;
  onToggleNav: () => void;
  /** Extra controls at the right (connection state on narrow screens…). */
  children?: ReactNode;
}

/** The selected endpoint's name, its ingest URL with a copy button, and its settings. */
export function EndpointHeader({ endpoint, ingestUrl, onOpenSettings, onToggleNav, children }: Props) {
  return (
    <header className="topbar">
      <button type="button" className="btn btn--icon btn--ghost nav-toggle" aria-label="Show endpoints" onClick={onToggleNav}><MenuIcon /></button>
      <h1 className="topbar__title" title={endpoint.name}>{endpoint.name}</h1>
      <div className="ingest-url" title="Send webhooks to this URL (any method, any sub-path)">
        <span className="badge" aria-hidden="true">URL</span>
        <input className="ingest-url__value mono" readOnly value={ingestUrl} aria-label="Ingest URL" style={{ width: `${ingestUrl.length + 1}ch` }} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={ingestUrl} title="Copy ingest URL" />
      </div>
      <span className="spacer" />
      {children}
      <button type="button" className="btn" onClick={onOpenSettings}><GearIcon /> Settings</button>
    </header>
  );
}
